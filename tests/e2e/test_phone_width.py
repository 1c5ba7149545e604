"""Issue 14 (13): at a phone's width (390 x 844) no back-office page scrolls sideways: tables
scroll inside their box, order items stack, the quantity box shows "1,5".

Every GET route of the `clientela_admin` blueprint is opened (from the URL map, with real
ids from a seeded client and order); popups are opened in the page's modal, the client
page's tabs are each shown."""

import re

import pytest
from playwright.sync_api import Page, expect

from portal import db
from portal.lookups import service as lookups
from portal.orders import lists as order_lists_module
from tests.e2e.browser import open_tab
from tests.orders import factories

order_lists, lists, make_order = factories.order_lists, factories.lists, factories.make_order

pytestmark = pytest.mark.e2e

WIDTH = 390
WIDE = "document.documentElement.scrollWidth"


@pytest.fixture
def seeded(app, make_client, make_order):
    """A client with an address, a contact and a long order; a status, a lookup, an API key."""
    from portal.api.keys import create_key
    from portal.clients import addresses, contacts
    from portal.clients.addresses import AddressInput
    from portal.clients.contacts import ContactInput
    from portal.clients.models import ADDRESS_DEFAULT, ClientStatus
    from portal.jobs import service as jobs
    from portal.orders.validation import ItemInput
    from portal.staff.models import StaffUser

    client = make_client(
        name="Comercial de Parafusos e Ferramentas Industriais do Vale do Paraíba Ltda",
        kind="PJ",
        document="12.ABC.345/01DE-35",
        email="compras.departamento.suprimentos@parafusos-do-vale.example.com.br",
        notes="Cliente antigo. " * 40,
    )
    with app.app_context():
        staff = db.session.scalars(db.select(StaffUser)).first()
        address = addresses.add_address(
            client.id,
            AddressInput(
                kind=ADDRESS_DEFAULT,
                is_active=True,
                cep="01310-100",
                street="Avenida Brigadeiro Faria Lima, conjunto comercial",
                number="1234",
                complement="Bloco B, sala 1501, fundos",
                district="Jardim Paulistano",
                city="São Paulo",
                uf="SP",
            ),
            staff,
        )
        contact = contacts.add_contact(
            client.id,
            ContactInput(name="Maria Aparecida dos Santos", email="maria.aparecida@example.com"),
            staff,
        )
        _key, _plain = create_key("integracao-loja-virtual-producao-principal")
        job = jobs.create("export_csv", {}, staff, total=1200)
        job.status = "cancelled"  # a finished job: its page shows without a runner
        db.session.commit()
        ids = {
            "client_id": client.id,
            "address_id": address.id,
            "contact_id": contact.id,
            "status_id": db.session.scalars(db.select(ClientStatus.id)).first(),
            "job_id": job.id,
        }
    items = [
        ItemInput(f"SKU-{i:05d}-LONGO", "Parafuso sextavado inox " * 3, "1,5", "1234,56")
        for i in range(3)
    ]
    ids["order_id"] = make_order(client.id, items=items)
    with app.app_context():  # a billing account and the order's boletos (Pagamento tabs)
        from portal.billing import issuing
        from portal.billing.models import BillingAccount
        from portal.lookups.models import PaymentMethod
        from portal.orders.models import Order

        method = PaymentMethod(name="Boleto bancário", issues_boleto=True)
        account = BillingAccount(
            name="Caixa Econômica Federal - conta de cobrança principal", bank_code="104",
            agency="1234", account="123456", carteira="14", convenio="123456",
            beneficiary_name="Loja", beneficiary_document="11222333000181", is_default=True,
        )  # fmt: skip
        db.session.add_all([method, account])
        db.session.flush()
        db.session.get(Order, ids["order_id"]).payment_method_id = method.id
        [boleto] = issuing.issue_for_order(ids["order_id"], actor_label="Equipe").boletos
        db.session.commit()
        ids["account_id"], ids["boleto_id"] = account.id, boleto.id
    return ids


def _args_for(app, rule, ids) -> list[dict]:
    """URL arguments for `rule`: every slug it takes, real ids otherwise."""
    if "slug" in rule.arguments:
        slugs = lookups.KINDS if "/listas/" in rule.rule and "/pedidos/" not in rule.rule else None
        slugs = slugs or order_lists_module.KINDS
        out = []
        for slug, kind in slugs.items():
            entry = {"slug": slug}
            if "entry_id" in rule.arguments:
                with app.app_context():
                    entries = kind.entries()
                    if not entries:
                        continue
                    entry["entry_id"] = entries[0].id
            out.append(entry)
        return out
    return [{name: ids[name] for name in rule.arguments}]


def _too_wide(page: Page) -> int:
    return page.evaluate(WIDE)


def test_every_back_office_page_fits_a_phone(browser, app, live_server, seeded):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    wide: dict[str, int] = {}

    def check(label: str) -> None:
        page.wait_for_timeout(150)
        width = _too_wide(page)
        if width > WIDTH:
            wide[label] = width

    page.goto(f"{live_server}/admin/login")
    check("login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("heading", name="Clientes", exact=True)).to_be_visible()

    client_page = f"{live_server}/admin/clientes/{seeded['client_id']}"
    opened = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("clientela_admin.") or "GET" not in rule.methods:
            continue
        if rule.endpoint in ("clientela_admin.login", "clientela_admin.home"):
            continue
        if rule.endpoint.endswith("_download"):  # files (documents, exports), not pages
            continue
        for args in _args_for(app, rule, seeded):
            url = _build(app, rule.endpoint, args)
            response = page.request.get(f"{live_server}{url}")
            assert response.status == 200, url
            label = f"{rule.endpoint} {url}"
            if "<html" in response.text():
                page.goto(f"{live_server}{url}")
                check(label)
                for tab in page.locator('[role="tab"]').all():
                    tab.click()
                    for toggle in page.locator(".tab-pane.active [data-bs-toggle=collapse]").all():
                        toggle.click()
                    check(f"{label} tab {tab.inner_text().strip()}")
            else:  # a popup: shown in the client page's modal, as the buttons do
                page.goto(client_page)
                page.evaluate(
                    "url => htmx.ajax('GET', url, {target: '#clientela-modal-content'})", url
                )
                expect(page.locator("#clientela-modal")).to_be_visible()
                page.wait_for_timeout(400)
                check(f"{label} (popup)")
            opened += 1
    assert opened >= 15
    assert wide == {}, f"pages wider than {WIDTH}px: {wide}"


def _build(app, endpoint: str, args: dict) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **args)


def test_order_items_stack_and_the_quantity_shows_a_fraction(browser, live_server, seeded):
    context = browser.new_context(viewport={"width": WIDTH, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server}/admin/login")
    page.get_by_label("E-mail").fill("equipe@loja.example")
    page.get_by_label("Senha").fill("senha-forte-123")
    page.get_by_role("button", name="Entrar").click()
    page.goto(f"{live_server}/admin/clientes/{seeded['client_id']}")
    open_tab(page, "Pedidos")
    page.get_by_role("button", name=re.compile("Editar o pedido")).first.click()
    modal = page.locator("#clientela-modal")
    quantity = modal.locator("input[name$='-quantity']").first
    expect(quantity).to_be_visible()
    expect(quantity).to_have_value("1,5")
    box = quantity.bounding_box()
    assert box["width"] >= 60  # "1,5" and more fit
    # the text fits: nothing of the value is scrolled out of the box
    assert quantity.evaluate("el => el.scrollWidth <= el.clientWidth")
    code = modal.locator("input[name$='-code']").first.bounding_box()
    description = modal.locator("input[name$='-description']").first.bounding_box()
    assert description["y"] > code["y"]  # stacked: the description under the code
    assert page.evaluate(WIDE) <= WIDTH
