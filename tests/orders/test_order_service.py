"""Order use cases against the real database: totals, numbers, history, lead -> client."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from portal import db
from portal.clients import addresses
from portal.clients import service as clients
from portal.clients.models import Client
from portal.errors import DomainError, InvalidInput, StaleEdit
from portal.orders import queries, rules, service
from portal.orders.models import Order, OrderCounter
from portal.orders.validation import ItemInput, OrderInput

pytestmark = pytest.mark.usefixtures("ctx")


def _input(lists, status="Aguardando pagamento", items=None, **kw):
    return OrderInput(
        type_id=kw.pop("type_id", lists["types"]["Pedido"]),
        status_id=lists["statuses"][status],
        items=items
        if items is not None
        else [
            ItemInput("SKU-1", "Camiseta", "2", "19,90", "1,00"),
            ItemInput("SKU-2", "Boné", Decimal("1"), "R$ 1.234,56"),
        ],
        **kw,
    )


def _actor(staff):
    from portal.staff.models import StaffUser

    return service.Actor.of_staff(db.session.get(StaffUser, staff.id))


def test_totals_are_exact_decimals_and_numbers_are_sequential(make_client, staff, lists):
    client = make_client()
    first = service.create_order(client.id, _input(lists, shipping="15.00"), _actor(staff))
    second = service.create_order(client.id, _input(lists), _actor(staff))
    db.session.commit()
    db.session.expire_all()
    order = db.session.get(Order, first.id)
    assert [i.total for i in order.items] == [Decimal("38.80"), Decimal("1234.56")]
    assert order.items_total == Decimal("1274.36")
    assert order.discount_total == Decimal("1.00")
    assert order.total == Decimal("1288.36")  # 1274.36 - 1.00 + 15.00
    assert isinstance(order.total, Decimal)
    assert order.item_count == 2
    assert (order.number, db.session.get(Order, second.id).number) == (1, 2)
    assert order.display_number == "#000001"


def test_every_bad_item_field_is_reported_and_nothing_is_saved(make_client, staff, lists):
    client = make_client()
    items = [
        ItemInput("", "Camiseta", "0", "abc"),
        ItemInput("SKU-2", "Boné", "1", "10,001"),
        ItemInput("SKU-3", "Meia", "1", "5.00", "6.00"),
    ]
    with pytest.raises(InvalidInput) as error:
        service.create_order(client.id, _input(lists, items=items, type_id=None), _actor(staff))
    messages = {e.field: e.message for e in error.value.errors}
    assert set(messages) == {
        "type_id",
        "items-0-code",
        "items-0-quantity",
        "items-0-unit_price",
        "items-1-unit_price",
        "items-2-discount",
    }
    assert messages["items-1-unit_price"] == (
        "Preço unitário: use no máximo 2 casas decimais (centavos)."
    )
    assert "desconto não pode ser maior" in messages["items-2-discount"]
    db.session.rollback()
    assert db.session.scalar(select(Order)) is None


def test_an_order_needs_items_and_a_float_is_refused(make_client, staff, lists):
    client = make_client()
    with pytest.raises(InvalidInput) as error:
        service.create_order(client.id, _input(lists, items=[]), _actor(staff))
    assert error.value.errors[0].field == "items"
    with pytest.raises(Exception, match="texto"):
        rules.money(0.1, "x", "Frete")


def test_payment_and_address_default_to_the_clients(make_client, staff, lists):
    from portal.lookups import service as lookups

    method = lookups.save(lookups.KINDS["formas-pagamento"], None, "Pix", None, True)
    term = lookups.save(lookups.KINDS["prazos-pagamento"], None, "30 dias", "30", True)
    client = make_client(payment_method_id=method.id, payment_term_id=term.id)
    address = addresses.add_address(
        client.id,
        addresses.AddressInput("padrao", True, "01310-100", "Av. Paulista", "1000", "Bela Vista",
                               "São Paulo", "SP"),
        staff,
    )  # fmt: skip
    order = service.create_order(client.id, _input(lists), _actor(staff))
    assert (order.payment_method_id, order.payment_term_id) == (method.id, term.id)
    assert order.delivery_address_id == address.id


def test_a_new_order_starts_with_the_first_active_lists_and_the_clients_choices(
    make_client, staff, lists
):
    from portal.lookups import service as lookups

    method = lookups.save(lookups.KINDS["formas-pagamento"], None, "Boleto", None, True)
    client = make_client(payment_method_id=method.id)
    assert service.defaults_for_new_order(client).delivery_address_id is None

    def address(kind: str, is_active: bool, street: str):
        data = addresses.AddressInput(
            kind, is_active, "01310-100", street, "1", "Centro", "Santos", "SP"
        )
        return addresses.add_address(client.id, data, staff)

    address("padrao", False, "Rua A")
    delivery = address("entrega", True, "Rua B")
    defaults = service.defaults_for_new_order(client)
    assert defaults.type_id == queries.order_types(active_only=True)[0].id
    assert defaults.status_id == queries.order_statuses(active_only=True)[0].id
    assert (defaults.payment_method_id, defaults.payment_term_id) == (method.id, None)
    assert defaults.delivery_address_id == delivery.id  # the only active one
    default = address("padrao", True, "Rua C")
    assert service.defaults_for_new_order(client).delivery_address_id == default.id


def test_delivery_address_must_be_an_active_address_of_this_client(make_client, staff, lists):
    other = make_client()
    address = addresses.add_address(
        other.id,
        addresses.AddressInput("padrao", True, "01310-100", "Rua A", "1", "Centro", "Santos", "SP"),
        staff,
    )
    client = make_client()
    with pytest.raises(InvalidInput) as error:
        service.create_order(
            client.id, _input(lists, delivery_address_id=address.id), _actor(staff)
        )
    assert error.value.errors[0].field == "delivery_address_id"


def test_status_history_and_lead_becomes_client_on_first_purchase(make_client, staff, lists):
    client = make_client()
    order = service.create_order(client.id, _input(lists), _actor(staff))
    db.session.commit()
    assert db.session.get(Client, client.id).first_purchase_at is None  # still a lead

    service.change_status(order.id, lists["statuses"]["Pago"], _actor(staff))
    db.session.commit()
    paid_at = db.session.get(Client, client.id).first_purchase_at
    assert paid_at is not None

    service.change_status(order.id, lists["statuses"]["Enviado"], _actor(staff))
    db.session.commit()
    loaded = queries.load_order(order.id)
    history = [(c.from_status and c.from_status.name, c.to_status.name, c.actor_label)
               for c in loaded.status_changes]  # fmt: skip
    assert history == [
        (None, "Aguardando pagamento", "Equipe"),
        ("Aguardando pagamento", "Pago", "Equipe"),
        ("Pago", "Enviado", "Equipe"),
    ]
    assert db.session.get(Client, client.id).first_purchase_at == paid_at


def test_order_created_as_paid_records_the_purchase_once(make_client, staff, lists, monkeypatch):
    calls = []
    monkeypatch.setattr(clients, "record_purchase", lambda cid, at: calls.append(cid))
    client = make_client()
    order = service.create_order(client.id, _input(lists, status="Pago"), _actor(staff))
    service.change_status(order.id, lists["statuses"]["Em separação"], _actor(staff))
    assert calls == [client.id]  # Pago -> Em separação both count: no second purchase


def test_a_stale_edit_is_refused(make_client, staff, lists):
    client = make_client()
    order = service.create_order(client.id, _input(lists), _actor(staff))
    db.session.commit()
    version = order.version
    service.change_status(order.id, lists["statuses"]["Pago"], _actor(staff))
    db.session.commit()
    with pytest.raises(StaleEdit):
        service.update_order(order.id, _input(lists, status="Cancelado"), version, _actor(staff))


def test_the_counter_is_rebuilt_when_missing(make_client, staff, lists):
    client = make_client()
    service.create_order(client.id, _input(lists), _actor(staff))
    db.session.execute(OrderCounter.__table__.delete())
    assert service.next_number() == 2


def test_money_rules_accept_brazilian_and_plain_forms():
    assert rules.money("R$ 1.234,56", "f", "Frete") == Decimal("1234.56")
    assert rules.money("1234.5", "f", "Frete") == Decimal("1234.50")
    assert rules.money(None, "f", "Frete") == Decimal("0.00")
    assert rules.quantity("1,5", "q") == Decimal("1.500")
    assert rules.format_number(123) == "#000123"
    assert rules.parse_number("#000123") == 123


def test_a_batch_is_checked_whole_before_anything_is_written(make_client, staff, lists):
    client = make_client()
    good, bad = _input(lists), _input(lists, items=[ItemInput("A", "B", "1", "-1")])
    with pytest.raises(InvalidInput) as error:
        service.create_orders([(client.id, good), (client.id, bad)], _actor(staff))
    assert [e.field for e in error.value.errors] == ["orders-1-items-0-unit_price"]
    assert db.session.scalar(select(Order)) is None
    too_many = [(client.id, _input(lists))] * (service.MAX_BATCH + 1)
    with pytest.raises(DomainError, match="por lote"):
        service.create_orders(too_many, _actor(staff))
    created = service.create_orders([(client.id, _input(lists))] * 2, _actor(staff))
    assert [o.number for o in created] == [1, 2]
    assert service.next_number() == 3
