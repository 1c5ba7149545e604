"""What an order document shows, read once from the order and shared by the three formats.

Values stay typed here (Decimal, datetime); each renderer formats them its own way: the PDF
as Brazilian text, the CSV as Brazilian numbers, the XLSX as numbers with a number format.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from portal.brazil.cep import format_cep
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone
from portal.orders.models import Order


@dataclass(frozen=True)
class Line:
    code: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal
    total: Decimal


@dataclass(frozen=True)
class Shop:
    name: str
    cnpj: str  # formatted, "" when not set
    logo: str | None  # a data: URI, or None


@dataclass(frozen=True)
class OrderContent:
    shop: Shop
    number: str  # "#000123"
    type_name: str
    status_name: str
    created_at: datetime
    updated_at: datetime
    client_name: str
    client_trade_name: str
    client_document: str  # formatted CPF or CNPJ, "" when the client has none
    client_document_kind: str  # "CPF", "CNPJ" or ""
    client_email: str
    client_phone: str  # formatted
    address: str  # one line, "" without a delivery address
    payment_method: str
    payment_term: str
    lines: list[Line]
    items_total: Decimal
    discount_total: Decimal
    shipping: Decimal
    total: Decimal


def address_line(address) -> str:
    if address is None:
        return ""
    parts = [f"{address.street}, {address.number}"]
    if address.complement:
        parts.append(address.complement)
    parts.append(address.district)
    text = ", ".join(parts)
    return f"{text} – {address.city}/{address.uf} – CEP {format_cep(address.cep)}"


def _document_kind(document: str | None) -> str:
    if not document:
        return ""
    return "CPF" if len(document) == 11 else "CNPJ"


def read_order(order: Order, shop: Shop) -> OrderContent:
    client = order.client
    phones = list(client.phones)
    return OrderContent(
        shop=shop,
        number=order.display_number,
        type_name=order.type.name,
        status_name=order.status.name,
        created_at=order.created_at,
        updated_at=order.updated_at,
        client_name=client.name,
        client_trade_name=client.trade_name or "",
        client_document=format_document(client.document) if client.document else "",
        client_document_kind=_document_kind(client.document),
        client_email=client.email or "",
        client_phone=format_phone(phones[0].number) if phones else "",
        address=address_line(order.delivery_address),
        payment_method=order.payment_method.name if order.payment_method else "",
        payment_term=order.payment_term.name if order.payment_term else "",
        lines=[
            Line(i.code, i.description, i.quantity, i.unit_price, i.discount, i.total)
            for i in order.items
        ],
        items_total=order.items_total,
        discount_total=order.discount_total,
        shipping=order.shipping,
        total=order.total,
    )
