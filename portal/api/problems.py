"""RFC 9457 problem details: every API error, from one place.

A DomainError names a field the way forms do (`items-0-quantity`); here it becomes a JSON
pointer (`/items/0/quantity`) so a program can point at the bad input. pydantic's errors
(wrong JSON type, unknown key, too long...) become the same DomainErrors, in Portuguese.
"""

import json
import re

from flask import Response, current_app
from pydantic import BaseModel, Field, ValidationError
from werkzeug.exceptions import HTTPException

from portal.errors import DomainError, InvalidInput, NotFound, StaleEdit

PROBLEM_TYPE = "https://clientela.example/problems/"
MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: "Requisição inválida",
    401: "Chave de API ausente ou inválida",
    404: "Não encontrado",
    405: "Método não permitido",
    409: "Conflito",
    413: "Corpo da requisição grande demais",
    415: "Envie JSON",
    422: "Dados inválidos",
    429: "Muitas requisições",
    500: "Erro interno",
}


# pydantic error type -> message ({names} come from the error's context).
MESSAGES = {
    "missing": "Campo obrigatório.",
    "extra_forbidden": "Campo desconhecido: confira o nome.",
    "null": "Este campo não pode ser nulo.",
    "string_type": "Envie um texto (string JSON).",
    "string_too_long": "Use no máximo {max_length} caracteres.",
    "literal_error": "Use um destes valores: {expected}.",
    "int_type": "Envie um número inteiro.",
    "int_parsing": "Envie um número inteiro.",
    "greater_than_equal": "Use um número a partir de {ge}.",
    "less_than_equal": "Use um número até {le}.",
    "bool_type": "Envie true ou false.",
    "bool_parsing": "Envie true ou false.",
    "list_type": "Envie uma lista (array JSON).",
    "model_type": "Envie um objeto JSON.",
    "string_pattern_mismatch": "Formato inválido para este campo.",
    # raised by our own types (portal.api.schemas)
    "count": "Envie de {minimum} a {maximum} {noun}.",
    "decimal": 'Envie um número decimal com ponto, como "12.34" (até 6 casas).',
    "date": "Data inválida: use o formato AAAA-MM-DD.",
}
OTHER = "Valor inválido para este campo."


def _message(error: dict) -> str:
    kind = error["type"]
    if error.get("input", "") is None and kind.endswith("_type"):
        kind = "null"
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:  # "'PF' or 'PJ'" -> "PF, PJ"
        ctx["expected"] = ", ".join(re.findall(r"'([^']*)'", str(ctx["expected"])))
    return MESSAGES.get(kind, OTHER).format(**ctx)


def invalid_input(exc: ValidationError, *, query: bool = False) -> InvalidInput:
    """pydantic's errors as DomainErrors: `/items/0/quantity` in a body, `?per_page` in a query."""
    errors = []
    for error in exc.errors(include_url=False):
        path = "/".join(str(part) for part in error["loc"])
        errors.append(DomainError(_message(error), field=("?" if query else "/") + path))
    return InvalidInput(errors)


class FieldError(BaseModel):
    field: str
    code: str
    message: str


class ProblemDocument(BaseModel):
    """The body of every error answer (`application/problem+json`)."""

    type: str
    title: str
    status: int = Field(ge=100, le=599)
    detail: str
    errors: list[FieldError] | None = None


class Problem(Exception):
    def __init__(self, status: int, detail: str, code: str | None = None, errors=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code or TITLES.get(status, "erro").lower().replace(" ", "-")
        self.errors = errors or []


def pointer(field: str | None, prefix: str = "") -> str:
    """`phones-0-number` -> `/phones/0/number`; JSON pointers pass through; `?page` -> `page`."""
    if not field:
        return prefix or "/"
    if field.startswith("?"):  # a query-string parameter, named as sent
        return field[1:]
    if field.startswith("/"):
        return prefix + field
    return prefix + "/" + field.replace("-", "/")


def field_errors(exc: DomainError, prefix: str = "") -> list[dict]:
    errors = exc.errors if isinstance(exc, InvalidInput) else [exc]
    return [
        {"field": pointer(e.field, prefix), "code": e.code, "message": e.message} for e in errors
    ]


def response(status: int, detail: str, code: str, errors=None, headers=None) -> Response:
    body = ProblemDocument(
        type=PROBLEM_TYPE + code,
        title=TITLES.get(status, "Erro"),
        status=status,
        detail=detail,
        errors=errors or None,
    ).model_dump(exclude_none=True)
    result = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE)
    for name, value in (headers or {}).items():
        result.headers[name] = value
    return result


def from_exception(exc: Exception) -> Response:
    if isinstance(exc, Problem):
        headers = {"WWW-Authenticate": 'Bearer realm="clientela"'} if exc.status == 401 else None
        return response(exc.status, exc.detail, exc.code, exc.errors, headers)
    if isinstance(exc, NotFound):
        return response(404, exc.message, "not-found")
    if isinstance(exc, StaleEdit):
        return response(409, exc.message, "stale", field_errors(exc))
    if isinstance(exc, DomainError):
        return response(
            422, "Corrija os campos indicados em `errors`.", "invalid", field_errors(exc)
        )
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        detail = {
            404: "Endereço não encontrado na API.",
            405: "Método não permitido neste endereço.",
            413: "O corpo da requisição passa do limite desta API "
            f"({current_app.config['CLIENTELA_API_MAX_BODY_BYTES'] // 1024} KB): "
            "divida o envio em requisições menores.",
        }.get(status, exc.description or "")
        return response(status, detail, TITLES.get(status, "erro").lower().replace(" ", "-"))
    raise exc
