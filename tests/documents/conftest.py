"""Order-document fixtures: a client with CPF, e-mail, phone and address, and orders of any
size for them, saved through the services as staff save them."""

import pytest

from portal import db
from portal.orders.rules import MAX_ITEMS
from tests.orders.factories import lists, make_order, order_lists  # noqa: F401


@pytest.fixture(autouse=True)
def document_cache(app, tmp_path):
    """Each test its own disk cache and an empty in-process one."""
    from portal.documents import service

    app.config["CLIENTELA_DOCUMENT_CACHE_DIR"] = str(tmp_path / "documents")
    service.clear_memory_cache()
    service.stats.clear()
    yield tmp_path / "documents"
    service.clear_memory_cache()


@pytest.fixture
def buyer(app, make_client):
    """A client as the document shows it: CPF, e-mail, phone and a delivery address."""
    from portal.clients.addresses import AddressInput, add_address
    from portal.clients.phones import PhoneInput

    client = make_client(
        name="Maria da Silva",
        document="529.982.247-25",
        email="maria@cliente.example",
        phones=[PhoneInput(number="11987654321")],
    )
    with app.app_context():
        address = add_address(
            client.id,
            AddressInput(
                kind="padrao",
                is_active=True,
                cep="01310-100",
                street="Avenida Paulista",
                number="1000",
                district="Bela Vista",
                city="São Paulo",
                uf="SP",
                complement="Sala 5",
            ),
            None,
        )
        db.session.commit()
        return {"id": client.id, "address_id": address.id}


@pytest.fixture
def payment(app):
    """{"method": id, "term": id}: Boleto, 30 dias."""
    from portal.lookups import service as lookups

    with app.app_context():
        method = lookups.save(lookups.KINDS["formas-pagamento"], None, "Boleto", None, True)
        term = lookups.save(lookups.KINDS["prazos-pagamento"], None, "30 dias", "30", True)
        db.session.commit()
        return {"method": method.id, "term": term.id}


def items(count: int, description=None):
    from portal.orders.validation import ItemInput

    return [
        ItemInput(
            f"SKU-{n:04d}",
            description(n) if description else f"Produto número {n}",
            "2",
            "617.28",
            "0.00",
        )
        for n in range(1, count + 1)
    ]


@pytest.fixture
def order_of(app, make_order, buyer, payment):  # noqa: F811
    """Factory: an order of `count` items for `buyer` (2 x R$ 617,28 each), R$ 10,00 shipping."""

    def make(count: int = 3, description=None, status: str = "Pago") -> int:
        lines = items(count, description)
        order_id = make_order(
            buyer["id"],
            status=status,
            items=lines[:MAX_ITEMS],
            shipping="10.00",
            delivery_address_id=buyer["address_id"],
            payment_method_id=payment["method"],
            payment_term_id=payment["term"],
        )
        if count > MAX_ITEMS:
            append_items(app, order_id, lines[MAX_ITEMS:])
        return order_id

    return make


def append_items(app, order_id: int, lines) -> None:
    """Lines past the order form's limit (rules.MAX_ITEMS, 200): documents must lay out any
    order, e.g. one imported when the limit was higher. Totals kept consistent."""
    from decimal import Decimal

    from portal.orders import rules
    from portal.orders.models import Order, OrderItem

    with app.app_context():
        order = db.session.get(Order, order_id)
        position = len(order.items)
        for line in lines:
            quantity, price = Decimal(line.quantity), Decimal(line.unit_price)
            total = rules.line_total(quantity, price, Decimal("0.00"))
            position += 1
            order.items.append(
                OrderItem(
                    position=position,
                    code=line.code,
                    description=line.description,
                    quantity=quantity,
                    unit_price=price,
                    discount=Decimal("0.00"),
                    total=total,
                )
            )
            order.items_total += total
            order.total += total
        order.item_count = len(order.items)
        db.session.commit()


@pytest.fixture
def load(app):
    """load(order_id) -> the Order as the services load it (call inside app.app_context())."""
    from portal.orders import queries

    return queries.load_order


def pdf_pages(body: bytes) -> list[str]:
    """The text of each page, as pdftotext (poppler-utils) reads it; no-break spaces as spaces."""
    import subprocess

    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=body,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    pages = text.replace("\xa0", " ").split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages
