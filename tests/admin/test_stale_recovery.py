"""Two clerks edit the same record: the late one is refused, sees what the other saved next
to what they typed, keeps the typed values, and a second "Save" goes through on top."""

import html as html_lib
import re
from html.parser import HTMLParser

from portal import db
from portal.clients.models import Address, Client, Contact
from portal.orders.models import Order
from tests.orders.factories import lists, make_order, order_lists  # noqa: F401

LOGIN = {"email": "equipe@loja.example", "password": "senha-forte-123"}


class _Form(HTMLParser):
    """The values a browser would post from the page's (first) form."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                return
            self.values[name] = a.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":  # a browser drops the newline right after <textarea>
            value = self.values[self._textarea]
            self.values[self._textarea] = value.removeprefix("\r\n").removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def form_values(page: str) -> dict[str, str]:
    parser = _Form()
    parser.feed(page)
    return parser.values


def changes_shown(page: str) -> dict[str, tuple[str, str]]:
    """The notice's rows: {field label: (their saved value, the typed value)}."""
    rows = re.findall(
        r'<tr data-stale-field="[^"]*"><th scope="row">(.*?)</th>'
        r'<td class="stale-theirs">“(.*?)”</td><td class="stale-yours">“(.*?)”</td>',
        page,
    )
    return {html_lib.unescape(k): (html_lib.unescape(t), html_lib.unescape(y)) for k, t, y in rows}


def _second_clerk(app):
    other = app.test_client()
    assert other.post("/admin/login", data=LOGIN).status_code == 302
    return other


def _recover(app, late, url, opened, typed, theirs_label, theirs, yours, hx=False):
    """`late` opened `url` as `opened`; the other clerk already saved. Returns the 2nd answer."""
    headers = {"HX-Request": "true"} if hx else {}
    refused = late.post(url, data={**opened, **typed}, headers=headers)
    assert refused.status_code == 422
    assert "alterado por outra pessoa" in refused.text
    assert changes_shown(refused.text)[theirs_label] == (theirs, yours)
    kept = form_values(refused.text)
    for name, value in typed.items():
        assert kept[name] == value  # the typed values stay in the form
    assert (
        kept[next(k for k in kept if k.endswith("version"))]
        != opened[next(k for k in opened if k.endswith("version"))]
    )
    return late.post(url, data=kept, headers=headers)


def test_client_page_shows_the_other_change_and_saves_on_top(app, admin_http, make_client):
    client = make_client(name="Nome antigo")
    url = f"/admin/clientes/{client.id}"
    other = _second_clerk(app)
    opened_by_b = form_values(admin_http.get(url).text)
    opened_by_a = form_values(other.get(url).text)
    assert other.post(url, data={**opened_by_a, "name": "Nome da Ana"}).status_code == 302

    again = _recover(
        app,
        admin_http,
        url,
        opened_by_b,
        {"name": "Nome do Bruno", "notes": "Ligar às 10h"},
        "Nome/Razão social",
        "Nome da Ana",
        "Nome do Bruno",
    )
    assert again.status_code == 302
    with app.app_context():
        stored = db.session.get(Client, client.id)
        assert (stored.name, stored.notes) == ("Nome do Bruno", "Ligar às 10h")


def test_only_the_other_persons_changes_are_listed(app, admin_http, make_client):
    client = make_client(name="Nome antigo")
    url = f"/admin/clientes/{client.id}"
    other = _second_clerk(app)
    opened_by_b = form_values(admin_http.get(url).text)
    opened_by_a = form_values(other.get(url).text)
    assert other.post(url, data={**opened_by_a, "notes": "Da Ana"}).status_code == 302
    refused = admin_http.post(url, data={**opened_by_b, "name": "Nome do Bruno"})
    assert refused.status_code == 422
    assert changes_shown(refused.text) == {"Observações": ("Da Ana", "—")}


def test_a_third_save_in_between_is_caught_again(app, admin_http, make_client):
    client = make_client(name="Nome antigo")
    url = f"/admin/clientes/{client.id}"
    other = _second_clerk(app)
    opened_by_b = form_values(admin_http.get(url).text)
    assert other.post(url, data={**form_values(other.get(url).text), "name": "Ana 1"}).status_code
    refused = admin_http.post(url, data={**opened_by_b, "name": "Bruno"})
    assert other.post(url, data={**form_values(other.get(url).text), "name": "Ana 2"}).status_code
    twice = admin_http.post(url, data=form_values(refused.text))
    assert twice.status_code == 422
    assert changes_shown(twice.text)["Nome/Razão social"] == ("Ana 2", "Bruno")
    assert admin_http.post(url, data=form_values(twice.text)).status_code == 302
    with app.app_context():
        assert db.session.get(Client, client.id).name == "Bruno"


def _address(app, client_id):
    from portal.clients import addresses

    with app.app_context():
        address = addresses.add_address(
            client_id,
            addresses.AddressInput("padrao", True, "01310100", "Rua Velha", "1", "B", "C", "SP"),
            None,
        )
        db.session.commit()
        return address.id


def test_address_popup_shows_the_other_change_and_saves_on_top(app, admin_http, make_client):
    client = make_client()
    url = f"/admin/clientes/{client.id}/enderecos/{_address(app, client.id)}"
    other = _second_clerk(app)
    opened_by_b = form_values(admin_http.get(url).text)
    opened_by_a = form_values(other.get(url).text)
    saved = other.post(url, data={**opened_by_a, "address-street": "Rua da Ana"})
    assert saved.status_code == 200 and saved.headers["HX-Retarget"] == "#addresses"

    again = _recover(
        app,
        admin_http,
        url,
        opened_by_b,
        {"address-street": "Rua do Bruno", "address-number": "99"},
        "Logradouro",
        "Rua da Ana",
        "Rua do Bruno",
        hx=True,
    )
    assert again.status_code == 200 and again.headers["HX-Retarget"] == "#addresses"
    with app.app_context():
        stored = db.session.scalars(db.select(Address).filter_by(client_id=client.id)).one()
        assert (stored.street, stored.number) == ("Rua do Bruno", "99")


def test_contact_popup_shows_the_other_change_and_saves_on_top(app, admin_http, make_client):
    client = make_client()
    created = admin_http.post(
        f"/admin/clientes/{client.id}/contatos/novo",
        data={
            "contact-name": "Joana",
            "contact-phones-0-number": "(21) 3456-7890",
            "contact-phones-0-kind": "Comercial",
        },
    )
    assert created.status_code == 200
    with app.app_context():
        contact_id = db.session.scalars(db.select(Contact.id)).one()
    url = f"/admin/clientes/{client.id}/contatos/{contact_id}"
    other = _second_clerk(app)
    opened_by_b = form_values(admin_http.get(url).text)
    opened_by_a = form_values(other.get(url).text)
    assert other.post(url, data={**opened_by_a, "contact-role": "Compradora"}).status_code == 200

    again = _recover(
        app,
        admin_http,
        url,
        opened_by_b,
        {"contact-role": "Gerente", "contact-name": "Joana Silva"},
        "Cargo / função",
        "Compradora",
        "Gerente",
        hx=True,
    )
    assert again.status_code == 200 and again.headers["HX-Retarget"] == "#contacts"
    with app.app_context():
        stored = db.session.get(Contact, contact_id)
        assert (stored.name, stored.role) == ("Joana Silva", "Gerente")


def test_order_popup_shows_the_other_change_and_saves_on_top(
    app,
    admin_http,
    make_client,
    make_order,  # noqa: F811
    lists,  # noqa: F811
):
    client = make_client()
    order_id = make_order(client.id)
    url = f"/admin/clientes/{client.id}/pedidos/{order_id}"
    other = _second_clerk(app)
    opened_by_b = form_values(admin_http.get(url).text)
    opened_by_a = form_values(other.get(url).text)
    paid = str(lists["statuses"]["Pago"])
    assert other.post(url, data={**opened_by_a, "order-status_id": paid}).status_code == 200

    cancelled = str(lists["statuses"]["Cancelado"])
    again = _recover(
        app,
        admin_http,
        url,
        opened_by_b,
        {"order-status_id": cancelled, "order-shipping": "7,50"},
        "Situação do Pedido",
        "Pago",
        "Cancelado",
        hx=True,
    )
    assert again.status_code == 200 and again.headers["HX-Retarget"] == "#orders"
    with app.app_context():
        stored = db.session.get(Order, order_id)
        assert stored.status.name == "Cancelado" and str(stored.shipping) == "7.50"
