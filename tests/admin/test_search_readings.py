"""Issue 14 (14): an unmasked alphanumeric CNPJ (or its start) and an e-mail typed without "@"
find the client, on the list page and through the API (`GET /api/v1/clients?q=`)."""

import pytest

from tests.orders.factories import api, api_key  # noqa: F401


@pytest.fixture
def people(make_client):
    make_client(name="Loja Alfanumérica", kind="PJ", document="12.ABC.345/01DE-35")
    make_client(name="Maria Silva", email="maria.silva@example.com")
    make_client(name="Outra Pessoa", email="outra@example.com")
    make_client(name="Joana 12abc Teste")


QUERIES = [
    ("12ABC34501DE35", {"Loja Alfanumérica"}),
    ("12abc", {"Loja Alfanumérica", "Joana 12abc Teste"}),  # a CNPJ start or a name part
    ("12AbC345", {"Loja Alfanumérica"}),
    ("12.ABC.345", {"Loja Alfanumérica"}),  # the masked form still works
    ("maria.silva", {"Maria Silva"}),
    ("MARIA.SIL", {"Maria Silva"}),
    ("maria silva", {"Maria Silva"}),  # the name, as before
    ("silva", {"Maria Silva"}),
]


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_list_page_finds_by_every_reading(admin_http, people, query, expected):
    page = admin_http.get("/admin/clientes", query_string={"q": query}).text
    shown = {
        name
        for name in ("Loja Alfanumérica", "Maria Silva", "Outra Pessoa", "Joana 12abc Teste")
        if f">{name}</a>" in page
    }
    assert shown == expected


@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_api_finds_by_every_reading(api, people, query, expected):  # noqa: F811
    response = api.get("/api/v1/clients", query_string={"q": query})
    assert response.status_code == 200
    assert {c["name"] for c in response.json["items"]} == expected
