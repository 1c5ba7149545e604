"""Writes a batch of page-view records: page views, the visits they make, the clients' last
visit. Called by the Redis consumer and by the in-process buffer's thread; the caller
commits (and only then acknowledges the records).

A record is the dict `record()` builds on the request path (short keys, JSON-friendly):
`v` visitor id, `c` client id or None, `at` ISO time, `p` path, `q` query, `t` title,
`r` referrer, `ua` user agent, `ip` anonymised IP, `h` the host the page was served on.

Visits: a visitor's page views less than VISIT_GAP apart are one visit. A page view joins
the visitor's visit that started or ended within the gap of it (records may arrive late or
out of order: a batch from a restarted consumer); otherwise it starts a new visit. Two
writers never split one visitor's visit: each batch first locks its visitors
(PostgreSQL advisory locks, in a fixed order) or the database (SQLite's write lock).
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, insert, literal, select, text, update
from sqlalchemy.orm import Session

from portal.clients.models import Client
from portal.db import UTCDateTime, utcnow
from portal.visits import partitions, rules
from portal.visits.models import (
    PATH_MAX,
    QUERY_MAX,
    REFERRER_MAX,
    TITLE_MAX,
    VISITOR_ID_LENGTH,
    PageView,
    Visit,
    Visitor,
)

logger = logging.getLogger(__name__)
_known_months: set = set()  # partitions this process has seen exist (PostgreSQL)


@dataclass
class _Row:
    visitor_id: str
    client_id: int | None
    at: datetime
    path: str
    query: str | None
    title: str | None
    referrer: str | None
    user_agent: str | None
    ip: str | None
    host: str | None


def _clip(value, length: int) -> str | None:
    if value is None:
        return None
    value = str(value).replace("\x00", "")
    return value[:length] or None


def parse_record(record: dict) -> _Row | None:
    """A record as a row, or None when it is unusable (logged, then dropped)."""
    try:
        visitor_id = str(record["v"])
        if not (0 < len(visitor_id) <= VISITOR_ID_LENGTH):
            raise ValueError("visitor id")
        at = record["at"]
        at = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        client_id = record.get("c")
        client_id = int(client_id) if client_id not in (None, "") else None
        return _Row(
            visitor_id=visitor_id,
            client_id=client_id,
            at=at.astimezone(UTC),
            path=_clip(record.get("p") or "/", PATH_MAX) or "/",
            query=_clip(record.get("q"), QUERY_MAX),
            title=_clip(record.get("t"), TITLE_MAX),
            referrer=_clip(record.get("r"), REFERRER_MAX),
            user_agent=record.get("ua"),
            ip=_clip(record.get("ip"), 45),
            host=record.get("h"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        logger.warning("page-view record dropped (%s): %r", exc, record)
        return None


def _lock_visitors(session: Session, visitor_ids: list[str]) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(v) AS h "
                "FROM unnest(CAST(:ids AS text[])) AS v ORDER BY h) AS locks"
            ),
            {"ids": visitor_ids},
        )
    else:
        # A write statement takes SQLite's write lock at once (even matching no row), so the
        # visits read below cannot change before this transaction commits.
        session.execute(update(Visit).where(Visit.id == -1).values(pages=Visit.pages))


def ensure_partitions(session: Session, months) -> None:
    wanted = set(months) - _known_months
    if not wanted or session.get_bind().dialect.name != "postgresql":
        return
    bind = session.get_bind()
    engine = getattr(bind, "engine", bind)
    with engine.begin() as connection:  # its own transaction: DDL never waits on our batch
        partitions.ensure(connection, wanted)
    _known_months.update(wanted)


def forget_partitions() -> None:
    _known_months.clear()


def _visit_for(visits: list[Visit], at: datetime) -> Visit | None:
    """The visit `at` belongs to: one that started or ended less than the gap away."""
    best = None
    for visit in visits:
        near = visit.started_at - rules.VISIT_GAP < at < visit.ended_at + rules.VISIT_GAP
        if near and (best is None or visit.started_at > best.started_at):
            best = visit
    return best


def _already_written(session: Session, rows: list[_Row], visitor_ids: list[str]) -> set:
    """(visitor, at) pairs of these rows the database already holds: a redelivered batch
    (its consumer died after the commit, before XACK) is not written twice."""
    found = session.execute(
        select(PageView.visitor_id, PageView.at).where(
            PageView.visitor_id.in_(visitor_ids),
            PageView.at >= min(r.at for r in rows),
            PageView.at <= max(r.at for r in rows),
        )
    )
    return {(visitor_id, at.astimezone(UTC)) for visitor_id, at in found}


def write_batch(
    session: Session, records: list[dict], secrets=rules.SECRET_PARAMS, *, redelivered=False
) -> int:
    """Writes the records (the caller commits); returns how many page views were written.

    `redelivered`: the records may have been written already (entries claimed from a dead
    consumer, or this consumer's own unacknowledged ones): those are skipped."""
    rows = [row for row in map(parse_record, records) if row is not None]
    if not rows:
        return 0
    rows.sort(key=lambda r: (r.visitor_id, r.at))
    visitor_ids = sorted({r.visitor_id for r in rows})
    ensure_partitions(session, {partitions.month_of(r.at) for r in rows})
    _lock_visitors(session, visitor_ids)
    if redelivered:
        written = _already_written(session, rows, visitor_ids)
        rows = [r for r in rows if (r.visitor_id, r.at) not in written]
        if not rows:
            return 0

    linked = dict(
        session.execute(
            select(Visitor.visitor_id, Visitor.client_id).where(Visitor.visitor_id.in_(visitor_ids))
        ).all()
    )
    # A client id from a session may outlive its client (deleted since): not a client then.
    claimed = {r.client_id for r in rows if r.client_id}
    if claimed:
        real = set(session.scalars(select(Client.id).where(Client.id.in_(claimed))))
        for row in rows:
            if row.client_id not in real:
                row.client_id = None
    # A signed-in page (its client from the session) links its visitor, however the client
    # signed in (the login form sends a signal; a password link or a host page may not).
    for visitor_id, client_id in sorted({(r.visitor_id, r.client_id) for r in rows if r.client_id}):
        if linked.get(visitor_id) != client_id:
            link_rows(session, visitor_id, client_id)
            linked[visitor_id] = client_id
    earliest = min(r.at for r in rows) - rules.VISIT_GAP
    nearby: dict[str, list[Visit]] = defaultdict(list)
    for visit in session.scalars(
        select(Visit).where(Visit.visitor_id.in_(visitor_ids), Visit.ended_at > earliest)
    ):
        nearby[visit.visitor_id].append(visit)

    page_views: list[tuple[_Row, Visit, dict]] = []
    for row in rows:
        client_id = row.client_id or linked.get(row.visitor_id)
        browser, os_name, device = rules.parse_user_agent(row.user_agent)
        utm = rules.utm(row.query)
        visit = _visit_for(nearby[row.visitor_id], row.at)
        if visit is None:
            visit = Visit(
                visitor_id=row.visitor_id,
                client_id=client_id,
                started_at=row.at,
                ended_at=row.at,
                pages=0,
                entry_path=row.path,
                exit_path=row.path,
                source=rules.source_of(row.referrer, utm, row.host),
                device=device,
                browser=browser,
                os=os_name,
            )
            session.add(visit)
            nearby[row.visitor_id].append(visit)
        else:
            if row.at < visit.started_at:
                visit.started_at, visit.entry_path = row.at, row.path
                visit.source = rules.source_of(row.referrer, utm, row.host) or visit.source
            if row.at >= visit.ended_at:
                visit.ended_at, visit.exit_path = row.at, row.path
            if visit.client_id is None and client_id is not None:
                visit.client_id = client_id
        visit.pages += 1
        values = {
            "at": row.at,
            "visitor_id": row.visitor_id,
            "client_id": client_id,
            "path": row.path,
            "query": row.query,
            "title": row.title,
            "referrer": row.referrer,
            **utm,
            "browser": browser,
            "os": os_name,
            "device": device,
            "ip": row.ip,
        }
        page_views.append((row, visit, values))
    session.flush()  # the new visits get their ids
    session.execute(
        insert(PageView),
        [{**values, "visit_id": visit.id} for _row, visit, values in page_views],
    )

    last_visit: dict[int, datetime] = {}
    for _row, visit, values in page_views:
        client_id = values["client_id"] or visit.client_id
        if client_id is not None:
            last_visit[client_id] = max(values["at"], last_visit.get(client_id, values["at"]))
    for client_id, at in last_visit.items():
        touch_last_visit(session, client_id, at)
    return len(page_views)


def link_rows(session: Session, visitor_id: str, client_id: int) -> int:
    """The visitor is the client's: remember it, and give the client the visitor's page views
    and visits written so far (the caller holds the visitor's lock). Returns visits linked."""
    known = session.get(Visitor, visitor_id)
    if known is None:
        session.add(Visitor(visitor_id=visitor_id, client_id=client_id, linked_at=utcnow()))
    elif known.client_id != client_id:
        known.client_id, known.linked_at = client_id, utcnow()
    session.flush()
    session.execute(
        update(PageView)
        .where(PageView.visitor_id == visitor_id, PageView.client_id.is_(None))
        .values(client_id=client_id)
        .execution_options(synchronize_session=False)
    )
    linked = session.execute(
        update(Visit)
        .where(Visit.visitor_id == visitor_id, Visit.client_id.is_(None))
        .values(client_id=client_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    last = session.scalar(select(func.max(Visit.ended_at)).where(Visit.visitor_id == visitor_id))
    if last is not None:
        touch_last_visit(session, client_id, last)
    return linked or 0


def touch_last_visit(session: Session, client_id: int, at: datetime) -> None:
    """clients.last_visit_at = max(itself, at), without bumping `version` or `updated_at`
    (a staff edit open meanwhile still saves)."""
    table = Client.__table__
    session.execute(
        update(table)
        .where(table.c.id == client_id)
        .values(
            last_visit_at=case(
                (
                    (table.c.last_visit_at.is_(None)) | (table.c.last_visit_at < at),
                    literal(at, UTCDateTime()),
                ),
                else_=table.c.last_visit_at,
            ),
            updated_at=table.c.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
