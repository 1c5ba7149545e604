"""Entrar: one answer for every refusal, argon2id (bcrypt upgraded), throttling, sessions."""

import statistics
import time
import uuid

import pytest
import redis
from sqlalchemy import select

from portal import db
from portal.clients.models import Client, ClientStatus
from portal.extension_points import client_logged_in
from tests.storefront.conftest import PASSWORD, sign_in, with_db

REDIS_URL = "redis://127.0.0.1:6379/14"


def _error(response) -> str:
    body = response.text
    start = body.index('class="alert alert-danger"')
    return body[start : body.index("</div>", start)]


def test_every_refusal_says_the_same(app, http, account, smtp):
    account(email="ativo@example.com")
    account(
        email="inativo@example.com",
        status_id=with_db(
            app,
            lambda: db.session.scalar(
                select(ClientStatus.id).where(ClientStatus.name == "Inativo")
            ),
        ),
    )
    http.post(
        "/conta/criar-conta",
        data={
            "name": "Sem Confirmar",
            "email": "novo@example.com",
            "password": PASSWORD,
            "document": "111.444.777-35",
        },
    )
    answers = [
        sign_in(http, "ninguem@example.com"),
        sign_in(http, "ativo@example.com", "senha-errada-123"),
        sign_in(http, "novo@example.com"),
        sign_in(http, "inativo@example.com"),
    ]
    assert {r.status_code for r in answers} == {401}
    assert len({_error(r) for r in answers}) == 1
    assert "E-mail ou senha não aceitos" in _error(answers[0])
    assert sign_in(http, "ativo@example.com").status_code == 302


def test_unknown_email_costs_a_hash_check_too(http, account):
    account(email="ativo@example.com")

    def timed(email):
        started = time.perf_counter()
        sign_in(http, email, "senha-errada-123")
        return time.perf_counter() - started

    unknown = statistics.median(timed("ninguem@example.com") for _ in range(3))
    wrong = statistics.median(timed("ativo@example.com") for _ in range(3))
    assert 0.5 < unknown / wrong < 2.0


def test_old_bcrypt_hash_is_upgraded(app, http, account):
    import bcrypt

    client = account(email="antigo@example.com")

    def set_bcrypt():
        row = db.session.get(Client, client.id)
        row.password_hash = bcrypt.hashpw(b"senha-antiga-1", bcrypt.gensalt(4)).decode()

    with_db(app, set_bcrypt)
    assert sign_in(http, "antigo@example.com", "senha-antiga-1").status_code == 302
    with app.app_context():
        assert db.session.get(Client, client.id).password_hash.startswith("$argon2id$")


def test_signal_and_remember_me(app, account):
    client = account(email="lembrar@example.com")
    received = []
    client_logged_in.connect(
        lambda sender, client: received.append(client.id), sender=app, weak=False
    )
    browser = app.test_client()
    response = sign_in(browser, "lembrar@example.com", remember=True)
    assert "Expires=" in response.headers["Set-Cookie"]
    assert received == [client.id]
    other = app.test_client()
    assert "Expires=" not in sign_in(other, "lembrar@example.com").headers["Set-Cookie"]


@pytest.mark.config(CLIENTELA_LOGIN_LIMIT_ACCOUNT="3 per 15 minutes")
def test_account_throttled_after_failures(app, account):
    account(email="alvo@example.com")
    for n in range(3):  # three addresses, one account
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"10.0.0.{n}"
        assert sign_in(browser, "alvo@example.com", "errada-123456").status_code == 401
    browser = app.test_client()
    blocked = sign_in(browser, "alvo@example.com")  # even the right password waits
    assert blocked.status_code == 429
    assert "Muitas tentativas" in blocked.text


@pytest.mark.config(
    CLIENTELA_LOGIN_LIMIT_IP="3 per minute",
    RATELIMIT_STORAGE_URI=REDIS_URL,
    RATELIMIT_KEY_PREFIX=f"clientela-test-{uuid.uuid4().hex}",
)
def test_address_throttled_in_redis(app, http, account):
    account(email="a@example.com")
    server = redis.Redis.from_url(REDIS_URL)
    prefix = app.config["RATELIMIT_KEY_PREFIX"]
    try:
        for _ in range(3):
            assert sign_in(http, "x@example.com", "errada-123456").status_code == 401
        assert sign_in(http, "a@example.com").status_code == 429
        assert any(prefix in key.decode() for key in server.scan_iter("*"))
    finally:
        for key in server.scan_iter(f"*{prefix}*"):
            server.delete(key)


def test_password_change_logout_and_lost_access_end_sessions(app, account, admin_http):
    client = account(email="sessoes@example.com")
    first, second, third = app.test_client(), app.test_client(), app.test_client()
    for browser in (first, second, third):
        assert sign_in(browser, "sessoes@example.com").status_code == 302
        assert browser.get("/conta/pedidos").status_code == 200

    changed = first.post(
        "/conta/meus-dados/senha",
        data={"current_password": PASSWORD, "new_password": "outra-senha-boa-2"},
    )
    assert changed.status_code == 302
    assert first.get("/conta/pedidos").status_code == 200  # this browser stays in
    assert second.get("/conta/pedidos").status_code == 302  # the others are out
    assert third.get("/conta/pedidos").status_code == 302

    assert sign_in(second, "sessoes@example.com", "outra-senha-boa-2").status_code == 302
    first.post("/conta/sair")
    assert first.get("/conta/pedidos").status_code == 302
    assert second.get("/conta/pedidos").status_code == 302  # logout ends every session

    assert sign_in(third, "sessoes@example.com", "outra-senha-boa-2").status_code == 302
    inactive = with_db(
        app,
        lambda: db.session.scalar(select(ClientStatus.id).where(ClientStatus.name == "Inativo")),
    )
    edit = admin_http.get(f"/admin/clientes/{client.id}")
    assert edit.status_code == 200
    with app.app_context():
        row = db.session.get(Client, client.id)
        row.status_id = inactive
        db.session.commit()
        assert db.session.get(Client, client.id).session_token is None
    assert third.get("/conta/pedidos").status_code == 302


def test_staff_and_client_sessions_never_mix(app, http, account, staff):
    account(email="cliente@example.com")
    assert (
        http.post(
            "/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"}
        ).status_code
        == 302
    )
    assert http.get("/conta/pedidos").status_code == 302  # staff are not clients
    assert sign_in(http, "cliente@example.com").status_code == 302
    assert http.get("/conta/pedidos").status_code == 200
    shop = app.test_client()
    assert sign_in(shop, "cliente@example.com").status_code == 302
    assert shop.get("/admin/clientes").status_code == 302  # clients are not staff
    # Staff e-mail and password open no storefront account.
    assert sign_in(app.test_client(), "equipe@loja.example", "senha-forte-123").status_code == 401


def test_next_is_kept_on_this_site(app, account):
    account(email="n@example.com")
    browser = app.test_client()
    assert browser.get("/conta/meus-dados").location.startswith("/conta/entrar?next=")
    response = browser.post(
        "/conta/entrar?next=//evil.example/x",
        data={"email": "n@example.com", "password": PASSWORD},
    )
    assert response.location == "/conta/pedidos"


def test_a_status_losing_access_ends_its_clients_sessions(app, account, admin_http):
    """Set-based writes (a bulk status change, flipping the Situação's flag) end them too."""
    from portal.clients import bulk
    from portal.clients.models import Client as ClientModel

    client = account(email="lote@example.com")
    browser = app.test_client()
    assert sign_in(browser, "lote@example.com").status_code == 302
    with app.app_context():
        inactive = db.session.scalar(select(ClientStatus.id).where(ClientStatus.name == "Inativo"))
        active = db.session.scalar(select(ClientStatus.id).where(ClientStatus.name == "Ativo"))
        bulk.change_status(
            select(ClientModel.id).where(ClientModel.id == client.id), inactive, None
        )
        db.session.commit()
        assert db.session.get(ClientModel, client.id).session_token is None
        bulk.change_status(select(ClientModel.id).where(ClientModel.id == client.id), active, None)
        db.session.commit()
    # Access is back, but the session that was open stays ended: sign in again.
    assert browser.get("/conta/pedidos").status_code == 302
    assert sign_in(browser, "lote@example.com").status_code == 302
    assert browser.get("/conta/pedidos").status_code == 200


def test_a_nul_in_the_email_is_the_same_refusal_not_a_crash(http, account):
    # PostgreSQL text cannot hold NUL: querying with it was a 500 there.
    account(email="ativo@example.com")
    nul = sign_in(http, "ativo\x00@example.com")
    wrong = sign_in(http, "ativo@example.com", "errada-123456")
    assert nul.status_code == wrong.status_code == 401
    assert _error(nul) == _error(wrong)
