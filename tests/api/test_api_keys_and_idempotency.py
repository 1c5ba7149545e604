"""Bearer keys (hashed, revocable, last use) and Idempotency-Key retries."""

from portal import db
from portal.api.models import ApiKey
from portal.clients.models import Client
from portal.orders.models import Order


def test_requests_without_a_valid_key_are_401(http, api_key):
    for headers in ({}, {"Authorization": "Bearer ck_nope_nope"}, {"Authorization": api_key}):
        response = http.get("/api/v1/clients", headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_keys_are_stored_as_digests_and_mark_their_last_use(app, api, api_key):
    assert api.get("/api/v1/clients").status_code == 200
    with app.app_context():
        key = db.session.query(ApiKey).one()
        assert api_key.startswith(f"ck_{key.prefix}_")
        assert api_key not in (key.digest, key.prefix) and len(key.digest) == 64
        assert key.last_used_at is not None


def test_a_revoked_key_stops_working(app, admin_http, api, api_key):
    with app.app_context():
        key_id = db.session.query(ApiKey).one().id
    page = admin_http.post(f"/admin/chaves-de-api/{key_id}/revogar", follow_redirects=True)
    assert "revogada" in page.text
    assert api.get("/api/v1/clients").status_code == 401


def test_staff_create_a_key_in_the_back_office_and_see_it_once(admin_http, http):
    page = admin_http.post("/admin/chaves-de-api", data={"key-name": "loja"})
    assert page.status_code == 200
    plain = page.text.split('id="new-key"')[1].split("<code>")[1].split("</code>")[0]
    assert plain.startswith("ck_")
    assert plain not in admin_http.get("/admin/chaves-de-api").text
    assert (
        http.get("/api/v1/order-types", headers={"Authorization": f"Bearer {plain}"}).status_code
        == 200
    )


def test_cli_creates_a_key_and_prints_it_once(app):
    result = app.test_cli_runner().invoke(args=["clientela", "create-api-key", "--name", "erp"])
    assert result.exit_code == 0, result.output
    plain = result.output.strip().splitlines()[-1]
    with app.test_client() as http:
        response = http.get("/api/v1/order-types", headers={"Authorization": f"Bearer {plain}"})
    assert response.status_code == 200


def test_the_api_never_uses_the_staff_session(admin_http):
    assert admin_http.get("/api/v1/clients").status_code == 401


def test_a_retried_create_never_makes_a_second_client_or_order(app, api):
    body = {"name": "Maria", "document": "529.982.247-25"}
    headers = {"Idempotency-Key": "c6a3c1f0-client"}
    first = api.post("/api/v1/clients", json=body, headers=headers)
    again = api.post("/api/v1/clients", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers["Location"] == first.headers["Location"]

    order = {
        "client_id": first.json["id"],
        "items": [{"code": "A", "description": "B", "quantity": 1, "unit_price": "9.90"}],
    }
    one = api.post("/api/v1/orders", json=order, headers={"Idempotency-Key": "order-1"})
    two = api.post("/api/v1/orders", json=order, headers={"Idempotency-Key": "order-1"})
    assert two.json["number"] == one.json["number"]
    with app.app_context():
        assert db.session.query(Client).count() == 1
        assert db.session.query(Order).count() == 1


def test_the_same_key_with_another_body_is_refused(api):
    headers = {"Idempotency-Key": "k-1"}
    assert api.post("/api/v1/clients", json={"name": "A"}, headers=headers).status_code == 201
    other = api.post("/api/v1/clients", json={"name": "B"}, headers=headers)
    assert other.status_code == 422
    assert "outra requisição" in other.json["detail"]
    bad = api.post("/api/v1/clients", json={"name": "C"}, headers={"Idempotency-Key": "a b"})
    assert bad.status_code == 400


def test_a_failed_request_is_not_remembered(api):
    headers = {"Idempotency-Key": "k-2"}
    assert api.post("/api/v1/clients", json={"name": ""}, headers=headers).status_code == 422
    assert api.post("/api/v1/clients", json={"name": ""}, headers=headers).status_code == 422


def test_a_key_is_scoped_to_its_api_key(app, api, http):
    from portal.api.keys import create_key

    with app.app_context():
        _key, other = create_key("outra-loja")
        db.session.commit()
    body, headers = {"name": "A"}, {"Idempotency-Key": "shared"}
    first = api.post("/api/v1/clients", json=body, headers=headers).json
    second = http.post(
        "/api/v1/clients", json=body, headers={**headers, "Authorization": f"Bearer {other}"}
    ).json
    assert first["id"] != second["id"]


def test_the_api_is_optional_when_mounting(migrated):
    from flask import Flask

    from portal import Clientela

    host = Flask("shop")
    host.config.update(SECRET_KEY="s", DATABASE_URL=migrated, TESTING=True)
    Clientela().init_app(host, api=False)
    assert host.test_client().get("/api/v1/openapi.json").status_code == 404
    assert "clientela_api" not in host.blueprints
    host.extensions["clientela"].engine.dispose()


def test_openapi_document_and_docs_page(http):
    spec = http.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    create = spec["paths"]["/clients"]["post"]
    assert "201" in create["responses"] and "422" in create["responses"]
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    assert "Client" in spec["components"]["schemas"]
    assert "/orders/{order_id}/status" in http.get("/api/v1/docs").text
