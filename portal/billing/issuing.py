"""Issuing an order's boletos: one per instalment of its payment term, on an account.

    result = issue_for_order(order_id, actor_label="Maria")
    result.boletos, result.note      # the boletos written (flushed), or why there are none

- The total is split in cents; the remainder goes to the first instalment.
- Due dates: the order's date (in the shop's time zone) + each instalment's days; a cash term
  (no days) gets one boleto due `CLIENTELA_BOLETO_CASH_DAYS` (3) days after the order.
- Nosso números come from the account's counter (`next_nosso_numero`) with one
  `UPDATE ... RETURNING`, like order numbers: on PostgreSQL the account row stays locked
  until the transaction ends, on SQLite the UPDATE takes the database's write lock; either
  way concurrent issuers queue and never share or skip a number (the unique constraint on
  account + nosso número is the backstop).
- Barcode and linha digitável come from `portal.billing.banks.issue`.

`on_order_created` is the receiver of the `order_created` signal (the plugin's glue connects
it; the orders domain knows nothing of boletos). An order with a boleto payment method and no
active account is still created: no boletos, and the order's Pagamento tab says why.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from portal import db
from portal.billing import banks
from portal.billing.models import (
    STATUS_CANCELLED,
    STATUS_ISSUED,
    BillingAccount,
    Boleto,
    BoletoEvent,
)
from portal.billing.service import default_account
from portal.config import setting
from portal.db import utcnow
from portal.errors import DomainError
from portal.i18n import _
from portal.lookups.models import PaymentMethod, PaymentTerm, parse_instalment_days
from portal.orders.models import Order

logger = logging.getLogger(__name__)


@dataclass
class IssueResult:
    boletos: list[Boleto] = field(default_factory=list)
    note: str | None = None  # why nothing was issued (shown on the order's Pagamento tab)


def split_cents(total: Decimal, count: int) -> list[Decimal]:
    """`total` in `count` instalments of whole cents; the remainder on the first."""
    cents = int((Decimal(total) * 100).to_integral_value())
    base, remainder = divmod(cents, count)
    parts = [base] * count
    parts[0] += remainder
    return [Decimal(part).scaleb(-2) for part in parts]


def instalment_days(term: PaymentTerm | None) -> list[int]:
    """The term's days, or one cash boleto's (`CLIENTELA_BOLETO_CASH_DAYS`)."""
    try:
        days = parse_instalment_days(term.days if term else "")
    except ValueError:
        raise DomainError(
            _(
                "The payment term “%(name)s” has instalment days that are not valid; fix them "
                "(such as 30/60/90) and issue the boletos again.",
                name=term.name,
            )
        ) from None
    return days or [max(int(setting("CLIENTELA_BOLETO_CASH_DAYS")), 0)]


def order_date(order: Order) -> date:
    zone = ZoneInfo(setting("BABEL_DEFAULT_TIMEZONE") or "America/Sao_Paulo")
    return order.created_at.astimezone(zone).date()


def allocate_nosso_numeros(account_id: int, count: int) -> int:
    """The first of `count` consecutive sequence numbers of the account (see the module)."""
    table = BillingAccount.__table__
    value = db.session.execute(
        update(table)
        .where(table.c.id == account_id)
        .values(next_nosso_numero=table.c.next_nosso_numero + count)
        .returning(table.c.next_nosso_numero)
    ).scalar()
    if value is None:
        raise DomainError(_("The billing account no longer exists."))
    return value - count


def open_boletos(order_id: int) -> list[Boleto]:
    return list(
        db.session.scalars(
            select(Boleto).where(Boleto.order_id == order_id, Boleto.status != STATUS_CANCELLED)
        )
    )


def _method(order) -> PaymentMethod | None:
    if order.payment_method_id is None:
        return None
    return db.session.get(PaymentMethod, order.payment_method_id)


def pending_note(order) -> str | None:
    """Why an order paid by boleto has none (for its Pagamento tab), or None."""
    method = (
        db.session.get(PaymentMethod, order.payment_method_id) if order.payment_method_id else None
    )
    if method is None or not method.issues_boleto or open_boletos(order.id):
        return None
    if default_account(db.session) is None:
        return _(
            "This order is paid by boleto, but no active billing account is configured "
            "(Settings → Billing accounts): no boleto was issued."
        )
    return _("This order is paid by boleto and has no boleto yet.")


def issue_for_order(
    order_id: int,
    *,
    actor_label: str,
    staff_user_id: int | None = None,
    account: BillingAccount | None = None,
) -> IssueResult:
    """Issue the order's boletos (flushed; the caller commits). Nothing happens when the
    payment method issues no boletos or the order already has open ones."""
    order = db.session.get(Order, order_id)
    if order is None:
        raise DomainError(_("Order not found."))
    method = (
        db.session.get(PaymentMethod, order.payment_method_id) if order.payment_method_id else None
    )
    if method is None or not method.issues_boleto:
        return IssueResult(note=_("This order's payment method does not issue boletos."))
    if open_boletos(order.id):
        return IssueResult(note=_("This order already has its boletos."))
    account = account or default_account(db.session)
    if account is None or not account.is_active:
        return IssueResult(
            note=_(
                "No active billing account is configured (Settings → Billing accounts): "
                "no boleto was issued."
            )
        )
    if order.total <= 0:
        return IssueResult(note=_("The order's total is zero: no boleto was issued."))
    term = db.session.get(PaymentTerm, order.payment_term_id) if order.payment_term_id else None
    days = instalment_days(term)
    values = split_cents(order.total, len(days))
    if min(values) <= 0:
        raise DomainError(_("The order's total is too small for its instalments."))
    start = order_date(order)
    bank_account = account.bank_account()
    banks.bank_for(account.bank_code)  # a clear error before any number is taken
    first = allocate_nosso_numeros(account.id, len(days))
    now = utcnow()
    result = IssueResult()
    for index, (offset, value) in enumerate(zip(days, values, strict=True)):
        due = start + timedelta(days=offset)
        issued = banks.issue(bank_account, first + index, due, value)
        boleto = Boleto(
            account_id=account.id,
            order_id=order.id,
            client_id=order.client_id,
            instalment=index + 1,
            instalments=len(days),
            nosso_numero=issued.nosso_numero.digits,
            nosso_numero_dv=issued.nosso_numero.dv,
            nosso_numero_formatted=issued.nosso_numero.formatted,
            document_number=f"{order.number}-{index + 1}",
            issued_on=start,
            due_date=due,
            amount=value,
            barcode=issued.code.barcode,
            linha_digitavel=issued.code.linha_digitavel,
            status=STATUS_ISSUED,
            source="issued",
            created_at=now,
            updated_at=now,
        )
        boleto.events.append(
            BoletoEvent(
                at=now,
                staff_user_id=staff_user_id,
                actor_label=actor_label[:200],
                from_status=None,
                to_status=STATUS_ISSUED,
                note="",
            )
        )
        db.session.add(boleto)
        result.boletos.append(boleto)
    db.session.flush()
    return result


def on_order_created(_sender, *, order, actor=None, source: str = "", **_extra) -> None:
    """`order_created` receiver: issue the new order's boletos in a unit of work of its own
    (the order is already committed; a failure is logged and leaves the order as it is)."""
    label = getattr(actor, "display_name", None) or (_("API") if source == "api" else _("System"))
    try:
        result = issue_for_order(
            order.id, actor_label=str(label), staff_user_id=getattr(actor, "id", None)
        )
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        logger.warning("boletos of order %s not issued: %s", order.id, exc.message)
        return
    except Exception:
        db.session.rollback()
        logger.exception("boletos of order %s not issued", order.id)
        return
    if result.note and not result.boletos:
        logger.info("order %s: %s", order.id, result.note)
