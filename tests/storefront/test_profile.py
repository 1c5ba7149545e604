"""Meus dados: what the client may change (history "by the client"), password, addresses,
and the LGPD export."""

import json

from sqlalchemy import select

from portal import db
from portal.clients.models import Client, ClientChange
from tests.conftest import field_errors
from tests.storefront.conftest import PASSWORD, sign_in


def _version(app, client_id):
    with app.app_context():
        return db.session.get(Client, client_id).version


def test_client_edits_name_phones_and_consents_not_document_or_email(app, signed_in):
    browser, client = signed_in(document="529.982.247-25")
    assert browser.get("/conta/meus-dados").status_code == 200
    response = browser.post(
        "/conta/meus-dados",
        data={
            "name": "Nome Novo",
            "email_consent": "y",
            "phones-0-number": "(11) 98765-4321",
            "phones-0-kind": "Celular",
            "phones-0-consent_whatsapp": "y",
            "version": _version(app, client.id),
            "email": "roubado@example.com",
            "document": "111.444.777-35",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.get(Client, client.id)
        assert row.name == "Nome Novo" and row.email_consent
        assert [(p.number, p.consent_whatsapp, p.consent_sms) for p in row.phones] == [
            ("+5511987654321", True, False)
        ]
        assert row.email == client.email and row.document == "52998224725"
        change = db.session.scalars(
            select(ClientChange)
            .where(ClientChange.client_id == client.id)
            .order_by(ClientChange.id.desc())
        ).first()
        assert change.action == "storefront_updated" and change.staff_id is None


def test_history_shows_by_the_client_in_the_back_office(app, signed_in, admin_http):
    browser, client = signed_in()
    browser.post(
        "/conta/meus-dados",
        data={"name": "Outro Nome", "version": _version(app, client.id)},
    )
    page = admin_http.get(f"/admin/clientes/{client.id}").text
    assert "pelo cliente" in page


def test_bad_phone_is_shown_and_nothing_changes(app, signed_in):
    browser, client = signed_in()
    response = browser.post(
        "/conta/meus-dados",
        data={"name": "X Y", "phones-0-number": "123", "version": _version(app, client.id)},
    )
    assert response.status_code == 422
    assert field_errors(response.text)


def test_change_password_asks_the_current_one(app, signed_in):
    browser, client = signed_in()
    wrong = browser.post(
        "/conta/meus-dados/senha",
        data={"current_password": "nao-e-esta-1", "new_password": "nova-senha-boa-1"},
    )
    assert wrong.status_code == 422
    assert "A senha atual não confere." in field_errors(wrong.text)
    ok = browser.post(
        "/conta/meus-dados/senha",
        data={"current_password": PASSWORD, "new_password": "nova-senha-boa-1"},
    )
    assert ok.status_code == 302
    assert sign_in(app.test_client(), client.email, "nova-senha-boa-1").status_code == 302
    assert sign_in(app.test_client(), client.email, PASSWORD).status_code == 401


def test_addresses_add_edit_deactivate(app, signed_in):
    browser, client = signed_in()
    data = {
        "address-kind": "entrega",
        "address-is_active": "1",
        "address-cep": "01310-100",
        "address-street": "Avenida Paulista",
        "address-number": "1000",
        "address-district": "Bela Vista",
        "address-city": "São Paulo",
        "address-uf": "SP",
    }
    assert browser.post("/conta/meus-dados/enderecos/novo", data=data).status_code == 302
    with app.app_context():
        address = (
            db.session.scalars(select(Client).where(Client.id == client.id)).one().addresses[0]
        )
        address_id, version = address.id, address.version
    edited = browser.post(
        f"/conta/meus-dados/enderecos/{address_id}",
        data={**data, "address-number": "2000", "address-version": version},
    )
    assert edited.status_code == 302
    assert "Avenida Paulista, 2000" in browser.get("/conta/meus-dados").text
    assert browser.post(f"/conta/meus-dados/enderecos/{address_id}/desativar").status_code == 302
    assert "Avenida Paulista" not in browser.get("/conta/meus-dados").text
    with app.app_context():
        actions = db.session.scalars(
            select(ClientChange.action).where(ClientChange.client_id == client.id)
        ).all()
    assert actions.count("storefront_address_added") == 1
    assert actions.count("storefront_address_updated") == 2


def test_lgpd_export_holds_everything_but_secrets(app, signed_in, make_order):
    browser, client = signed_in(phones=[], email_consent=True)
    make_order(client.id)
    response = browser.get("/conta/meus-dados/exportar.json")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.data)
    assert data["client"]["email"] == client.email
    assert data["client"]["email_consent"] is True
    assert len(data["orders"]) == 1 and data["orders"][0]["items"][0]["description"] == "Camiseta"
    assert data["history"]
    text = response.data.decode()
    assert "argon2" not in text and "password_hash" not in text and "session_token" not in text
