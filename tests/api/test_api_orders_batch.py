"""`POST /orders/batch`: up to 100 orders in one transaction, all or nothing."""

import pytest

from portal import db
from portal.orders.models import Order


def _order(client_id, **overrides):
    body = {
        "client_id": client_id,
        "items": [{"code": "SKU-1", "description": "Camiseta", "quantity": 2,
                   "unit_price": "19.90", "discount": "1.00"}],
        "shipping": "10.00",
    }  # fmt: skip
    body.update(overrides)
    return body


@pytest.fixture
def client_id(api):
    return api.post("/api/v1/clients", json={"name": "Ana", "email": "ana@example.com"}).json["id"]


def _count(app) -> int:
    with app.app_context():
        return db.session.query(Order).count()


def test_a_batch_creates_every_order_with_consecutive_numbers(app, api, client_id, lists):
    paid = lists["statuses"]["Pago"]
    body = {"orders": [_order(client_id), _order(client_id, status_id=paid), _order(client_id)]}
    response = api.post("/api/v1/orders/batch", json=body)
    assert response.status_code == 201, response.json
    created = response.json["orders"]
    assert [o["display_number"] for o in created] == ["#000001", "#000002", "#000003"]
    assert [o["status"] for o in created] == ["Aguardando pagamento", "Pago",
                                              "Aguardando pagamento"]  # fmt: skip
    assert {o["total"] for o in created} == {"48.80"}  # 2 x 19.90 - 1.00 + 10.00
    for order in created:  # what the batch answered is what was stored
        assert api.get(f"/api/v1/orders/{order['id']}").json == order
    # The paid one counted as a purchase: the lead became a client.
    assert api.get(f"/api/v1/clients/{client_id}").json["first_purchase_at"] is not None


def test_a_batch_order_is_the_same_as_a_single_create(api, client_id):
    single = api.post("/api/v1/orders", json=_order(client_id)).json
    batched = api.post("/api/v1/orders/batch", json={"orders": [_order(client_id)]}).json
    ignore = {"id", "number", "display_number", "created_at", "updated_at", "status_history"}
    assert {k: v for k, v in batched["orders"][0].items() if k not in ignore} == {
        k: v for k, v in single.items() if k not in ignore
    }


def test_one_bad_order_refuses_the_whole_batch_and_names_each_field(app, api, client_id):
    body = {
        "orders": [
            _order(client_id),
            _order(client_id, items=[{"code": "A", "description": "B", "quantity": "0",
                                      "unit_price": "1.999"}]),
            _order(999_999),
            _order(client_id, type_id=999),
        ]
    }  # fmt: skip
    response = api.post("/api/v1/orders/batch", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = {e["field"]: e["message"] for e in response.json["errors"]}
    assert set(errors) == {
        "/orders/1/items/0/quantity",
        "/orders/1/items/0/unit_price",
        "/orders/2/client_id",
        "/orders/3/type_id",
    }
    assert errors["/orders/2/client_id"] == "Cliente não encontrado."
    assert _count(app) == 0
    # Nothing was written, not even a number: the next order is still #000001.
    assert api.post("/api/v1/orders", json=_order(client_id)).json["number"] == 1


def test_shape_errors_point_into_the_batch(api, client_id):
    bad = _order(client_id)
    bad["items"][0]["unit_price"] = "1,50"
    response = api.post("/api/v1/orders/batch", json={"orders": [_order(client_id), bad]})
    assert response.status_code == 422
    assert [e["field"] for e in response.json["errors"]] == ["/orders/1/items/0/unit_price"]


def test_a_retried_batch_is_replayed_not_created_twice(app, api, client_id):
    body = {"orders": [_order(client_id), _order(client_id)]}
    headers = {"Idempotency-Key": "lote-2026-11-01"}
    first = api.post("/api/v1/orders/batch", json=body, headers=headers)
    again = api.post("/api/v1/orders/batch", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json == first.json
    assert _count(app) == 2
    other = api.post("/api/v1/orders/batch", json={"orders": [_order(client_id)]},
                     headers=headers)  # fmt: skip
    assert other.status_code == 422 and "outra requisição" in other.json["detail"]


def test_more_than_100_orders_or_none_is_refused_in_portuguese(app, api, client_id):
    response = api.post("/api/v1/orders/batch", json={"orders": [_order(client_id)] * 101})
    assert response.status_code == 422
    assert response.json["errors"] == [
        {"field": "/orders", "code": "invalid", "message": "Envie de 1 a 100 pedidos por lote."}
    ]
    assert api.post("/api/v1/orders/batch", json={"orders": []}).status_code == 422
    assert _count(app) == 0


@pytest.mark.config(CLIENTELA_API_MAX_BODY_BYTES=4096)
def test_a_body_past_the_size_limit_is_413(app, api, client_id):
    response = api.post("/api/v1/orders/batch", json={"orders": [_order(client_id)] * 40})
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    assert "(4 KB)" in response.json["detail"]
    assert _count(app) == 0


def test_the_batch_is_in_the_openapi_document(http):
    spec = http.get("/api/v1/openapi.json").json
    batch = spec["paths"]["/orders/batch"]["post"]
    assert batch["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OrderBatchInput"
    }
    orders = spec["components"]["schemas"]["OrderBatchInput"]["properties"]["orders"]
    assert (orders["minItems"], orders["maxItems"]) == (1, 100)
    assert orders["items"] == {"$ref": "#/components/schemas/OrderInput"}
    assert any(p["name"] == "Idempotency-Key" for p in batch["parameters"])
    assert {"201", "413", "422"} <= set(batch["responses"])
