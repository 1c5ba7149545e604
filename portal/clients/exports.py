"""Client exports (CSV, XLSX): the list's rows in the list's order, safe to open anywhere.

- **Order**: the rows come in the on-screen order of the list (its `sort`), read by keyset
  over that order in batches (`export_batches`): memory stays flat at any size, and a job
  can report progress and stop between batches.
- **Times** in the configured time zone (`BABEL_DEFAULT_TIMEZONE`), as the screen shows them.
- **Formula injection** (OWASP "CSV injection"): a spreadsheet runs a cell that starts with
  `=`, `+`, `-`, `@`, a tab or a CR as a formula. In CSV such a cell gets a leading `'`
  (`neutralise`), which spreadsheets show as text; XLSX cells are written typed as strings
  (`data_type = "s"`), so nothing in them is ever a formula and the text stays exactly as
  stored. Brazilian phones are written in the national format, `(11) 91234-5678`, so
  they need no quote; a foreign one (`+1 212-...`) gets the quote in CSV like any text.
"""

import csv
import io
from collections.abc import Iterator
from typing import IO
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select, true
from sqlalchemy.orm import selectinload

from portal import db
from portal.brazil.documents import format_document
from portal.brazil.phones import format_phone
from portal.clients.listing import SORTS, _after, _segments
from portal.clients.models import (
    GROUP_ACTIVE,
    GROUP_CONTACT,
    GROUP_INACTIVE,
    GROUP_LEAD,
    KIND_COMPANY,
    KIND_PERSON,
    Client,
)
from portal.config import setting
from portal.i18n import _, _l

GROUP_LABELS = {
    GROUP_ACTIVE: _l("Active client"),
    GROUP_LEAD: _l("Lead"),
    GROUP_CONTACT: _l("Contact"),
    GROUP_INACTIVE: _l("Inactive"),
}
KIND_LABELS = {KIND_PERSON: _l("Individual"), KIND_COMPANY: _l("Company")}
EXPORT_HEADER = [
    _l("Name/Company name"),
    _l("Trade name"),
    _l("Type"),
    _l("CPF/CNPJ"),
    _l("E-mail"),
    _l("Phone"),
    _l("Status"),
    _l("Relationship"),
    _l("Seller"),
    _l("Profile"),
    _l("Tags"),
    _l("Registered"),
    _l("Last purchase"),
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BATCH = 1000
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value: str) -> str:
    """A CSV cell a spreadsheet would run as a formula, made text (OWASP): a leading `'`."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def export_header() -> list[str]:
    """The export's column titles, in the current language."""
    return [str(title) for title in EXPORT_HEADER]


def _row(client: Client, zone: ZoneInfo) -> list[str]:
    return [
        client.name,
        client.trade_name or "",
        str(KIND_LABELS.get(client.kind, client.kind)),
        format_document(client.document),
        client.email or "",
        format_phone(client.phones[0].number) if client.phones else "",
        client.status.name,
        str(GROUP_LABELS.get(client.group, client.group)),
        client.seller.name if client.seller else "",
        client.profile.name if client.profile else "",
        ", ".join(t.name for t in client.tags),
        client.created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
        client.last_purchase_at.astimezone(zone).strftime("%d/%m/%Y")
        if client.last_purchase_at
        else "",
    ]


def export_batches(target: Select, sort: str = "name", batch: int = BATCH) -> Iterator[list]:
    """The target's rows in the list's order (`sort`), `batch` at a time, by keyset.

    `target` is what `bulk.targets` returns (a select of client ids over `Client` alone): its
    WHERE clause is applied to each page of the walk, so the database walks the sort index."""
    zone = ZoneInfo(setting("BABEL_DEFAULT_TIMEZONE"))
    where = target.whereclause if target.whereclause is not None else true()
    for condition, columns, descending in _segments(sort if sort in SORTS else "name"):
        cursor = None
        order = [c.desc() if descending else c.asc() for c in columns]
        while True:
            query = select(Client).where(where)
            if condition is not None:
                query = query.where(condition)
            if cursor is not None:
                query = query.where(_after(columns, cursor, descending, True))
            clients = db.session.scalars(
                query.options(
                    selectinload(Client.phones),
                    selectinload(Client.tags),
                    selectinload(Client.seller),
                    selectinload(Client.profile),
                )
                .order_by(*order)
                .limit(batch)
            ).all()
            if not clients:
                break
            rows = [_row(client, zone) for client in clients]
            cursor = [getattr(clients[-1], c.key) for c in columns]
            db.session.expunge_all()  # nothing from this batch stays in memory
            yield rows
            if len(clients) < batch:
                break


def export_rows(target: Select, sort: str = "name", batch: int = BATCH) -> Iterator[list[str]]:
    for rows in export_batches(target, sort, batch):
        yield from rows


class CsvWriter:
    """Semicolon-separated, UTF-8 with a BOM (opens right in a Brazilian spreadsheet)."""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.writer = csv.writer(handle, delimiter=";")
        handle.write("\ufeff")
        self.writer.writerow(export_header())

    def write(self, rows: list[list[str]]) -> None:
        self.writer.writerows([[neutralise(value) for value in row] for row in rows])


class XlsxWriter:
    """openpyxl's write-only mode (rows go to a temporary file, not memory); every cell a
    string cell, never a formula."""

    def __init__(self) -> None:
        from openpyxl import Workbook

        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(_("Clients"))
        self.write([export_header()])

    def write(self, rows: list[list[str]]) -> None:
        from openpyxl.cell import WriteOnlyCell

        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            self.sheet.append(cells)

    def save(self, path) -> None:
        self.workbook.save(path)


def csv_chunks(target: Select, sort: str = "name") -> Iterator[str]:
    """The CSV export streamed in pieces (the answer of a small export)."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    for rows in export_batches(target, sort):
        writer.write(rows)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def xlsx_file(target: Select, path, sort: str = "name") -> None:
    writer = XlsxWriter()
    for rows in export_batches(target, sort):
        writer.write(rows)
    writer.save(path)
