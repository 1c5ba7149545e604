"""Every public vector through `flask clientela boleto parse` and `POST /api/v1/boletos/parse`:
valid ones round-trip barcode <-> linha with value and bank, invalid ones name the failing
check digit, utility bills are "arrecadacao"."""

import json
from datetime import date

import pytest

from portal.billing import codes

from .conftest import ARRECADACAO, INVALID, VALID, assert_due_date, vector_id


def run_cli(app, *args):
    return app.test_cli_runner().invoke(args=["clientela", "boleto", "parse", *args])


def check_answer(body: dict, vector: dict) -> None:
    assert body["kind"] == "boleto"
    assert body["bank_code"] == vector["bank"][:3]
    assert body["value"] == f"{vector['value_cents'] / 100:.2f}"
    assert body["barcode"] == vector["barcode"]
    assert body["linha_digitavel"] == codes.clean(vector["linha_digitavel"])
    assert body["due_factor"] == codes.due_factor(date.fromisoformat(vector["due_date"]))
    assert_due_date(body["due_date"], vector, date.today())


@pytest.mark.parametrize("vector", VALID, ids=vector_id)
def test_cli_reads_every_valid_vector_both_ways(app, vector):
    for typed in (vector["barcode"], vector["linha_digitavel"]):
        result = run_cli(app, typed)
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert body["valid"] is True
        check_answer(body, vector)


def test_cli_accepts_the_linha_split_in_arguments_and_a_reference_day(app):
    vector = VALID[-1]  # Banco do Brasil's manual, 2007-12-31
    result = run_cli(app, *vector["linha_digitavel"].split(), "--today", "2008-01-10")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["due_date"] == "2007-12-31"


@pytest.mark.parametrize("vector", INVALID, ids=vector_id)
def test_cli_names_the_failing_check_digit(app, vector):
    result = run_cli(app, vector["linha_digitavel"])
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    assert body == {
        "valid": False,
        "error": "check_digit_field_1",
        "check_digit": "field-1",
        "message": "o dígito verificador do campo 1 não confere: esperado 9, informado 2.",
    }
    assert "dígito verificador do campo 1" in result.stderr


@pytest.mark.parametrize(("barcode", "linha", "value"), ARRECADACAO)
def test_cli_recognises_utility_bills(app, barcode, linha, value):
    for typed in (barcode, linha):
        result = run_cli(app, typed)
        assert result.exit_code == 0, result.output
        body = json.loads(result.stdout)
        assert (body["kind"], body["value"], body["barcode"], body["linha_digitavel"]) == (
            "arrecadacao",
            value,
            barcode,
            linha,
        )


@pytest.mark.parametrize("vector", VALID, ids=vector_id)
def test_api_reads_every_valid_vector_both_ways(api, vector):
    for typed in (vector["barcode"], vector["linha_digitavel"]):
        response = api.post("/api/v1/boletos/parse", json={"code": typed})
        assert response.status_code == 200, response.get_data(as_text=True)
        check_answer(response.get_json(), vector)


@pytest.mark.parametrize("vector", INVALID, ids=vector_id)
def test_api_answers_422_naming_the_check_digit(api, vector):
    response = api.post("/api/v1/boletos/parse", json={"code": vector["linha_digitavel"]})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert problem["detail"].startswith("o dígito verificador do campo 1 não confere")
    assert problem["errors"] == [
        {"field": "/code", "code": "check_digit_field_1", "message": problem["detail"]}
    ]


@pytest.mark.parametrize(("barcode", "linha", "value"), ARRECADACAO)
def test_api_recognises_utility_bills(api, barcode, linha, value):
    response = api.post("/api/v1/boletos/parse", json={"code": linha})
    assert response.status_code == 200
    body = response.get_json()
    assert body["kind"] == "arrecadacao" and body["value"] == value
    assert body["bank_code"] is None and body["due_date"] is None
    assert body["barcode"] == barcode


def test_api_variable_value_is_null_and_bad_input_is_a_problem(api):
    response = api.post(
        "/api/v1/boletos/parse", json={"code": "23797000000000000004150090019801673500021140"}
    )
    assert response.status_code == 200
    assert response.get_json()["value"] is None and response.get_json()["due_date"] is None
    response = api.post("/api/v1/boletos/parse", json={"code": "12 34"})
    assert response.status_code == 422
    assert "este tem 4" in response.get_json()["detail"]
    response = api.post("/api/v1/boletos/parse", json={"code": 123})
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "/code"


def test_api_parse_needs_a_key_and_is_documented(http, api):
    assert http.post("/api/v1/boletos/parse", json={"code": "1"}).status_code == 401
    spec = api.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/boletos/parse"]["post"]
    assert set(operation["responses"]) >= {"200", "401", "422"}
