"""Staff consult Sefaz from the client form in headless Chromium, with Sefaz up and down."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import open_tab
from tests.sefaz import fixtures

pytestmark = pytest.mark.e2e

# The fake Sefaz's fixtures, made visible to this module (tests/e2e/conftest.py is shared).
sefaz_pki = fixtures.sefaz_pki
sefaz_server_session = fixtures.sefaz_server_session
sefaz_server = fixtures.sefaz_server
sefaz_app = fixtures.sefaz_app

CNPJ = "11222333000181"  # answered by the fake Sefaz with the shared retConsCad_111 sample


def _new_client_with_cnpj(page: Page, base: str) -> None:
    page.goto(f"{base}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{base}/admin/clientes/novo")
    page.get_by_label("Pessoa Jurídica").check()
    page.get_by_label("CPF/CNPJ").press_sequentially(CNPJ)
    page.get_by_label("UF da consulta à Sefaz").select_option("SP")
    page.get_by_label("E-mail principal").fill("compras@exemplo.example")


def _header_badge(page: Page):
    return page.locator("#client-title + div [data-sefaz-verdict]")


def test_consult_accept_the_prefill_and_save(page: Page, live_server, staff, sefaz_app):
    _new_client_with_cnpj(page, live_server)
    page.get_by_label("Nome fantasia").fill("Nome que eu escolhi")
    page.get_by_role("button", name="Consultar Sefaz").click()

    answer = page.locator("#sefaz-result")
    expect(answer).to_contain_text("Sefaz SP: Habilitado")
    expect(answer.get_by_label("Nome fantasia")).not_to_be_checked()  # typed: kept by default
    expect(answer.get_by_label("Endereço padrão")).to_be_checked()
    answer.get_by_role("button", name="Aplicar").click()
    expect(answer).to_contain_text("Grave o cliente para confirmar.")
    expect(page.get_by_label("Nome/Razão social")).to_have_value(
        "COMERCIAL EXEMPLO DE UTILIDADES LTDA"
    )
    expect(page.locator("#trade_name")).to_have_value("Nome que eu escolhi")
    expect(page.locator("#state_registration")).to_have_value("110042490114")
    expect(page.get_by_label("Indicador de IE")).to_have_value("contribuinte")
    expect(page.get_by_label("E-mail principal")).to_have_value("compras@exemplo.example")

    page.get_by_role("button", name="Gravar Cliente").click()
    expect(page.get_by_text("Cliente gravado.")).to_be_visible()
    expect(page.get_by_text("Dados da Sefaz gravados no cliente")).to_contain_text(
        "endereço padrão"
    )
    expect(_header_badge(page)).to_have_text("Sefaz SP: Habilitado")
    open_tab(page, re.compile("Endereços"))
    expect(page.locator("#addresses")).to_contain_text("RUA DAS FLORES, 120, SALA 4")
    open_tab(page, "Sefaz")
    expect(page.locator("#sefaz-history tbody tr")).to_have_count(1)
    expect(page.locator("#sefaz-history")).to_contain_text("Consulta cadastro com uma ocorrência")


def test_with_sefaz_down_the_client_is_saved_unverified_and_recheck_fixes_it(
    page: Page, live_server, staff, sefaz_app, sefaz_server
):
    sefaz_server.stop()
    try:
        _new_client_with_cnpj(page, live_server)
        page.get_by_label("Nome/Razão social").fill("Comercial Exemplo")
        page.get_by_role("button", name="Consultar Sefaz").click()
        answer = page.locator("#sefaz-result")
        expect(answer).to_contain_text("Sefaz SP: Não verificado")
        expect(answer).to_contain_text("Não foi possível conectar à Sefaz.")

        page.get_by_role("button", name="Gravar Cliente").click()
        expect(page.get_by_text("Cliente gravado.")).to_be_visible()
        expect(page.get_by_text("Situação na Sefaz: não verificado.")).to_be_visible()
        expect(_header_badge(page)).to_have_text("Sefaz SP: Não verificado")
    finally:
        sefaz_server.start()

    result = sefaz_app.test_cli_runner().invoke(args=["clientela", "sefaz", "recheck"])
    assert result.exit_code == 0, result.output
    assert "Comercial Exemplo (11.222.333/0001-81, SP): Habilitado." in result.output
    page.reload()
    expect(_header_badge(page)).to_have_text("Sefaz SP: Habilitado")
    open_tab(page, "Sefaz")
    expect(page.locator("#sefaz-history tbody tr")).to_have_count(2)
