"""The lists every shop starts with (the migration inserts the same; tests and demo reuse it)."""

from sqlalchemy import func, select

from portal import db
from portal.orders.models import OrderStatus, OrderType

ORDER_TYPES = ["Pedido", "Orçamento", "Devolução", "Recibo de pagamento"]
ORDER_STATUSES = [
    ("Aguardando pagamento", False),
    ("Pago", True),
    ("Em separação", True),
    ("Enviado", True),
    ("Entregue", True),
    ("Cancelado", False),
]


def ensure_defaults() -> None:
    """Insert the starting lists when they are empty (flushes; the caller commits)."""
    if not db.session.scalar(select(func.count()).select_from(OrderType)):
        for i, name in enumerate(ORDER_TYPES, start=1):
            db.session.add(OrderType(name=name, position=i * 10, is_active=True))
    if not db.session.scalar(select(func.count()).select_from(OrderStatus)):
        for i, (name, counts) in enumerate(ORDER_STATUSES, start=1):
            db.session.add(
                OrderStatus(name=name, position=i * 10, counts_as_purchase=counts, is_active=True)
            )
    db.session.flush()
