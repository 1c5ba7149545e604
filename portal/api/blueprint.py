"""The API blueprint: authentication, body parsing, idempotency and one commit per call."""

import json
from decimal import Decimal

from flask import Blueprint, Flask, Response, current_app, g, render_template, request
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from portal import db
from portal.api import boletos, clients, events, idempotency, keys, orders, problems
from portal.api.problems import Problem
from portal.api.spec import Call, Operation, Registry, Reply, document
from portal.errors import DomainError, StaleEdit
from portal.extensions import csrf
from portal.i18n import _
from portal.security.headers import JSON_HEADERS, PAGE_HEADERS

MAX_ID = 2_147_483_647
API_HEADERS = JSON_HEADERS
# The documentation page is a page: the back office's policy (no frames, no inline code).
DOCS_HEADERS = {**PAGE_HEADERS, "Cache-Control": "no-store"}


def build_registry(max_page_size: int) -> Registry:
    registry = Registry()
    clients.register(registry, max_page_size)
    orders.register(registry, max_page_size)
    boletos.register(registry, max_page_size)
    return registry


def json_response(body, status: int = 200, headers: dict | None = None) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), status=status,
                        mimetype="application/json")  # fmt: skip
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _space, token = header.partition(" ")
    key = keys.authenticate(token.strip()) if scheme.lower() == "bearer" else None
    if key is None:
        raise Problem(401, _("Send `Authorization: Bearer <key>` with an active key."))
    if db.session.dirty or db.session.new or db.session.deleted:
        db.session.commit()  # last_used_at (at most once a minute per key)
    return key


def _query(op: Operation):
    if op.query is None:
        return None
    sent = {name: value for name, value in request.args.items() if value.strip()}
    try:
        return op.query.model_validate(sent)
    except ValidationError as exc:
        raise problems.invalid_input(exc, query=True) from None


def _body(op: Operation):
    if op.body is None:
        return None, b""
    raw = request.get_data(cache=True)  # 413 past CLIENTELA_API_MAX_BODY_BYTES (portal.plugin)
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise Problem(415, _("Send the body as JSON with `Content-Type: application/json`."))
    try:
        data = json.loads(raw, parse_float=Decimal, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise Problem(400, _("The body is not valid JSON."), "invalid-json") from None
    try:
        return op.body.model_validate(data), raw
    except ValidationError as exc:
        raise problems.invalid_input(exc) from None


def _no_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _answer(reply: Reply) -> dict:
    """The answer's JSON (fields a schema leaves unset, such as a list's history, are left out)."""
    return reply.body.model_dump(mode="json", exclude_unset=True)


def _reply_response(status: int, body: dict, location: str | None, replayed=False) -> Response:
    headers = {"Location": location} if location else {}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return json_response(body, status, headers)


def _dispatch(op: Operation, path_values: dict) -> Response:
    api_key = _authenticate()
    if any(isinstance(v, int) and v > MAX_ID for v in path_values.values()):
        raise Problem(404, _("Not found."), "not-found")
    query = _query(op)
    body, raw = _body(op)
    key = request.headers.get(idempotency.HEADER) if op.idempotent else None
    if key is None:
        reply = op.handler(Call(path_values, query, body, api_key))
        db.session.commit()
        events.send_announced()
        return _reply_response(reply.status, _answer(reply), reply.location)

    key = idempotency.check_key(key)
    print_ = idempotency.fingerprint(request.method, request.path, raw)
    existing = idempotency.find(api_key.id, key)
    if existing is not None:
        idempotency.ensure_same_request(existing, print_)
        return _replay(existing)
    try:
        reply = op.handler(Call(path_values, query, body, api_key))
        answer = _answer(reply)
        idempotency.store(api_key.id, key, print_, reply.status, answer, reply.location)
        db.session.commit()
        events.send_announced()
    except (DomainError, IntegrityError):
        # A retry that raced the original lost; answer what the original answered.
        db.session.rollback()
        events.forget_announced()
        existing = idempotency.find(api_key.id, key)
        if existing is None:
            raise
        idempotency.ensure_same_request(existing, print_)
        return _replay(existing)
    return _reply_response(reply.status, answer, reply.location)


def _replay(record) -> Response:
    return _reply_response(record.status_code, record.body, record.location, replayed=True)


def _view(op: Operation):
    def view(**path_values):
        return _dispatch(op, path_values)

    view.__name__ = op.name
    return view


def create_blueprint(url_prefix: str = "/api/v1", max_page_size: int = 100) -> Blueprint:
    bp = Blueprint("clientela_api", __name__, url_prefix=url_prefix)
    registry = build_registry(max_page_size)
    for op in registry.operations:
        bp.add_url_rule(op.rule, op.name, _view(op), methods=[op.method])

    def server_url() -> str:
        """The API's base URL for the document: CLIENTELA_PUBLIC_URL when set, else a path
        relative to the document. Never the request's Host header, which the caller chose."""
        public = current_app.config.get("CLIENTELA_PUBLIC_URL")
        if public:
            return public.rstrip("/") + bp.url_prefix
        return request.script_root + bp.url_prefix

    # Both are public: they describe the API, hold no data and no key (README "Security").
    def openapi():
        return json_response(document(registry, server_url()))

    def docs():
        spec = document(registry, server_url())
        page = render_template(
            "clientela/admin/api/docs.html", spec=spec, spec_json=json.dumps(spec, indent=2)
        )
        return Response(page, headers=DOCS_HEADERS)

    bp.add_url_rule("/openapi.json", "openapi", openapi)
    bp.add_url_rule("/docs", "docs", docs)

    @bp.before_request
    def _mark():  # the body limit (chunked bodies too) is `portal.plugin`'s, before this
        g.clientela_api = True

    @bp.after_request
    def _headers(response):
        for name, value in API_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @bp.errorhandler(Exception)
    def _problem(exc):
        db.session.rollback()
        if isinstance(exc, StaleDataError):  # a flush met a concurrent save: 409, never 500
            exc = StaleEdit()
        if isinstance(exc, Problem | DomainError | HTTPException):
            return problems.from_exception(exc)
        current_app.logger.exception("API error")
        return problems.response(500, _("Internal error: try again later."), "internal")

    csrf.exempt(bp)
    return bp


def init_app(app: Flask, url_prefix: str = "/api/v1") -> None:
    app.register_blueprint(create_blueprint(url_prefix, app.config["CLIENTELA_API_MAX_PAGE_SIZE"]))
