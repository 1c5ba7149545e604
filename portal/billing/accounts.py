"""Configurações → Contas de cobrança: the rules of a billing account, add and edit.

    account = save(None, AccountInput(...))            # flushed; the caller commits
    account = save(account.id, data, expected_version)  # StaleEdit if someone saved first

Every field is checked and every problem reported at once (`InvalidInput`, fields named as
the form's). The bank's own rules (the lengths of convênio, carteira, agência, conta; the
carteiras it knows) are checked by issuing a sample boleto with the bank's code, so the form
and the boletos can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from portal import db
from portal.billing import banks
from portal.billing.models import BillingAccount
from portal.brazil.documents import normalize_document
from portal.errors import DomainError, ErrorCollector, NotFound, StaleEdit
from portal.i18n import _
from portal.text import clean_text

# The banks' own field names -> the form's.
FIELD_OF = {
    "agencia": "agency",
    "conta": "account",
    "nosso_numero": "next_nosso_numero",
    "bank_code": "bank_code",
    "carteira": "carteira",
    "convenio": "convenio",
    "modalidade": "modalidade",
}
MAX_FINE = Decimal("20")  # CDC art. 52 caps the multa at 2%; some contracts differ: 20 is sane
MAX_INTEREST_DAY = Decimal("1")
MAX_INSTRUCTIONS = 1000


@dataclass
class AccountInput:
    name: str | None = None
    bank_code: str | None = None
    agency: str | None = None
    agency_digit: str | None = None
    account: str | None = None
    account_digit: str | None = None
    carteira: str | None = None
    convenio: str | None = None
    modalidade: str | None = None
    transmission_code: str | None = None
    beneficiary_name: str | None = None
    beneficiary_document: str | None = None
    beneficiary_address: str | None = None
    instructions: str | None = None
    fine_percent: str | None = None
    interest_percent_per_day: str | None = None
    discount_amount: str | None = None
    discount_until_days: str | None = None
    pix_key: str | None = None
    next_nosso_numero: str | None = None
    is_default: bool = False
    is_active: bool = True


def bank_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} · {bank.name}") for code, bank in sorted(banks.BANKS.items())]


def _digits(value, field: str, label: str, max_length: int, *, required=True) -> str:
    text = "".join((value or "").split())
    if not text:
        if required:
            raise DomainError(_("%(label)s: type the digits.", label=label), field=field)
        return ""
    if not text.isascii() or not text.isdigit() or len(text) > max_length:
        raise DomainError(
            _("%(label)s: digits only, up to %(length)s.", label=label, length=max_length),
            field=field,
        )
    return text


def _check_digit(value, field: str, label: str) -> str:
    text = (value or "").strip().upper()
    if text and (len(text) != 1 or not (text.isdigit() or text == "X")):
        raise DomainError(
            _("%(label)s: one digit (or X), or leave it empty.", label=label), field=field
        )
    return text


def _decimal(value, field: str, label: str, places: int, maximum: Decimal, *, required=True):
    text = (value or "").strip().replace("%", "").replace("R$", "").strip()
    if not text:
        if required:
            return Decimal(0)
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or number > maximum
        or number.as_tuple().exponent < -places
    ):
        raise DomainError(
            _(
                "%(label)s: a number from 0 to %(max)s with up to %(places)s decimals, such "
                "as %(example)s.",
                label=label,
                max=format(maximum, "f").replace(".", ","),
                places=places,
                example="2,00" if places == 2 else "0,0333",
            ),
            field=field,
        )
    return number


def _int(value, field: str, label: str, minimum: int, maximum: int, *, required=True):
    text = (value or "").strip()
    if not text:
        if required:
            raise DomainError(_("%(label)s: type a whole number.", label=label), field=field)
        return None
    if not text.isascii() or not text.isdigit() or not minimum <= int(text) <= maximum:
        raise DomainError(
            _(
                "%(label)s: a whole number from %(min)s to %(max)s.",
                label=label,
                min=minimum,
                max=maximum,
            ),
            field=field,
        )
    return int(text)


def _pix_key(value) -> str | None:
    text = (value or "").strip()
    if not text:
        return None
    if len(text) > 77 or any(ch.isspace() for ch in text) or not text.isprintable():
        raise DomainError(
            _(
                "Pix key: a CPF/CNPJ, e-mail, phone (+55...) or random key, up to 77 "
                "characters without spaces."
            ),
            field="pix_key",
        )
    return text


def check(data: AccountInput, *, creating: bool) -> dict:
    """The values to store, or InvalidInput naming every field that is wrong."""
    errors = ErrorCollector()
    values: dict = {}
    values["name"] = errors.check(clean_text, data.name, "name", _("the name"), 120, required=True)
    code = (data.bank_code or "").strip()
    if code not in banks.BANKS:
        errors.check(banks.bank_for, code or "000")
        code = None
    values["bank_code"] = code
    values["agency"] = errors.check(_digits, data.agency, "agency", _("Agency"), 5)
    values["agency_digit"] = errors.check(
        _check_digit, data.agency_digit, "agency_digit", _("Agency check digit")
    )
    values["account"] = errors.check(_digits, data.account, "account", _("Account"), 12)
    values["account_digit"] = errors.check(
        _check_digit, data.account_digit, "account_digit", _("Account check digit")
    )
    values["carteira"] = errors.check(
        _digits, data.carteira, "carteira", _("Carteira"), 3, required=False
    )
    values["convenio"] = errors.check(
        _digits, data.convenio, "convenio", _("Convênio / beneficiary code"), 9, required=False
    )
    values["modalidade"] = errors.check(
        _digits, data.modalidade, "modalidade", _("Modalidade"), 3, required=False
    )
    values["transmission_code"] = errors.check(
        _digits, data.transmission_code, "transmission_code", _("Transmission code"), 15,
        required=False,
    )  # fmt: skip
    values["beneficiary_name"] = errors.check(
        clean_text, data.beneficiary_name, "beneficiary_name", _("the beneficiary's name"), 120,
        required=True,
    )  # fmt: skip
    document = errors.check(normalize_document, data.beneficiary_document, "beneficiary_document")
    if document is None and not any(e.field == "beneficiary_document" for e in errors.errors):
        errors.add(
            _("Beneficiary's CNPJ or CPF: type it (it is printed on every boleto)."),
            "beneficiary_document",
        )
    values["beneficiary_document"] = document
    values["beneficiary_address"] = errors.check(
        clean_text, data.beneficiary_address, "beneficiary_address",
        _("the beneficiary's address"), 300, required=True,
    )  # fmt: skip
    values["instructions"] = (
        errors.check(
            clean_text,
            data.instructions,
            "instructions",
            _("the instructions"),
            MAX_INSTRUCTIONS,
            multiline=True,
            plural=True,
        )
        or ""
    )
    values["fine_percent"] = errors.check(
        _decimal, data.fine_percent, "fine_percent", _("Fine (%)"), 2, MAX_FINE
    )
    values["interest_percent_per_day"] = errors.check(
        _decimal, data.interest_percent_per_day, "interest_percent_per_day",
        _("Interest per day (%)"), 4, MAX_INTEREST_DAY,
    )  # fmt: skip
    values["discount_amount"] = errors.check(
        _decimal, data.discount_amount, "discount_amount", _("Discount (R$)"), 2,
        Decimal("99999999.99"), required=False,
    )  # fmt: skip
    values["discount_until_days"] = errors.check(
        _int, data.discount_until_days, "discount_until_days",
        _("Discount until (days before the due date)"), 0, 60, required=False,
    )  # fmt: skip
    if (
        values.get("discount_amount")
        and values.get("discount_until_days") is None
        and not any(e.field == "discount_until_days" for e in errors.errors)
    ):
        errors.add(
            _("Discount until: how many days before the due date the discount holds."),
            "discount_until_days",
        )
    if not values.get("discount_amount"):
        values["discount_amount"] = None
        values["discount_until_days"] = None
    values["pix_key"] = errors.check(_pix_key, data.pix_key)
    if creating:
        values["next_nosso_numero"] = errors.check(
            _int, data.next_nosso_numero or "1", "next_nosso_numero", _("Next nosso número"),
            1, 2**31 - 2,
        )  # fmt: skip
    values["is_default"] = bool(data.is_default)
    values["is_active"] = bool(data.is_active)
    # The bank's own rules, once the fields they use are well formed.
    used = ("bank_code", "agency", "account", "carteira", "convenio", "modalidade")
    if not any(e.field in used for e in errors.errors):
        errors.check(_check_bank, values, values.get("next_nosso_numero") or 1)
    errors.raise_if_any()
    return values


def _check_bank(values: dict, sequence: int) -> None:
    account = banks.Account(
        bank_code=values["bank_code"], agencia=values["agency"], conta=values["account"],
        agencia_dv=values["agency_digit"] or "", conta_dv=values["account_digit"] or "",
        carteira=values["carteira"] or "", convenio=values["convenio"] or "",
        modalidade=values["modalidade"] or "",
    )  # fmt: skip
    try:
        banks.issue(account, sequence, date.today() + timedelta(days=30), Decimal("1.00"))
    except DomainError as exc:
        exc.field = FIELD_OF.get(exc.field or "", exc.field or "carteira")
        bank = banks.bank_for(values["bank_code"]).name
        raise DomainError(
            _("%(bank)s: %(message)s", bank=bank, message=exc.message)
            if not exc.message.startswith(bank)
            else exc.message,
            field=exc.field,
        ) from None


def get_account(account_id: int) -> BillingAccount:
    account = db.session.get(BillingAccount, account_id)
    if account is None:
        raise NotFound(_("Billing account not found."))
    return account


@db.stale_as_edit()
def save(
    account_id: int | None, data: AccountInput, expected_version: int | None = None
) -> BillingAccount:
    values = check(data, creating=account_id is None)
    taken = select(BillingAccount.id).where(
        func.lower(BillingAccount.name) == values["name"].lower()
    )
    if account_id is not None:
        taken = taken.where(BillingAccount.id != account_id)
    if db.session.scalar(taken.limit(1)) is not None:
        raise DomainError(_("Another billing account already has this name."), field="name")
    if account_id is None:
        account = BillingAccount()
        db.session.add(account)
    else:
        account = get_account(account_id)
        if expected_version is not None and account.version != expected_version:
            raise StaleEdit()
    for name, value in values.items():
        setattr(account, name, value)
    if account.is_default:
        for other in db.session.scalars(
            select(BillingAccount).where(BillingAccount.is_default.is_(True))
        ):
            if other is not account:
                other.is_default = False
    db.session.flush()
    return account


def to_input(account: BillingAccount) -> dict:
    """The form's values for an account (decimals the Brazilian way)."""

    def br(value) -> str:
        return "" if value is None else format(value, "f").replace(".", ",")

    return {
        "name": account.name, "bank_code": account.bank_code, "agency": account.agency,
        "agency_digit": account.agency_digit, "account": account.account,
        "account_digit": account.account_digit, "carteira": account.carteira,
        "convenio": account.convenio, "modalidade": account.modalidade,
        "transmission_code": account.transmission_code,
        "beneficiary_name": account.beneficiary_name,
        "beneficiary_document": account.beneficiary_document,
        "beneficiary_address": account.beneficiary_address,
        "instructions": account.instructions, "fine_percent": br(account.fine_percent),
        "interest_percent_per_day": br(account.interest_percent_per_day),
        "discount_amount": br(account.discount_amount),
        "discount_until_days": "" if account.discount_until_days is None
        else str(account.discount_until_days),
        "pix_key": account.pix_key or "", "next_nosso_numero": str(account.next_nosso_numero),
        "is_default": account.is_default, "is_active": account.is_active,
    }  # fmt: skip
