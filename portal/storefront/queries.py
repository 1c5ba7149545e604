"""What the storefront reads: always one client's own rows (another's id finds nothing)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from portal import db
from portal.clients.models import Address
from portal.orders.models import Order, OrderStatusChange


@dataclass
class OrdersPage:
    items: list[Order]
    next_cursor: str | None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def _cursor(order: Order) -> str:
    return f"{(order.created_at - _EPOCH) // _MICRO}-{order.id}"


def _parse_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    try:
        micros, order_id = (cursor or "").split("-", 1)
        at = _EPOCH + int(micros) * _MICRO
        return at, int(order_id)
    except (ValueError, OverflowError, OSError):
        return None


def orders_page(client_id: int, after: str | None, per_page: int) -> OrdersPage:
    """Newest first; keyset pages (`after` is the last row of the previous page), so page
    100 costs what page 1 does, whatever the number of orders (index client_id, created_at)."""
    query = (
        select(Order)
        .options(joinedload(Order.type), joinedload(Order.status))
        .where(Order.client_id == client_id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .limit(per_page + 1)
    )
    position = _parse_cursor(after)
    if position is not None:
        at, order_id = position
        # `<=` first: an index range on (client_id, created_at) on both engines, so a deep
        # page reads what a first page does; the OR only breaks ties.
        query = query.where(Order.created_at <= at, or_(Order.created_at < at, Order.id < order_id))
    rows = list(db.session.scalars(query).unique())
    more = len(rows) > per_page
    rows = rows[:per_page]
    return OrdersPage(rows, _cursor(rows[-1]) if more and rows else None)


def own_order(client_id: int, order_id: int) -> Order | None:
    """The order with what its page shows, only when it is this client's."""
    return db.session.scalar(
        select(Order)
        .where(Order.id == order_id, Order.client_id == client_id)
        .options(
            joinedload(Order.type),
            joinedload(Order.status),
            joinedload(Order.delivery_address),
            joinedload(Order.payment_method),
            joinedload(Order.payment_term),
            selectinload(Order.items),
            selectinload(Order.status_changes).joinedload(OrderStatusChange.to_status),
        )
    )


def own_address(client_id: int, address_id: int) -> Address | None:
    return db.session.scalar(
        select(Address).where(Address.id == address_id, Address.client_id == client_id)
    )
