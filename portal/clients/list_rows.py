"""The back office's client table: the few columns a row shows, read as plain rows.

Building whole ORM clients (identity map, every column, phones and tags as related objects)
was half the cost of a list page; a row needs a dozen values, its first phone and its tag
names. Two queries for a page, whatever its size.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlalchemy import literal, select, union_all

from portal import db
from portal.clients.models import Client, ClientStatus, Phone, Tag, client_tags


@dataclass(slots=True)
class ListRow:
    id: int
    name: str
    trade_name: str | None
    document: str
    email: str | None
    is_supplier: bool
    has_conflict: bool
    status_name: str
    status_grants_access: bool
    last_purchase_at: datetime | None
    last_visit_at: datetime | None
    sort_name: str  # the sort keys: the page's cursors are built from them
    created_at: datetime
    phone: str | None = None  # the first phone, in the client's order
    tags: list[str] = field(default_factory=list)  # tag names, alphabetical


def list_rows(ids: list[int]) -> list[ListRow]:
    """The rows of these clients (in no particular order)."""
    if not ids:
        return []
    rows_statement, details_statement = _statements(db.session.bind.dialect.name)
    found = {
        values[0]: ListRow(*values) for values in db.session.read(rows_statement, {"ids": ids})
    }
    for client_id, kind, text in db.session.read(details_statement, {"ids": ids}):
        row = found.get(client_id)
        if row is None:
            continue
        if kind == "tag":
            row.tags.append(text)
        elif row.phone is None:
            row.phone = text
    return list(found.values())


@cache
def _statements(dialect: str):
    """Built once per dialect: constructing them cost more than running them."""
    rows = (
        select(
            Client.id,
            Client.name,
            Client.trade_name,
            Client.document,
            Client.email,
            Client.is_supplier,
            Client.has_conflict,
            ClientStatus.name,
            ClientStatus.grants_access,
            Client.last_purchase_at,
            Client.last_visit_at,
            Client.sort_name,
            Client.created_at,
        )
        .join_from(Client, ClientStatus)
        .where(db.is_one_of(Client.id, "ids", dialect))
    )
    phones = select(
        Phone.client_id.label("client_id"),
        literal("phone").label("kind"),
        Phone.number.label("text"),
        Phone.position.label("position"),
    ).where(db.is_one_of(Phone.client_id, "ids", dialect))
    tags = (
        select(client_tags.c.client_id, literal("tag"), Tag.name, literal(0))
        .join_from(client_tags, Tag)
        .where(db.is_one_of(client_tags.c.client_id, "ids", dialect))
    )
    details = union_all(phones, tags).subquery()
    return rows, select(details.c.client_id, details.c.kind, details.c.text).order_by(
        details.c.position, details.c.text
    )
