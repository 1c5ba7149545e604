"""Order use cases: create (one or a batch), edit in the popup, change status.

They flush; the caller commits. Creating writes with a few Core statements (one INSERT per
table, many rows each) instead of the unit of work per row, and answers with what it wrote
(`NewOrder`), so nobody reloads an order that is still in memory.
"""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal import db
from portal.clients import service as clients
from portal.clients.models import ADDRESS_DEFAULT, Client
from portal.db import utcnow
from portal.errors import DomainError, ErrorCollector, InvalidInput, NotFound, StaleEdit
from portal.i18n import _
from portal.orders import queries, rules
from portal.orders.models import (
    Order,
    OrderCounter,
    OrderItem,
    OrderStatus,
    OrderStatusChange,
    OrderType,
)
from portal.orders.validation import Checked, OrderChoices, OrderInput, check, check_status
from portal.staff.models import StaffUser

COUNTER = "orders"
ORIGIN_STAFF = "staff"
ORIGIN_API = "api"
MAX_BATCH = 100


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member (back office) or an API key (the shop), as history shows it."""

    label: str
    staff: StaffUser | None = None

    @classmethod
    def of_staff(cls, staff: StaffUser) -> "Actor":
        return cls(label=staff.display_name, staff=staff)


@dataclass(frozen=True)
class NewItem:
    code: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    total: Decimal


@dataclass(frozen=True)
class NewStatusChange:
    at: datetime
    actor_label: str
    to_status: OrderStatus
    from_status_id: None = None
    from_status: None = None

    @property
    def to_status_id(self) -> int:
        return self.to_status.id


@dataclass(frozen=True)
class NewOrder:
    """A just-created order as written (same attribute names as `Order`, read-only)."""

    id: int
    number: int
    client_id: int
    type: OrderType
    status: OrderStatus
    items: list[NewItem]
    items_total: Decimal
    discount_total: Decimal
    shipping: Decimal
    total: Decimal
    delivery_address_id: int | None
    payment_method_id: int | None
    payment_term_id: int | None
    origin: str
    created_at: datetime
    status_changes: list[NewStatusChange] = field(default_factory=list)
    version: int = 1

    type_id = property(lambda self: self.type.id)
    status_id = property(lambda self: self.status.id)
    item_count = property(lambda self: len(self.items))
    updated_at = property(lambda self: self.created_at)
    display_number = property(lambda self: rules.format_number(self.number))


@dataclass(frozen=True)
class OrderDefaults:
    """What a new order for a client starts with, before anybody types."""

    type_id: int | None
    status_id: int | None
    payment_method_id: int | None
    payment_term_id: int | None
    delivery_address_id: int | None


def defaults_for_new_order(client: Client) -> OrderDefaults:
    """The first active type and status, the client's payment choices and delivery address
    (the same defaults `create_order` applies to what an input leaves out)."""
    return OrderDefaults(
        type_id=queries.default_type_id(),
        status_id=queries.default_status_id(),
        payment_method_id=client.payment_method_id,
        payment_term_id=client.payment_term_id,
        delivery_address_id=default_address_id(client),
    )


def default_address_id(client: Client) -> int | None:
    """The client's active default address, else any active one, else None."""
    active = [a for a in client.addresses if a.is_active]
    default = [a for a in active if a.kind == ADDRESS_DEFAULT]
    chosen = (default or active or [None])[0]
    return chosen.id if chosen else None


def get_order(order_id: int, *, lock: bool = False) -> Order:
    """The order; `lock`: as stored now, its row locked until the commit (PostgreSQL), so
    concurrent changes of one order queue and each applies on top of the one before."""
    if lock:
        order = db.session.scalars(
            select(Order)
            .where(Order.id == order_id)
            .with_for_update(of=Order)
            .execution_options(populate_existing=True)
        ).one_or_none()
    else:
        order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("Order not found."))
    return order


def create_order(
    client_id: int,
    data: OrderInput,
    actor: Actor,
    origin: str = ORIGIN_STAFF,
    choices: OrderChoices | None = None,
) -> NewOrder:
    """One order; an unknown client is NotFound. Same checks and writes as a batch of one."""
    choices = choices or OrderChoices()
    checked = _prepare(choices.client(client_id), data, choices)
    return _write([(client_id, checked)], actor, origin)[0]


def create_orders(
    entries: list[tuple[int, OrderInput]],
    actor: Actor,
    origin: str = ORIGIN_STAFF,
    choices: OrderChoices | None = None,
    prefix: str = "orders",
) -> list[NewOrder]:
    """Up to MAX_BATCH orders, all or none: every order is checked before anything is written.

    Errors of order `i` are named `<prefix>-<i>-<field>` (the API's `/orders/3/items/0/...`);
    an unknown client is an error of that order's `client_id`, not a 404 for the batch.
    """
    if not 1 <= len(entries) <= MAX_BATCH:
        raise DomainError(
            _(
                "Send from 1 to %(max)s orders per batch; split the rest into another batch.",
                max=MAX_BATCH,
            ),
            field=prefix,
        )
    choices = choices or OrderChoices()
    errors = ErrorCollector()
    prepared = []
    for index, (client_id, data) in enumerate(entries):
        try:
            checked = _prepare(choices.client(client_id), data, choices)
        except DomainError as exc:
            for error in exc.errors if isinstance(exc, InvalidInput) else [exc]:
                name = error.field or "client_id"
                errors.add(error.message, f"{prefix}-{index}-{name}")
        else:
            prepared.append((client_id, checked))
    errors.raise_if_any()
    return _write(prepared, actor, origin)


@db.stale_as_edit()  # autoflushes (items, history) may meet a concurrent save too
def update_order(order_id: int, data: OrderInput, expected_version: int, actor: Actor) -> Order:
    order = get_order(order_id, lock=True)
    if order.version != expected_version:
        raise StaleEdit()
    before = order.status
    checked = check(order.client, data, OrderChoices(), current=order)
    order.type = checked.type
    order.status = checked.status
    order.delivery_address = checked.address
    order.payment_method_id = checked.payment_method_id
    order.payment_term_id = checked.payment_term_id
    order.shipping = checked.shipping
    order.items.clear()
    for position, values in enumerate(checked.items):
        order.items.append(OrderItem(position=position, **values))
    order.item_count = len(checked.items)
    order.items_total = checked.items_total
    order.discount_total = checked.discount_total
    order.total = checked.total
    order.updated_at = utcnow()
    if checked.status.id != before.id:
        _record_status(order, before, checked.status, actor, order.updated_at)
    _flush()
    return order


@db.stale_as_edit()
def change_status(
    order_id: int, status_id: int | None, actor: Actor, expected_version: int | None = None
) -> Order:
    order = get_order(order_id, lock=True)
    if expected_version is not None and order.version != expected_version:
        raise StaleEdit()
    errors = ErrorCollector()
    status = check_status(status_id, order.status_id, OrderChoices(), errors)
    errors.raise_if_any()
    if status.id != order.status_id:
        before = order.status
        order.status = status
        order.updated_at = utcnow()
        _record_status(order, before, status, actor, order.updated_at)
        _flush()
    return order


def next_number(count: int = 1) -> int:
    """The first of `count` consecutive order numbers: one UPDATE ... RETURNING on the counter.

    On PostgreSQL the row stays locked until the transaction ends, so concurrent orders
    queue for it and never share or skip a number; `orders.number` is unique as a backstop.
    Callers take it just before their INSERTs, so the lock spans only those and the commit.
    """
    table = OrderCounter.__table__
    bump = (
        update(table)
        .where(table.c.name == COUNTER)
        .values(value=table.c.value + count)
        .returning(table.c.value)
    )
    for _attempt in range(3):
        value = db.session.execute(bump).scalar()
        if value is not None:
            return value - count + 1
        start = (db.session.scalar(select(func.max(Order.number))) or 0) + 1
        try:
            with db.session.begin_nested():
                db.session.execute(insert(table).values(name=COUNTER, value=start + count - 1))
            return start
        except IntegrityError:
            continue  # another transaction created the row first: bump it
    raise RuntimeError("order counter unavailable")


def _prepare(client: Client, data: OrderInput, choices: OrderChoices) -> Checked:
    """The client's defaults for what the input left out, then every rule."""
    if data.payment_method_id is None:
        data.payment_method_id = client.payment_method_id
    if data.payment_term_id is None:
        data.payment_term_id = client.payment_term_id
    if data.delivery_address_id is None:
        data.delivery_address_id = default_address_id(client)
    return check(client, data, choices)


def _write(prepared: list[tuple[int, Checked]], actor: Actor, origin: str) -> list[NewOrder]:
    """Rows are built first; then the number block, then one INSERT per table (many rows)."""
    now = utcnow()
    label = actor.label[:200]
    staff_id = actor.staff.id if actor.staff else None
    rows = [
        {
            "client_id": client_id,
            "type_id": c.type.id,
            "status_id": c.status.id,
            "delivery_address_id": c.address.id if c.address else None,
            "payment_method_id": c.payment_method_id,
            "payment_term_id": c.payment_term_id,
            "origin": origin,
            "items_total_cents": c.items_total,
            "discount_total_cents": c.discount_total,
            "shipping_cents": c.shipping,
            "total_cents": c.total,
            "item_count": len(c.items),
            "created_at": now,
            "updated_at": now,
            "version": 1,
        }
        for client_id, c in prepared
    ]
    orders, items, changes = Order.__table__, OrderItem.__table__, OrderStatusChange.__table__
    first = next_number(len(rows))
    for offset, row in enumerate(rows):
        row["number"] = first + offset
    # The numbers are unique, so they map the returned ids back to rows; asking for the rows'
    # order instead (sort_by_parameter_order) makes SQLite send one INSERT per row.
    returned = db.session.execute(insert(orders).returning(orders.c.number, orders.c.id), rows)
    id_of = dict(returned.all())
    ids = [id_of[row["number"]] for row in rows]
    db.session.execute(
        insert(items),
        [
            {"order_id": order_id, "position": p, "code": i["code"],
             "description": i["description"], "quantity_milli": i["quantity"],
             "unit_price_cents": i["unit_price"], "discount_cents": i["discount"],
             "total_cents": i["total"]}
            for order_id, (_client_id, c) in zip(ids, prepared, strict=True)
            for p, i in enumerate(c.items)
        ],
    )  # fmt: skip
    db.session.execute(
        insert(changes),
        [
            {"order_id": order_id, "at": now, "staff_id": staff_id, "actor_label": label,
             "from_status_id": None, "to_status_id": c.status.id}
            for order_id, (_client_id, c) in zip(ids, prepared, strict=True)
        ],
    )  # fmt: skip
    for client_id, c in prepared:
        if c.status.counts_as_purchase:
            clients.record_purchase(client_id, now)
    _flush()
    return [
        NewOrder(
            id=order_id, number=row["number"], client_id=client_id, type=c.type,
            status=c.status, items=[NewItem(**i) for i in c.items],
            items_total=c.items_total, discount_total=c.discount_total, shipping=c.shipping,
            total=c.total, delivery_address_id=row["delivery_address_id"],
            payment_method_id=c.payment_method_id, payment_term_id=c.payment_term_id,
            origin=origin, created_at=now,
            status_changes=[NewStatusChange(at=now, actor_label=label, to_status=c.status)],
        )
        for order_id, row, (client_id, c) in zip(ids, rows, prepared, strict=True)
    ]  # fmt: skip


def _record_status(order: Order, before, after: OrderStatus, actor: Actor, at: datetime) -> None:
    order.status_changes.append(
        OrderStatusChange(
            at=at,
            staff=actor.staff,
            actor_label=actor.label[:200],
            from_status_id=before.id if before else None,
            to_status_id=after.id,
        )
    )
    if after.counts_as_purchase and not (before and before.counts_as_purchase):
        clients.record_purchase(order.client_id or order.client.id, at)


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError:
        raise StaleEdit() from None


def with_list_defaults(data: OrderInput, choices: OrderChoices) -> OrderInput:
    """Type and status left out: the first active entry of each list (Pedido, the first status)."""
    if data.type_id is None:
        data.type_id = choices.default_type_id()
    if data.status_id is None:
        data.status_id = choices.default_status_id()
    return data
