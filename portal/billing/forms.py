"""Back-office forms of billing: the account, mark a boleto paid, upload a retorno. Fields
are text; every rule (and its Portuguese message) lives in `accounts` / `status`."""

from datetime import date, datetime

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField

from portal.billing import accounts
from portal.errors import DomainError
from portal.i18n import _, _l


def _text(label, maxlength: int, **kw):
    return StringField(label, render_kw={"maxlength": maxlength, **kw})


class AccountForm(FlaskForm):
    name = _text(_l("Name (how the back office calls it)"), 120)
    bank_code = SelectField(_l("Bank"), choices=[], validate_choice=False)
    agency = _text(_l("Agency"), 5, inputmode="numeric")
    agency_digit = _text(_l("Agency check digit"), 1)
    account = _text(_l("Account"), 12, inputmode="numeric")
    account_digit = _text(_l("Account check digit"), 1)
    carteira = _text(_l("Carteira"), 3, inputmode="numeric")
    convenio = _text(_l("Convênio / beneficiary code"), 9, inputmode="numeric")
    modalidade = _text(_l("Modalidade (Sicoob) / variação (BB)"), 3, inputmode="numeric")
    transmission_code = _text(_l("Transmission code (Santander CNAB)"), 15, inputmode="numeric")
    beneficiary_name = _text(_l("Beneficiary's name"), 120)
    beneficiary_document = _text(_l("Beneficiary's CNPJ or CPF"), 18)
    beneficiary_address = _text(_l("Beneficiary's address"), 300)
    instructions = TextAreaField(
        _l("Instructions (printed on the boleto)"),
        render_kw={"rows": 3, "maxlength": accounts.MAX_INSTRUCTIONS},
    )
    fine_percent = _text(_l("Fine (%)"), 6, inputmode="decimal", placeholder="2,00")
    interest_percent_per_day = _text(
        _l("Interest per day (%)"), 7, inputmode="decimal", placeholder="0,0333"
    )
    discount_amount = _text(_l("Discount (R$)"), 14, inputmode="decimal")
    discount_until_days = _text(
        _l("Discount until (days before the due date)"), 2, inputmode="numeric"
    )
    pix_key = _text(_l("Pix key (optional)"), 77)
    next_nosso_numero = _text(_l("Next nosso número"), 10, inputmode="numeric")
    is_default = BooleanField(_l("Default account (new orders' boletos)"))
    is_active = BooleanField(_l("Active"), default=True)
    version = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bank_code.choices = [("", _("Choose the bank")), *accounts.bank_choices()]

    def to_input(self) -> accounts.AccountInput:
        names = accounts.AccountInput.__dataclass_fields__
        return accounts.AccountInput(**{n: self[n].data for n in names})

    def load(self, account) -> None:
        for name, value in accounts.to_input(account).items():
            self[name].data = value
        self.version.data = str(account.version)

    def expected_version(self) -> int | None:
        text = self.version.data or ""
        return int(text) if text.isdigit() else None


def parse_date(text: str | None, field: str, label: str) -> date | None:
    """dd/mm/aaaa (or the browser's aaaa-mm-dd); None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise DomainError(_("%(label)s: a date such as 31/12/2026.", label=label), field=field)


class PayForm(FlaskForm):
    paid_on = StringField(_l("Payment date"), render_kw={"type": "date"})
    amount = StringField(_l("Amount paid (R$)"), render_kw={"inputmode": "decimal",
                                                            "maxlength": 16})  # fmt: skip
    fees = StringField(_l("Fees (R$)"), render_kw={"inputmode": "decimal", "maxlength": 16})
    version = HiddenField()


class CancelForm(FlaskForm):
    note = StringField(_l("Reason (optional)"), render_kw={"maxlength": 300})
    version = HiddenField()


class RetornoForm(FlaskForm):
    file = FileField(_l("Return file (CNAB 240)"))
