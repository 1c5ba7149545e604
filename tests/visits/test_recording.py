"""What a page view records, and what is never recorded."""

from datetime import timedelta

import pytest

from portal import db
from portal.clients import accounts
from portal.visits import rules
from tests.visits.conftest import GOOGLEBOT, IPHONE


def test_storefront_page_view_with_cookie_title_device_and_anonymised_ip(
    browser, flush, page_views
):
    response = browser.get("/conta/entrar?utm_source=newsletter&utm_campaign=natal")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("clientela_visitor=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Max-Age=31536000" in cookie and "Secure" not in cookie
    assert flush() == 1
    [view] = page_views()
    assert view.path == "/conta/entrar"
    assert (view.utm_source, view.utm_campaign) == ("newsletter", "natal")
    assert view.title and "Entrar" in view.title
    assert (view.browser, view.os, view.device) == ("Chrome 140", "Linux", "desktop")
    assert view.ip == "203.0.113.0"
    # the same visitor keeps its cookie: no new one
    again = browser.get("/conta/esqueci-minha-senha")
    assert "clientela_visitor" not in again.headers.get("Set-Cookie", "")
    flush()
    assert {v.visitor_id for v in page_views()} == {view.visitor_id}


def test_secure_cookie_over_https(browser):
    response = browser.get("/conta/entrar", base_url="https://loja.example")
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.config(CLIENTELA_VISITS_SECRET_PARAMS="cupom, ref_secreta")
def test_secrets_are_stripped_from_query_path_and_referrer(
    app, browser, account, flush, page_views
):
    browser.get(
        "/conta/entrar?next=/conta/pedidos&token=abc&senha=123&Password=x&cupom=NATAL10"
        "&ref_secreta=1&utm_medium=email&reset_token=zz",
        headers={"Referer": "https://busca.example/r?q=camisa&access_token=seg"},
    )
    client = account(email="reset@example.com")
    with app.app_context():
        token = accounts.link_token(db.session.merge(client), accounts.RESET)
    assert browser.get(f"/conta/nova-senha/{token}").status_code == 200
    flush()
    first, reset = page_views()
    assert first.query == "next=%2Fconta%2Fpedidos&utm_medium=email"
    assert first.referrer == "https://busca.example/r?q=camisa"
    assert reset.path == "/conta/nova-senha/[token]"
    assert token not in (reset.path + (reset.query or ""))


def test_rules_strip_token_like_segments_but_keep_slugs():
    assert rules.strip_path("/produtos/camiseta-azul-gg-2024") == "/produtos/camiseta-azul-gg-2024"
    assert rules.strip_path("/reset/eyJpZCI6MX0.ZxY3Ab.k9Q2xYzR8pL1mN4oP7qS") == "/reset/[token]"
    assert rules.strip_query("a=1&api_key=2&csrf_token=3&b=") == "a=1&b="


def test_ip_anonymisation():
    assert rules.anonymise_ip("203.0.113.77") == "203.0.113.0"
    assert rules.anonymise_ip("2001:db8:abcd:12:3456:789a:bcde:f012") == "2001:db8:abcd::"
    assert rules.anonymise_ip("::ffff:198.51.100.9") == "198.51.100.0"
    assert rules.anonymise_ip("fe80::1%eth0") == "fe80::"
    assert rules.anonymise_ip("não é ip") is None


def test_ipv6_visitor_is_stored_without_its_last_80_bits(browser, flush, page_views):
    browser.get("/conta/entrar", environ_base={"REMOTE_ADDR": "2001:db8:1:2:3:4:5:6"})
    flush()
    assert page_views()[0].ip == "2001:db8:1::"


@pytest.mark.parametrize("agent", [GOOGLEBOT, "", "curl/8.5.0"])
def test_bots_are_not_recorded_nor_given_a_cookie(app, flush, page_views, agent):
    bot = app.test_client()
    response = bot.get("/conta/entrar", headers={"User-Agent": agent})
    assert response.status_code == 200
    assert "clientela_visitor" not in response.headers.get("Set-Cookie", "")
    flush()
    assert page_views() == []


@pytest.mark.parametrize("header", [{"DNT": "1"}, {"Sec-GPC": "1"}])
def test_do_not_track_and_global_privacy_control_are_honoured(browser, flush, page_views, header):
    response = browser.get("/conta/entrar", headers=header)
    assert "clientela_visitor" not in response.headers.get("Set-Cookie", "")
    flush()
    assert page_views() == []


@pytest.mark.config(CLIENTELA_VISITS_HONOUR_DNT=False)
def test_dnt_recorded_when_the_shop_turns_that_off(browser, flush, page_views):
    browser.get("/conta/entrar", headers={"DNT": "1"})
    flush()
    assert len(page_views()) == 1


@pytest.mark.config(CLIENTELA_VISITS_TRACKING=False)
def test_tracking_off_records_nothing(browser, flush, page_views):
    response = browser.get("/conta/entrar")
    assert "clientela_visitor" not in response.headers.get("Set-Cookie", "")
    assert browser.get("/conta/v.gif?p=/catalogo").status_code == 200
    flush()
    assert page_views() == []


def test_back_office_api_static_head_post_and_redirects_are_not_recorded(
    app, browser, staff, api, flush, page_views
):
    assert browser.post("/admin/login", data={"email": "equipe@loja.example",
                        "password": "senha-forte-123"}).status_code == 302  # fmt: skip
    assert browser.get("/admin/clientes").status_code == 200
    assert api.get("/api/v1/order-types").status_code == 200
    assert browser.get("/clientela-static/vendor/htmx/htmx.min.js").status_code == 200
    assert browser.head("/conta/entrar").status_code == 200
    assert browser.options("/conta/entrar").status_code == 200
    assert browser.post("/conta/entrar", data={"email": "x@example.com"}).status_code == 401
    assert browser.get("/conta/pedidos").status_code == 302  # to the login: not a page
    assert browser.get("/conta/nada-aqui").status_code == 404
    flush()
    assert page_views() == []


def test_pixel_records_a_page_served_elsewhere(browser, flush, page_views, visits):
    response = browser.get(
        "/conta/v.gif",
        query_string={
            "p": "https://loja.example/catalogo/camisa?cor=azul&utm_campaign=inverno&token=x",
            "t": "Camisa azul",
            "r": "https://www.google.com/search?q=camisa",
        },
        headers={"User-Agent": IPHONE},
    )
    assert response.status_code == 200 and response.mimetype == "image/gif"
    assert response.headers["Cache-Control"] == "no-store"
    assert "clientela_visitor=" in response.headers["Set-Cookie"]
    flush()
    [view] = page_views()
    assert (view.path, view.query, view.title) == (
        "/catalogo/camisa",
        "cor=azul&utm_campaign=inverno",
        "Camisa azul",
    )
    assert view.device == "mobile" and view.os == "iOS 17"
    [visit] = visits()
    assert visit.source == "inverno"
    script = browser.get("/conta/v.js")
    assert script.mimetype == "text/javascript" and "v.gif" in script.text


def test_pixel_ignores_bots(app, flush, page_views):
    response = app.test_client().get("/conta/v.gif?p=/x", headers={"User-Agent": GOOGLEBOT})
    assert response.status_code == 200
    flush()
    assert page_views() == []


def test_host_pages_are_recorded_only_when_opted_in(app, flush, page_views):
    from flask import Blueprint

    from portal import clientela

    shop = Blueprint("loja", __name__)
    shop.add_url_rule("/produto", "produto", lambda: "<title>Produto</title><p>ok</p>")
    app.add_url_rule("/sobre", "sobre", lambda: "<title>Sobre</title>")
    app.register_blueprint(shop)
    clientela.track_pages(app, blueprints=["loja"])
    browser = app.test_client()
    browser.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 Firefox/130.0"
    browser.get("/produto")
    browser.get("/sobre")  # not opted in
    flush()
    assert [(v.path, v.title) for v in page_views()] == [("/produto", "Produto")]


def test_buffer_thread_writes_without_being_asked(app, browser, page_views):
    import time

    app.config["CLIENTELA_VISITS_FLUSH_SECONDS"] = 0.05
    browser.get("/conta/entrar")
    deadline = time.monotonic() + 5
    while not page_views() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(page_views()) == 1


def test_visit_gap_is_thirty_minutes():
    assert timedelta(minutes=30) == rules.VISIT_GAP
