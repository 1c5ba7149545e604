"""A boleto's life: registered, paid, cancelled, rejected; each change a `BoletoEvent`.

    outcome = mark_paid(boleto_id, paid_on, amount, fees, actor)   # flushed; caller commits
    outcome.boleto, outcome.order_status   # (old_id, new_id) when the order moved to "paid"

Allowed: emitido -> registrado | pago | cancelado | rejeitado; registrado -> pago |
cancelado; rejeitado -> cancelado. Paying every open instalment of an order moves the order
to the status named by `CLIENTELA_ORDER_PAID_STATUS` ("Pago"; unset or unknown: it stays).
`actor` is the orders' `Actor` (staff member or API key label).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from portal import db
from portal.billing.models import (
    STATUS_CANCELLED,
    STATUS_ISSUED,
    STATUS_PAID,
    STATUS_REGISTERED,
    STATUS_REJECTED,
    Boleto,
    BoletoEvent,
)
from portal.config import setting
from portal.db import utcnow
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.i18n import _
from portal.orders import service as orders
from portal.orders.models import OrderStatus
from portal.orders.service import Actor

logger = logging.getLogger(__name__)

ALLOWED = {
    STATUS_ISSUED: {STATUS_REGISTERED, STATUS_PAID, STATUS_CANCELLED, STATUS_REJECTED},
    STATUS_REGISTERED: {STATUS_PAID, STATUS_CANCELLED, STATUS_REJECTED},
    STATUS_REJECTED: {STATUS_CANCELLED, STATUS_REGISTERED},
    STATUS_PAID: set(),
    STATUS_CANCELLED: set(),
}
MAX_AMOUNT = Decimal("99999999.99")


def status_label(status: str) -> str:
    return {
        STATUS_ISSUED: _("Issued"),
        STATUS_REGISTERED: _("Registered"),
        STATUS_PAID: _("Paid"),
        STATUS_CANCELLED: _("Cancelled"),
        STATUS_REJECTED: _("Rejected"),
        "vencido": _("Overdue"),
    }.get(status, status)


@dataclass
class Outcome:
    boleto: Boleto
    changed: bool = True
    order_status: tuple[int, int] | None = None  # (old, new) status ids of the order


def get_boleto(boleto_id: int, *, lock: bool = False) -> Boleto:
    query = select(Boleto).where(Boleto.id == boleto_id)
    if lock:
        query = query.with_for_update()
    boleto = db.session.scalars(query).first()
    if boleto is None:
        raise NotFound(_("Boleto not found."))
    return boleto


def _move(boleto: Boleto, to: str, actor: Actor, note: str = "") -> None:
    if to not in ALLOWED.get(boleto.status, set()):
        raise DomainError(
            _(
                "A boleto that is “%(current)s” cannot become “%(target)s”.",
                current=status_label(boleto.status),
                target=status_label(to),
            ),
            field="status",
            code="conflict",
        )
    now = utcnow()
    boleto.events.append(
        BoletoEvent(
            at=now,
            staff_user_id=actor.staff.id if actor.staff else None,
            actor_label=actor.label[:200],
            from_status=boleto.status,
            to_status=to,
            note=note[:500],
        )
    )
    boleto.status = to
    boleto.updated_at = now


def _check_version(boleto: Boleto, expected_version: int | None) -> None:
    if expected_version is not None and boleto.version != expected_version:
        raise StaleEdit()


def money(value, field: str, label: str, *, allow_zero: bool = False) -> Decimal:
    """A non-negative amount of reais with at most 2 decimals ("1.234,56" or "1234.56")."""
    text = str(value if value is not None else "").strip().replace("R$", "").strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if (
        amount is None
        or not amount.is_finite()
        or amount.as_tuple().exponent < -2
        or amount < 0
        or (amount == 0 and not allow_zero)
        or amount > MAX_AMOUNT
    ):
        raise DomainError(
            _(
                "%(label)s: type an amount in reais such as 1.234,56 (up to 2 decimals%(zero)s).",
                label=label,
                zero="" if allow_zero else _(", more than zero"),
            ),
            field=field,
        )
    return amount.quantize(Decimal("0.01"))


@db.stale_as_edit()
def mark_paid(
    boleto_id: int,
    paid_on: date | None,
    amount,
    fees,
    actor: Actor,
    *,
    expected_version: int | None = None,
    note: str = "",
    today: date | None = None,
) -> Outcome:
    boleto = get_boleto(boleto_id, lock=True)
    _check_version(boleto, expected_version)
    errors = ErrorCollector()
    if paid_on is None:
        errors.add(_("Payment date: type the date the boleto was paid (dd/mm/aaaa)."), "paid_on")
    elif paid_on > (today or date.today()):
        errors.add(_("Payment date: it cannot be in the future."), "paid_on")
    paid = errors.check(money, amount, "amount", _("Amount paid"))
    fee = errors.check(
        money, fees if fees not in (None, "") else "0", "fees", _("Fees"), allow_zero=True
    )
    if paid is not None and fee is not None and fee > paid:
        errors.add(_("Fees: they cannot be larger than the amount paid."), "fees")
    errors.raise_if_any()
    return _pay(boleto, paid_on, paid, fee, actor, note)


def _pay(boleto: Boleto, paid_on: date, paid: Decimal, fee: Decimal, actor: Actor, note: str):
    _move(boleto, STATUS_PAID, actor, note)
    boleto.paid_on = paid_on
    boleto.paid_amount = paid
    boleto.fees = fee
    db.session.flush()
    return Outcome(boleto, order_status=settle_order(boleto.order_id, actor))


@db.stale_as_edit()
def cancel(
    boleto_id: int, actor: Actor, *, expected_version: int | None = None, note: str = ""
) -> Outcome:
    boleto = get_boleto(boleto_id, lock=True)
    _check_version(boleto, expected_version)
    _move(boleto, STATUS_CANCELLED, actor, note)
    db.session.flush()
    return Outcome(boleto)


def settle_order(order_id: int, actor: Actor) -> tuple[int, int] | None:
    """Every boleto of the order paid (cancelled ones aside): move the order to the paid
    status. Returns (old, new) status ids when it moved."""
    counts = dict(
        db.session.execute(
            select(Boleto.status, func.count())
            .where(Boleto.order_id == order_id, Boleto.status != STATUS_CANCELLED)
            .group_by(Boleto.status)
        ).all()
    )
    if not counts or set(counts) != {STATUS_PAID}:
        return None
    name = (setting("CLIENTELA_ORDER_PAID_STATUS") or "").strip()
    if not name:
        return None
    status = db.session.scalars(select(OrderStatus).where(OrderStatus.name == name)).first()
    if status is None or not status.is_active:
        logger.warning("order %s paid, but no active order status is named %r", order_id, name)
        return None
    order = orders.get_order(order_id)
    before = order.status_id
    if before == status.id:
        return None
    orders.change_status(order_id, status.id, actor)
    return (before, status.id)


# What a bank's retorno says (portal.billing.cnab) ---------------------------------------------


def registered(boleto: Boleto, actor: Actor, note: str = "") -> bool:
    if boleto.status in (STATUS_ISSUED, STATUS_REJECTED):
        _move(boleto, STATUS_REGISTERED, actor, note)
        return True
    return False


def rejected(boleto: Boleto, reason: str, actor: Actor) -> bool:
    if boleto.status == STATUS_ISSUED:  # a registered boleto stays registered
        _move(boleto, STATUS_REJECTED, actor, reason)
        boleto.reject_reason = reason[:300]
        return True
    return False


def paid_by_bank(
    boleto: Boleto, paid_on: date, amount: Decimal, fees: Decimal, actor: Actor, note: str = ""
) -> Outcome | None:
    if boleto.status in (STATUS_ISSUED, STATUS_REGISTERED):
        return _pay(boleto, paid_on, amount, fees, actor, note)
    return None
