"""A visitor's page views become the client's at login, at signup and with an API order."""

import html

import pytest
from sqlalchemy import select

from portal import db
from portal.clients.models import Client
from portal.visits.models import Visitor
from tests.storefront.conftest import PASSWORD, sign_in, signup_data

ITEM = {"code": "C1", "description": "Camisa", "quantity": 1, "unit_price": "50"}
PAGES = ("/conta/entrar", "/conta/criar-conta", "/conta/esqueci-minha-senha")


def _browse(browser, pages=PAGES):
    for path in pages:
        assert browser.get(path).status_code == 200


@pytest.mark.parametrize("flush_first", [True, False], ids=["written", "still-buffered"])
def test_login_links_earlier_page_views(app, browser, account, flush, page_views, visits,
                                        flush_first):  # fmt: skip
    client = account(email="maria@example.com")
    _browse(browser)
    if flush_first:
        flush()
    assert sign_in(browser, "maria@example.com", PASSWORD).status_code == 302
    assert browser.get("/conta/pedidos").status_code == 200  # signed in: carries client_id
    flush()
    views = page_views()
    assert [v.path for v in views] == [*PAGES, "/conta/pedidos"]
    assert {v.client_id for v in views} == {client.id}
    [visit] = visits()
    assert (visit.client_id, visit.pages) == (client.id, 4)
    with app.app_context():
        assert db.session.get(Client, client.id).last_visit_at == views[-1].at


def test_signup_links_the_visitor_to_the_new_client(app, browser, smtp, flush, visits):
    _browse(browser, ("/conta/entrar", "/conta/criar-conta"))
    flush()
    response = browser.post("/conta/criar-conta", data=signup_data(email="nova@example.com"))
    assert response.status_code == 200, html.unescape(response.text)
    with app.app_context():
        client = db.session.scalar(select(Client).where(Client.email == "nova@example.com"))
        [link] = db.session.scalars(select(Visitor)).all()
        assert link.client_id == client.id
        assert client.last_visit_at is not None
    assert {v.client_id for v in visits()} == {client.id}


def test_api_order_with_visitor_id_links_and_shows_the_visit(
    app, browser, api, lists, make_client, flush, visits, admin_http
):
    client = make_client(name="Joana Compradora")
    _browse(browser)
    flush()
    visitor = browser.get_cookie("clientela_visitor").value
    body = {"client_id": client.id, "visitor_id": visitor, "items": [ITEM]}
    response = api.post("/api/v1/orders", json=body)
    assert response.status_code == 201, response.json
    order_id = response.json["id"]
    [visit] = visits()
    assert (visit.client_id, visit.order_id) == (client.id, order_id)
    page = admin_http.get(f"/admin/clientes/{client.id}/pedidos/{order_id}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    tab = text[text.index('id="order-tab-visita"') :]
    assert [p in tab for p in PAGES] == [True, True, True]
    assert "Joana Compradora" in tab


def test_api_refuses_a_malformed_visitor_id(api, make_client, lists):
    client = make_client()
    body = {"client_id": client.id, "visitor_id": "../../etc", "items": [ITEM]}
    response = api.post("/api/v1/orders", json=body)
    assert response.status_code == 422
    [error] = response.json["errors"]
    assert error["field"].endswith("visitor_id")
    assert "32" in error["message"] and "cookie" in error["message"]


def test_openapi_documents_visitor_id(http):
    spec = http.get("/api/v1/openapi.json").json
    schema = spec["components"]["schemas"]["OrderInput"]["properties"]["visitor_id"]
    assert "clientela_visitor" in str(schema)
