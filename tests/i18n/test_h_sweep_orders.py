"""Orders, sign-in, API problems and CLI messages follow the locale (our own catalogue):
Portuguese by default, the English msgids with BABEL_DEFAULT_LOCALE=en."""

import json

import pytest

from tests.conftest import field_errors
from tests.orders.factories import api, api_key, lists, order_lists  # noqa: F401


def _order_form(entries, **overrides):
    data = {
        "order-type_id": str(entries["types"]["Pedido"]),
        "order-status_id": str(entries["statuses"]["Pago"]),
        "order-shipping": "0",
        "order-version": "0",
        "order-items-0-code": "SKU-1",
        "order-items-0-description": "Camiseta",
        "order-items-0-quantity": "2",
        "order-items-0-unit_price": "10,00",
    }
    return {**data, **overrides}


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_order_popup_errors_and_toast_in_english(admin_http, make_client, lists):  # noqa: F811
    url = f"/admin/clientes/{make_client().id}/pedidos/novo"
    bad = admin_http.post(
        url, data=_order_form(lists, **{"order-items-0-unit_price": "abc", "order-type_id": ""})
    )
    errors = field_errors(bad.text)
    assert "Item unit price: invalid value; use numbers, like 1234.56." in errors
    assert "Choose the order type (an active type from the list)." in errors
    assert "Order type" in bad.text and "Tipo de Pedido" not in bad.text
    saved = admin_http.post(url, data=_order_form(lists))
    assert json.loads(saved.headers["HX-Trigger"]) == {"clientela:saved": "Order saved."}


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_wrong_password_in_english(http, staff):
    answer = http.post("/admin/login", data={"email": "nobody@loja.example", "password": "x" * 9})
    assert answer.status_code == 401
    assert "Wrong e-mail or password." in answer.text
    assert "incorretos" not in answer.text


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_api_problems_in_english_keep_their_type(http, api):  # noqa: F811
    denied = http.get("/api/v1/clients")
    assert denied.json["title"] == "Missing or invalid API key"
    assert denied.json["detail"].startswith("Send `Authorization: Bearer <key>`")
    assert denied.json["type"].endswith("/chave-de-api-ausente-ou-inválida")
    batch = api.post("/api/v1/orders/batch", json={"orders": []})
    assert batch.status_code == 422
    assert batch.json["detail"] == "Fix the fields listed in `errors`."
    assert batch.json["errors"][0]["message"] == "Send from 1 to 100 orders per batch."


def test_api_problem_titles_are_portuguese_by_default(http):
    denied = http.get("/api/v1/clients")
    assert denied.json["title"] == "Chave de API ausente ou inválida"
    assert denied.json["type"].endswith("/chave-de-api-ausente-ou-inválida")


@pytest.mark.config(BABEL_DEFAULT_LOCALE="en")
def test_create_staff_command_answers_in_english(app):
    runner = app.test_cli_runner()
    args = ["clientela", "create-staff", "--email", "nova@loja.example", "--password", "curta"]
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "Error: The password must have from 8 to 128 characters." in result.output
