"""Clientela mounted in a host shop: its URL prefix, its templates winning, its users apart."""

import pytest
from flask import Flask
from flask_login import LoginManager, UserMixin, login_user
from flask_wtf.csrf import CSRFProtect

from portal import Clientela, db
from portal.staff.service import create_staff


class ShopUser(UserMixin):
    def __init__(self, user_id: str):
        self.id = user_id


@pytest.fixture
def shop(migrated, tmp_path):
    """A small host shop with its own login manager, templates and a customer logged in."""
    override = tmp_path / "templates" / "clientela" / "admin"
    override.mkdir(parents=True)
    (override / "login.html").write_text(
        '{% extends "clientela/admin/base.html" %}{% block content %}'
        "<p>Login da Loja do Zé</p>{{ form.csrf_token }}{% endblock %}"
    )
    host = Flask("shop", template_folder=str(tmp_path / "templates"))
    host.config.update(
        SECRET_KEY="shop", TESTING=True, DATABASE_URL=migrated, WTF_CSRF_ENABLED=False
    )
    login_manager = LoginManager(host)
    login_manager.user_loader(lambda user_id: ShopUser(user_id))

    @host.route("/")
    def home():
        return "Loja do Zé"

    @host.route("/entrar/<user_id>")
    def shop_login(user_id):
        login_user(ShopUser(user_id))
        return "ok"

    Clientela().init_app(host, admin_prefix="/backoffice/clientes")
    with host.app_context():
        create_staff("equipe@loja.example", "senha-forte-123")
        db.session.commit()
    yield host
    host.extensions["clientela"].engine.dispose()
    from tests.conftest import _empty_database

    _empty_database(migrated)


def test_back_office_lives_under_the_host_prefix(shop):
    http = shop.test_client()
    assert http.get("/").text == "Loja do Zé"
    assert http.get("/admin/login").status_code == 404
    response = http.post(
        "/backoffice/clientes/login",
        data={"email": "equipe@loja.example", "password": "senha-forte-123"},
    )
    assert response.headers["Location"] == "/backoffice/clientes/clientes"
    page = http.get("/backoffice/clientes/clientes")
    assert page.status_code == 200
    assert "/clientela-static/vendor/bootstrap/bootstrap.min.css" in page.text


def test_host_template_overrides_ours(shop):
    assert "Login da Loja do Zé" in shop.test_client().get("/backoffice/clientes/login").text


def test_a_shop_customer_session_never_opens_the_back_office(shop):
    http = shop.test_client()
    assert http.get("/entrar/1").text == "ok"  # flask-login user id "1", like our staff's id
    response = http.get("/backoffice/clientes/clientes")
    assert response.status_code == 302
    assert "/backoffice/clientes/login" in response.headers["Location"]


def test_staff_login_does_not_log_anybody_into_the_shop(shop):
    http = shop.test_client()
    http.post(
        "/backoffice/clientes/login",
        data={"email": "equipe@loja.example", "password": "senha-forte-123"},
    )
    with http.session_transaction() as session:
        assert "_user_id" not in session  # flask-login's key stays the shop's own


def _bare_host(migrated) -> Flask:
    host = Flask("shop")
    host.config.update(SECRET_KEY="shop", DATABASE_URL=migrated)

    @host.post("/newsletter")
    def newsletter():  # a shop form without a CSRF token
        return "inscrito"

    return host


@pytest.fixture
def shop_without_csrf(migrated):
    host = _bare_host(migrated)
    Clientela().init_app(host, admin_prefix="/backoffice/clientes")
    yield host
    host.extensions["clientela"].engine.dispose()


@pytest.fixture
def shop_with_csrf(migrated):
    host = _bare_host(migrated)
    host_csrf = CSRFProtect(host)
    Clientela().init_app(host, admin_prefix="/backoffice/clientes")
    yield host, host_csrf
    host.extensions["clientela"].engine.dispose()


def test_mounting_leaves_a_host_without_csrf_alone(shop_without_csrf):
    http = shop_without_csrf.test_client()
    assert http.post("/newsletter").text == "inscrito"
    assert "csrf" not in shop_without_csrf.extensions
    login = {"email": "equipe@loja.example", "password": "senha-forte-123"}
    assert http.post("/backoffice/clientes/login", data=login).status_code == 400
    assert http.post("/backoffice/clientes/logout").status_code == 400
    assert http.post("/api/v1/clients", json={}).status_code == 401  # key, not token
    assert http.get("/api/v1/docs").status_code == 200  # our pages still get csrf_token()


def test_a_host_csrfprotect_is_reused_and_our_api_stays_exempt(shop_with_csrf):
    host, host_csrf = shop_with_csrf
    assert host.extensions["csrf"] is host_csrf
    http = host.test_client()
    assert http.post("/newsletter").status_code == 400  # the host's own policy, untouched
    assert http.post("/backoffice/clientes/logout").status_code == 400
    assert http.post("/api/v1/clients", json={}).status_code == 401
    page = http.get("/backoffice/clientes/login")
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
