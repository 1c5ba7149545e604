"""Brazilian formats for templates: CPF/CNPJ, CEP, phones, dates and money."""

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask
from flask_babel import format_currency, format_datetime, format_decimal, get_timezone

from portal.brazil.cep import format_cep
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone
from portal.i18n import _babel_state


def datetime_br(value: datetime | None) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def date_br(value: date | None) -> str:
    """dd/MM/yyyy in the user's time zone: Babel's `format_date` with that pattern, written
    out (a list page formats two per row, and the pattern needs no locale data). The time
    zone is the request's (Flask-Babel's), converted with the standard library's `zoneinfo`:
    pytz's conversion and Flask-Babel's lookup took 3.5 of a date's 4.2 us."""
    if not value:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(_user_zone())
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def _user_zone() -> tzinfo:
    state = _babel_state()
    current = getattr(state, "babel_tzinfo", None)  # set by Flask-Babel's first lookup
    return _as_zoneinfo(current if current is not None else get_timezone())


@lru_cache(maxsize=32)
def _as_zoneinfo(zone: tzinfo) -> tzinfo:
    try:
        return ZoneInfo(str(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return zone  # no system time zone database: pytz's own, slower, conversion


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
