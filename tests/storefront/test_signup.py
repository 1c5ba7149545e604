"""Criar conta: validation like the back office, no enumeration, confirmation by e-mail."""

import html

import pytest
from sqlalchemy import func, select

from portal import db
from portal.clients import relationship
from portal.clients.models import Client, ClientChange, ClientStatus
from tests.conftest import field_errors
from tests.storefront.conftest import link_in, sign_in, signup_data


def _notice(response) -> str:
    body = html.unescape(response.text)
    return body[body.index("<h1") : body.index("Ir para o login")]


def test_signup_confirm_then_sign_in(app, http, smtp):
    response = http.post("/conta/criar-conta", data=signup_data(email="Fernanda@Example.com"))
    assert response.status_code == 200
    assert "Enviamos um link de confirmação para fernanda@example.com" in html.unescape(
        response.text
    )
    [message] = smtp.inbox.to("fernanda@example.com")
    assert "Confirme seu e-mail" in message["Subject"]
    text, body = smtp.inbox.text(message), smtp.inbox.html(message)
    assert "Olá, Fernanda Lima!" in text and "Olá, Fernanda Lima!" in body
    link = link_in(text)
    assert link.startswith("/conta/confirmar/")

    # Before confirming: the same refusal as a wrong password.
    refused = sign_in(http, "fernanda@example.com", "uma-senha-boa-9")
    assert refused.status_code == 401

    confirmed = http.get(link)
    assert confirmed.status_code == 302
    assert "confirmado" in html.unescape(http.get(confirmed.location).text)
    assert http.get(link).status_code == 404  # single use

    response = sign_in(http, "fernanda@example.com", "uma-senha-boa-9")
    assert response.status_code == 302
    assert http.get("/conta/pedidos").status_code == 200

    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.email == "fernanda@example.com"))
        assert client.group == "lead" and client.origin == "storefront"
        assert client.kind == "PF" and client.document == "52998224725"
        assert [p.consent_sms for p in client.phones] == [False]
        assert client.email_consent is False
        assert relationship.counts(db.session)["lead"] == 1
        actions = db.session.scalars(
            select(ClientChange.action).where(ClientChange.client_id == client.id)
        ).all()
        assert actions[0] == "storefront_signup"


def test_signup_errors_like_the_back_office(http, smtp):
    response = http.post(
        "/conta/criar-conta",
        data=signup_data(document="111.111.111-11", password="curta", name="<b>x</b>"),
    )
    assert response.status_code == 422
    errors = " ".join(field_errors(response.text))
    assert "CPF" in errors and "senha" in errors
    assert smtp.inbox.messages == []


def test_duplicate_answers_the_same_and_tells_the_owner(app, http, smtp, make_client):
    make_client(name="Dona Original", email="dona@example.com", document="529.982.247-25")
    fresh = http.post(
        "/conta/criar-conta", data=signup_data(email="novo@example.com", document="111.444.777-35")
    )
    same_email = http.post(
        "/conta/criar-conta",
        data=signup_data(email="dona@example.com", document="") | {"document": "390.533.447-05"},
    )
    same_document = http.post("/conta/criar-conta", data=signup_data(email="outro@example.com"))
    for response, email in (
        (fresh, "novo@example.com"),
        (same_email, "dona@example.com"),
        (same_document, "outro@example.com"),
    ):
        assert response.status_code == 200
        assert _notice(response) == _notice(fresh).replace("novo@example.com", email)
    owner_messages = smtp.inbox.to("dona@example.com")
    assert len(owner_messages) == 2
    assert "Alguém tentou criar" in owner_messages[0]["Subject"]
    assert smtp.inbox.to("outro@example.com") == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Client)) == 2


def test_default_status_without_access_says_awaiting_approval(app, http, smtp):
    with app.app_context():
        for status in db.session.scalars(select(ClientStatus)):
            status.is_default = status.name == "Em análise"
        db.session.commit()
    response = http.post("/conta/criar-conta", data=signup_data())
    assert "aguardará a aprovação da loja" in html.unescape(response.text)
    link = link_in(smtp.inbox.text(smtp.inbox.messages[0]))
    confirmed = http.get(link)
    assert "aguarda a aprovação" in html.unescape(confirmed.text)
    assert sign_in(http, "fernanda@example.com", "uma-senha-boa-9").status_code == 401
    with app.app_context():
        client = db.session.scalar(select(Client))
        assert client.status.name == "Em análise" and client.group == "inactive"


@pytest.mark.config(CLIENTELA_CONFIRM_LINK_HOURS=0)
def test_confirmation_link_expires(http, smtp):
    import time

    http.post("/conta/criar-conta", data=signup_data())
    link = link_in(smtp.inbox.text(smtp.inbox.messages[0]))
    time.sleep(1.1)
    assert http.get(link).status_code == 404
    assert http.get(link[:-3] + "abc").status_code == 404
