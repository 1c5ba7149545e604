"""The storefront in a host shop: its own flask-login users never become our clients (nor
the other way round), `portal.current_client` greets ours on the shop's pages, the prefix
moves, `storefront=False` leaves it out, and one template restyles every page."""

import pytest
from flask import Flask
from flask_login import LoginManager, UserMixin, current_user, login_user

from portal import Clientela, current_client
from tests.storefront.conftest import PASSWORD


class ShopUser(UserMixin):
    def __init__(self, user_id: str) -> None:
        self.id = user_id


def _shop(database_url: str, tmp_path, **options) -> Flask:
    shop = Flask("loja_teste", template_folder=str(tmp_path / "templates"))
    shop.config.update(
        SECRET_KEY="segredo-da-loja",
        DATABASE_URL=database_url,
        TESTING=True,
        WTF_CSRF_ENABLED=False,
        RATELIMIT_STORAGE_URI="memory://",
    )
    login = LoginManager(shop)
    login.user_loader(lambda user_id: ShopUser(user_id))

    @shop.route("/")
    def home():
        name = current_client.name if current_client else "visitante"
        user = current_user.id if current_user.is_authenticated else "-"
        return f"Olá, {name}! usuário da loja: {user}"

    @shop.route("/login-da-loja")
    def shop_login():
        login_user(ShopUser("7"))
        return "ok"

    Clientela().init_app(shop, **options)
    return shop


@pytest.fixture
def shop_factory(migrated, tmp_path, app):  # `app` empties the database afterwards
    made = []

    def make(**options):
        shop = _shop(migrated, tmp_path, **options)
        made.append(shop)
        return shop

    yield make
    for shop in made:
        shop.extensions["clientela"].engine.dispose()


def test_host_users_and_clients_never_share_a_session(shop_factory, account):
    client = account(email="cliente@example.com")
    shop = shop_factory(storefront_prefix="/minha-conta")
    browser = shop.test_client()
    assert browser.get("/login-da-loja").status_code == 200
    assert browser.get("/").text == "Olá, visitante! usuário da loja: 7"
    assert browser.get("/minha-conta/pedidos").status_code == 302  # a shop user is no client
    response = browser.post(
        "/minha-conta/entrar", data={"email": "cliente@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302 and response.location == "/minha-conta/pedidos"
    assert browser.get("/").text == f"Olá, {client.name}! usuário da loja: 7"
    browser.post("/minha-conta/sair")
    assert browser.get("/").text == "Olá, visitante! usuário da loja: 7"  # theirs stays

    other = shop.test_client()
    other.post("/minha-conta/entrar", data={"email": "cliente@example.com", "password": PASSWORD})
    assert other.get("/").text == f"Olá, {client.name}! usuário da loja: -"  # ours is not theirs


def test_storefront_false_leaves_it_out(shop_factory):
    shop = shop_factory(storefront=False)
    assert not any(r.endpoint.startswith("clientela_storefront") for r in shop.url_map.iter_rules())
    assert shop.test_client().get("/conta/entrar").status_code == 404
    assert shop.test_client().get("/").text.startswith("Olá, visitante")


def test_one_template_restyles_every_page(shop_factory, tmp_path, signed_in):
    folder = tmp_path / "templates" / "clientela" / "storefront"
    folder.mkdir(parents=True)
    (folder / "base.html").write_text(
        "<html><body><header>LOJA DA ESQUINA</header>{% block content %}{% endblock %}"
        "</body></html>"
    )
    shop = shop_factory()
    browser = shop.test_client()
    for url in ("/conta/entrar", "/conta/criar-conta", "/conta/esqueci-minha-senha"):
        page = browser.get(url).text
        assert "LOJA DA ESQUINA" in page and "navbar" not in page
