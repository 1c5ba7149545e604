"""API handlers for boletos: read a payment code (POST /boletos/parse); an order's boletos
(GET), a gateway's boleto stored on an order (POST, checked), mark paid or cancel."""

from flask import url_for

from portal import db
from portal.api import schemas
from portal.api.events import announce
from portal.api.problems import Problem, field_errors
from portal.api.spec import Call, Operation, Registry, Reply
from portal.billing import codes, gateway
from portal.billing import status as boleto_status
from portal.billing.service import boletos_for_order
from portal.errors import DomainError, InvalidInput, NotFound, StaleEdit
from portal.extension_points import order_status_changed
from portal.i18n import _
from portal.orders import queries
from portal.orders import service as orders


def boleto_parse(call: Call) -> Reply:
    try:
        parsed = codes.parse(call.body.code)
    except codes.InvalidCode as exc:
        raise Problem(422, exc.message, "invalid-code", field_errors(exc)) from None
    return Reply(schemas.PaymentCode.of(parsed))


def _actor(call: Call) -> orders.Actor:
    return orders.Actor(label=f"API: {call.api_key.name}")


def _refused(exc: DomainError) -> Problem:
    """A rule broke: 409 for a conflict (state, another order's code), else 422; the detail
    says what is wrong (every message), `errors[]` points at each field."""
    messages = exc.errors if isinstance(exc, InvalidInput) else [exc]
    detail = " ".join(e.message for e in messages)
    if isinstance(exc, codes.InvalidCode):
        return Problem(422, detail, "invalid-code", field_errors(exc))
    if any(e.code == "conflict" for e in messages):
        return Problem(409, detail, "conflict", field_errors(exc))
    return Problem(422, detail, "invalid", field_errors(exc))


def _run(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except (NotFound, StaleEdit):
        raise
    except DomainError as exc:
        raise _refused(exc) from None


def order_boletos(call: Call) -> Reply:
    order_id = call.path["order_id"]
    if queries.load_order(order_id) is None:
        raise NotFound(_("Order not found."))
    items = [schemas.Boleto.of(b) for b in boletos_for_order(db.session, order_id)]
    return Reply(schemas.BoletoList(items=items))


def order_boleto_add(call: Call) -> Reply:
    body = call.body
    boleto, created = _run(
        gateway.register,
        call.path["order_id"],
        body.code,
        body.due_date,
        body.value,
        _actor(call),
        pdf_url=body.pdf_url,
        bank_code=body.bank_code,
    )
    location = url_for("clientela_api.order_boletos", order_id=boleto.order_id)
    return Reply(schemas.Boleto.of(boleto), 201 if created else 200, location)


def _announce_order(outcome) -> None:
    if outcome.order_status:
        old, new = outcome.order_status
        order = queries.load_order(outcome.boleto.order_id)
        announce(order_status_changed, order=order, old_status_id=old, new_status_id=new,
                 actor=None)  # fmt: skip


def boleto_pay(call: Call) -> Reply:
    body = call.body
    outcome = _run(
        boleto_status.mark_paid,
        call.path["boleto_id"],
        body.paid_on,
        body.amount,
        body.fees,
        _actor(call),
        expected_version=body.version,
    )
    _announce_order(outcome)
    return Reply(schemas.Boleto.of(outcome.boleto))


def boleto_cancel(call: Call) -> Reply:
    body = call.body
    outcome = _run(
        boleto_status.cancel,
        call.path["boleto_id"],
        _actor(call),
        expected_version=body.version,
        note=body.note or "",
    )
    return Reply(schemas.Boleto.of(outcome.boleto))


def register(registry: Registry, max_page: int) -> None:
    tag = "Boletos"
    registry.add(
        Operation("POST", "/boletos/parse", "boleto_parse", boleto_parse,
                  "Lê uma linha digitável ou código de barras (boleto ou arrecadação)",
                  tag, body=schemas.BoletoParseInput, response=schemas.PaymentCode,
                  errors=(401, 422)),
        Operation("GET", "/orders/<clientela_id:order_id>/boletos", "order_boletos",
                  order_boletos, "Boletos de um pedido, por parcela", tag,
                  response=schemas.BoletoList, errors=(401, 404)),
        Operation("POST", "/orders/<clientela_id:order_id>/boletos", "order_boleto_add",
                  order_boleto_add,
                  "Guarda um boleto emitido pelo gateway (código conferido: dígitos, banco, "
                  "valor e vencimento); o mesmo código de novo responde 200 com o já guardado",
                  tag, body=schemas.GatewayBoletoInput, response=schemas.Boleto, status=201,
                  extra_statuses=(200,), errors=(401, 404, 409, 422)),
        Operation("POST", "/boletos/<clientela_id:boleto_id>/pay", "boleto_pay", boleto_pay,
                  "Marca um boleto como pago (data, valor, tarifas); pagas todas as parcelas, "
                  "o pedido vai para a situação de pago configurada", tag,
                  body=schemas.BoletoPayInput, response=schemas.Boleto,
                  errors=(401, 404, 409, 422)),
        Operation("POST", "/boletos/<clientela_id:boleto_id>/cancel", "boleto_cancel",
                  boleto_cancel, "Cancela um boleto em aberto", tag,
                  body=schemas.BoletoCancelInput, response=schemas.Boleto,
                  errors=(401, 404, 409, 422)),
    )  # fmt: skip
