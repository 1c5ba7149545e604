"""The two configurable lists of orders: Tipos de Pedido and Situações do Pedido.

Rows are ordered by hand and one of each list stays active (an order always has a type and
a status to start from). A status may count as a purchase: the first order reaching such a
status turns the lead into an active client (see `service`).
"""

from portal.i18n import _l, lazy_pgettext
from portal.named_lists import EntryInput, Field, NamedList, Noun
from portal.orders.models import OrderStatus, OrderType

__all__ = ["KINDS", "STATUSES", "TYPES", "EntryInput"]

TYPES = NamedList(
    "tipos",
    OrderType,
    Noun(
        lazy_pgettext("list noun", "Order type"),
        lazy_pgettext("list noun", "Order types"),
        "m",
    ),
    require_active=True,
    intro=_l("What the client wants with the order (order, quote, return, payment receipt)."),
)
STATUSES = NamedList(
    "situacoes",
    OrderStatus,
    Noun(
        lazy_pgettext("list noun", "Order status"),
        lazy_pgettext("list noun", "Order statuses"),
        "f",
    ),
    fields=(
        Field(
            "counts_as_purchase",
            _l("Counts as a purchase"),
            column=_l("Counts as a purchase"),
            help=_l(
                "Mark the statuses in which the order already is a purchase (paid, shipped, "
                "delivered)."
            ),
        ),
    ),
    require_active=True,
    intro=_l(
        "Which stage the order is at, in the order of the list. “Counts as a purchase” makes "
        "the first order in that status turn the lead into an active client."
    ),
)
KINDS = {kind.slug: kind for kind in (TYPES, STATUSES)}
