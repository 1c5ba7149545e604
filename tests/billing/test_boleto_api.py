"""The boleto API: an order's boletos, a gateway's boleto checked and stored, pay, cancel."""

from datetime import date, timedelta
from decimal import Decimal

from portal import db
from portal.billing import banks, codes
from portal.billing.banks import Account
from portal.orders.validation import ItemInput

DUE = date.today() + timedelta(days=10)
# A valid Itaú boleto for R$ 600,00 due in 10 days (built with the bank's own rules).
ITAU = banks.issue(Account("341", agencia="1234", conta="56789", carteira="109"), 223350,
                   DUE, Decimal("600.00"))  # fmt: skip


def _order(make_order, make_client, **kw):
    return make_order(make_client().id, items=[ItemInput("SKU", "Camiseta", "1", "600.00")], **kw)


def test_gateway_boleto_is_checked_stored_and_idempotent(api, make_order, make_client):
    order_id = _order(make_order, make_client)
    body = {
        "code": ITAU.code.formatted_linha,
        "due_date": DUE.isoformat(),
        "value": "600.00",
        "pdf_url": "https://gateway.example/b/1.pdf",
        "bank_code": "341",
    }
    created = api.post(f"/api/v1/orders/{order_id}/boletos", json=body)
    assert created.status_code == 201, created.json
    boleto = created.json
    assert (boleto["source"], boleto["status"], boleto["amount"]) == (
        "gateway",
        "emitido",
        "600.00",
    )
    assert boleto["barcode"] == ITAU.code.barcode
    assert boleto["linha_digitavel"] == ITAU.code.linha_digitavel
    assert boleto["history"][0]["by"] == "API: loja-teste"
    again = api.post(f"/api/v1/orders/{order_id}/boletos", json={**body, "code": ITAU.code.barcode})
    assert again.status_code == 200 and again.json["id"] == boleto["id"]
    listed = api.get(f"/api/v1/orders/{order_id}/boletos")
    assert [b["id"] for b in listed.json["items"]] == [boleto["id"]]
    # The same code on another order is a conflict.
    other = _order(make_order, make_client)
    assert api.post(f"/api/v1/orders/{other}/boletos", json=body).status_code == 409


def test_gateway_boleto_that_does_not_match_is_refused_in_portuguese(api, make_order, make_client):
    order_id = _order(make_order, make_client)
    url = f"/api/v1/orders/{order_id}/boletos"
    headers = {"Accept-Language": "pt-BR"}
    wrong = api.post(url, headers=headers, json={
        "code": ITAU.code.linha_digitavel, "due_date": (DUE + timedelta(days=1)).isoformat(),
        "value": "599.99", "bank_code": "237",
    })  # fmt: skip
    assert wrong.status_code == 422
    fields = {e["field"]: e["message"] for e in wrong.json["errors"]}
    assert set(fields) == {"/bank_code", "/value", "/due_date"}
    assert "banco 341" in fields["/bank_code"]
    assert "600.00" in fields["/value"] and "599.99" in fields["/value"]
    assert "Vencimento" in fields["/due_date"]
    # A broken check digit is named.
    linha = ITAU.code.linha_digitavel
    broken = linha[:9] + str((int(linha[9]) + 1) % 10) + linha[10:]
    bad = api.post(url, headers=headers, json={
        "code": broken, "due_date": DUE.isoformat(), "value": "600.00"})  # fmt: skip
    assert bad.status_code == 422
    assert bad.json["errors"][0]["code"] == "check_digit_field_1"
    assert "campo 1" in bad.json["detail"].lower()


def test_pay_and_cancel_with_history_and_the_order_moves_to_paid(
    app, api, make_order, make_client, lists
):
    order_id = _order(make_order, make_client)
    url = f"/api/v1/orders/{order_id}/boletos"
    first = api.post(url, json={"code": ITAU.code.barcode, "due_date": DUE.isoformat(),
                                "value": "600.00"}).json  # fmt: skip
    second_code = banks.issue(Account("341", agencia="1234", conta="56789", carteira="109"),
                              223351, DUE, Decimal("10.00"))  # fmt: skip
    second = api.post(url, json={"code": second_code.code.barcode, "due_date": DUE.isoformat(),
                                 "value": "10.00"}).json  # fmt: skip
    cancelled = api.post(f"/api/v1/boletos/{second['id']}/cancel", json={"note": "trocado"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelado"
    assert api.post(f"/api/v1/boletos/{second['id']}/cancel", json={}).status_code == 409
    future = api.post(f"/api/v1/boletos/{first['id']}/pay", headers={"Accept-Language": "pt-BR"},
                      json={"paid_on": (date.today() + timedelta(days=1)).isoformat(),
                            "amount": "600.00"})  # fmt: skip
    assert future.status_code == 422
    assert future.json["errors"][0]["field"] == "/paid_on"
    stale = api.post(f"/api/v1/boletos/{first['id']}/pay", json={
        "paid_on": date.today().isoformat(), "amount": "600.00", "version": 99})  # fmt: skip
    assert stale.status_code == 409
    paid = api.post(f"/api/v1/boletos/{first['id']}/pay", json={
        "paid_on": date.today().isoformat(), "amount": "601.50", "fees": "2.50"})  # fmt: skip
    assert paid.status_code == 200, paid.json
    assert (paid.json["status"], paid.json["paid_amount"], paid.json["fees"]) == (
        "pago", "601.50", "2.50")  # fmt: skip
    assert [(h["from_status"], h["to_status"]) for h in paid.json["history"]] == [
        (None, "emitido"), ("emitido", "pago")]  # fmt: skip
    order = api.get(f"/api/v1/orders/{order_id}").json
    assert order["status"] == "Pago"
    assert order["status_history"][-1]["by"] == "API: loja-teste"


def test_boleto_api_needs_a_key_and_answers_404(http, api):
    assert http.get("/api/v1/orders/1/boletos").status_code == 401
    assert api.get("/api/v1/orders/999/boletos").status_code == 404
    assert api.post("/api/v1/boletos/999/pay", json={
        "paid_on": date.today().isoformat(), "amount": "1.00"}).status_code == 404  # fmt: skip


def test_order_created_through_the_api_gets_its_boletos(
    app, api, make_client, make_account, boleto_method
):
    make_account()
    client = make_client()
    created = api.post("/api/v1/orders", json={
        "client_id": client.id, "items": [{"code": "A", "description": "Item", "quantity": "1",
                                           "unit_price": "90.00"}],
        "payment_method_id": boleto_method["method"],
        "payment_term_id": boleto_method["term"]["30,60,90"],
    })  # fmt: skip
    assert created.status_code == 201, created.json
    boletos = api.get(f"/api/v1/orders/{created.json['id']}/boletos").json["items"]
    assert [(b["instalment"], b["amount"]) for b in boletos] == [
        (1, "30.00"), (2, "30.00"), (3, "30.00")]  # fmt: skip
    for b in boletos:
        assert codes.parse(b["linha_digitavel"]).value == Decimal("30.00")
    with app.app_context():
        assert db.session is not None
