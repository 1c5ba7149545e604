"""Schemathesis against the OpenAPI document the API serves: no 5xx, no answer off-schema.

Runs in-process (WSGI) with a real API key, a client and an order to aim at, so generated
requests reach the handlers (not only the 401/404 paths).
"""

from datetime import date, timedelta
from decimal import Decimal

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.billing.banks import Account, issue

CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]


def _seed(api) -> dict:
    client = api.post(
        "/api/v1/clients",
        json={"name": "Alvo", "email": "alvo@example.com",
              "addresses": [{"cep": "01310100", "street": "Av. Paulista", "number": "1",
                             "district": "Centro", "city": "São Paulo", "uf": "SP"}]},
    ).json  # fmt: skip
    order = api.post(
        "/api/v1/orders",
        json={"client_id": client["id"],
              "items": [{"code": "A", "description": "B", "quantity": 1, "unit_price": "1.00"}]},
    ).json  # fmt: skip
    due = date.today() + timedelta(days=5)
    code = issue(Account("341", agencia="1234", conta="56789", carteira="109"), 1, due,
                 Decimal("1.00")).code  # fmt: skip
    boleto = api.post(
        f"/api/v1/orders/{order['id']}/boletos",
        json={"code": code.barcode, "due_date": due.isoformat(), "value": "1.00"},
    ).json
    return {"client_id": client["id"], "address_id": client["addresses"][0]["id"],
            "order_id": order["id"], "boleto_id": boleto["id"]}  # fmt: skip


def test_api_conforms_to_its_openapi_document(app, api, lists):
    """Every operation, with generated valid and invalid input (Hypothesis, fixed seed)."""
    known = _seed(api)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case):
            case.call_and_validate(headers=api.headers, checks=CHECKS)
            if case.path_parameters:  # and once more aimed at records that exist
                case.path_parameters = {k: known[k] for k in case.path_parameters}
                case.call_and_validate(headers=api.headers, checks=CHECKS)

        run()
