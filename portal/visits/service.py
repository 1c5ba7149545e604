"""Linking: a visitor cookie becomes a client's (login, signup, an API order with its
`visitor_id`), and an order points at the visitor it came from. Services flush; the caller
commits."""

import re
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from portal.visits.models import OrderVisitor, Visit
from portal.visits.writer import _lock_visitors, link_rows

VISITOR_ID = re.compile(r"^[0-9a-f]{32}$")


def valid_visitor_id(value: str | None) -> bool:
    return bool(value) and bool(VISITOR_ID.match(value))


def link_visitor(session: Session, visitor_id: str, client_id: int) -> int:
    """From now on (and for what was already written) the visitor's page views and visits
    are the client's. Returns how many visits were linked now."""
    if not valid_visitor_id(visitor_id):
        return 0
    _lock_visitors(session, [visitor_id])
    return link_rows(session, visitor_id, client_id)


def link_order(
    session: Session, order_id: int, visitor_id: str, client_id: int, ordered_at: datetime
) -> None:
    """The order came from this visitor: remember it (the order's Visita tab reads it), link
    the visitor to the order's client and mark the visit already written, if any."""
    if not valid_visitor_id(visitor_id):
        return
    link_visitor(session, visitor_id, client_id)
    session.merge(OrderVisitor(order_id=order_id, visitor_id=visitor_id, ordered_at=ordered_at))
    visit_id = session.scalar(
        select(Visit.id)
        .where(Visit.visitor_id == visitor_id, Visit.started_at <= ordered_at)
        .order_by(Visit.started_at.desc())
        .limit(1)
    )
    if visit_id is not None:
        session.execute(
            update(Visit)
            .where(Visit.id == visit_id)
            .values(order_id=order_id)
            .execution_options(synchronize_session=False)
        )
    session.flush()
