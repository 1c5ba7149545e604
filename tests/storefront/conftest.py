"""Storefront fixtures: a real SMTP server, client accounts, sign-in, orders."""

import re
from urllib.parse import urlparse

import pytest

from portal import db
from tests.mail.smtp_server import SmtpServer
from tests.orders.factories import lists, make_order, order_lists  # noqa: F401

PASSWORD = "senha-do-cliente-1"


@pytest.fixture
def smtp(app):
    """aiosmtpd on loopback, configured as the app's MAIL_SERVER."""
    with SmtpServer() as server:
        server.configure(app)
        yield server


@pytest.fixture
def account(make_client):
    """Factory: a client who may sign in (made by staff, Situação Ativo), with a password."""
    counter = {"n": 0}

    def make(email: str | None = None, **overrides):
        counter["n"] += 1
        email = email or f"cliente{counter['n']}@example.com"
        return make_client(email=email, password=PASSWORD, **overrides)

    return make


def sign_in(http, email: str, password: str = PASSWORD, remember: bool = False):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return http.post("/conta/entrar", data=data)


@pytest.fixture
def signed_in(app, account):
    """Factory: (test client, client) already signed in to the storefront."""

    def make(**overrides):
        client = account(**overrides)
        browser = app.test_client()
        response = sign_in(browser, client.email)
        assert response.status_code == 302, response.text
        return browser, client

    return make


def link_in(text: str) -> str:
    """The path of the first link of ours in an e-mail body."""
    url = re.search(r"https?://\S+/conta/\S+", text).group(0)
    return urlparse(url).path


def signup_data(**overrides) -> dict:
    data = {
        "name": "Fernanda Lima",
        "email": "fernanda@example.com",
        "password": "uma-senha-boa-9",
        "document": "529.982.247-25",
        "phone": "(11) 98765-4321",
    }
    data.update(overrides)
    return data


def with_db(app, fn):
    with app.app_context():
        result = fn()
        db.session.commit()
        return result
