"""Visit tracking end to end: a visitor browses three storefront pages anonymously in
Chromium, signs in; staff see those pages in the client's Visitas tab; after an API order
carrying the visitor id, the order's Visita tab shows them too."""

import time

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import func, select

from portal import db
from portal.visits.models import PageView
from tests.e2e.browser import open_tab
from tests.orders import factories
from tests.storefront import conftest as storefront

order_lists, lists, api_key = factories.order_lists, factories.lists, factories.api_key
account, PASSWORD = storefront.account, storefront.PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.config(CLIENTELA_VISITS_FLUSH_SECONDS=0.2)]

# A desktop Chrome: headless Chromium says "HeadlessChrome", which the bot list rightly skips.
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/140.0.0.0 Safari/537.36"
)
PAGES = ("/conta/entrar", "/conta/criar-conta", "/conta/esqueci-minha-senha")


def _wait_for_page_views(app, count: int, timeout: float = 10.0) -> None:
    """The buffer's thread writes within its interval (0.2 s here): wait for it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            if db.session.scalar(select(func.count(PageView.id))) >= count:
                return
        time.sleep(0.1)
    raise AssertionError(f"fewer than {count} page views written")


def test_staff_see_the_pages_a_client_saw_and_the_visit_of_an_order(
    app,
    browser: Browser,
    live_server,
    account,
    lists,
    api_key,
    artifacts,
):
    client = account(email="visitante@example.com", name="Vera Visitante")
    visitor_context = browser.new_context(user_agent=CHROME)
    visitor = visitor_context.new_page()
    for path in reversed(PAGES):  # ends on the login page
        visitor.goto(f"{live_server}{path}")
        expect(visitor.locator("h1")).to_be_visible()
    visitor.get_by_label("E-mail").fill("visitante@example.com")
    visitor.get_by_label("Senha").fill(PASSWORD)
    visitor.get_by_role("button", name="Entrar").click()
    expect(visitor).to_have_url(f"{live_server}/conta/pedidos")
    [cookie] = [c for c in visitor_context.cookies() if c["name"] == "clientela_visitor"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    _wait_for_page_views(app, 4)  # the three pages, then "Meus pedidos" after signing in

    staff = browser.new_context().new_page()
    staff.goto(f"{live_server}/admin/login")
    staff.get_by_label("E-mail").fill("equipe@loja.example")
    staff.get_by_label("Senha").fill("senha-forte-123")
    staff.get_by_role("button", name="Entrar").click()
    staff.goto(f"{live_server}/admin/clientes/{client.id}")
    open_tab(staff, "Visitas")
    panel = staff.locator("#tab-visitas")
    expect(panel.locator("#visits-chart svg")).to_be_visible()
    visit = panel.locator("details.visit").first
    visit.locator("summary").click()
    pages = visit.locator("ol.visit-pages li")
    expect(pages).to_have_count(4)
    for index, path in enumerate(reversed(PAGES)):
        expect(pages.nth(index)).to_contain_text(path)
    staff.wait_for_timeout(300)  # the tab's fade-in, for a readable screenshot
    staff.screenshot(path=str(artifacts / "visits-client-tab.png"), full_page=True)

    api = app.test_client()
    response = api.post(
        "/api/v1/orders",
        headers={"Authorization": f"Bearer {api_key}"},
        json={"client_id": client.id, "visitor_id": cookie["value"],
              "items": [{"code": "C1", "description": "Camisa", "quantity": 1,
                         "unit_price": "59.90"}]},
    )  # fmt: skip
    assert response.status_code == 201, response.json
    staff.reload()
    open_tab(staff, "Pedidos")
    staff.get_by_role("button", name="Editar o pedido #000001").click()
    visit_tab = staff.locator("#clientela-modal #order-tab-visita")
    expect(visit_tab).to_contain_text("Vera Visitante")
    ordered = visit_tab.locator("#order-visit-pages li")
    expect(ordered).to_have_count(4)
    for index, path in enumerate(reversed(PAGES)):
        expect(ordered.nth(index)).to_contain_text(path)
    visit_tab.screenshot(path=str(artifacts / "visits-order-tab.png"))
