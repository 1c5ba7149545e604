"""Item 10 of issue 14: bad input is a 400/404/422 with a message in Portuguese, never a 500."""

import pytest

BIG = 2**31
pytestmark = pytest.mark.config(PROPAGATE_EXCEPTIONS=False)


def test_nul_in_the_search(admin_http, api, make_client):
    make_client(name="Ana")
    page = admin_http.get("/admin/clientes?q=%00abc@")
    assert page.status_code == 400
    assert "caracteres de controle" in page.get_data(as_text=True)
    answer = api.get("/api/v1/clients?q=%00")
    assert answer.status_code == 422
    assert "caracteres de controle" in answer.json["errors"][0]["message"]


def test_the_last_day_there_is(admin_http, api, make_client):
    make_client(name="Ana")
    assert "Ana" in admin_http.get("/admin/clientes?ate=9999-12-31").get_data(as_text=True)
    answer = api.get("/api/v1/clients?created_to=9999-12-31")
    assert answer.status_code == 200 and answer.json["items"][0]["name"] == "Ana"


def test_lone_surrogate_in_json(api):
    answer = api.post(
        "/api/v1/clients", data='{"name": "\\ud800"}', content_type="application/json"
    )
    assert answer.status_code == 422
    assert "Unicode" in answer.json["errors"][0]["message"]


def test_ids_past_the_integer_column(admin_http, api, make_client):
    client = make_client(name="Ana")
    for url in (
        f"/admin/clientes/{BIG}",
        f"/admin/clientes/{client.id}/enderecos/{BIG}",
        f"/admin/clientes/{client.id}/pedidos/{BIG}",
        f"/admin/situacoes/{BIG}",
        f"/admin/listas/perfis/{BIG}",
    ):
        assert admin_http.get(url).status_code == 404, url
    assert api.get(f"/api/v1/orders/{BIG}").status_code == 404
    for query in (f"situacao={BIG}", f"etiqueta={BIG}", f"perfil={BIG}"):
        assert admin_http.get(f"/admin/clientes?{query}").status_code == 200, query
    bulk = {"action": "status", "ids": [str(BIG)], "status_id": str(BIG)}
    assert admin_http.post("/admin/clientes/acoes", data=bulk).status_code < 500


def test_every_id_in_our_urls_is_bounded(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("clientela"):
            for name, converter in rule._converters.items():
                assert type(converter).__name__ != "IntegerConverter", (rule.rule, name)


def test_order_total_past_the_column(api, make_client):
    client = make_client(name="Ana")
    item = {
        "code": "A",
        "description": "B",
        "quantity": "999999.999",
        "unit_price": "9999999999.99",
    }
    answer = api.post("/api/v1/orders", json={"client_id": client.id, "items": [item] * 20})
    assert answer.status_code == 422
    assert "alto demais" in answer.get_data(as_text=True)
    small = {**item, "quantity": "1", "unit_price": "6000000000.00"}
    answer = api.post("/api/v1/orders", json={"client_id": client.id, "items": [small] * 2})
    assert answer.status_code == 422
    assert "total do pedido" in answer.get_data(as_text=True).lower()
