"""The client list at scale: one page in the chosen order, with keyset cursors.

Every page is answered by walking an index in the chosen order and stopping after one page,
or, when a selective source (the text search, a tag) matches at most CANDIDATE_LIMIT
clients, by sorting just those (`search.candidates`). Neither path counts or offsets through
the table, so the last page costs what the first does. What matches lives in `search`.

Paging works on ids and sort keys only (index-only reads); the page's rows are then loaded by
id, in the shape the caller shows: `list_rows` for the back office's table, whole clients for
the API.
"""

import base64
import json
import math
import time
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache

from sqlalchemy import Column, Integer, Select, bindparam, func, select, true, tuple_
from sqlalchemy.sql import visitors
from sqlalchemy.sql.util import ClauseAdapter

from portal import db
from portal.clients import relationship, search
from portal.clients.list_rows import list_rows
from portal.clients.models import Client
from portal.clients.search import ClientFilters, filter_conditions, selective_conditions
from portal.i18n import _l

WALK_CHUNK = 500  # rows in the first chunk of a walk; later chunks follow the density
PROBE_ROWS = 10_000  # rows a walk reads looking for a first match before asking the index
SAMPLE_ROWS = 2_000  # newest clients whose names tell a rare text from a common one
SAMPLE_SECONDS = 60  # how long a worker keeps that sample before reading it again
MAX_PAGE_SIZE = 100
SORTS = {
    "name": _l("Name"),
    "created": _l("Newest first"),
    "last_purchase": _l("Last purchase"),
    "last_visit": _l("Last visit"),
}


RowLoader = Callable[[list[int]], Sequence]  # ids -> rows with those ids, in any order


@dataclass
class ClientPage:
    items: list
    next_cursor: str | None = None
    prev_cursor: str | None = None
    is_first: bool = True
    is_last: bool = True
    filters: ClientFilters = field(default_factory=ClientFilters)


# Sort orders as segments: each is (condition, key columns, descending?) -----------------------


def _segments(sort: str):
    if sort == "created":
        return [(None, (Client.created_at, Client.id), True)]
    if sort == "last_purchase":  # buyers by latest purchase first, then the others, newest first
        return [
            (Client.last_purchase_at.is_not(None), (Client.last_purchase_at, Client.id), True),
            (Client.last_purchase_at.is_(None), (Client.id,), True),
        ]
    if sort == "last_visit":  # visitors by latest visit first (portal/visits keeps the column)
        return [
            (Client.last_visit_at.is_not(None), (Client.last_visit_at, Client.id), True),
            (Client.last_visit_at.is_(None), (Client.id,), True),
        ]
    return [(None, (Client.sort_name, Client.id), False)]


def encode_cursor(segment: int, client: Client, sort: str) -> str:
    columns = _segments(sort)[segment][1]
    values = []
    for column in columns:
        value = getattr(client, column.key)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    raw = json.dumps([segment, values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, sort: str):
    """(segment, values) or None for a missing or malformed cursor (then: first page)."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        segment, values = json.loads(raw)
        columns = _segments(sort)[segment][1]
        if len(values) != len(columns):
            return None
        typed = []
        for column, value in zip(columns, values, strict=True):
            if column.key in ("created_at", "last_purchase_at", "last_visit_at"):
                typed.append(datetime.fromisoformat(value))
            elif column.key == "id":
                typed.append(int(value))
            else:
                typed.append(str(value))
        return segment, typed
    except (ValueError, TypeError, IndexError, json.JSONDecodeError):
        return None


def _after(columns, values, descending: bool, forward: bool):
    """Strictly after `values` in scan order, as a row-value comparison both engines answer
    with an index range (an OR of per-column comparisons would scan from the start)."""
    row, cursor = tuple_(*columns), tuple_(*values)
    return row < cursor if descending == forward else row > cursor


def _up_to(columns, values, descending: bool, forward: bool):
    """At or before `values` in scan order (the end of a walk's chunk)."""
    row, end = tuple_(*columns), tuple_(*values)
    return row >= end if descending == forward else row <= end


def _scan(base: Select, segment, cursor_values, forward: bool, limit: int) -> list[int]:
    condition, columns, descending = segment
    query = base
    if condition is not None:
        query = query.where(condition)
    if cursor_values is not None:
        query = query.where(_after(columns, cursor_values, descending, forward))
    ascending = not descending if forward else descending
    order = [c.asc() if ascending else c.desc() for c in columns]
    return list(db.session.read(query.order_by(*order).limit(limit)).scalars())


def _from_index(
    filters: ClientFilters,
    plain: Select,
    sort: str,
    index: int,
    cursor_values,
    forward: bool,
    limit: int,
) -> tuple[int, list[int]] | None:
    """How many clients the trigram index finds for the filters' text, counted up to
    CANDIDATE_LIMIT + 1, and the first `limit` of them passing `plain`'s filters in the order
    of sort segment `index` after the cursor; None when the index alone cannot answer the
    filters (`search.text_index_params`).

    One statement: the candidates read once with their keys and sorted without looking each
    up again (a rare word at a million clients on PostgreSQL: 0.8 against 1.1 + 1.9 ms for
    the ids, then their rows to sort them). Every value is bound by name, so with no other
    filter the statement is built once per order and direction: building it cost more than
    running it on SQLite."""
    params = search.text_index_params(filters)
    if params is None:
        return None
    shape = (db.session.bind.dialect.name, sort, index, forward, cursor_values is not None)
    if plain.whereclause is None:
        statement = _index_page_once(*shape)
    else:
        statement = _index_page(*shape, plain.whereclause)
    params |= {f"cursor_{i}": value for i, value in enumerate(cursor_values or ())}
    params |= {"found_limit": search.CANDIDATE_LIMIT + 1, "page_limit": limit}
    rows = db.session.read(statement, params).all()
    return rows[0].n, [row.id for row in rows if row.id is not None]


@cache
def _index_page_once(dialect: str, sort: str, index: int, forward: bool, with_cursor: bool):
    return _index_page(dialect, sort, index, forward, with_cursor, None)


def _index_page(dialect: str, sort: str, index: int, forward: bool, with_cursor: bool, where):
    """`_from_index`'s statement: a CTE with the index's answer (carrying the columns the
    filters `where` and the order read), its count, and the page sorted from those rows
    (`LEFT JOIN`, so the count comes back with an empty page)."""
    segments = _segments(sort)
    condition, columns, descending = segments[index]
    carried = _carried(where, segments)
    found_rows = search.text_index_rows(dialect, carried)
    found = found_rows.limit(bindparam("found_limit", type_=Integer)).cte("found")
    adapt = ClauseAdapter(found).traverse
    keys = [adapt(c.expression) for c in columns]  # ORM attributes: their columns
    ascending = not descending if forward else descending
    conditions = [adapt(c) for c in (where, condition) if c is not None]
    if with_cursor:
        conditions.append(_after(keys, _bound("cursor", keys), descending, forward))
    page = (
        select(*keys)
        .where(*conditions)
        .order_by(*[k.asc() if ascending else k.desc() for k in keys])
        .limit(bindparam("page_limit", type_=Integer))
        .subquery("page")
    )
    counted = select(func.count().label("n")).select_from(found).subquery("counted")
    in_page = [page.c[k.key] for k in keys]
    return (
        select(counted.c.n, page.c.id)
        .select_from(counted.outerjoin(page, true()))
        .order_by(*[k.asc() if ascending else k.desc() for k in in_page])
    )


_UNREAD = object()  # a chunk's end not read yet
# A walk's statements for the search box's text alone, by dialect, sort, segment, direction,
# "from a cursor" and part (at most a few dozen): see `_Walk`.
_WALK_STATEMENTS: dict[tuple, Select] = {}


class _Walk:
    """A walk of one sort segment in chunks, keeping the rows that pass `checks` (text, tag).

    For a text or tag that matches many clients a page fills within the first chunk or two.
    A chunk is bounded (by its LIMIT, or on SQLite by the keys of its last row), so no
    planner can trade the walk for "find every match, then sort" (it cannot estimate
    "contains this text"). After each chunk the matches seen so far size the next one, so
    the walk reads about as many rows as the page needs, whatever the size of the table.

    Every value (cursor, chunk end, sizes) is bound by name. `shared` is (sort, segment
    index) when `base` and `checks` are the same for every search of a text alone (no other
    filter; `params` carries the text): the statements are then built once per shape and
    reused, SQLAlchemy keeping their cache keys too. Building and keying them per request
    cost 1.3 million instructions for a common word at 1M on SQLite (26.0 in all) and 1.8 on
    PostgreSQL.
    """

    def __init__(
        self,
        base: Select,
        checks: list,
        segment,
        cursor_values,
        forward: bool,
        size: int,
        *,
        shared: tuple[str, int] | None = None,
        params: dict | None = None,
    ):
        self.base, self.checks, self.forward = base, checks, forward
        self.condition, self.columns, self.descending = segment
        self.values = cursor_values
        self.ascending = not self.descending if forward else self.descending
        self.carried = {c.key: c for c in (*self.columns, Client.id, *_client_columns(checks))}
        self.keys = [c.asc() if self.ascending else c.desc() for c in self.columns]
        self.size = size
        self.shared, self.params = shared, params or {}
        self.walked = 0
        self.ids: list[int] = []
        self.exhausted = False  # known once the walk moves past a chunk that ran out of rows
        self.read_to_end = False  # the current chunk's matches are taken; it must move on
        self.end: tuple | object | None = _UNREAD  # the chunk's last keys (None: no more rows)

    def run(self, wanted: int, *, max_chunks: int | None = None) -> "_Walk":
        """Reads chunks until `wanted` rows matched, the segment ends, or `max_chunks`."""
        chunks = 0
        while len(self.ids) < wanted and not self.exhausted:
            if max_chunks is not None and chunks >= max_chunks:
                break
            if self.read_to_end:
                self._move_past_chunk(wanted)
                continue
            self.ids += self._matches(wanted - len(self.ids))
            self.walked += self.size  # at most: a chunk that ran out of rows ends the walk
            self.read_to_end = True
            chunks += 1
        return self

    def _read(self, part: str, build: Callable[[], Select], **values):
        """Runs the statement `build` makes (or made before, for a shared walk) with the
        cursor's and `values`."""
        if self.shared is None:
            statement = build()
        else:
            dialect = db.session.bind.dialect.name
            key = (dialect, *self.shared, self.forward, self.values is not None, part)
            statement = _WALK_STATEMENTS.get(key)
            if statement is None:
                statement = _WALK_STATEMENTS[key] = build()
        params = self.params | values
        if self.values is not None:
            params |= {f"cursor_{i}": value for i, value in enumerate(self.values)}
        return db.session.read(statement, params)

    def _window(self, *columns) -> Select:
        window = self.base.with_only_columns(*columns)
        if self.condition is not None:
            window = window.where(self.condition)
        if self.values is not None:
            cursor = _bound("cursor", self.columns)
            window = window.where(_after(self.columns, cursor, self.descending, self.forward))
        return window.order_by(*self.keys)

    def _matches(self, limit: int) -> list[int]:
        """The chunk's first `limit` matching ids, read on the index: the rows in between are
        tested by the database, never turned into Python objects."""
        if db.session.bind.dialect.name == "sqlite":
            return self._matches_up_to_end(limit)

        # PostgreSQL: the chunk as a subquery under its LIMIT, so its planner cannot trade the
        # walk for the trigram index plus a sort. (Numbering the chunk's rows with a window
        # function, to learn where it ends in the same query, cost two sorts: the end is asked
        # apart, and only when the walk goes on.)
        def build():
            chunk = (
                self._window(*self.carried.values())
                .limit(bindparam("chunk_size", type_=Integer))
                .subquery()
            )
            adapter = ClauseAdapter(chunk)
            return (
                select(chunk.c.id)
                .where(*[adapter.traverse(c) for c in self.checks])
                .order_by(*[adapter.traverse(k) for k in self.keys])
                .limit(bindparam("match_limit", type_=Integer))
            )

        found = self._read("matches", build, chunk_size=self.size, match_limit=limit)
        return list(found.scalars())

    def _matches_up_to_end(self, limit: int) -> list[int]:
        """SQLite: the chunk's end first (stepping over its index entries, without testing
        them), then the matches between the cursor and that end, in index order, stopping at
        the `limit`-th: nothing is materialised or sorted. A 4,000-row chunk of a common word
        at a million clients: 1.2 against 2.0 ms as a subquery, which SQLite sorts again.
        SQLite has no index on the text to trade the walk for (FTS5 is a separate table)."""
        self.end = self._chunk_end()
        bounded = self.end is not None

        def build():
            window = self._window(Client.id).where(*self.checks)
            if bounded:
                end = _bound("end", self.columns)
                window = window.where(_up_to(self.columns, end, self.descending, self.forward))
            return window.limit(bindparam("match_limit", type_=Integer))

        part = "matches up to end" if bounded else "matches"
        ends = {f"end_{i}": value for i, value in enumerate(self.end or ())}
        found = self._read(part, build, match_limit=limit, **ends)
        return list(found.scalars())

    def _chunk_end(self) -> tuple | None:
        """The keys of the chunk's last row, or None when the segment ends within it."""

        def build():
            window = self._window(*self.columns)
            return window.offset(bindparam("chunk_offset", type_=Integer)).limit(1)

        last = self._read("end", build, chunk_offset=self.size - 1).first()
        return None if last is None else tuple(last)

    def _move_past_chunk(self, wanted: int) -> None:
        last = self._chunk_end() if self.end is _UNREAD else self.end
        self.end = _UNREAD
        self.read_to_end = False
        if last is None:
            self.exhausted = True
        else:
            self.values = list(last)
            self.size = self._next_size(wanted)

    def _next_size(self, wanted: int) -> int:
        """Rows the rest of the page should take at the density seen so far, with a margin
        (another round trip costs more than extra rows read from the index), growing at most
        eightfold per chunk; four times as many when nothing matched yet."""
        if not self.ids:
            return self.size * 4
        missing = wanted - len(self.ids)
        estimate = -(-missing * self.walked * 3 // (2 * len(self.ids)))
        return max(WALK_CHUNK // 4, min(estimate, self.size * 8))


def _bound(name: str, columns) -> list:
    """Parameters `name_0`, `name_1`... standing for values of `columns`."""
    return [bindparam(f"{name}_{i}", type_=column.type) for i, column in enumerate(columns)]


def _has_text(typed: search.Search) -> bool:
    return typed.kind == "text" or any(a.kind == "text" for a in typed.also)


@dataclass(frozen=True)
class _Sample:
    read_at: float
    size: int  # names read (fewer in a small table)
    names: str  # their search texts, joined by a character a folded text never holds


_SAMPLES: "weakref.WeakKeyDictionary[object, _Sample]" = weakref.WeakKeyDictionary()


def _text_share(text: str) -> float:
    """How often `text` occurs per name among the SAMPLE_ROWS newest clients (id order:
    unrelated to name order): a density estimate that name order, where names cluster,
    cannot give. A name holding it twice (a company's name and trade name) counts twice, so
    the estimate errs towards "common", that is towards the walk.
    Each worker reads the sample once a SAMPLE_SECONDS and keeps it, so telling a rare word
    from a common one costs no query; a stale sample only changes the way to the same page."""
    engine = db.session.bind
    sample = _SAMPLES.get(engine)
    if sample is None or time.monotonic() - sample.read_at > SAMPLE_SECONDS:
        newest = select(Client.search_text).order_by(Client.id.desc()).limit(SAMPLE_ROWS)
        texts = db.session.read(newest).scalars().all()
        sample = _Sample(time.monotonic(), len(texts), "\n".join(texts))
        _SAMPLES[engine] = sample
    return sample.names.count(text) / sample.size if sample.size else 0.0


def _first_chunk(share: float | None, wanted: int) -> int:
    """Rows a walk's first chunk reads: enough to fill the page twice over at the sample's
    density (one chunk then fills a common word's page), from WALK_CHUNK to 8 times that."""
    if not share:
        return WALK_CHUNK
    return max(WALK_CHUNK, min(8 * WALK_CHUNK, math.ceil(2 * wanted / share)))


def _carried(where, segments) -> list:
    """The id and every clients column the filters `where` and the sort segments read."""
    keys = [column for _, columns, _ in segments for column in columns]
    conditions = [where, *(condition for condition, _, _ in segments)]
    read = _client_columns([c for c in conditions if c is not None])
    return list({c.key: c for c in (Client.id, *keys, *read)}.values())


def _client_columns(expressions: list) -> list:
    """The clients columns the expressions read: all a walk's chunk must carry, so an index
    holding them answers the chunk without touching the table."""
    table = Client.__table__
    found = {}
    for expression in expressions:
        for element in visitors.iterate(expression):
            if isinstance(element, Column) and element.table is table:
                found[element.key] = element
    return list(found.values())


def list_clients(
    filters: ClientFilters,
    *,
    after: str | None = None,
    before: str | None = None,
    last: bool = False,
    per_page: int = 25,
    load: RowLoader = list_rows,
    total: int | None = None,
) -> ClientPage:
    """One page: after a cursor (next), before one (previous), the last page, or the first.

    `load` turns the page's ids into its rows (any object with the sort keys as attributes);
    `total` is the number of clients, when the caller has read the counters already."""
    per_page = max(1, min(per_page, MAX_PAGE_SIZE))
    sort = filters.sort if filters.sort in SORTS else "name"
    filters = replace(filters, sort=sort)
    segments = _segments(sort)
    plain = select(Client.id).where(*filter_conditions(filters, with_text=False))
    forward = not (before or last)
    cursor = decode_cursor(before if before else after, sort) if (before or after) else None
    order = list(range(len(segments))) if forward else list(reversed(range(len(segments))))
    if cursor is not None:
        order = [i for i in order if (i >= cursor[0] if forward else i <= cursor[0])]

    def values_for(index):
        return cursor[1] if cursor is not None and index == cursor[0] else None

    rows: list[tuple[int, int]] = []  # (segment, client id) in scan order
    base = plain
    walk = None
    indexed = False  # the page is read from the text index's answer
    typed = filters.search()
    selective = typed is not None or bool(filters.tag_id)
    if selective and order and typed is not None and not _has_text(typed):
        # A document, e-mail or phone: B-tree indexes say at once who matches (up to
        # CANDIDATE_LIMIT), cheaper than walking the sort order to find out, and on SQLite
        # cheaper even than reading a table of 1,000 in one query.
        candidates = search.candidates(filters)
        if candidates is not None:
            base = plain.where(search.among(candidates.ids), *candidates.unchecked)
            selective = False
    checks = selective_conditions(filters) if selective else []  # built only when tested
    if checks and order and total is None:
        total = sum(relationship.counts(db.session).values())
    if checks and order and total <= PROBE_ROWS:
        # A table this small is read in one query, the matches tested on the way: cheaper
        # than asking an index first, and the walk below would read all of it anyway.
        base, checks = plain.where(*checks), []
    first_size = WALK_CHUNK

    def walk_of(index: int) -> _Walk:
        # `checks` are tested on `plain` itself (other sources clear them): with no filter but
        # the text, the walk's statements are built once (`_Walk`).
        params = search.text_check_params(filters) if plain.whereclause is None else None
        shared = None if params is None else (sort, index)
        segment, values = segments[index], values_for(index)
        return _Walk(
            plain, checks, segment, values, forward, first_size, shared=shared, params=params
        )

    if checks and order:
        # Few of the newest clients holding the text say it is rare or absent: the trigram
        # index lists its clients at once. Otherwise the walk's first chunk, sized by that
        # density, fills the page when many match, or tells how dense the matches are in
        # the chosen order: few in the whole table -> sort the candidates from the index.
        # Names cluster in name order ("Maria" sits under M), so for a text a chunk without
        # any match says little, and asking the trigram index about a common word is slow
        # on PostgreSQL: the walk goes on (cheap, on the index alone) up to PROBE_ROWS first.
        text = typed is not None and _has_text(typed)
        share = _text_share(typed.value) if text and total > 4 * SAMPLE_ROWS else None
        first_size = _first_chunk(share, per_page + 1)
        index_first = share is not None and share * total <= search.CANDIDATE_LIMIT // 2
        if not index_first:
            walk = walk_of(order[0]).run(per_page + 1, max_chunks=1)
            while text and not (walk.ids or walk.exhausted or walk.walked >= PROBE_ROWS):
                walk.run(per_page + 1, max_chunks=1)
        if index_first or (
            len(walk.ids) <= per_page
            and not walk.exhausted
            and len(walk.ids) * total <= walk.walked * search.CANDIDATE_LIMIT
        ):
            answer = _from_index(
                filters, plain, sort, order[0], values_for(order[0]), forward, per_page + 1
            )
            if answer is not None:
                counted, first_read = answer
                if counted <= search.CANDIDATE_LIMIT:
                    indexed, checks, walk = True, [], None
                    if not counted:
                        order = []  # nobody matches: no page to read
                # else: too many for the index's answer: the walk goes on
            else:
                candidates = search.candidates(filters)
                if candidates is not None:
                    base = plain.where(search.among(candidates.ids), *candidates.unchecked)
                    checks, walk = [], None
                    if not candidates.ids:
                        order = []  # nobody matches: no page to read
    for index in order:
        want = per_page + 1 - len(rows)
        if walk is not None and index == order[0]:
            found = walk.run(want).ids
        elif indexed:
            found = (
                first_read
                if index == order[0]
                else _from_index(filters, plain, sort, index, values_for(index), forward, want)[1]
            )
        elif checks:
            found = walk_of(index).run(want).ids
        else:
            found = _scan(base, segments[index], values_for(index), forward, want)
        rows += [(index, client_id) for client_id in found]
        if len(rows) > per_page:
            break
    has_more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    loaded = {row.id: row for row in load([client_id for _, client_id in rows])} if rows else {}
    rows = [(index, loaded[client_id]) for index, client_id in rows if client_id in loaded]
    page = ClientPage(items=[row for _, row in rows], filters=filters)
    if rows:
        first_segment, first = rows[0]
        last_segment, last_row = rows[-1]
        if forward:
            page.is_first = cursor is None
            page.is_last = not has_more
        else:
            page.is_first = not has_more
            page.is_last = bool(last) or cursor is None
            if before:
                page.is_last = False
        if not page.is_last:
            page.next_cursor = encode_cursor(last_segment, last_row, sort)
        if not page.is_first:
            page.prev_cursor = encode_cursor(first_segment, first, sort)
    return page
