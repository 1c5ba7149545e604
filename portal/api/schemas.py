"""The API's bodies, queries and answers as pydantic models: they parse; OpenAPI comes from them.

Models check only *form* (types, lengths, required keys, the values of an enum); the domain
rules (CPF/CNPJ, e-mail, money, addresses) stay in the services, so the API and the forms
share one rule set. Enum values come from the model constants. Field names are English
snake_case; money and quantities travel as decimal strings ("12.34").
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from portal.clients.listing import SORTS
from portal.clients.models import (
    ADDRESS_DEFAULT,
    ADDRESS_DELIVERY,
    GROUPS,
    IE_CONTRIBUTOR,
    IE_EXEMPT,
    IE_NON_CONTRIBUTOR,
    KIND_COMPANY,
    KIND_PERSON,
)
from portal.i18n import _l
from portal.orders.service import MAX_BATCH

TEXT = 1000  # raw length a body may carry; the domain rules give the friendly limit
MAX_ID = 2_147_483_647


def _no_control_characters(value: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise PydanticCustomError("control_characters", "Remove the control characters.")
    return value


def Text(max_length: int = TEXT, **field: Any):
    return Annotated[str, StringConstraints(max_length=max_length), Field(**field)]


def _count(noun: str, maximum: int, minimum: int):
    def check(value):
        if isinstance(value, list) and not minimum <= len(value) <= maximum:
            ctx = {"minimum": minimum, "maximum": maximum, "noun": noun}
            raise PydanticCustomError("count", "Send from {minimum} to {maximum} {noun}.", ctx)
        return value

    return check


def Many(item, maximum: int, noun=None, minimum: int = 0, **field: Any):
    """A list of `minimum`..`maximum` entries; the count error names what is counted
    (`noun`, a lazy string: the message is made in the request's locale)."""
    noun = noun if noun is not None else _l("items")
    return Annotated[
        list[item],
        Field(min_length=minimum or None, max_length=maximum, **field),
        BeforeValidator(_count(noun, maximum, minimum)),
    ]


def _decimal(value):
    text = str(value) if isinstance(value, int | Decimal) and not isinstance(value, bool) else None
    if isinstance(value, str):
        text = value.strip()
    if text is None or not re.match(DECIMAL_PATTERN, text):
        raise PydanticCustomError("decimal", "Send a decimal number, like 12.34.")
    return Decimal(text)


def _date(value):
    if isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PydanticCustomError("date", "Invalid date: use YYYY-MM-DD.")


DECIMAL_PATTERN = r"^-?\d{1,15}(\.\d{1,6})?$"
# Exact decimals: a string ("12.34") or a JSON number (read as Decimal, never float). Only the
# plain form is accepted (no "1.234,56"): a program must not be guessed at.
DecimalText = Annotated[
    Decimal,
    BeforeValidator(_decimal),
    WithJsonSchema({"type": ["string", "number"], "pattern": DECIMAL_PATTERN,
                    "examples": ["12.34"]}),
]  # fmt: skip
DateText = Annotated[date, BeforeValidator(_date)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Money = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, "f"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+\.\d{2}$"}),
]
Quantity = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value.normalize(), "f"), return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^\d+(\.\d{1,3})?$"}),
]
ClientKind = Literal[KIND_PERSON, KIND_COMPANY]
IeIndicator = Literal[IE_CONTRIBUTOR, IE_EXEMPT, IE_NON_CONTRIBUTOR]
AddressKind = Literal[ADDRESS_DEFAULT, ADDRESS_DELIVERY]


class Body(BaseModel):
    """A request body: JSON types as sent (no "5" for 5), unknown keys refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Query(BaseModel):
    """Query-string parameters: text converted per field; unknown ones ignored (proxies add)."""

    model_config = ConfigDict(extra="ignore")


class Answer(BaseModel):
    model_config = ConfigDict(from_attributes=True)


# Clients: requests --------------------------------------------------------------------------


class ClientListQuery(Query):
    """The list page's filters, by the names the code uses (portal.clients.listing)."""

    q: Annotated[
        Text(200, description="Nome (qualquer parte), CPF/CNPJ (início), e-mail (início) "
                              "ou telefone."),
        AfterValidator(_no_control_characters),
    ] | None = None  # fmt: skip
    group: Literal[GROUPS] | None = None
    status_id: Id | None = Field(None, description="Id de Situação (veja as listas).")
    kind: ClientKind | None = None
    profile_id: Id | None = Field(None, description="Id de Perfil de Cliente.")
    seller_id: Id | None = Field(None, description="Id de Vendedor.")
    tag_id: Id | None = Field(None, description="Id de etiqueta.")
    is_supplier: bool | None = None
    has_conflict: bool | None = None
    created_from: DateText | None = None
    created_to: DateText | None = None
    sort: Literal[tuple(SORTS)] | None = None
    cursor: Text(500, description="next_cursor da página anterior.") | None = None
    per_page: Annotated[int, Field(ge=1)] | None = None


class PageQuery(Query):
    page: Annotated[int, Field(ge=1, le=10_000)] | None = None
    per_page: Annotated[int, Field(ge=1)] | None = None


def paged(query: type[Query], max_page_size: int) -> type[Query]:
    """`query` with `per_page` bounded by the app's CLIENTELA_API_MAX_PAGE_SIZE."""
    per_page = Annotated[int, Field(ge=1, le=max_page_size)] | None
    return create_model(query.__name__, __base__=query, per_page=(per_page, None))


class PhoneInput(Body):
    number: Text(40)
    kind: Text() | None = None
    consent_sms: bool | None = None
    consent_whatsapp: bool | None = None
    consent_viber: bool | None = None


class AddressPatch(Body):
    kind: AddressKind | None = None
    is_active: bool | None = None
    cep: Text(20) | None = None
    street: Text() | None = None
    number: Text(100) | None = None
    complement: Text() | None = None
    district: Text() | None = None
    city: Text() | None = None
    uf: Text(10) | None = None
    version: Id | None = Field(None, description="A versão lida: se outra requisição gravou "
                               "antes, 409. Sem ela, a última gravação vale.")  # fmt: skip


class AddressInput(Body):
    kind: AddressKind | None = Field(None, description=f"Padrão: {ADDRESS_DEFAULT}.")
    is_active: bool | None = None
    cep: Text(20) | None
    street: Text() | None
    number: Text(100) | None
    complement: Text() | None = None
    district: Text() | None
    city: Text() | None
    uf: Text(10) | None


class ContactInput(Body):
    name: Text() | None
    role: Text() | None = None
    email: Text() | None = None
    notes: Text(5 * TEXT) | None = None
    phones: Many(PhoneInput, 20, _l("phones")) | None = None


class ClientFields(Body):
    name: Text() | None = None
    kind: ClientKind | None = None
    status_id: Id | None = None
    status: Text(60, description="Nome da Situação (alternativa a status_id).") | None = None
    trade_name: Text() | None = None
    document: Text(30, description="CPF ou CNPJ, com ou sem máscara.") | None = None
    ie_indicator: IeIndicator | None = None
    state_registration: Text(30) | None = None
    email: Text() | None = None
    password: Text(200, description="Senha da loja (nunca devolvida).") | None = None
    birth_date: DateText | None = None
    notes: Text(10 * TEXT) | None = None
    tags: Many(Text(), 50, _l("tags")) | None = None
    is_supplier: bool | None = None
    has_conflict: bool | None = None
    email_consent: bool | None = None
    phones: Many(PhoneInput, 20, _l("phones")) | None = None
    profile_id: Id | None = None
    seller_id: Id | None = None
    payment_method_id: Id | None = None
    payment_term_id: Id | None = None


class ClientInput(ClientFields):
    name: Text() | None
    addresses: Many(AddressInput, 20, _l("addresses")) | None = None
    contacts: Many(ContactInput, 20, _l("contacts")) | None = None


class ClientPatch(ClientFields):
    version: Id | None = Field(None, description="A versão lida: se outra requisição gravou "
                               "antes, 409. Sem ela, a última gravação vale.")  # fmt: skip


# Clients: answers ---------------------------------------------------------------------------


class Phone(Answer):
    number: str
    kind: str
    consent_sms: bool
    consent_whatsapp: bool
    consent_viber: bool


class Address(Answer):
    id: int
    kind: str
    is_active: bool
    cep: str
    street: str
    number: str
    complement: str | None
    district: str
    city: str
    uf: str
    version: int


class Contact(Answer):
    id: int
    name: str
    role: str | None
    email: str | None
    notes: str | None
    phones: list[Phone]
    version: int


class Client(Answer):
    id: int
    kind: ClientKind
    name: str
    trade_name: str | None
    document: str | None = Field(description="Sem máscara.")
    email: str | None
    status_id: int
    status: str
    ie_indicator: str
    state_registration: str | None
    birth_date: date | None
    notes: str | None
    tags: list[str]
    is_supplier: bool
    has_conflict: bool
    email_consent: bool
    has_password: bool
    phones: list[Phone]
    addresses: list[Address]
    contacts: list[Contact]
    profile_id: int | None
    seller_id: int | None
    payment_method_id: int | None
    payment_term_id: int | None
    origin: str
    first_purchase_at: datetime | None
    last_purchase_at: datetime | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def of(cls, client) -> "Client":
        derived = {
            "status": client.status.name,
            "tags": [tag.name for tag in client.tags],
            "has_password": bool(client.password_hash),
        }
        own = {name: getattr(client, name) for name in cls.model_fields if name not in derived}
        return cls.model_validate(own | derived)


class ClientPage(Answer):
    items: list[Client]
    per_page: int
    has_next: bool
    next_cursor: str | None


# Orders -------------------------------------------------------------------------------------


class ItemInput(Body):
    code: Text() | None
    description: Text() | None
    quantity: DecimalText
    unit_price: DecimalText
    discount: DecimalText | None = None


def _visitor_id(value: str) -> str:
    if not re.fullmatch(r"[0-9a-f]{32}", value):
        raise PydanticCustomError(
            "visitor_id",
            "Send the visitor id as the clientela_visitor cookie holds it: 32 characters, "
            "digits and the letters a to f.",
        )
    return value


VisitorId = Annotated[str, AfterValidator(_visitor_id)]


class OrderInput(Body):
    client_id: Id
    type_id: Id | None = Field(None, description="Tipo de Pedido; padrão: o primeiro ativo.")
    status_id: Id | None = Field(None, description="Situação; padrão: a primeira ativa.")
    items: Many(ItemInput, 200)
    shipping: DecimalText | None = None
    delivery_address_id: Id | None = Field(
        None, description="Um endereço ativo do cliente; padrão: o padrão."
    )
    payment_method_id: Id | None = Field(
        None, description="Padrão: a Forma de Pagamento do cliente."
    )
    payment_term_id: Id | None = Field(None, description="Padrão: o Prazo de Pagamento do cliente.")
    visitor_id: VisitorId | None = Field(
        None,
        description="O visitante da loja que fez o pedido (o valor do cookie clientela_visitor, "
        "lido pela loja no servidor): as visitas dele passam a ser do cliente, e a aba Visita "
        "do pedido mostra a última visita antes do pedido.",
    )


class OrderBatchInput(Body):
    orders: Many(
        OrderInput, MAX_BATCH, _l("orders per batch"), minimum=1,
        description="Validados um a um como em POST /orders; um erro em qualquer pedido "
        "recusa o lote inteiro.",
    )  # fmt: skip


class StatusChange(Body):
    status_id: Id
    version: Id | None = Field(None, description="A versão lida: se outra requisição gravou "
                               "antes, 409. Sem ela, a última gravação vale.")  # fmt: skip


class Item(Answer):
    code: str
    description: str
    quantity: Quantity
    unit_price: Money
    discount: Money
    total: Money


class StatusHistoryEntry(Answer):
    at: datetime
    by: str
    from_status_id: int | None
    from_status: str | None
    to_status_id: int
    to_status: str

    @classmethod
    def of(cls, change) -> "StatusHistoryEntry":
        return cls(
            at=change.at,
            by=change.actor_label,
            from_status_id=change.from_status_id,
            from_status=change.from_status.name if change.from_status else None,
            to_status_id=change.to_status_id,
            to_status=change.to_status.name,
        )


class Order(Answer):
    id: int
    number: int
    display_number: Annotated[str, Field(pattern=r"^#\d{6,}$")]
    client_id: int
    type_id: int
    type: str
    status_id: int
    status: str
    counts_as_purchase: bool
    items: list[Item]
    item_count: int
    items_total: Money
    discount_total: Money
    shipping: Money
    total: Money
    delivery_address_id: int | None
    payment_method_id: int | None
    payment_term_id: int | None
    origin: str
    created_at: datetime
    updated_at: datetime
    version: int
    status_history: list[StatusHistoryEntry] | None = Field(
        None, description="Só na leitura de um pedido (não nas listas)."
    )

    @classmethod
    def of(cls, order, *, history: bool = True) -> "Order":
        derived = {
            "type": order.type.name,
            "status": order.status.name,
            "counts_as_purchase": order.status.counts_as_purchase,
        }
        if history:
            derived["status_history"] = [StatusHistoryEntry.of(c) for c in order.status_changes]
        skip = {*derived, "status_history"}
        own = {name: getattr(order, name) for name in cls.model_fields if name not in skip}
        return cls.model_validate(own | derived)


class OrderPage(Answer):
    items: list[Order]
    page: int
    per_page: int
    has_next: bool


class OrderBatch(Answer):
    orders: list[Order]


class ListEntry(Answer):
    id: int
    name: str
    position: int
    is_active: bool
    counts_as_purchase: bool = False


class ListEntries(Answer):
    items: list[ListEntry]


# Boletos ------------------------------------------------------------------------------------


class BoletoParseInput(Body):
    code: Text(200, description="Linha digitável (47 ou 48 dígitos) ou código de barras "
                                "(44), com ou sem pontos e espaços.")  # fmt: skip


class PaymentCode(Answer):
    kind: Literal["boleto", "arrecadacao"]
    bank_code: str | None = Field(description="Banco (3 dígitos); null em arrecadação.")
    value: Money | None = Field(description='Valor, "600.00"; null para "valor variável".')
    due_date: date | None = Field(
        description="Vencimento pelo fator, na janela de 3.000 dias antes a 5.500 depois de "
        "hoje; null sem fator (0000) ou em arrecadação."
    )
    due_factor: int | None = Field(description="Fator de vencimento (0 = sem vencimento).")
    barcode: Annotated[str, Field(pattern=r"^\d{44}$")]
    linha_digitavel: Annotated[str, Field(pattern=r"^\d{47,48}$")]
    formatted_linha: str

    @classmethod
    def of(cls, code) -> "PaymentCode":
        return cls.model_validate({**code.to_json_dict(), "value": code.value})


class GatewayBoletoInput(Body):
    code: Text(
        200,
        description="Linha digitável (47 dígitos) ou código de barras (44) do "
        "boleto emitido pelo gateway, com ou sem pontos e espaços.",
    )
    due_date: DateText = Field(description="Vencimento (AAAA-MM-DD): precisa ser o do código.")
    value: DecimalText = Field(description='Valor, "600.00": precisa ser o do código.')
    pdf_url: Text(500) | None = Field(None, description="Endereço http(s) do PDF do gateway.")
    bank_code: Text(3) | None = Field(None, description="Banco (3 dígitos): enviado, precisa "
                                      "ser o do código.")  # fmt: skip


class BoletoPayInput(Body):
    paid_on: DateText = Field(description="Data do pagamento (AAAA-MM-DD), até hoje.")
    amount: DecimalText = Field(description='Valor pago, "600.00".')
    fees: DecimalText | None = Field(None, description='Tarifas, "2.50"; padrão 0.')
    version: Id | None = Field(None, description="A versão lida: se outra requisição gravou "
                               "antes, 409.")  # fmt: skip


class BoletoCancelInput(Body):
    note: Text(300) | None = Field(None, description="Motivo (vai para o histórico).")
    version: Id | None = Field(None, description="A versão lida: se outra requisição gravou "
                               "antes, 409.")  # fmt: skip


class BoletoEvent(Answer):
    at: datetime
    by: str
    from_status: str | None
    to_status: str
    note: str


class Boleto(Answer):
    id: int
    order_id: int
    client_id: int
    instalment: int
    instalments: int
    source: Literal["issued", "gateway"]
    status: Literal["emitido", "registrado", "pago", "vencido", "cancelado", "rejeitado"] = Field(
        description='Como se vê: "vencido" é um boleto em aberto com vencimento passado.'
    )
    stored_status: Literal["emitido", "registrado", "pago", "cancelado", "rejeitado"]
    account_id: int | None
    nosso_numero: str | None = Field(description="Como impresso, com o dígito; null no gateway.")
    document_number: str
    issued_on: date
    due_date: date
    amount: Money
    barcode: Annotated[str, Field(pattern=r"^\d{44}$")]
    linha_digitavel: Annotated[str, Field(pattern=r"^\d{47}$")]
    formatted_linha: str
    paid_on: date | None
    paid_amount: Money | None
    fees: Money | None
    reject_reason: str | None
    pdf_url: str | None
    sent_in_remessa_at: datetime | None
    version: int
    history: list[BoletoEvent]

    @classmethod
    def of(cls, boleto) -> "Boleto":
        return cls(
            id=boleto.id, order_id=boleto.order_id, client_id=boleto.client_id,
            instalment=boleto.instalment, instalments=boleto.instalments, source=boleto.source,
            status=boleto.shown_status(), stored_status=boleto.status,
            account_id=boleto.account_id, nosso_numero=boleto.nosso_numero_formatted,
            document_number=boleto.document_number, issued_on=boleto.issued_on,
            due_date=boleto.due_date, amount=boleto.amount, barcode=boleto.barcode,
            linha_digitavel=boleto.linha_digitavel, formatted_linha=boleto.formatted_linha,
            paid_on=boleto.paid_on, paid_amount=boleto.paid_amount, fees=boleto.fees,
            reject_reason=boleto.reject_reason, pdf_url=boleto.pdf_url,
            sent_in_remessa_at=boleto.sent_in_remessa_at, version=boleto.version,
            history=[
                BoletoEvent(at=e.at, by=e.actor_label, from_status=e.from_status,
                            to_status=e.to_status, note=e.note or "")
                for e in boleto.events
            ],
        )  # fmt: skip


class BoletoList(Answer):
    items: list[Boleto]
