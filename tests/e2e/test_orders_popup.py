"""Staff change an order's status in the cart popup and see the Pedidos tab follow."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import open_tab
from tests.orders import factories

# The order fixtures (seeded lists, make_order), shared with tests/orders and tests/api.
order_lists, lists, make_order = factories.order_lists, factories.lists, factories.make_order

pytestmark = pytest.mark.e2e


def test_staff_edit_the_status_in_the_popup_and_the_tab_changes(
    page: Page, live_server, make_client, make_order, artifacts
):
    client = make_client(name="Loja da Ana")
    make_order(client.id)

    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{live_server}/admin/clientes/{client.id}")

    open_tab(page, "Pedidos")
    row = page.locator('#orders tr[data-order="#000001"]')
    expect(row).to_contain_text("Aguardando pagamento")
    expect(row).to_contain_text("R$ 20,00")

    row.get_by_role("button", name="Editar o pedido #000001").click()
    modal = page.locator("#clientela-modal")
    expect(modal.get_by_role("heading", name=re.compile("Pedido #000001"))).to_be_visible()
    expect(
        modal.locator("label", has_text="Situação do Pedido").locator(".text-danger")
    ).to_have_text("*")
    modal.get_by_label("Situação do Pedido").select_option(label="Pago")
    modal.get_by_role("button", name="Adicionar item").click()
    new_row = modal.locator(".item-row").last
    new_row.get_by_label("Código").fill("SKU-9")
    new_row.get_by_label("Descrição").fill("Caneca")
    new_row.get_by_label("Preço unitário (R$)").fill("5,50")
    modal.get_by_role("button", name="Gravar pedido").click()

    expect(modal).to_be_hidden()
    expect(row).to_contain_text("Pago")
    expect(row).to_contain_text("R$ 25,50")
    expect(page.locator("#clientela-toast")).to_contain_text("Pedido gravado.")
    row.get_by_role("button", name="Itens do pedido #000001").click()
    items = page.locator("#order-items-1")
    expect(items).to_contain_text("Caneca")
    expect(items.locator(".order-total")).to_have_text("R$ 25,50")
    page.screenshot(path=str(artifacts / "orders_tab.png"), full_page=True)
