"""Pedidos: the client's own orders, newest first in keyset pages; the order page and tabs."""

import html
import re

import pytest
from sqlalchemy import update

from portal import db
from portal.extension_points import OrderTab, add_storefront_order_tab
from portal.orders.models import Order
from portal.orders.validation import ItemInput


def _numbers(page_html: str) -> list[str]:
    return re.findall(r">#(\d{6})</a>", page_html)


@pytest.mark.config(CLIENTELA_STOREFRONT_PAGE_SIZE=3)
def test_orders_newest_first_in_keyset_pages(app, signed_in, make_order):
    browser, client = signed_in()
    ids = [make_order(client.id) for _ in range(7)]
    with app.app_context():  # two orders share a timestamp: the id breaks the tie
        created = db.session.get(Order, ids[3]).created_at
        db.session.execute(update(Order).where(Order.id == ids[4]).values(created_at=created))
        db.session.commit()
    seen, url = [], "/conta/pedidos"
    while url:
        page = browser.get(url)
        assert page.status_code == 200
        seen += _numbers(page.text)
        found = re.search(r'href="([^"]+)" rel="next"', page.text)
        url = html.unescape(found.group(1)) if found else None
    assert len(seen) == 7 and len(set(seen)) == 7
    with app.app_context():
        expected = [
            f"{o.number:06d}"
            for o in sorted(
                (db.session.get(Order, i) for i in ids),
                key=lambda o: (o.created_at, o.id),
                reverse=True,
            )
        ]
    assert seen == expected
    first = browser.get("/conta/pedidos").text
    assert "Pedido" in first and "Aguardando pagamento" in first and "R$" in first


def test_order_page_shows_items_totals_address_payment_history(app, signed_in, make_order):
    browser, client = signed_in()
    from portal.clients import addresses

    with app.app_context():
        address = addresses.add_address(
            client.id,
            addresses.AddressInput(
                "entrega",
                True,
                "01310-100",
                "Avenida Paulista",
                "1000",
                "Bela Vista",
                "São Paulo",
                "SP",
            ),
            None,
        )
        db.session.commit()
        address_id = address.id
    order_id = make_order(
        client.id,
        items=[
            ItemInput("CAF-500", "Café torrado 500 g", "2", "24.90"),
            ItemInput("ACU-1KG", "Açúcar cristal 1 kg", "3", "5.49", "0.50"),
        ],
        shipping="15.00",
        delivery_address_id=address_id,
    )
    page = html.unescape(browser.get(f"/conta/pedidos/{order_id}").text)
    for text in (
        "Café torrado 500 g",
        "Açúcar cristal 1 kg",
        "Avenida Paulista",
        "01310-100",
        "Aguardando pagamento",
    ):
        assert text in page
    with app.app_context():
        from portal.formatting import money

        order = db.session.get(Order, order_id)
        assert order.total == order.items_total - order.discount_total + order.shipping
        shown = {
            key: money(getattr(order, attr))
            for key, attr in (
                ("items-total", "items_total"),
                ("discount-total", "discount_total"),
                ("shipping", "shipping"),
                ("order-total", "total"),
            )
        }
        item_values = [money(i.total) for i in order.items]
    for key, value in shown.items():
        assert f'id="{key}">{value}<' in page
    for value in item_values:
        assert value in page
    assert "R$\xa015,00" in page


def test_registered_tab_shows_on_the_order_page(app, signed_in, make_order, tmp_path):
    add_storefront_order_tab(
        app,
        OrderTab(
            "entrega",  # "pagamento" is the boletos' own tab (portal/storefront/boletos.py)
            "Entrega",
            "clientela/storefront/test_tab.html",
            lambda order: {"number": order.number},
        ),
    )
    from jinja2 import ChoiceLoader, DictLoader

    app.jinja_loader = ChoiceLoader(
        [
            DictLoader({"clientela/storefront/test_tab.html": "Boleto do pedido {{ ctx.number }}"}),
            app.jinja_loader,
        ]
    )
    browser, client = signed_in()
    order_id = make_order(client.id)
    page = browser.get(f"/conta/pedidos/{order_id}").text
    with app.app_context():
        number = db.session.get(Order, order_id).number
    assert 'data-bs-target="#tab-entrega"' in page
    assert f"Boleto do pedido {number}" in page
