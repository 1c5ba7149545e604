"""API handlers for boletos: read a payment code (POST /boletos/parse)."""

from portal.api import schemas
from portal.api.problems import Problem, field_errors
from portal.api.spec import Call, Operation, Registry, Reply
from portal.billing import codes


def boleto_parse(call: Call) -> Reply:
    try:
        parsed = codes.parse(call.body.code)
    except codes.InvalidCode as exc:
        raise Problem(422, exc.message, "invalid-code", field_errors(exc)) from None
    return Reply(schemas.PaymentCode.of(parsed))


def register(registry: Registry, max_page: int) -> None:
    registry.add(
        Operation("POST", "/boletos/parse", "boleto_parse", boleto_parse,
                  "Lê uma linha digitável ou código de barras (boleto ou arrecadação)",
                  "Boletos", body=schemas.BoletoParseInput, response=schemas.PaymentCode,
                  errors=(401, 422)),
    )  # fmt: skip
