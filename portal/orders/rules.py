"""Pure checks for orders: exact money and quantities, item lines and totals.

Forms and the API both call these, so "R$ 1.234,56", "1234.56" and a JSON number all end up
as the same Decimal, and the messages say what to fix.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from portal.errors import DomainError
from portal.i18n import _

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
MAX_MONEY = Decimal("9999999999.99")
MAX_QUANTITY = Decimal("999999.999")
MAX_ITEMS = 200
# Typed lengths (the rules' messages and the browser's maxlength both read these).
MAX_ITEM_CODE = 60
MAX_ITEM_DESCRIPTION = 300
MAX_NUMBER_TEXT = 30  # a typed quantity or amount: "9.999.999.999,99"

_BR_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$")


def parse_decimal(value, field: str, label: str) -> Decimal | None:
    """A Decimal from a JSON number, "1234.56", "1.234,56" or "R$ 1.234,56"; None when empty.

    Floats are refused: they already lost the exact value before reaching us.
    """
    if value is None:
        return None
    if isinstance(value, bool | float):
        raise DomainError(
            _('%(label)s: send the value as text, like "12.34".', label=label), field=field
        )
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str):
        text = value.replace("R$", "").replace("\u00a0", "").strip().replace(" ", "")
        if not text:
            return None
        if _BR_NUMBER.match(text):
            text = text.replace(".", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise DomainError(_invalid(label), field=field) from None
    else:
        raise DomainError(_invalid(label), field=field)
    if not number.is_finite():
        raise DomainError(_invalid(label), field=field)
    return number


def _invalid(label: str) -> str:
    return _("%(label)s: invalid value; use numbers, like 1234.56.", label=label)


def money(value, field: str, label: str, *, required: bool = False) -> Decimal:
    """Non-negative money with at most 2 decimal places (never rounded silently)."""
    number = parse_decimal(value, field, label)
    if number is None:
        if required:
            raise DomainError(_("Enter %(label)s.", label=label.lower()), field=field)
        return Decimal("0.00")
    if number < 0:
        raise DomainError(_("%(label)s cannot be negative.", label=label), field=field)
    if number > MAX_MONEY:
        raise DomainError(
            _("%(label)s: value too high (at most %(max)s).", label=label, max=MAX_MONEY),
            field=field,
        )
    if number != number.quantize(CENT):
        raise DomainError(
            _("%(label)s: use at most 2 decimal places (cents).", label=label), field=field
        )
    return number.quantize(CENT)


def too_high(label: str) -> str:
    """Totals are capped like any money value (they are stored as a count of cents)."""
    return _(
        "%(label)s is too high: at most R$ %(max)s per order.",
        label=label,
        max=format(MAX_MONEY, ",.2f").replace(",", "X").replace(".", ",").replace("X", "."),
    )


def quantity(value, field: str) -> Decimal:
    number = parse_decimal(value, field, _("Quantity"))
    if number is None:
        raise DomainError(_("Enter the quantity."), field=field)
    if number <= 0:
        raise DomainError(_("The quantity must be greater than zero."), field=field)
    if number > MAX_QUANTITY:
        raise DomainError(_("Quantity too high (at most %(max)s).", max=MAX_QUANTITY), field=field)
    if number != number.quantize(MILLI):
        raise DomainError(_("Quantity: use at most 3 decimal places."), field=field)
    return number.quantize(MILLI)


def line_total(quantity_: Decimal, unit_price: Decimal, discount: Decimal) -> Decimal:
    """Quantity times unit price, rounded to the cent (half up), minus the line's discount."""
    return (quantity_ * unit_price).quantize(CENT, rounding=ROUND_HALF_UP) - discount


def format_number(number: int) -> str:
    """The order number as people see it: #000123."""
    return f"#{number:06d}"


def parse_number(text: str) -> int | None:
    """'#000123', '000123' or '123' -> 123 (None when it is not a number)."""
    digits = (text or "").strip().lstrip("#")
    return int(digits) if digits.isdigit() and len(digits) <= 9 else None
