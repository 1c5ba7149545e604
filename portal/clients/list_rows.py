"""The back office's client table: the few columns a row shows, read as plain rows.

Building whole ORM clients (identity map, every column, phones and tags as related objects)
was half the cost of a list page; a row needs a dozen values, its first phone and its tag
names. One query for a page, whatever its size, including what other domains show on a row
(`RowJoin`: Sefaz's newest verdict), so they add no query of their own.
"""

from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, select

from portal import db
from portal.clients.models import Client, ClientStatus, Phone, Tag, client_tags


class ListRow(NamedTuple):
    """A tuple, so a template can unpack it into plain names in its `for` (each `row.name`
    read through Jinja's attribute lookup cost more than writing the value out), and
    hashable, so a page of rows can key its rendered HTML."""

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
    phone: str | None  # the first phone, in the client's order
    tags: tuple[str, ...]  # tag names, alphabetical
    joined: Any  # a named tuple: per RowJoin name, its columns (a named tuple) or None


@dataclass(frozen=True, eq=False)
class RowJoin:
    """Columns another domain shows on each row, read in the rows' own query by an outer
    join of `target` on `on` (a condition on the client's columns). A row gets them under
    `name`, as a named tuple of `columns`, or None when nothing matched (the first column
    must be non-null in a match). Defined once, at import: the statement is cached per set
    of joins."""

    name: str
    target: Any  # a table or a mapped class (aliased, if the condition reads it again)
    on: ColumnElement[bool]
    columns: tuple


_BASE_COLUMNS = 13  # ListRow's positional fields, before the phone and the tags


def list_rows(ids: list[int], joins: tuple[RowJoin, ...] = ()) -> list[ListRow]:
    """The rows of these clients (in no particular order), in one query."""
    if not ids:
        return []
    statement, shapes, joined = _statement(db.session.bind.dialect.name, joins)
    rows = []
    for values in db.session.read(statement, {"ids": ids}):
        parts, start = [], _BASE_COLUMNS + 2
        for shape in shapes:
            part = values[start : start + len(shape._fields)]
            parts.append(None if part[0] is None else shape._make(part))
            start += len(shape._fields)
        tags = values[_BASE_COLUMNS + 1]
        rows.append(
            ListRow(
                *values[:_BASE_COLUMNS],
                phone=values[_BASE_COLUMNS],
                tags=tuple(sorted(tags.split(_TAG_SEPARATOR))) if tags else (),
                joined=joined._make(parts),
            )
        )
    return rows


_TAG_SEPARATOR = "\x1f"  # a control character: never part of a tag's name (clean_text)


@cache
def _statement(dialect: str, joins: tuple[RowJoin, ...]):
    """Built once per dialect and joins (constructing it cost more than running it), with a
    named tuple type per join and one for a row's joins. The first phone and the tag names
    come from correlated subqueries, evaluated for the page's rows only: a second query for
    them cost a round trip, 0.5 ms on PostgreSQL."""
    first_phone = (
        select(Phone.number)
        .where(Phone.client_id == Client.id)
        .order_by(Phone.position, Phone.id)
        .limit(1)
        .scalar_subquery()
    )
    tag_names = (
        select(func.aggregate_strings(Tag.name, _TAG_SEPARATOR))
        .select_from(client_tags.join(Tag))
        .where(client_tags.c.client_id == Client.id)
        .scalar_subquery()
    )
    statement = (
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
            first_phone,
            tag_names,
        )
        .join_from(Client, ClientStatus)
        .where(db.is_one_of(Client.id, "ids", dialect))
    )
    shapes = []
    for join in joins:
        statement = statement.outerjoin(join.target, join.on).add_columns(*join.columns)
        shapes.append(namedtuple(f"{join.name}_columns", [c.key for c in join.columns]))
    return statement, tuple(shapes), namedtuple("joined", [join.name for join in joins])
