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
from portal.i18n import _, _l

PROBLEM_TYPE = "https://clientela.example/problems/"
MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: _l("Invalid request"),
    401: _l("Missing or invalid API key"),
    404: _l("Not found"),
    405: _l("Method not allowed"),
    409: _l("Conflict"),
    413: _l("Request body too large"),
    415: _l("Send JSON"),
    422: _l("Invalid data"),
    429: _l("Too many requests"),
    500: _l("Internal error"),
}
# The `type` slug of a problem with no code of its own: fixed, whatever the locale
# (a program may compare it), so not derived from the translated title.
CODES = {
    400: "requisição-inválida",
    401: "chave-de-api-ausente-ou-inválida",
    404: "não-encontrado",
    405: "método-não-permitido",
    409: "conflito",
    413: "corpo-da-requisição-grande-demais",
    415: "envie-json",
    422: "dados-inválidos",
    429: "muitas-requisições",
    500: "erro-interno",
}


def code_for(status: int) -> str:
    return CODES.get(status, "erro")


# pydantic error type -> message (%(names)s come from the error's context).
MESSAGES = {
    "missing": _l("Required field."),
    "extra_forbidden": _l("Unknown field: check the name."),
    "null": _l("This field cannot be null."),
    "string_type": _l("Send a text (JSON string)."),
    "string_too_long": _l("Use at most %(max_length)s characters."),
    "literal_error": _l("Use one of these values: %(expected)s."),
    "int_type": _l("Send a whole number."),
    "int_parsing": _l("Send a whole number."),
    "greater_than_equal": _l("Use a number from %(ge)s."),
    "less_than_equal": _l("Use a number up to %(le)s."),
    "bool_type": _l("Send true or false."),
    "bool_parsing": _l("Send true or false."),
    "list_type": _l("Send a list (JSON array)."),
    "model_type": _l("Send a JSON object."),
    "string_pattern_mismatch": _l("Invalid format for this field."),
    # raised by our own types (portal.api.schemas)
    "count": _l("Send from %(minimum)s to %(maximum)s %(noun)s."),
    "decimal": _l('Send a decimal number with a point, like "12.34" (up to 6 places).'),
    "date": _l("Invalid date: use the format YYYY-MM-DD."),
    "control_characters": _l("Remove the control characters (such as NUL) from the text."),
    "visitor_id": _l(
        "Send the visitor id as the clientela_visitor cookie holds it: 32 characters, digits "
        "and the letters a to f."
    ),
    # JSON may escape half of a UTF-16 pair ("\ud800") that is no character at all.
    "string_unicode": _l(
        "The text has an invalid character (an unpaired \\ud800-\\udfff escape): "
        "send valid Unicode."
    ),
}
OTHER = _l("Invalid value for this field.")


def _message(error: dict) -> str:
    kind = error["type"]
    if error.get("input", "") is None and kind.endswith("_type"):
        kind = "null"
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:  # "'PF' or 'PJ'" -> "PF, PJ"
        ctx["expected"] = ", ".join(re.findall(r"'([^']*)'", str(ctx["expected"])))
    return str(MESSAGES.get(kind, OTHER)) % {name: str(value) for name, value in ctx.items()}


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
        self.code = code or code_for(status)
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
        title=str(TITLES.get(status, _("Error"))),
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
        return response(422, _("Fix the fields listed in `errors`."), "invalid", field_errors(exc))
    if isinstance(exc, HTTPException):
        status = exc.code or 500
        detail = {
            404: _("Address not found in the API."),
            405: _("Method not allowed at this address."),
            413: _(
                "The request body is over this API's limit (%(size)s KB): split it into "
                "smaller requests.",
                size=current_app.config["CLIENTELA_API_MAX_BODY_BYTES"] // 1024,
            ),
        }.get(status, exc.description or "")
        return response(status, detail, code_for(status))
    raise exc
