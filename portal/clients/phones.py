"""Phone numbers of a client or a contact: the typed rows checked, then written in place."""

from dataclasses import dataclass

from portal.brazil.phones import normalize_phone
from portal.clients import limits
from portal.clients.models import Phone
from portal.errors import ErrorCollector
from portal.i18n import _
from portal.text import clean_text

PHONE_KINDS = ("Celular", "Comercial", "Residencial")  # stored values (data), not labels
MAX_PHONES = 20


@dataclass
class PhoneInput:
    number: str
    kind: str = "Celular"
    consent_sms: bool = False
    consent_whatsapp: bool = False
    consent_viber: bool = False
    ref: str | None = None  # where errors point (form row name); default "phones-<index>"


def check_phones(phones: list[PhoneInput], errors: ErrorCollector, prefix: str):
    """Each row normalised (errors named `<prefix>-<index>-number`); repeats refused."""
    if len(phones) > MAX_PHONES:
        errors.add(_("Use at most %(max)s phones.", max=MAX_PHONES), prefix)
        return []
    checked = []
    seen = set()
    for index, phone in enumerate(phones):
        ref = phone.ref or f"{prefix}-{index}"
        number = errors.check(normalize_phone, phone.number, f"{ref}-number")
        kind = errors.check(
            clean_text,
            phone.kind,
            f"{ref}-kind",
            _("the phone type"),
            limits.PHONE_KIND,
            required=True,
        )
        if number and number in seen:
            errors.add(_("Repeated phone."), f"{ref}-number")
        if number and kind:
            seen.add(number)
            checked.append((number, kind, phone))
    return checked


def replace_phones(current: list[Phone], checked) -> None:
    """`current` becomes the checked rows, keeping the rows whose number stays."""
    by_number = {phone.number: phone for phone in current}
    current.clear()
    for position, (number, kind, data) in enumerate(checked):
        phone = by_number.get(number) or Phone(number=number)
        phone.kind = kind
        phone.position = position
        phone.consent_sms = bool(data.consent_sms)
        phone.consent_whatsapp = bool(data.consent_whatsapp)
        phone.consent_viber = bool(data.consent_viber)
        current.append(phone)
