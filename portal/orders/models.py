"""The order aggregate: order, items and status history; the two configurable lists."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from portal.clients.models import Address, Client
from portal.db import Base, UTCDateTime, utcnow
from portal.lookups.models import PaymentMethod, PaymentTerm
from portal.staff.models import StaffUser


class Fixed(TypeDecorator):
    """An exact Decimal stored as an integer count of 10**-scale units (cents for money).

    SQLite has no exact decimal type (NUMERIC becomes a float there); integers are exact on
    every engine, so the column names say the unit (`total_cents`, `quantity_milli`).
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, scale: int):
        super().__init__()
        self.scale = scale
        self._unit = Decimal(1).scaleb(-scale)

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        return int(Decimal(value).quantize(self._unit).scaleb(self.scale))

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.scale).quantize(self._unit)


def money_column(name: str):
    return mapped_column(f"{name}_cents", Fixed(2), default=Decimal("0.00"))


class OrderType(Base):
    """Tipo de Pedido: what the client wants (Pedido, Orçamento, Devolução...)."""

    __tablename__ = "clientela_order_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class OrderStatus(Base):
    """Situação do Pedido: an ordered list; `counts_as_purchase` turns a lead into a client."""

    __tablename__ = "clientela_order_statuses"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    counts_as_purchase: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class OrderCounter(Base):
    """One row per sequence; `UPDATE ... SET value = value + 1 RETURNING` hands out numbers."""

    __tablename__ = "clientela_order_counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Order(Base):
    __tablename__ = "clientela_orders"
    __table_args__ = (
        Index("clientela_ix_orders_client_id_created_at", "client_id", "created_at"),
        Index("clientela_ix_orders_status_id", "status_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clientela_clients.id"))
    type_id: Mapped[int] = mapped_column(ForeignKey("clientela_order_types.id"))
    status_id: Mapped[int] = mapped_column(ForeignKey("clientela_order_statuses.id"))
    delivery_address_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_addresses.id"))
    payment_method_id: Mapped[int | None] = mapped_column(
        ForeignKey("clientela_payment_methods.id")
    )
    payment_term_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_payment_terms.id"))
    origin: Mapped[str] = mapped_column(String(20), default="staff")
    items_total: Mapped[Decimal] = money_column("items_total")
    discount_total: Mapped[Decimal] = money_column("discount_total")
    shipping: Mapped[Decimal] = money_column("shipping")
    total: Mapped[Decimal] = money_column("total")
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    client: Mapped[Client] = relationship()
    type: Mapped[OrderType] = relationship()
    status: Mapped[OrderStatus] = relationship()
    delivery_address: Mapped[Address | None] = relationship()
    payment_method: Mapped[PaymentMethod | None] = relationship()
    payment_term: Mapped[PaymentTerm | None] = relationship()
    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.position"
    )
    status_changes: Mapped[list["OrderStatusChange"]] = relationship(
        back_populates="order",
        cascade="all, delete-orphan",
        order_by="OrderStatusChange.id",
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def display_number(self) -> str:
        return f"#{self.number:06d}"


class OrderItem(Base):
    __tablename__ = "clientela_order_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("clientela_orders.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    code: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column("quantity_milli", Fixed(3))
    unit_price: Mapped[Decimal] = money_column("unit_price")
    discount: Mapped[Decimal] = money_column("discount")
    total: Mapped[Decimal] = money_column("total")

    order: Mapped[Order] = relationship(back_populates="items")


class OrderStatusChange(Base):
    """Who moved the order from which status to which, and when (staff or an API key)."""

    __tablename__ = "clientela_order_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("clientela_orders.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_staff_users.id"))
    actor_label: Mapped[str] = mapped_column(String(200))
    from_status_id: Mapped[int | None] = mapped_column(ForeignKey("clientela_order_statuses.id"))
    to_status_id: Mapped[int] = mapped_column(ForeignKey("clientela_order_statuses.id"))

    order: Mapped[Order] = relationship(back_populates="status_changes")
    staff: Mapped[StaffUser | None] = relationship()
    from_status: Mapped[OrderStatus | None] = relationship(foreign_keys=[from_status_id])
    to_status: Mapped[OrderStatus] = relationship(foreign_keys=[to_status_id])
