"""Client use cases against the real database: what gets saved, refused, and recorded."""

import pytest
from sqlalchemy import select

from portal import db
from portal.clients import addresses, contacts, queries, service
from portal.clients.models import Client, ClientChange
from portal.clients.phones import PhoneInput
from portal.errors import InvalidInput, StaleEdit
from portal.lookups import service as lookups
from portal.security.passwords import verify_password

pytestmark = pytest.mark.usefixtures("ctx")


def test_new_client_gets_default_status_ativo_and_all_consents_off(make_client):
    client = make_client(phones=[PhoneInput("(11) 98765-4321")])
    assert client.status.name == "Ativo"
    assert client.status.grants_access
    assert client.email_consent is False
    phone = client.phones[0]
    assert (phone.consent_sms, phone.consent_whatsapp, phone.consent_viber) == (False,) * 3
    assert phone.number == "+5511987654321"


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(app, staff):
    data = service.ClientInput(
        name="   ", document="191", email="não-é-email", phones=[PhoneInput("12")]
    )
    with pytest.raises(InvalidInput) as error:
        service.register(data, staff)
    fields = {e.field for e in error.value.errors}
    assert fields == {"name", "document", "email", "phones-0-number"}
    db.session.rollback()
    assert db.session.scalar(select(Client)) is None


def test_duplicate_document_and_email_are_refused(make_client, staff):
    make_client(document="529.982.247-25", email="maria@example.com")
    data = service.ClientInput(name="Outra", document="52998224725", email="MARIA@example.com")
    with pytest.raises(InvalidInput) as error:
        service.register(data, staff)
    messages = {e.field: e.message for e in error.value.errors}
    assert "já está cadastrado" in messages["document"]
    assert "já é o e-mail principal" in messages["email"]


def test_password_is_stored_hashed_with_argon2_and_never_in_history(make_client):
    client = make_client(email="cli@example.com", password="segredo-123")
    assert client.password_hash.startswith("$argon2id$")
    assert verify_password("segredo-123", client.password_hash)[0]
    changes = db.session.scalars(select(ClientChange)).all()
    assert "segredo-123" not in str([c.changes for c in changes])
    assert client.password_hash not in str([c.changes for c in changes])


def test_empty_password_on_edit_keeps_the_current_one(make_client, staff):
    client = make_client(email="cli@example.com", password="segredo-123")
    old_hash = client.password_hash
    data = service.ClientInput(name="Novo nome", email="cli@example.com", password="")
    service.update(client.id, data, client.version, staff)
    db.session.commit()
    assert client.password_hash == old_hash
    assert client.name == "Novo nome"


def test_password_without_email_is_refused(app, staff):
    with pytest.raises(InvalidInput, match="E-mail principal"):
        service.register(service.ClientInput(name="Sem e-mail", password="segredo-123"), staff)


def test_exempt_indicator_clears_the_state_registration(make_client):
    client = make_client(ie_indicator="isento", state_registration="110042490114")
    assert client.state_registration is None


def test_stale_edit_is_refused(make_client, staff):
    client = make_client()
    opened_version = client.version
    service.update(client.id, service.ClientInput(name="Primeira"), opened_version, staff)
    db.session.commit()
    with pytest.raises(StaleEdit, match="alterado por outra pessoa"):
        service.update(client.id, service.ClientInput(name="Segunda"), opened_version, staff)
    db.session.rollback()
    assert db.session.get(Client, client.id).name == "Primeira"


def test_history_records_who_changed_what(make_client, staff):
    client = make_client(name="Antes", tags="vip")
    service.update(
        client.id, service.ClientInput(name="Depois", tags="vip, novo"), client.version, staff
    )
    db.session.commit()
    latest = queries.history_of(client.id)[0]
    assert latest.staff.email == staff.email
    assert {"field": "Nome/Razão social", "old": "Antes", "new": "Depois"} in latest.changes
    assert {"field": "Etiquetas", "old": "vip", "new": "vip, novo"} in latest.changes
    assert all(c["field"] not in {"Fornecedor", "Situação"} for c in latest.changes)


def _address(**overrides):
    values = dict(
        kind="padrao",
        is_active=True,
        cep="01310-100",
        street="Av. Paulista",
        number="1000",
        district="Bela Vista",
        city="São Paulo",
        uf="SP",
    )
    values.update(overrides)
    return addresses.AddressInput(**values)


def test_only_one_active_default_address(make_client, staff):
    client = make_client()
    addresses.add_address(client.id, _address(), staff)
    addresses.add_address(client.id, _address(kind="entrega"), staff)
    addresses.add_address(client.id, _address(is_active=False), staff)
    with pytest.raises(Exception, match="já tem um endereço padrão ativo"):
        addresses.add_address(client.id, _address(), staff)


def test_address_errors_name_each_field(make_client, staff):
    client = make_client()
    with pytest.raises(InvalidInput) as error:
        addresses.add_address(client.id, _address(cep="123", uf="ZZ", street=""), staff)
    assert {e.field for e in error.value.errors} == {"cep", "uf", "street"}


def test_contacts_keep_their_phones(make_client, staff):
    client = make_client()
    contact = contacts.add_contact(
        client.id,
        contacts.ContactInput(
            name="Joana",
            role="Compras",
            email="joana@example.com",
            phones=[PhoneInput("(21) 3456-7890", "Comercial")],
        ),
        staff,
    )
    db.session.commit()
    assert contact.phones[0].number == "+552134567890"
    assert client.contacts == [contact]


def test_inactive_lookup_cannot_be_newly_chosen(make_client, staff):
    kind = lookups.kind_named("vendedores")
    seller = lookups.save(kind, None, "Vendedor antigo", None, False)
    with pytest.raises(InvalidInput, match="Vendedor"):
        make_client(seller_id=seller.id)
