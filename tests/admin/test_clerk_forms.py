"""Issue 14 (17): the browser's limits are the server's, a validation error keeps the typed
password, an inverted date range says why the list is empty."""

import html
import re

import pytest

from portal.lookups import service as lookups
from tests.conftest import field_errors

INPUT = re.compile(r"<(input|textarea)\b([^>]*)>", re.S)


def _text_fields(page: str) -> dict[str, str | None]:
    """{name: maxlength or None} of every text input and textarea of a page."""
    found = {}
    for tag, attrs in INPUT.findall(page):
        kind = re.search(r'\btype="([^"]+)"', attrs)
        kind = kind.group(1) if kind else "text"
        if tag == "input" and kind not in ("text", "email", "password", "search", "tel"):
            continue
        name = re.search(r'\bname="([^"]+)"', attrs)
        if not name:
            continue
        limit = re.search(r'\bmaxlength="(\d+)"', attrs)
        found[name.group(1)] = limit.group(1) if limit else None
    return found


def test_client_form_limits_are_the_services(admin_http, make_client):
    page = admin_http.get("/admin/clientes/novo").text
    fields = _text_fields(page)
    assert fields["name"] == "200"  # portal.clients.limits.NAME
    assert fields["trade_name"] == "200"
    assert fields["notes"] == "5000"
    assert fields["email"] == "254"
    assert all(v is not None for v in fields.values()), fields
    # the server refuses one character more, with its message
    refused = admin_http.post("/admin/clientes/novo", data={"kind": "PF", "name": "x" * 201})
    assert any("no máximo 200 caracteres (foram 201)" in e for e in field_errors(refused.text))


@pytest.mark.parametrize(
    "url",
    [
        "/admin/clientes/{id}",
        "/admin/clientes/{id}/enderecos/novo",
        "/admin/clientes/{id}/contatos/novo",
        "/admin/situacoes",
        "/admin/pedidos/listas/tipos",
        "/admin/listas/perfis",
        "/admin/listas/vendedores",
        "/admin/listas/prazos-pagamento",
        "/admin/chaves-de-api",
        "/admin/contas-de-cobranca/nova",
    ],
)
def test_every_text_field_has_a_browser_limit(admin_http, make_client, url):
    client = make_client(name="Cliente Limites")
    page = admin_http.get(url.format(id=client.id)).text
    fields = _text_fields(page)
    assert fields
    assert {n: v for n, v in fields.items() if v is None and n != "q"} == {}


def test_contact_and_address_limits(admin_http, make_client):
    client = make_client(name="Cliente Limites")
    contact = _text_fields(admin_http.get(f"/admin/clientes/{client.id}/contatos/novo").text)
    assert contact["contact-notes"] == "2000"
    assert contact["contact-name"] == "200"
    address = _text_fields(admin_http.get(f"/admin/clientes/{client.id}/enderecos/novo").text)
    assert address["address-street"] == "200" and address["address-city"] == "120"


def test_lookup_limits_are_the_lists(admin_http):
    page = _text_fields(admin_http.get("/admin/listas/perfis").text)
    assert page["lookup-name"] == str(lookups.kind_named("perfis").name_max)
    assert page["lookup-extra"] == "500"  # the description rule's limit


def test_a_validation_error_keeps_the_typed_password(admin_http):
    response = admin_http.post(
        "/admin/clientes/novo",
        data={"kind": "PF", "name": "", "email": "nova@example.com", "password": "Segredo-Forte-9"},
    )
    assert response.status_code == 422
    password = re.search(r'<input[^>]*name="password"[^>]*>', response.text).group(0)
    assert 'value="Segredo-Forte-9"' in password


def test_the_edit_page_never_shows_the_stored_password(admin_http, make_client):
    client = make_client(name="Com Senha", email="s@example.com", password="segredo-123")
    page = admin_http.get(f"/admin/clientes/{client.id}").text
    password = re.search(r'<input[^>]*name="password"[^>]*>', page).group(0)
    assert 'value=""' in password or "value=" not in password


def test_an_inverted_date_range_says_why_the_list_is_empty(admin_http, make_client):
    make_client(name="Qualquer")
    page = admin_http.get("/admin/clientes?desde=2026-05-10&ate=2026-05-01").text
    message = "A data final é anterior à inicial: nenhum cliente pode ser encontrado."
    assert message in html.unescape(page)
    assert '<details class="mt-2" open>' in page  # the filter (and its message) is shown
    # a proper range says nothing of the kind
    fine = admin_http.get("/admin/clientes?desde=2026-05-01&ate=2026-05-10").text
    assert message not in html.unescape(fine)
