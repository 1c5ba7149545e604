"""The order as a spreadsheet: CSV (`;`, UTF-8 with BOM, Brazilian numbers) and XLSX (text
cells as strings, numbers as numbers with a number format).

Both lay the order out the same way: a block of "label; value" rows about the order and the
client, a blank row, the item table with its header, a blank row, then the totals.
"""

import csv
import io
from datetime import datetime
from decimal import Decimal

from babel.numbers import format_decimal
from flask_babel import get_locale, to_user_timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from portal.documents.cells import safe_text
from portal.documents.content import OrderContent
from portal.formatting import datetime_br
from portal.i18n import _, pgettext

MONEY_FORMAT = '"R$" #,##0.00'
QUANTITY_FORMAT = "#,##0.###"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def _header_rows(doc: OrderContent) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        (pgettext("document", "Order"), doc.number),
        (_("Type"), doc.type_name),
        (_("Status"), doc.status_name),
        (_("Created"), doc.created_at),
        (_("Changed"), doc.updated_at),
        (_("Client"), doc.client_name),
    ]
    if doc.client_trade_name:
        rows.append((_("Trade name"), doc.client_trade_name))
    if doc.client_document:
        rows.append((doc.client_document_kind, doc.client_document))
    rows += [
        (_("E-mail"), doc.client_email),
        (_("Phone"), doc.client_phone),
        (_("Delivery address"), doc.address),
        (_("Payment method"), doc.payment_method),
        (_("Payment term"), doc.payment_term),
    ]
    return rows


def _item_header() -> list[str]:
    return [
        _("Code"),
        _("Description"),
        _("Quantity"),
        _("Unit price"),
        _("Discount"),
        _("Total"),
    ]


def _total_rows(doc: OrderContent) -> list[tuple[str, Decimal]]:
    rows = [(_("Items total"), doc.items_total)]
    if doc.discount_total:
        rows.append((_("Discounts"), doc.discount_total))
    rows += [(_("Shipping"), doc.shipping), (_("Order total"), doc.total)]
    return rows


# CSV ----------------------------------------------------------------------------------------


def _csv_number(value: Decimal, places: str = "#,##0.00") -> str:
    return format_decimal(value, format=places, locale=get_locale())


def _csv_value(value: object) -> str:
    if isinstance(value, datetime):
        return datetime_br(value)
    if isinstance(value, Decimal):
        return _csv_number(value)
    return safe_text(str(value))


def render_csv(doc: OrderContent) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for label, value in _header_rows(doc):
        writer.writerow([safe_text(label), _csv_value(value)])
    writer.writerow([])
    writer.writerow([safe_text(h) for h in _item_header()])
    for line in doc.lines:
        writer.writerow(
            [
                safe_text(line.code),
                safe_text(line.description),
                _csv_number(line.quantity, "#,##0.###"),
                _csv_number(line.unit_price),
                _csv_number(line.discount),
                _csv_number(line.total),
            ]
        )
    writer.writerow([])
    for label, value in _total_rows(doc):
        writer.writerow([safe_text(label), _csv_number(value)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# XLSX ---------------------------------------------------------------------------------------


def _text_cell(sheet, row: int, column: int, text: str):
    cell = sheet.cell(row=row, column=column, value=text)
    cell.data_type = "s"  # a string, even when it starts with "=": never a formula
    return cell


def _number_cell(sheet, row: int, column: int, value: Decimal, number_format: str):
    cell = sheet.cell(row=row, column=column, value=value)
    cell.number_format = number_format
    return cell


def _datetime_cell(sheet, row: int, column: int, value: datetime):
    local = to_user_timezone(value).replace(tzinfo=None)
    cell = sheet.cell(row=row, column=column, value=local)
    cell.number_format = DATETIME_FORMAT
    return cell


def render_xlsx(doc: OrderContent) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = pgettext("document", "Order")[:31]
    bold = Font(bold=True)
    row = 1
    for label, value in _header_rows(doc):
        _text_cell(sheet, row, 1, label).font = bold
        if isinstance(value, datetime):
            _datetime_cell(sheet, row, 2, value)
        else:
            _text_cell(sheet, row, 2, str(value))
        row += 1
    row += 1
    for column, title in enumerate(_item_header(), start=1):
        _text_cell(sheet, row, column, title).font = bold
    for line in doc.lines:
        row += 1
        _text_cell(sheet, row, 1, line.code)
        _text_cell(sheet, row, 2, line.description)
        _number_cell(sheet, row, 3, line.quantity, QUANTITY_FORMAT)
        _number_cell(sheet, row, 4, line.unit_price, MONEY_FORMAT)
        _number_cell(sheet, row, 5, line.discount, MONEY_FORMAT)
        _number_cell(sheet, row, 6, line.total, MONEY_FORMAT)
    row += 1
    for label, value in _total_rows(doc):
        row += 1
        _text_cell(sheet, row, 1, label).font = bold
        _number_cell(sheet, row, 6, value, MONEY_FORMAT)
    for column, width in zip("ABCDEF", (22, 60, 12, 16, 14, 16), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
