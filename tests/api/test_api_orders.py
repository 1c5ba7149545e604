"""The shop's order calls: create with items, read, list by client, change status."""

import threading

import pytest


def _order(client_id, **overrides):
    body = {
        "client_id": client_id,
        "items": [
            {"code": "SKU-1", "description": "Camiseta", "quantity": 2, "unit_price": "19.90",
             "discount": "1.00"},
            {"code": "SKU-2", "description": "Boné", "quantity": "1.5", "unit_price": 10.10},
        ],
        "shipping": "15.00",
    }  # fmt: skip
    body.update(overrides)
    return body


@pytest.fixture
def client_id(api):
    return api.post("/api/v1/clients", json={"name": "Maria", "email": "maria@example.com"}).json[
        "id"
    ]


def test_create_read_and_list_an_order_with_exact_money(api, client_id, lists):
    response = api.post("/api/v1/orders", json=_order(client_id))
    assert response.status_code == 201, response.json
    order = response.json
    assert response.headers["Location"].endswith(f"/api/v1/orders/{order['id']}")
    assert order["display_number"] == "#000001"
    assert (order["type"], order["status"]) == ("Pedido", "Aguardando pagamento")
    assert [i["total"] for i in order["items"]] == ["38.80", "15.15"]
    assert order["items"][1]["quantity"] == "1.5"
    assert (order["items_total"], order["discount_total"]) == ("54.95", "1.00")
    assert order["total"] == "68.95"
    assert order["status_history"][0]["by"] == "API: loja-teste"
    assert api.get(f"/api/v1/orders/{order['id']}").json == order
    listed = api.get(f"/api/v1/clients/{client_id}/orders").json
    assert [o["number"] for o in listed["items"]] == [1]


def test_order_errors_point_at_each_item_field(api, client_id):
    bad = _order(
        client_id,
        items=[{"code": "", "description": "x", "quantity": "0", "unit_price": "1.999"},
               {"code": "A", "description": "y", "quantity": 1, "unit_price": "2.50"}],
        delivery_address_id=999,
    )  # fmt: skip
    response = api.post("/api/v1/orders", json=bad)
    assert response.status_code == 422
    assert {e["field"] for e in response.json["errors"]} == {
        "/items/0/code",
        "/items/0/quantity",
        "/items/0/unit_price",
        "/delivery_address_id",
    }
    # A form's spelling ("1,50") is not guessed at: the API takes "1.50" or 1.5.
    comma = _order(client_id, items=[{**bad["items"][1], "unit_price": "1,50"}])
    response = api.post("/api/v1/orders", json=comma)
    assert [e["field"] for e in response.json["errors"]] == ["/items/0/unit_price"]


def test_unknown_client_or_order_is_404(api, client_id):
    assert api.post("/api/v1/orders", json=_order(999_999)).status_code == 404
    assert api.get("/api/v1/orders/999999").status_code == 404
    assert api.get("/api/v1/clients/999999/orders").status_code == 404
    assert api.post("/api/v1/orders/999999/status", json={"status_id": 1}).status_code == 404


def test_changing_status_to_paid_turns_the_lead_into_a_client(api, client_id, lists):
    order = api.post("/api/v1/orders", json=_order(client_id)).json
    assert api.get(f"/api/v1/clients/{client_id}").json["first_purchase_at"] is None
    paid = api.post(
        f"/api/v1/orders/{order['id']}/status", json={"status_id": lists["statuses"]["Pago"]}
    )
    assert paid.status_code == 200
    assert paid.json["status"] == "Pago" and paid.json["counts_as_purchase"] is True
    assert [h["to_status"] for h in paid.json["status_history"]] == [
        "Aguardando pagamento",
        "Pago",
    ]
    assert api.get(f"/api/v1/clients/{client_id}").json["first_purchase_at"] is not None
    stale = api.post(
        f"/api/v1/orders/{order['id']}/status",
        json={"status_id": lists["statuses"]["Enviado"], "version": order["version"]},
    )
    assert stale.status_code == 409


def test_types_and_statuses_are_listed_in_order(api):
    statuses = api.get("/api/v1/order-statuses").json["items"]
    assert [s["name"] for s in statuses][:2] == ["Aguardando pagamento", "Pago"]
    assert [s["counts_as_purchase"] for s in statuses][:2] == [False, True]
    types = [t["name"] for t in api.get("/api/v1/order-types").json["items"]]
    assert types == ["Pedido", "Orçamento", "Devolução", "Recibo de pagamento"]


def test_concurrent_orders_get_distinct_sequential_numbers(app, api_key, client_id):
    """Threads post at once (real transactions, on PostgreSQL real row locks)."""
    numbers, failures = [], []

    def post():
        with app.test_client() as http:
            r = http.post("/api/v1/orders", json=_order(client_id),
                          headers={"Authorization": f"Bearer {api_key}"})  # fmt: skip
            (numbers if r.status_code == 201 else failures).append(
                r.json.get("number", r.status_code)
            )

    threads = [threading.Thread(target=post) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    assert sorted(numbers) == list(range(1, 9))
