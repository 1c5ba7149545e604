"""Brazilian formats for templates: CPF/CNPJ, CEP, phones, dates and money."""

from datetime import UTC, date, datetime
from decimal import Decimal

from flask import Flask
from flask_babel import format_currency, format_datetime, format_decimal, get_timezone

from portal.brazil.cep import format_cep
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone


def datetime_br(value: datetime | None) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def date_br(value: date | None) -> str:
    """dd/MM/yyyy in the user's time zone: Babel's `format_date` with that pattern, written
    out (a list page formats two per row, and the pattern needs no locale data); the time
    zone conversion is `to_user_timezone`'s without its `normalize`, which a conversion from
    UTC does not need."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(get_timezone())
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def money(value: Decimal | int | None) -> str:
    return format_currency(value or 0, "BRL") if value is not None else ""


def number_br(value: int | None) -> str:
    return format_decimal(value or 0)


def register_filters(app: Flask) -> None:
    app.add_template_filter(format_document, "document")
    app.add_template_filter(format_cep, "cep")
    app.add_template_filter(format_phone, "phone")
    app.add_template_filter(datetime_br, "datetime_br")
    app.add_template_filter(date_br, "date_br")
    app.add_template_filter(money, "money")
    app.add_template_filter(number_br, "number_br")
