"""Back-office forms for clients; every rule lives in `rules`/`service`, not here."""

from functools import lru_cache

from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import DateInput, HiddenInput, NumberInput, PasswordInput, Select, TextInput
from wtforms.widgets.core import clean_key

from portal.brazil.cep import format_cep
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone
from portal.brazil.ufs import UFS
from portal.clients import limits
from portal.clients.addresses import AddressInput
from portal.clients.contacts import ContactInput
from portal.clients.models import (
    ADDRESS_DEFAULT,
    ADDRESS_DELIVERY,
    IE_CONTRIBUTOR,
    IE_EXEMPT,
    IE_NON_CONTRIBUTOR,
    KIND_COMPANY,
    KIND_PERSON,
    Client,
)
from portal.clients.phones import PhoneInput
from portal.clients.search import ClientFilters
from portal.clients.service import ClientInput
from portal.db import MAX_ID
from portal.i18n import _, _l, lazy_pgettext
from portal.security.passwords import MAX_PASSWORD_LENGTH


def _max(length: int, **attrs) -> dict:
    """`render_kw` with the browser's `maxlength` set to the rules' own limit (`limits`)."""
    return {"maxlength": length, **attrs}


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None  # no row has it: as if not chosen


class PhoneForm(Form):
    number = StringField(
        _l("Phone"),
        render_kw=_max(limits.PHONE_NUMBER, **{"data-mask": "phone", "inputmode": "tel"}),
    )
    kind = StringField(
        _l("Type"), default="Celular", render_kw=_max(limits.PHONE_KIND, list="phone-kinds")
    )
    consent_sms = BooleanField("SMS")
    consent_whatsapp = BooleanField("WhatsApp")
    consent_viber = BooleanField("Viber")

    def to_input(self) -> PhoneInput:
        return PhoneInput(
            number=self.number.data or "",
            kind=self.kind.data or "",
            consent_sms=self.consent_sms.data,
            consent_whatsapp=self.consent_whatsapp.data,
            consent_viber=self.consent_viber.data,
            ref=self._prefix.rstrip("-") or None,
        )


def _phone_rows(form_list) -> list[PhoneInput]:
    """Phone rows the user filled in; an entirely blank row is a row they did not use."""
    rows = []
    for entry in form_list:
        if (entry.form.number.data or "").strip():
            rows.append(entry.form.to_input())
    return rows


class BrDateField(DateField):
    """A date input whose parse error says what to type, in the page's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_("Invalid date: use the format dd/mm/yyyy.")) from None


class ClientForm(FlaskForm):
    kind = RadioField(
        _l("Person type"),
        choices=[(KIND_PERSON, _l("Individual")), (KIND_COMPANY, _l("Company"))],
        default=KIND_PERSON,
        validate_choice=False,
    )
    name = StringField(_l("Name/Company name"), render_kw=_max(limits.NAME))
    trade_name = StringField(_l("Trade name"), render_kw=_max(limits.TRADE_NAME))
    status_id = SelectField(_l("Status"), coerce=optional_int, validate_choice=False)
    document = StringField(
        _l("CPF/CNPJ"),
        render_kw=_max(limits.DOCUMENT, **{"data-mask": "document", "autocomplete": "off"}),
    )
    ie_indicator = SelectField(
        _l("IE indicator"),
        choices=[
            (IE_NON_CONTRIBUTOR, _l("Not an ICMS taxpayer")),
            (IE_CONTRIBUTOR, _l("ICMS taxpayer")),
            (IE_EXEMPT, _l("Exempt taxpayer")),
        ],
        default=IE_NON_CONTRIBUTOR,
        validate_choice=False,
    )
    state_registration = StringField(
        _l("State registration"), render_kw=_max(limits.STATE_REGISTRATION)
    )
    email = StringField(
        _l("Main e-mail"),
        render_kw=_max(limits.EMAIL, inputmode="email", autocomplete="off"),
    )
    # A validation error must not clear what the clerk typed or generated: the password is
    # written back into the re-rendered form (our own page, no-store, over HTTPS in
    # production); it is never filled from the stored client (`load` blanks it).
    password = PasswordField(
        _l("Password"),
        widget=PasswordInput(hide_value=False),
        render_kw=_max(MAX_PASSWORD_LENGTH, autocomplete="new-password"),
    )
    birth_date = BrDateField(
        _l("Birth / foundation"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    notes = TextAreaField(_l("Notes"), render_kw=_max(limits.NOTES, rows=3))
    tags = StringField(
        _l("Tags"), description=_l("Separate them with commas."), render_kw=_max(limits.TAGS)
    )
    is_supplier = BooleanField(_l("Supplier"))
    has_conflict = BooleanField(_l("In conflict"))
    email_consent = BooleanField(_l("Accepts e-mails"))
    phones = FieldList(FormField(PhoneForm), min_entries=0, max_entries=20)
    profile_id = SelectField(_l("Client profile"), coerce=optional_int, validate_choice=False)
    seller_id = SelectField(_l("Seller"), coerce=optional_int, validate_choice=False)
    payment_method_id = SelectField(
        _l("Payment method"), coerce=optional_int, validate_choice=False
    )
    payment_term_id = SelectField(_l("Payment term"), coerce=optional_int, validate_choice=False)
    version = HiddenField()

    def load(self, client: Client) -> None:
        """Fill the form from a stored client (document and phones shown masked)."""
        self.process(obj=client)
        self.document.data = format_document(client.document)
        self.tags.data = ", ".join(t.name for t in client.tags)
        self.version.data = str(client.version)
        self.password.data = ""
        while len(self.phones):
            self.phones.pop_entry()
        for phone in client.phones:
            self.phones.append_entry(
                {
                    "number": format_phone(phone.number),
                    "kind": phone.kind,
                    "consent_sms": phone.consent_sms,
                    "consent_whatsapp": phone.consent_whatsapp,
                    "consent_viber": phone.consent_viber,
                }
            )

    def expected_version(self) -> int:
        return optional_int(self.version.data) or 0

    def to_input(self) -> ClientInput:
        return ClientInput(
            kind=self.kind.data,
            name=self.name.data or "",
            trade_name=self.trade_name.data,
            status_id=self.status_id.data,
            document=self.document.data,
            ie_indicator=self.ie_indicator.data,
            state_registration=self.state_registration.data,
            email=self.email.data,
            password=self.password.data,
            birth_date=self.birth_date.data,
            notes=self.notes.data,
            tags=self.tags.data,
            is_supplier=self.is_supplier.data,
            has_conflict=self.has_conflict.data,
            email_consent=self.email_consent.data,
            phones=_phone_rows(self.phones),
            profile_id=self.profile_id.data,
            seller_id=self.seller_id.data,
            payment_method_id=self.payment_method_id.data,
            payment_term_id=self.payment_term_id.data,
        )


class AddressForm(FlaskForm):
    kind = SelectField(
        _l("Type"),
        choices=[
            (ADDRESS_DEFAULT, lazy_pgettext("address kind", "Main")),
            (ADDRESS_DELIVERY, lazy_pgettext("address kind", "Delivery")),
        ],
        validate_choice=False,
    )
    is_active = SelectField(
        _l("Status"),
        choices=[("1", _l("Active")), ("0", _l("Inactive"))],
        default="1",
        validate_choice=False,
    )
    cep = StringField(
        _l("CEP"), render_kw=_max(limits.CEP, **{"data-mask": "cep", "inputmode": "numeric"})
    )
    street = StringField(_l("Street"), render_kw=_max(limits.STREET))
    number = StringField(_l("Number"), render_kw=_max(limits.ADDRESS_NUMBER))
    complement = StringField(_l("Complement"), render_kw=_max(limits.COMPLEMENT))
    district = StringField(_l("District"), render_kw=_max(limits.DISTRICT))
    city = StringField(_l("City"), render_kw=_max(limits.CITY))
    uf = SelectField(
        _l("UF"), choices=[("", "—")] + [(uf, uf) for uf in UFS], validate_choice=False
    )
    version = HiddenField()

    def load(self, address) -> None:
        self.process(obj=address)
        self.is_active.data = "1" if address.is_active else "0"
        self.cep.data = format_cep(address.cep)
        self.version.data = str(address.version)

    def to_input(self) -> AddressInput:
        return AddressInput(
            kind=self.kind.data,
            is_active=self.is_active.data == "1",
            cep=self.cep.data,
            street=self.street.data,
            number=self.number.data,
            complement=self.complement.data,
            district=self.district.data,
            city=self.city.data,
            uf=self.uf.data,
        )


class ContactForm(FlaskForm):
    name = StringField(_l("Name"), render_kw=_max(limits.CONTACT_NAME))
    role = StringField(_l("Role / position"), render_kw=_max(limits.CONTACT_ROLE))
    email = StringField(_l("E-mail"), render_kw=_max(limits.EMAIL, inputmode="email"))
    notes = TextAreaField(_l("Notes"), render_kw=_max(limits.CONTACT_NOTES, rows=2))
    phones = FieldList(FormField(PhoneForm), min_entries=1, max_entries=10)
    version = HiddenField()

    def load(self, contact) -> None:
        self.process(obj=contact)
        while len(self.phones):
            self.phones.pop_entry()
        for phone in contact.phones:
            self.phones.append_entry({"number": format_phone(phone.number), "kind": phone.kind})
        if not len(self.phones):
            self.phones.append_entry()
        self.version.data = str(contact.version)

    def to_input(self) -> ContactInput:
        return ContactInput(
            name=self.name.data,
            role=self.role.data,
            email=self.email.data,
            notes=self.notes.data,
            phones=_phone_rows(self.phones),
        )


class ListSelect(Select):
    """WTForms' `Select` with the same HTML, for the list page's menus (about fifty options a
    request). WTForms normalises every choice into objects on each render; here a menu of
    plain (value, label) pairs is drawn once per content and selection and then reused."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if self.multiple:
            kwargs["multiple"] = True
        for flag in self.validation_attrs:
            if flag not in kwargs and getattr(field.flags, flag, False):
                kwargs[flag] = getattr(field.flags, flag)
        choices = field.choices
        if self.multiple or not (
            isinstance(choices, list)
            and all(type(choice) is tuple and len(choice) == 2 for choice in choices)
        ):
            return super().__call__(field, **kwargs)
        pairs = tuple(
            (value, str(label) if isinstance(label, LazyString) else label)
            for value, label in choices
        )
        selected = tuple(field.coerce(value) == field.data for value, _label in pairs)
        start = f"<select {_html_params(name=field.name, **kwargs)}>"
        return Markup(start + _options_html(pairs, selected) + "</select>")


@lru_cache(maxsize=256)
def _options_html(pairs: tuple, selected: tuple) -> str:
    """The <option> tags of a menu (what `Select.render_option` writes, without per-option
    attributes), memoised: the same menus come back on every list page."""
    options = []
    for (value, label), chosen in zip(pairs, selected, strict=True):
        if isinstance(value, bool):
            value = str(value)
        mark = "selected " if chosen else ""
        options.append(f'<option {mark}value="{escape(value)}">{escape(label or value)}</option>')
    return "".join(options)


def _html_params(**kwargs) -> str:
    """`wtforms.widgets.html_params`'s output (sorted, `class_` -> `class`, `data_x` ->
    `data-x`, True alone, False left out), without a `Markup.format` per attribute."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            params.append(key)
        elif value is not False:
            params.append(f'{key}="{escape(value)}"')
    return " ".join(params)


def _select(*args, **kwargs) -> SelectField:
    return SelectField(*args, widget=ListSelect(), **kwargs)


# The list page's inputs, with the same HTML written by `_html_params` (WTForms formats each
# attribute through `Markup.format`, a sixth of the page's form rendering).
class _ListTextInput(TextInput):
    html_params = staticmethod(_html_params)


class _ListDateInput(DateInput):
    html_params = staticmethod(_html_params)


class _ListNumberInput(NumberInput):
    html_params = staticmethod(_html_params)


class _ListHiddenInput(HiddenInput):
    html_params = staticmethod(_html_params)


VISITED_DAYS_MAX = 3650


class ClientListForm(FlaskForm):
    """The list page's filters; Portuguese parameter names, so a filtered URL reads well."""

    class Meta:
        csrf = False

    q = StringField(_l("Search"), render_kw={"maxlength": 200}, widget=_ListTextInput())
    grupo = _select(
        _l("Relationship"),
        choices=[
            ("", _l("All")),
            ("active", lazy_pgettext("client group", "Active clients")),
            ("lead", _l("Leads")),
            ("contact", _l("Contacts")),
            ("inactive", lazy_pgettext("client group", "Inactive clients")),
        ],
        default="",
        validate_choice=False,
    )
    situacao = _select(_l("Status"), coerce=optional_int, validate_choice=False)
    tipo = _select(
        _l("Type"),
        choices=[("", _l("All")), ("PF", _l("Individual")), ("PJ", _l("Company"))],
        default="",
        validate_choice=False,
    )
    perfil = _select(_l("Profile"), coerce=optional_int, validate_choice=False)
    vendedor = _select(_l("Seller"), coerce=optional_int, validate_choice=False)
    etiqueta = _select(_l("Tag"), coerce=optional_int, validate_choice=False)
    fornecedor = _select(
        _l("Supplier"),
        choices=[("", _l("All")), ("1", _l("Suppliers only")), ("0", _l("No suppliers"))],
        default="",
        validate_choice=False,
    )
    conflito = _select(
        _l("Conflict"),
        choices=[("", _l("All")), ("1", _l("In conflict")), ("0", _l("No conflict"))],
        default="",
        validate_choice=False,
    )
    desde = BrDateField(
        _l("Registered from"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
        widget=_ListDateInput(),
    )
    ate = BrDateField(
        _l("Registered until"),
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
        widget=_ListDateInput(),
    )
    visitou = IntegerField(
        _l("Visited in the last N days"),
        widget=_ListNumberInput(),
        validators=[
            Optional(),
            NumberRange(
                min=1,
                max=VISITED_DAYS_MAX,
                message=_l("Enter a number of days from 1 to %(max)s.", max=VISITED_DAYS_MAX),
            ),
        ],
        render_kw={"type": "number", "min": 1, "max": VISITED_DAYS_MAX, "inputmode": "numeric"},
    )
    ordem = _select(
        _l("Sort by"),
        choices=[
            ("name", _l("Name")),
            ("created", _l("Newest")),
            ("last_purchase", _l("Last purchase")),
            ("last_visit", _l("Last visit")),
        ],
        default="name",
        validate_choice=False,
    )

    def to_filters(self) -> ClientFilters:
        def flag(value):
            return {"1": True, "0": False}.get(value)

        self.validate()  # parses the dates; a bad one is shown and ignored
        return ClientFilters(
            q=(self.q.data or "").strip()[:200],
            group=self.grupo.data or None,
            status_id=self.situacao.data,
            kind=self.tipo.data or None,
            profile_id=self.perfil.data,
            seller_id=self.vendedor.data,
            tag_id=self.etiqueta.data,
            is_supplier=flag(self.fornecedor.data),
            has_conflict=flag(self.conflito.data),
            created_from=self.desde.data if not self.desde.errors else None,
            created_to=self.ate.data if not self.ate.errors else None,
            visited_days=self.visitou.data if not self.visitou.errors else None,
            sort=self.ordem.data or "name",
        )


class BulkActionForm(FlaskForm):
    """What to do with the chosen clients; `confirmed` is set by the confirmation page."""

    action = _select(
        _l("Action"),
        choices=[
            ("", _l("Choose…")),
            ("status", _l("Change status")),
            ("tag_add", _l("Add tag")),
            ("tag_remove", _l("Remove tag")),
            ("seller", _l("Assign seller")),
            ("export_csv", _l("Export CSV")),
            ("export_xlsx", _l("Export XLSX")),
        ],
        validate_choice=False,
    )
    status_id = _select(_l("New status"), coerce=optional_int, validate_choice=False)
    seller_id = _select(_l("Seller"), coerce=optional_int, validate_choice=False)
    tag = StringField(_l("Tag"), render_kw=_max(limits.TAG), widget=_ListTextInput())
    scope = HiddenField(default="selected", widget=_ListHiddenInput())  # "selected" or "all"
    filters = HiddenField(widget=_ListHiddenInput())  # the list page's query string
    confirmed = HiddenField()
