"""Back-office forms for clients; every rule lives in `rules`/`service`, not here."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from portal.brazil.cep import format_cep
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone
from portal.brazil.ufs import UFS
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

# What a browser may send at most per field; the rules give the friendly limit message.
_RAW_LIMIT = {"render_kw": {"maxlength": 300}}


def optional_int(value):
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PhoneForm(Form):
    number = StringField("Telefone", render_kw={"data-mask": "phone", "inputmode": "tel"})
    kind = StringField("Tipo", default="Celular", render_kw={"list": "phone-kinds"})
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
    """A date input whose parse error is in Portuguese and says what to type."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Data inválida: use o formato dd/mm/aaaa.") from None


class ClientForm(FlaskForm):
    kind = RadioField(
        "Tipo de pessoa",
        choices=[(KIND_PERSON, "Pessoa Física"), (KIND_COMPANY, "Pessoa Jurídica")],
        default=KIND_PERSON,
        validate_choice=False,
    )
    name = StringField("Nome/Razão social", render_kw={"maxlength": 10000})
    trade_name = StringField("Nome fantasia", render_kw={"maxlength": 10000})
    status_id = SelectField("Situação", coerce=optional_int, validate_choice=False)
    document = StringField(
        "CPF/CNPJ", render_kw={"data-mask": "document", "autocomplete": "off", "maxlength": 30}
    )
    ie_indicator = SelectField(
        "Indicador de IE",
        choices=[
            (IE_NON_CONTRIBUTOR, "Não contribuinte"),
            (IE_CONTRIBUTOR, "Contribuinte do ICMS"),
            (IE_EXEMPT, "Contribuinte isento"),
        ],
        default=IE_NON_CONTRIBUTOR,
        validate_choice=False,
    )
    state_registration = StringField("Inscrição Estadual", render_kw={"maxlength": 30})
    email = StringField(
        "E-mail principal",
        render_kw={"inputmode": "email", "autocomplete": "off", "maxlength": 10000},
    )
    password = PasswordField("Senha", render_kw={"autocomplete": "new-password", "maxlength": 200})
    birth_date = BrDateField(
        "Nascimento / fundação",
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    notes = TextAreaField("Observações", render_kw={"rows": 3})
    tags = StringField("Etiquetas", description="Separe por vírgula.")
    is_supplier = BooleanField("Fornecedor")
    has_conflict = BooleanField("Em conflito")
    email_consent = BooleanField("Aceita receber e-mails")
    phones = FieldList(FormField(PhoneForm), min_entries=0, max_entries=20)
    profile_id = SelectField("Perfil de Cliente", coerce=optional_int, validate_choice=False)
    seller_id = SelectField("Vendedor", coerce=optional_int, validate_choice=False)
    payment_method_id = SelectField(
        "Forma de Pagamento", coerce=optional_int, validate_choice=False
    )
    payment_term_id = SelectField("Prazo de Pagamento", coerce=optional_int, validate_choice=False)
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
        "Tipo",
        choices=[(ADDRESS_DEFAULT, "Padrão"), (ADDRESS_DELIVERY, "Entrega")],
        validate_choice=False,
    )
    is_active = SelectField(
        "Situação", choices=[("1", "Ativo"), ("0", "Inativo")], default="1", validate_choice=False
    )
    cep = StringField("CEP", render_kw={"data-mask": "cep", "inputmode": "numeric"})
    street = StringField("Logradouro", render_kw={"maxlength": 10000})
    number = StringField("Número", render_kw={"maxlength": 100})
    complement = StringField("Complemento", render_kw={"maxlength": 10000})
    district = StringField("Bairro", render_kw={"maxlength": 10000})
    city = StringField("Cidade", render_kw={"maxlength": 10000})
    uf = SelectField("UF", choices=[("", "—")] + [(uf, uf) for uf in UFS], validate_choice=False)
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
    name = StringField("Nome", render_kw={"maxlength": 10000})
    role = StringField("Cargo / função", render_kw={"maxlength": 10000})
    email = StringField("E-mail", render_kw={"inputmode": "email", "maxlength": 10000})
    notes = TextAreaField("Observações", render_kw={"rows": 2})
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


class ClientListForm(FlaskForm):
    """The list page's filters; Portuguese parameter names, so a filtered URL reads well."""

    class Meta:
        csrf = False

    q = StringField("Buscar", render_kw={"maxlength": 200})
    grupo = SelectField(
        "Relacionamento",
        choices=[
            ("", "Todos"),
            ("active", "Clientes ativos"),
            ("lead", "Leads"),
            ("contact", "Contatos"),
            ("inactive", "Inativos"),
        ],
        default="",
        validate_choice=False,
    )
    situacao = SelectField("Situação", coerce=optional_int, validate_choice=False)
    tipo = SelectField(
        "Tipo",
        choices=[("", "Todos"), ("PF", "Pessoa Física"), ("PJ", "Pessoa Jurídica")],
        default="",
        validate_choice=False,
    )
    perfil = SelectField("Perfil", coerce=optional_int, validate_choice=False)
    vendedor = SelectField("Vendedor", coerce=optional_int, validate_choice=False)
    etiqueta = SelectField("Etiqueta", coerce=optional_int, validate_choice=False)
    fornecedor = SelectField(
        "Fornecedor",
        choices=[("", "Todos"), ("1", "Só fornecedores"), ("0", "Sem fornecedores")],
        default="",
        validate_choice=False,
    )
    conflito = SelectField(
        "Conflito",
        choices=[("", "Todos"), ("1", "Em conflito"), ("0", "Sem conflito")],
        default="",
        validate_choice=False,
    )
    desde = BrDateField(
        "Cadastro a partir de",
        validators=[Optional()],
        format="%Y-%m-%d",
        render_kw={"type": "date"},
    )
    ate = BrDateField(
        "Cadastro até", validators=[Optional()], format="%Y-%m-%d", render_kw={"type": "date"}
    )
    ordem = SelectField(
        "Ordenar por",
        choices=[
            ("name", "Nome"),
            ("created", "Mais recentes"),
            ("last_purchase", "Última compra"),
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
            sort=self.ordem.data or "name",
        )


class BulkActionForm(FlaskForm):
    """What to do with the chosen clients; `confirmed` is set by the confirmation page."""

    action = SelectField(
        "Ação",
        choices=[
            ("", "Escolha…"),
            ("status", "Alterar situação"),
            ("tag_add", "Adicionar etiqueta"),
            ("tag_remove", "Remover etiqueta"),
            ("seller", "Atribuir vendedor"),
            ("export_csv", "Exportar CSV"),
            ("export_xlsx", "Exportar XLSX"),
        ],
        validate_choice=False,
    )
    status_id = SelectField("Nova situação", coerce=optional_int, validate_choice=False)
    seller_id = SelectField("Vendedor", coerce=optional_int, validate_choice=False)
    tag = StringField("Etiqueta", render_kw={"maxlength": 60})
    scope = HiddenField(default="selected")  # "selected" or "all"
    filters = HiddenField()  # the list page's query string
    confirmed = HiddenField()
