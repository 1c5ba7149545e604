"""Phone numbers: stored in E.164 (+5511987654321), shown as (11) 98765-4321."""

from functools import lru_cache

import phonenumbers

from portal.errors import DomainError
from portal.i18n import _

MAX_TYPED_LENGTH = 30


def normalize_phone(raw: str | None, field: str = "number") -> str:
    """E.164 for a Brazilian number (DDD required) or an international one starting with +."""
    value = (raw or "").strip()
    if not value:
        raise DomainError(_("Enter the phone number."), field=field)
    if len(value) > MAX_TYPED_LENGTH:
        raise DomainError(
            _("Phone too long: type the area code (DDD) and the number."), field=field
        )
    try:
        parsed = phonenumbers.parse(value, "BR")
    except phonenumbers.NumberParseException:
        raise DomainError(
            _("Invalid phone: type the area code (DDD) and the number, such as (11) 98765-4321."),
            field=field,
        ) from None
    if not phonenumbers.is_valid_number(parsed):
        raise DomainError(
            _("Invalid phone: check the area code (DDD) and the number of digits."), field=field
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def format_phone(number: str | None) -> str:
    """Brazilian numbers in the national format, others in the international one."""
    if not number:
        return ""
    return _formatted(number)


@lru_cache(maxsize=8192)
def _formatted(number: str) -> str:
    # A pure function of the stored text, and parsing is the costliest part of a list row
    # (~0.2 ms each): the numbers shown recently are kept formatted.
    try:
        parsed = phonenumbers.parse(number, "BR")
    except phonenumbers.NumberParseException:
        return number
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 55
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, fmt)
