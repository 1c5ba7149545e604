"""Checking an order's input against the rules and the shop's lists, every error at once.

Create, batch create and edit all go through `check`, so the back office and the API accept
exactly the same orders. `OrderChoices` reads each list once per use case (a batch of 100
orders reads the types and statuses once), inside the caller's session, and keeps what it
read alive so the identity map does not forget it between orders.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from portal import db
from portal.clients import service as clients
from portal.clients.models import Address, Client
from portal.errors import ErrorCollector
from portal.i18n import _
from portal.lookups.models import PaymentMethod, PaymentTerm
from portal.orders import queries, rules
from portal.orders.models import OrderStatus, OrderType
from portal.text import clean_text

ZERO = Decimal("0.00")


@dataclass
class ItemInput:
    code: str | None
    description: str | None
    quantity: object
    unit_price: object
    discount: object = None
    ref: str | None = None  # where errors point; default "items-<index>"


@dataclass
class OrderInput:
    type_id: int | None
    status_id: int | None
    items: list[ItemInput] = field(default_factory=list)
    shipping: object = None
    delivery_address_id: int | None = None
    payment_method_id: int | None = None
    payment_term_id: int | None = None


@dataclass
class Checked:
    """An order's values after every rule passed: what gets written."""

    type: OrderType
    status: OrderStatus
    address: Address | None
    payment_method_id: int | None
    payment_term_id: int | None
    shipping: Decimal
    items: list[dict]
    items_total: Decimal = ZERO
    discount_total: Decimal = ZERO
    total: Decimal = ZERO

    def __post_init__(self) -> None:
        self.discount_total = sum((i["discount"] for i in self.items), ZERO)
        self.items_total = sum((i["total"] + i["discount"] for i in self.items), ZERO)
        self.total = self.items_total - self.discount_total + self.shipping


class OrderChoices:
    """The lists an order picks from, read once per use case (not per order)."""

    def __init__(self) -> None:
        self._types: dict[int, OrderType] | None = None
        self._statuses: dict[int, OrderStatus] | None = None
        self._rows: dict[tuple, object] = {}

    def types(self) -> dict[int, OrderType]:
        if self._types is None:
            self._types = {t.id: t for t in queries.order_types()}
        return self._types

    def statuses(self) -> dict[int, OrderStatus]:
        if self._statuses is None:
            self._statuses = {s.id: s for s in queries.order_statuses()}
        return self._statuses

    def default_type_id(self) -> int | None:
        return next((t.id for t in self.types().values() if t.is_active), None)

    def default_status_id(self) -> int | None:
        return next((s.id for s in self.statuses().values() if s.is_active), None)

    def get(self, model, entry_id):
        key = (model, entry_id)
        if key not in self._rows:
            self._rows[key] = db.session.get(model, entry_id)
        return self._rows[key]

    def client(self, client_id: int) -> Client:
        """The client (NotFound when missing), with its addresses when they get read."""
        key = (Client, client_id)
        if key not in self._rows:
            self._rows[key] = clients.get_client(client_id)
        return self._rows[key]


def check(client: Client, data: OrderInput, choices: OrderChoices, current=None) -> Checked:
    """Validate every field (raises InvalidInput listing all of them); `current` when editing."""
    errors = ErrorCollector()
    order_type = _check_entry(
        choices.types(), data.type_id, current and current.type_id, errors,
        _("Choose the order type (an active type from the list)."), "type_id",
    )  # fmt: skip
    status = check_status(data.status_id, current and current.status_id, choices, errors)
    items = _check_items(data.items, errors)
    shipping = errors.check(rules.money, data.shipping, "shipping", _("Shipping"))
    address = _check_address(
        client, data.delivery_address_id, current and current.delivery_address_id, errors
    )
    method = _check_lookup(
        choices, PaymentMethod, data.payment_method_id, current and current.payment_method_id,
        errors, "payment_method_id", _("Choose an active payment method from the list."),
    )  # fmt: skip
    term = _check_lookup(
        choices, PaymentTerm, data.payment_term_id, current and current.payment_term_id,
        errors, "payment_term_id", _("Choose an active payment term from the list."),
    )  # fmt: skip
    if items and shipping is not None:
        total = sum((i["total"] for i in items), ZERO) + shipping
        if total > rules.MAX_MONEY:
            errors.add(rules.too_high(_("The order total")), "items")
    errors.raise_if_any()
    return Checked(order_type, status, address, method, term, shipping, items)


def check_status(status_id, current_id, choices: OrderChoices, errors) -> OrderStatus | None:
    return _check_entry(
        choices.statuses(), status_id, current_id, errors,
        _("Choose the order status (an active status from the list)."), "status_id",
    )  # fmt: skip


def _check_entry(entries: dict, entry_id, current_id, errors, message: str, field_name: str):
    entry = entries.get(entry_id) if isinstance(entry_id, int) else None
    if entry is None or (not entry.is_active and entry.id != current_id):
        errors.add(message, field_name)
        return None
    return entry


def _check_lookup(choices, model, new_id, current_id, errors, field_name: str, message: str):
    if new_id is None:
        return None
    entry = choices.get(model, new_id) if isinstance(new_id, int) else None
    if entry is None or (not entry.is_active and new_id != current_id):
        errors.add(message, field_name)
        return None
    return new_id


def _check_address(client: Client, address_id, current_id, errors) -> Address | None:
    if address_id is None:
        return None
    address = db.session.get(Address, address_id) if isinstance(address_id, int) else None
    if (
        address is None
        or address.client_id != client.id
        or (not address.is_active and address.id != current_id)
    ):
        errors.add(_("Choose an active delivery address of this client."), "delivery_address_id")
        return None
    return address


def _check_items(items: list[ItemInput], errors: ErrorCollector) -> list[dict]:
    if not items:
        errors.add(_("Add at least one item to the order."), "items")
        return []
    if len(items) > rules.MAX_ITEMS:
        errors.add(_("Use at most %(max)s items per order.", max=rules.MAX_ITEMS), "items")
        return []
    checked = []
    for index, item in enumerate(items):
        ref = item.ref or f"items-{index}"
        before = len(errors.errors)
        code = errors.check(
            clean_text,
            item.code,
            f"{ref}-code",
            _("the item code"),
            rules.MAX_ITEM_CODE,
            required=True,
        )
        description = errors.check(
            clean_text,
            item.description,
            f"{ref}-description",
            _("the item description"),
            rules.MAX_ITEM_DESCRIPTION,
            required=True,
        )
        qty = errors.check(rules.quantity, item.quantity, f"{ref}-quantity")
        price = errors.check(
            rules.money, item.unit_price, f"{ref}-unit_price", _("Item unit price"), required=True
        )
        discount = errors.check(rules.money, item.discount, f"{ref}-discount", _("Discount"))
        if len(errors.errors) > before:
            continue
        gross = rules.line_total(qty, price, ZERO)
        if gross > rules.MAX_MONEY:  # quantity x price past what a total may hold
            errors.add(rules.too_high(_("The item's value (quantity × price)")), f"{ref}-quantity")
            continue
        if discount > gross:
            errors.add(
                _("The discount cannot be greater than the item's value."), f"{ref}-discount"
            )
            continue
        checked.append(
            {
                "code": code,
                "description": description,
                "quantity": qty,
                "unit_price": price,
                "discount": discount,
                "total": gross - discount,
            }
        )
    return checked
