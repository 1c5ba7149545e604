"""Esqueci minha senha, and staff's "Enviar acesso": signed, single-use, expiring links."""

import html
import time

import pytest
from sqlalchemy import select

from portal import db
from portal.clients.models import Client, ClientStatus
from tests.storefront.conftest import PASSWORD, link_in, sign_in, with_db


def test_forgot_password_by_email(app, http, account, smtp):
    client = account(email="esqueci@example.com")
    known = http.post("/conta/esqueci-minha-senha", data={"email": "Esqueci@example.com"})
    unknown = http.post("/conta/esqueci-minha-senha", data={"email": "ninguem@example.com"})
    assert known.status_code == unknown.status_code == 200
    assert html.unescape(known.text).replace("esqueci@", "X@") == html.unescape(
        unknown.text
    ).replace("ninguem@", "X@")
    [message] = smtp.inbox.messages
    assert message["To"] == "esqueci@example.com"
    assert "Escolha uma nova senha" in message["Subject"]
    link = link_in(smtp.inbox.text(message))
    assert link.startswith("/conta/nova-senha/")

    short = http.post(link, data={"password": "curta"})
    assert short.status_code == 422
    saved = http.post(link, data={"password": "nova-senha-boa-3"})
    assert saved.status_code == 302 and saved.location == "/conta/pedidos"
    assert http.get("/conta/pedidos").status_code == 200  # signed in
    assert http.get(link).status_code == 404  # used: the link no longer works
    assert sign_in(app.test_client(), client.email, PASSWORD).status_code == 401
    assert sign_in(app.test_client(), client.email, "nova-senha-boa-3").status_code == 302


def test_no_link_for_a_client_without_access(app, http, account, smtp):
    inactive = with_db(
        app,
        lambda: db.session.scalar(select(ClientStatus.id).where(ClientStatus.name == "Inativo")),
    )
    account(email="inativo@example.com", status_id=inactive)
    assert (
        http.post("/conta/esqueci-minha-senha", data={"email": "inativo@example.com"}).status_code
        == 200
    )
    assert smtp.inbox.messages == []


@pytest.mark.config(CLIENTELA_RESET_LINK_HOURS=0)
def test_reset_link_expires(http, account, smtp):
    account(email="expira@example.com")
    http.post("/conta/esqueci-minha-senha", data={"email": "expira@example.com"})
    link = link_in(smtp.inbox.text(smtp.inbox.messages[0]))
    time.sleep(1.1)
    assert http.get(link).status_code == 404


def test_staff_send_access_link(app, admin_http, make_client, smtp):
    client = make_client(name="Sem Senha", email="semsenha@example.com")
    page = admin_http.get(f"/admin/clientes/{client.id}").text
    assert "Enviar acesso" in page
    response = admin_http.post(f"/admin/clientes/{client.id}/enviar-acesso")
    assert response.status_code == 302
    assert "Link de acesso enviado para semsenha@example.com" in html.unescape(
        admin_http.get(response.location).text
    )
    [message] = smtp.inbox.to("semsenha@example.com")
    assert "Seu acesso" in message["Subject"]
    link = link_in(smtp.inbox.text(message))
    assert link.startswith("/conta/definir-senha/")
    browser = app.test_client()
    assert browser.post(link, data={"password": "minha-senha-1"}).status_code == 302
    assert browser.get("/conta/pedidos").status_code == 200
    with app.app_context():
        row = db.session.get(Client, client.id)
        assert row.group == "lead"  # now has credentials
    assert browser.post(link, data={"password": "outra-senha-1"}).status_code == 404
