"""Which clients match: the filters, the search box read as a person typed it, and the tag.

Each selective source (text, document, e-mail, phone, tag) is answered two ways: a SQL
predicate a walk of the sort order checks per row (`selective_conditions`), and the ids an
index finds directly (`candidates`), or None when more than CANDIDATE_LIMIT match.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from sqlalchemy import (
    Select,
    String,
    and_,
    bindparam,
    column,
    exists,
    false,
    literal,
    or_,
    select,
    table,
    text,
    union_all,
)

from portal import db
from portal.clients.models import GROUPS, Client, Phone, client_tags
from portal.clients.relationship import fold

CANDIDATE_LIMIT = 3000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class ClientFilters:
    q: str = ""
    group: str | None = None
    status_id: int | None = None
    kind: str | None = None
    profile_id: int | None = None
    seller_id: int | None = None
    tag_id: int | None = None
    is_supplier: bool | None = None
    has_conflict: bool | None = None
    created_from: date | None = None
    created_to: date | None = None
    visited_days: int | None = None  # visited in the last N days (clients.last_visit_at)
    sort: str = "name"

    def search(self) -> "Search | None":
        return Search.parse(self.q)


@dataclass(frozen=True)
class Search:
    """What the search box holds, read the way a person typed it.

    - an e-mail (has "@"): the start of the main e-mail;
    - digits, with or without a CPF/CNPJ or phone mask: the start of a CPF/CNPJ, or the end
      of a phone number;
    - an alphanumeric CNPJ with its mask: the start of the document;
    - anything else: any part of the name or trade name, accents and case ignored.

    One word can mean two things: `12abc` (a name fragment, or the start of an unmasked
    alphanumeric CNPJ) and `maria.silva` (a name fragment, or the start of an e-mail typed
    without "@"). Such a search is a text search `also` matching those readings: a client
    matching any of them is found, and each reading keeps its own B-tree index path.
    """

    kind: str  # "email" | "digits" | "document" | "text"
    value: str
    also: tuple["Search", ...] = ()

    @classmethod
    def parse(cls, raw: str) -> "Search | None":
        # Control characters (NUL...) cannot be in a stored name; PostgreSQL refuses NUL in a
        # query. The pages and the API refuse them with a message; here they never reach SQL.
        raw = _CONTROL.sub("", raw or "").strip()
        if not raw:
            return None
        if "@" in raw:
            return cls("email", raw.lower())
        if all(c.isdigit() or c in " .-/()+" for c in raw):
            digits = "".join(c for c in raw if c.isdigit())
            return cls("digits", digits) if len(digits) >= 3 else cls("text", fold(raw))
        compact = "".join(c for c in raw if c.isalnum()).upper()
        if (
            any(c in raw for c in "./-")
            and len(compact) >= 8
            and sum(c.isdigit() for c in compact) >= 4
            and compact.isalnum()
        ):
            return cls("document", compact)
        return cls("text", fold(raw), _other_readings(raw))


_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.!#$%&'*+/=?^_`{|}~-")
_EMAIL_MARKS = frozenset("._+-")


def _other_readings(raw: str) -> tuple[Search, ...]:
    """The readings of one typed word besides a name fragment (see `Search`)."""
    if any(c.isspace() for c in raw):
        return ()
    readings = []
    compact = "".join(c for c in raw if c not in "./-").upper()
    has_digit = any(c.isdigit() for c in compact)
    if (
        2 <= len(compact) <= 14
        and compact.isascii()
        and compact.isalnum()
        and has_digit
        and any(c.isalpha() for c in compact)
    ):
        readings.append(Search("document", compact))
    lowered = raw.lower()
    if (
        len(lowered) >= 3
        and set(lowered) <= _EMAIL_LOCAL
        and (set(lowered) & _EMAIL_MARKS or (has_digit and lowered[0].isalpha()))
    ):
        readings.append(Search("email", lowered))
    return tuple(readings)


def filter_conditions(filters: ClientFilters, *, with_text: bool = True) -> list:
    """SQL conditions for everything but the sort; also what bulk actions apply to.

    `with_text=False` leaves out the selective conditions (text, tag)."""
    conditions = []
    if filters.group in GROUPS:
        conditions.append(Client.group == filters.group)
    elif filters.group:
        conditions.append(false())
    if filters.status_id:
        conditions.append(Client.status_id == filters.status_id)
    if filters.kind in ("PF", "PJ"):
        conditions.append(Client.kind == filters.kind)
    if filters.profile_id:
        conditions.append(Client.profile_id == filters.profile_id)
    if filters.seller_id:
        conditions.append(Client.seller_id == filters.seller_id)
    if filters.is_supplier is not None:
        conditions.append(Client.is_supplier.is_(filters.is_supplier))
    if filters.has_conflict is not None:
        conditions.append(Client.has_conflict.is_(filters.has_conflict))
    if filters.created_from:
        conditions.append(Client.created_at >= _start_of(filters.created_from))
    if filters.created_to and filters.created_to < date.max:  # "until 31/12/9999": no bound
        conditions.append(Client.created_at < _start_of(filters.created_to + timedelta(days=1)))
    if filters.visited_days:
        since = datetime.now(UTC) - timedelta(days=filters.visited_days)
        conditions.append(Client.last_visit_at >= since)
    if with_text:
        conditions += selective_conditions(filters)
    return conditions


def selective_conditions(filters: ClientFilters) -> list:
    """The text search and the tag: conditions an index narrows, or the walk checks per row."""
    conditions = []
    if filters.tag_id:
        conditions.append(_tag_predicate(filters.tag_id))
    search = filters.search()
    if search:
        conditions.append(_search_predicate(search))
    return conditions


def _tag_predicate(tag_id: int):
    return exists().where(client_tags.c.client_id == Client.id, client_tags.c.tag_id == tag_id)


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# Search and tag: a predicate for walking the sort order, and indexed candidates ------------


def _prefix(column, prefix: str, name: str, *, by_range: bool = False):
    """`column` starts with `prefix`, in a form each engine answers from a B-tree index.

    PostgreSQL uses LIKE on text_pattern_ops indexes; SQLite (binary collation) a range.
    `by_range` forces the range, for plain indexes over strings of digits. The values are
    bound under `name` (`_prefix_values` gives them again, for a statement built once)."""
    values = _prefix_values(prefix, name, by_range=by_range)
    if f"{name}_like" in values:
        return column.like(bindparam(f"{name}_like", values[f"{name}_like"]), escape="\\")
    return and_(
        column >= bindparam(f"{name}_low", values[f"{name}_low"]),
        column < bindparam(f"{name}_high", values[f"{name}_high"]),
    )


def _prefix_values(prefix: str, name: str, *, by_range: bool = False) -> dict[str, str]:
    if db.session.bind.dialect.name == "postgresql" and not by_range:
        return {f"{name}_like": _escape_like(prefix) + "%"}
    return {f"{name}_low": prefix, f"{name}_high": prefix[:-1] + chr(ord(prefix[-1]) + 1)}


def _phone_matches(digits: str):
    """A phone that ends with the digits, or starts with them (DDD first)."""
    return exists().where(
        Phone.client_id == Client.id,
        or_(
            _prefix(Phone.reversed_digits, digits[::-1], "phone_end"),
            _prefix(Phone.number, "+55" + digits, "phone_start", by_range=True),
        ),
    )


def _search_predicate(search: Search):
    if search.also:
        return or_(_reading_predicate(search), *(_reading_predicate(a) for a in search.also))
    return _reading_predicate(search)


def _reading_predicate(search: Search):
    if search.kind == "email":
        return _prefix(Client.email, search.value, "email")
    if search.kind == "document":
        return _prefix(Client.document, search.value, "document")
    if search.kind == "digits":
        return or_(_prefix(Client.document, search.value, "document"), _phone_matches(search.value))
    return Client.search_text.like(bindparam("text_like", _containing(search.value)), escape="\\")


def _containing(value: str) -> str:
    return f"%{_escape_like(value)}%"


def text_check_params(filters: ClientFilters) -> dict[str, str] | None:
    """The value of `selective_conditions(filters)` by name, when they are a text alone
    (`_text_alone`): a statement built with them once then runs for any text."""
    search = _text_alone(filters)
    return None if search is None else {"text_like": _containing(search.value)}


def _text_alone(filters: ClientFilters) -> Search | None:
    """The filters' search when it is one reading of a typed word, with no tag."""
    search = filters.search()
    if filters.tag_id or search is None or search.kind != "text" or search.also:
        return None
    return search


def _limited(statement, params: dict | None = None) -> list[int] | None:
    ids = db.session.read(statement.limit(CANDIDATE_LIMIT + 1), params).scalars().all()
    return None if len(ids) > CANDIDATE_LIMIT else list(ids)


def _limited_together(statement, params: dict) -> list[int] | None:
    """The ids of several sources read in one query (`source`, id rows, each source under its
    own LIMIT); None when any of them returned more than CANDIDATE_LIMIT rows (cut short)."""
    rows_per_source: dict[int, int] = {}
    found: set[int] = set()
    for source, client_id in db.session.read(statement, params):
        rows_per_source[source] = rows_per_source.get(source, 0) + 1
        found.add(client_id)
    if max(rows_per_source.values(), default=0) > CANDIDATE_LIMIT:
        return None
    return list(found)


def _search_candidates(search: Search) -> list[int] | None:
    """Ids the search matches, from an index; None when more than CANDIDATE_LIMIT match
    (or when one of its readings cannot be answered from an index)."""
    found = _reading_candidates(search)
    for reading in search.also:
        if found is None:
            return None
        more = _reading_candidates(reading)
        found = None if more is None else sorted(set(found) | set(more))
    return found


def _reading_candidates(search: Search) -> list[int] | None:
    if search.kind == "email":
        return _limited(select(Client.id).where(_prefix(Client.email, search.value, "email")))
    if search.kind == "document":
        return _limited(select(Client.id).where(_prefix(Client.document, search.value, "document")))
    if search.kind == "digits":
        return _limited_together(
            _digits_sources(db.session.bind.dialect.name),
            {
                **_prefix_values(search.value, "document"),
                **_prefix_values(search.value[::-1], "phone_end"),
                **_prefix_values("+55" + search.value, "phone_start", by_range=True),
            },
        )
    return _text_candidates(search)


@cache
def _digits_sources(dialect: str):
    """The three sources of a digits search in one statement, built once per dialect (building
    it cost more than running it at 1,000 clients): documents starting with the digits,
    phones ending with them, phones starting with them (DDD first). Each under its own LIMIT,
    numbered in a `source` column."""
    sources = [
        select(Client.id).where(_prefix(Client.document, "0", "document")),
        select(Phone.client_id).where(
            Phone.client_id.is_not(None), _prefix(Phone.reversed_digits, "0", "phone_end")
        ),
        select(Phone.client_id).where(
            Phone.client_id.is_not(None),
            _prefix(Phone.number, "+550", "phone_start", by_range=True),
        ),
    ]
    parts = []
    for number, statement in enumerate(sources):
        limited = statement.limit(CANDIDATE_LIMIT + 1).subquery()
        parts.append(select(literal(number).label("source"), limited.c[0]).select_from(limited))
    return union_all(*parts)


_FTS = table("clientela_clients_fts", column("rowid"))  # SQLite's trigram index (FTS5)


def _text_candidates(search: Search) -> list[int] | None:
    params = _text_index_params(search)
    if params is None:
        return None
    return _limited(text_index_rows(db.session.bind.dialect.name), params)


def text_index_params(filters: ClientFilters) -> dict[str, str] | None:
    """The values `text_index_rows` is run with, when the filters' text can be answered by
    the trigram index alone (`_text_alone`). None otherwise."""
    search = _text_alone(filters)
    return None if search is None else _text_index_params(search)


def _text_index_params(search: Search) -> dict[str, str] | None:
    """None for a text too short for a trigram index (walking the sort order finds those
    fast); otherwise the `text` the index is asked: an FTS5 phrase, or a LIKE pattern."""
    if len(search.value) < 3:
        return None
    if db.session.bind.dialect.name == "sqlite":
        return {"text": '"' + search.value.replace('"', '""') + '"'}
    return {"text": _containing(search.value)}


def text_index_rows(dialect: str, columns: Sequence = ()) -> Select:
    """The clients the trigram index finds for the text bound as `text` (see
    `text_index_params`): SQLite's FTS5 rowids, joined to the table only when `columns` are
    asked; PostgreSQL's `pg_trgm` under LIKE. The value is bound by name, so the statement
    can be built once and run for any text.

    The index read fetches each client's row anyway (PostgreSQL rechecks it; SQLite joins
    it), so a page can be sorted from the `columns` it carries (the order's keys, the
    filtered columns) without looking each client up again."""
    if dialect != "sqlite":
        contains = Client.search_text.like(bindparam("text", type_=String), escape="\\")
        return select(*(columns or [Client.id])).where(contains)
    match = text("clientela_clients_fts MATCH :text")
    if not columns:
        return select(_FTS.c.rowid).where(match)
    joined = _FTS.join(Client, Client.id == _FTS.c.rowid)
    return select(*columns).select_from(joined).where(match)


def _tag_candidates(tag_id: int) -> list[int] | None:
    return _limited(select(client_tags.c.client_id).where(client_tags.c.tag_id == tag_id))


@dataclass(frozen=True)
class Candidates:
    """The clients an index listed for the search or the tag (the intersection, when both
    listed theirs), and the conditions of a source matching too many clients to list, which
    each of these must pass as well (a rare word with a tag on 40,000 clients)."""

    ids: list[int]
    unchecked: tuple = ()


def candidates(filters: ClientFilters) -> Candidates | None:
    """None when no source could list its clients (each matches more than CANDIDATE_LIMIT)."""
    found: set[int] | None = None
    unchecked = []
    sources = []
    search = filters.search()
    if search:
        sources.append((lambda: _search_candidates(search), lambda: _search_predicate(search)))
    if filters.tag_id:
        sources.append(
            (lambda: _tag_candidates(filters.tag_id), lambda: _tag_predicate(filters.tag_id))
        )
    for listed, condition in sources:
        ids = listed()
        if ids is None:
            unchecked.append(condition())
        else:
            found = set(ids) if found is None else found & set(ids)
    return None if found is None else Candidates(sorted(found), tuple(unchecked))


def among(ids: list[int]):
    """The client is one of `ids` (candidates, at most CANDIDATE_LIMIT of them)."""
    if not ids:
        return false()
    return db.is_one_of(Client.id, "candidate_ids", db.session.bind.dialect.name, ids)


def matching_ids(filters: ClientFilters) -> Select:
    """Every client the filters match (for "all that match" bulk actions and exports)."""
    return select(Client.id).where(*filter_conditions(filters))
