"""Reading boletos: an order's, a client's (filtered, keyset pages), the accounts."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.billing.models import OPEN_STATUSES, STATUS_OVERDUE, BillingAccount, Boleto

CLIENT_PAGE_SIZE = 25


def boletos_for_order(session: Session, order_id: int) -> list[Boleto]:
    """The order's boletos by instalment (cancelled ones too, then newer ones after)."""
    return list(
        session.scalars(
            select(Boleto).where(Boleto.order_id == order_id).order_by(Boleto.instalment, Boleto.id)
        )
    )


def boletos_for_client(
    session: Session,
    client_id: int,
    status: str | None = None,
    overdue: bool = False,
    after: int | None = None,
    limit: int = CLIENT_PAGE_SIZE,
    today: date | None = None,
) -> list[Boleto]:
    """One page of the client's boletos, newest first (keyset on the id: `after` is the last
    id of the previous page). `status` is a stored status or "vencido"; `overdue=True` keeps
    the open boletos past due (index client_id, status, due_date)."""
    query = select(Boleto).where(Boleto.client_id == client_id)
    if status == STATUS_OVERDUE:
        overdue, status = True, None
    if status:
        query = query.where(Boleto.status == status)
    if overdue:
        query = query.where(
            Boleto.status.in_(OPEN_STATUSES), Boleto.due_date < (today or date.today())
        )
    if after is not None:
        query = query.where(Boleto.id < after)
    return list(session.scalars(query.order_by(Boleto.id.desc()).limit(limit)))


def default_account(session: Session) -> BillingAccount | None:
    """The active account boletos are issued on: the one marked default, else the first."""
    return session.scalars(
        select(BillingAccount)
        .where(BillingAccount.is_active.is_(True))
        .order_by(BillingAccount.is_default.desc(), BillingAccount.id)
        .limit(1)
    ).first()


def accounts(session: Session) -> list[BillingAccount]:
    return list(session.scalars(select(BillingAccount).order_by(BillingAccount.name)))
