"""Issue 14 (17): revoking an API key and deleting a Situação ask first (a popup, no inline
script): Cancelar leaves everything as it was, the popup's button does it."""

import pytest
from playwright.sync_api import Page, expect

from portal import db

pytestmark = pytest.mark.e2e


def _login(page: Page, live_server: str) -> None:
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Clientes", exact=True)).to_be_visible()


def test_revoking_a_key_asks_first(page: Page, app, live_server, staff):
    from portal.api.keys import create_key

    with app.app_context():
        create_key("loja-producao")
        db.session.commit()
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
    )
    _login(page, live_server)
    page.goto(f"{live_server}/admin/chaves-de-api")
    row = page.locator("#api-keys tbody tr", has_text="loja-producao")
    row.get_by_role("button", name="Revogar").click()
    dialog = page.locator("#clientela-confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Revogar a chave “loja-producao”?")
    dialog.get_by_role("button", name="Cancelar").click()
    expect(dialog).to_be_hidden()
    page.reload()
    expect(row).to_contain_text("Ativa")  # nothing happened

    row.get_by_role("button", name="Revogar").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Revogar").click()
    expect(page.get_by_text("Chave “loja-producao” revogada")).to_be_visible()
    expect(row).to_contain_text("Revogada em")
    assert csp_errors == []


def test_deleting_a_status_asks_first(page: Page, app, live_server, staff):
    _login(page, live_server)
    page.goto(f"{live_server}/admin/situacoes")
    page.get_by_label("Nome").fill("Temporária")
    page.get_by_role("button", name="Gravar Situação").click()
    row = page.locator('tr[data-entry="Temporária"]')
    expect(row).to_be_visible()
    row.get_by_role("button", name="Excluir Temporária").click()
    dialog = page.locator("#clientela-confirm")
    expect(dialog).to_contain_text("Excluir “Temporária”?")
    dialog.get_by_role("button", name="Cancelar").click()
    page.reload()
    expect(row).to_be_visible()
    row.get_by_role("button", name="Excluir Temporária").click()
    dialog.get_by_role("button", name="Excluir").click()
    expect(row).to_have_count(0)
