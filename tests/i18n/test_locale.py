"""Pages follow the locale: pt_BR by default, English msgids with BABEL_DEFAULT_LOCALE=en,
and our catalogue still answers for our pages inside a host with its own Babel."""

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask import Flask, render_template_string
from flask_babel import Babel
from wtforms.i18n import get_translations

from portal import Clientela, i18n
from portal.staff.service import create_staff


def test_python_strings_use_our_catalogue(app):
    with app.test_request_context():
        assert i18n._("Clients") == "Clientes"
        assert str(i18n._l("Sign in")) == "Entrar"
        assert i18n._("Revoked on %(date)s", date="01/02/2026") == "Revogada em 01/02/2026"


def test_login_page_is_portuguese_by_default(http):
    page = http.get("/admin/login").text
    assert '<html lang="pt-BR">' in page
    assert "Back office · Entrar" in page


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_login_page_in_english(http):
    page = http.get("/admin/login").text
    assert '<html lang="en">' in page
    assert "Back office · Sign in" in page
    assert "<title>Sign in · Clientela</title>" in page
    assert "Entrar" not in page


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_client_page_in_english(admin_http, make_client):
    client = make_client(name="Maria da Silva")
    page = admin_http.get(f"/admin/clientes/{client.id}").text
    for english in ("Save client", "Addresses", "Contacts", "More details", "Sign out"):
        assert english in page, english
    for portuguese in ("Gravar Cliente", "Endereços", "Mais detalhes", "Sair", "Configurações"):
        assert portuguese not in page, portuguese
    listing = admin_http.get("/admin/clientes").text
    assert "Add client" in listing and "Adicionar Cliente" not in listing


def _host_catalogue(tmp_path) -> str:
    """A shop's own pt_BR catalogue, translating one of our msgids its own way."""
    directory = tmp_path / "shop_translations"
    target = directory / "pt_BR" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shop = Catalog(locale="pt_BR")
    shop.add("Clients", "Fregueses")
    shop.add("Welcome", "Bem-vindo")
    with (target / "messages.mo").open("wb") as fileobj:
        write_mo(fileobj, shop)
    return str(directory)


def _shop(migrated, tmp_path, *, babel_first: bool, locale: str = "pt_BR") -> Flask:
    host = Flask("shop")
    host.config.update(
        SECRET_KEY="shop",
        TESTING=True,
        DATABASE_URL=migrated,
        WTF_CSRF_ENABLED=False,
        BABEL_DEFAULT_LOCALE=locale,
        BABEL_TRANSLATION_DIRECTORIES=_host_catalogue(tmp_path),
    )

    @host.route("/boas-vindas")
    def welcome():
        return render_template_string(
            "{{ _('Welcome') }} · {{ _('Clients') }} · {{ _('Sign out') }}"
        )

    if babel_first:
        Babel(host)
        Clientela(host)
    else:
        Clientela(host)
        Babel(host)
    return host


@pytest.fixture
def shops(migrated, tmp_path):
    made = []

    def make(**options):
        host = _shop(migrated, tmp_path, **options)
        made.append(host)
        with host.app_context():
            from portal import db

            create_staff("equipe@loja.example", "senha-forte-123")
            db.session.commit()
        return host

    yield make
    from tests.conftest import _empty_database

    for host in made:
        host.extensions["clientela"].engine.dispose()
    _empty_database(migrated)


@pytest.mark.parametrize("babel_first", [True, False])
def test_a_host_with_its_own_babel_keeps_its_words_and_ours(shops, babel_first):
    host = shops(babel_first=babel_first)
    http = host.test_client()
    # The host's own template: its catalogue first, ours for what it lacks.
    assert http.get("/boas-vindas").text == "Bem-vindo · Fregueses · Sair"
    # Our pages: our catalogue first, whatever the host calls "Clients".
    http.post("/admin/login", data={"email": "equipe@loja.example", "password": "senha-forte-123"})
    page = http.get("/admin/clientes").text
    assert "Adicionar Cliente" in page and ">Clientes</a>" in page
    assert "Fregueses" not in page


def test_the_host_locale_selector_decides(migrated, tmp_path):
    host = Flask("shop")
    host.config.update(SECRET_KEY="shop", TESTING=True, DATABASE_URL=migrated)
    Babel(host, locale_selector=lambda: "en")
    Clientela(host)
    page = host.test_client().get("/admin/login").text
    host.extensions["clientela"].engine.dispose()
    assert "Back office · Sign in" in page


def test_wtforms_own_messages_follow_the_locale_request_after_request(admin_http):
    """WTForms' built-in messages come from its catalogue, loaded once per process now."""
    english = "Not a valid integer value."
    portuguese = get_translations(["pt_BR"]).gettext(english)  # WTForms' own pt_BR text
    assert portuguese != english
    for _ in range(2):
        page = admin_http.get("/admin/clientes?visitou=abc").text
        assert portuguese in page and english not in page


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_wtforms_own_messages_in_english(admin_http):
    page = admin_http.get("/admin/clientes?visitou=abc").text
    assert "Not a valid integer value." in page
    assert "O valor inteiro" not in page
