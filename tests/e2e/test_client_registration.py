"""Staff register a company client end to end in headless Chromium."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import open_tab

pytestmark = pytest.mark.e2e


def _login(page: Page, base: str) -> None:
    page.goto(f"{base}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Clientes")).to_be_visible()


def _add_address(page: Page, kind: str, cep: str, street: str, number: str) -> None:
    page.get_by_role("button", name="Adicionar Endereço").click()
    modal = page.locator("#clientela-modal")
    expect(modal.get_by_role("heading", name="Adicionar Endereço")).to_be_visible()
    expect(modal.get_by_label("Tipo")).to_be_focused()  # the popup is open and ready to type
    modal.get_by_label("Tipo").select_option(kind)
    modal.get_by_label("CEP").press_sequentially(cep)
    modal.get_by_label("Logradouro").fill(street)
    modal.get_by_label("Número").fill(number)
    modal.get_by_label("Bairro").fill("Centro")
    modal.get_by_label("Cidade").fill("São Paulo")
    modal.get_by_label("UF").select_option("SP")
    modal.get_by_role("button", name="Gravar endereço").click()
    expect(modal).to_be_hidden()
    expect(page.locator("#addresses")).to_contain_text(street)


def test_staff_registers_a_company_with_popups_and_finds_it_by_masked_cnpj(
    page: Page, live_server, staff, artifacts
):
    _login(page, live_server)
    page.get_by_role("link", name="Adicionar Cliente").click()

    page.get_by_label("Pessoa Jurídica").check()
    page.get_by_label("Nome/Razão social").fill("Distribuidora Alfa Ltda")
    document = page.get_by_label("CPF/CNPJ")
    document.press_sequentially("11222333000181")
    expect(document).to_have_value("11.222.333/0001-81")  # masked while typing
    page.get_by_label("E-mail principal").fill("compras@alfa.example")

    # "Mais detalhes" starts collapsed; the seller is created from the pencil popup.
    expect(page.get_by_label("Vendedor", exact=True)).to_be_hidden()
    page.get_by_role("button", name="Mais detalhes").click()
    page.get_by_role("button", name="Editar a lista Vendedor").click()
    modal = page.locator("#clientela-modal")
    expect(modal.get_by_role("heading", name="Vendedor", exact=True)).to_be_visible()
    expect(modal.get_by_label("Nome")).to_be_focused()
    modal.get_by_label("Nome").fill("Rita Vendas")
    modal.get_by_role("button", name="Gravar Vendedor").click()
    expect(modal).to_contain_text("“Rita Vendas” gravado e selecionado no cliente.")
    modal.get_by_role("button", name="Fechar").click()
    expect(page.get_by_label("Vendedor", exact=True).locator("option:checked")).to_have_text(
        "Rita Vendas"
    )
    expect(page.get_by_label("Nome/Razão social")).to_have_value("Distribuidora Alfa Ltda")

    page.get_by_role("button", name="Gravar Cliente").click()
    expect(page.get_by_text("Cliente gravado.")).to_be_visible()
    expect(page.get_by_label("Vendedor", exact=True).locator("option:checked")).to_have_text(
        "Rita Vendas"
    )

    open_tab(page, re.compile("Endereços"))
    _add_address(page, "padrao", "01310100", "Avenida Paulista", "1000")
    _add_address(page, "entrega", "04538133", "Rua Funchal", "200")
    expect(page.locator("#addresses tbody tr")).to_have_count(2)

    open_tab(page, re.compile("Contatos"))
    page.get_by_role("button", name="Adicionar Contato").click()
    expect(modal.get_by_label("Nome")).to_be_focused()
    modal.get_by_label("Nome").fill("Joana Compras")
    modal.get_by_label("Cargo / função").fill("Compradora")
    modal.get_by_label("Telefone", exact=True).press_sequentially("21934567890")
    modal.get_by_role("button", name="Gravar contato").click()
    expect(modal).to_be_hidden()
    page.get_by_role("button", name="Joana Compras").click()
    expect(page.locator("#contacts")).to_contain_text("(21) 93456-7890")

    open_tab(page, "Geral")
    page.get_by_role("button", name="Gravar Cliente").click()
    expect(page.get_by_text("Alterações gravadas.")).to_be_visible()
    page.screenshot(path=str(artifacts / "client_page.png"), full_page=True)

    page.get_by_role("link", name="← Clientes").click()
    page.get_by_label("Buscar").fill("11.222.333/0001-81")
    page.get_by_role("button", name="Buscar").click()
    rows = page.locator("#clients-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Distribuidora Alfa Ltda")
    expect(rows.first).to_contain_text("11.222.333/0001-81")
