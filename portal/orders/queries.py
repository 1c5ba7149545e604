"""Reading orders: a client's tab, one order with its history, the recent list."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from portal import db
from portal.orders.models import Order, OrderStatus, OrderStatusChange, OrderType

MAX_TAB_ORDERS = 200


def order_types(*, active_only: bool = False) -> list[OrderType]:
    query = select(OrderType).order_by(OrderType.position, OrderType.name)
    if active_only:
        query = query.where(OrderType.is_active.is_(True))
    return list(db.session.scalars(query))


def order_statuses(*, active_only: bool = False) -> list[OrderStatus]:
    query = select(OrderStatus).order_by(OrderStatus.position, OrderStatus.name)
    if active_only:
        query = query.where(OrderStatus.is_active.is_(True))
    return list(db.session.scalars(query))


def default_type_id() -> int | None:
    first = order_types(active_only=True)
    return first[0].id if first else None


def default_status_id() -> int | None:
    first = order_statuses(active_only=True)
    return first[0].id if first else None


def _with_lines(query):
    return query.options(
        joinedload(Order.type), joinedload(Order.status), selectinload(Order.items)
    )


def orders_of_client(client_id: int, *, offset: int = 0, limit: int = MAX_TAB_ORDERS):
    """Newest first, with type, status and items loaded (the Pedidos tab, the API list)."""
    query = (
        _with_lines(select(Order))
        .where(Order.client_id == client_id)
        .order_by(Order.created_at.desc(), Order.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list(db.session.scalars(query).unique())


def load_order(order_id: int) -> Order | None:
    return db.session.scalar(
        _with_lines(select(Order))
        .where(Order.id == order_id)
        .options(
            selectinload(Order.status_changes).options(
                joinedload(OrderStatusChange.from_status),
                joinedload(OrderStatusChange.to_status),
            ),
            joinedload(Order.client),
        )
    )


def recent_orders(page: int = 1, per_page: int = 25) -> tuple[list[Order], bool]:
    page = max(1, min(page, 10_000))
    rows = list(
        db.session.scalars(
            select(Order)
            .options(joinedload(Order.type), joinedload(Order.status), joinedload(Order.client))
            .order_by(Order.created_at.desc(), Order.id.desc())
            .offset((page - 1) * per_page)
            .limit(per_page + 1)
        ).unique()
    )
    return rows[:per_page], len(rows) > per_page
