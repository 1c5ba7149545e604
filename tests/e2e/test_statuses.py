"""Staff take a Situação's storefront access away and watch the counters move."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_removing_access_from_a_status_moves_its_clients_to_inactive(
    page: Page, live_server, staff, make_client, artifacts
):
    make_client(name="Lívia Lead", email="livia@example.com", password="segredo-123")
    make_client(name="Caio Contato")

    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    inactive = page.locator('[data-counter="inactive"] .counter-value')
    expect(inactive).to_have_text("0")

    page.get_by_role("button", name="Configurações").click()
    page.get_by_role("link", name="Situações do Cliente").click()
    page.get_by_role("link", name="Editar Ativo").click()
    page.get_by_label("Dá acesso à loja").uncheck()
    page.get_by_role("button", name="Gravar Situação").click()
    expect(page.get_by_text("2 cliente(s) mudaram de grupo nos contadores.")).to_be_visible()
    expect(page.locator('tr[data-entry="Ativo"]')).to_contain_text("Não")
    page.screenshot(path=str(artifacts / "statuses.png"), full_page=True)

    page.get_by_role("link", name="Clientes", exact=True).click()
    expect(inactive).to_have_text("2")
    expect(page.locator('[data-counter="lead"] .counter-value')).to_have_text("0")
