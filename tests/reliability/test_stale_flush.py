"""Item 9 of issue 14, without timing luck: this session read a row, another one saved it
meanwhile; the flush (an autoflush inside the service, or the explicit one) finds the version
moved. That is a StaleEdit (409, "someone else changed it"), never a 500. Both engines."""

import pytest

from portal import db
from portal.clients import addresses, contacts
from portal.clients import service as clients
from portal.clients.models import Address, Client, Contact
from portal.errors import StaleEdit
from portal.orders import service as orders
from portal.orders.models import Order


def _address_input(number: str) -> addresses.AddressInput:
    return addresses.AddressInput(
        kind="padrao", is_active=True, cep="01310-100", street="Av. Paulista", number=number,
        district="Bela Vista", city="São Paulo", uf="SP",
    )  # fmt: skip


@pytest.fixture
def address_id(app, make_client):
    client = make_client(name="Cliente do Endereço")
    with app.app_context():
        address = addresses.add_address(client.id, _address_input("1"), None)
        db.session.commit()
        return address.id


def _meanwhile(app, save):
    """`save` runs and commits in another session (another request), now."""
    with app.app_context():
        save()
        db.session.commit()


def test_address_saved_meanwhile(app, address_id):
    with app.app_context():
        db.session.get(Address, address_id)  # this request read version 1
        _meanwhile(app, lambda: addresses.update_address(address_id, _address_input("2"), 1, None))
        with pytest.raises(StaleEdit):
            addresses.update_address(address_id, _address_input("3"), 1, None)


def test_contact_saved_meanwhile(app, make_client):
    client = make_client(name="Cliente do Contato")
    with app.app_context():
        contact_id = contacts.add_contact(client.id, contacts.ContactInput(name="Ana"), None).id
        db.session.commit()
    with app.app_context():
        db.session.get(Contact, contact_id)
        _meanwhile(
            app,
            lambda: contacts.update_contact(contact_id, contacts.ContactInput(name="Bia"), 1, None),
        )
        with pytest.raises(StaleEdit):
            contacts.update_contact(contact_id, contacts.ContactInput(name="Cris"), 1, None)


def test_client_saved_meanwhile(app, make_client):
    client = make_client(name="Cliente Disputado")
    with app.app_context():
        db.session.get(Client, client.id)
        _meanwhile(
            app, lambda: clients.update(client.id, clients.ClientInput(name="Outro"), 1, None)
        )
        with pytest.raises(StaleEdit):
            clients.update(client.id, clients.ClientInput(name="Meu"), 1, None)


def test_order_status_changed_meanwhile(app, staff, lists, make_client, make_order):
    client = make_client(name="Cliente do Pedido")
    order_id = make_order(client.id)
    paid, waiting = lists["statuses"]["Pago"], lists["statuses"]["Aguardando pagamento"]
    actor = orders.Actor(label="loja")
    with app.app_context():
        db.session.get(Order, order_id)  # read with version 1
        _meanwhile(app, lambda: orders.change_status(order_id, paid, actor))
        with pytest.raises(StaleEdit):  # the version this request read is gone: told, not 500
            orders.change_status(order_id, waiting, actor, expected_version=1)
    with app.app_context():
        db.session.get(Order, order_id)
        _meanwhile(app, lambda: orders.change_status(order_id, waiting, actor))
        # No version sent: the change applies on top of what is stored now.
        assert orders.change_status(order_id, paid, actor).status_id == paid
        db.session.commit()
