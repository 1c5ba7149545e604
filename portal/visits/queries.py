"""What staff read: a client's visits (keyset pages), the pages of those visits, visits per
week, the visit that led to an order. Every query walks an index: (client_id, started_at,
id) on visits, (visit_id, at) on page views with `at` bounded by the visits' own times, so
PostgreSQL reads only the partitions those visits touch."""

import base64
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select, tuple_

from portal import db
from portal.visits.models import OrderVisitor, PageView, Visit

PAGE_SIZE = 20
CHART_WEEKS = 26


@dataclass
class VisitPage:
    visits: list[Visit]
    pages: dict[int, list[PageView]]
    next_cursor: str | None


def encode_cursor(visit: Visit) -> str:
    raw = f"{visit.started_at.isoformat()}|{visit.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, visit_id = raw.split("|")
        started = datetime.fromisoformat(at)
        if started.tzinfo is None:
            return None
        return started, int(visit_id)
    except (ValueError, UnicodeDecodeError):
        return None


def pages_of(visits: list[Visit]) -> dict[int, list[PageView]]:
    """Each visit's page views in order, in one query bounded by the visits' times."""
    if not visits:
        return {}
    rows = db.session.scalars(
        select(PageView)
        .where(
            PageView.visit_id.in_([v.id for v in visits]),
            PageView.at >= min(v.started_at for v in visits),
            PageView.at <= max(v.ended_at for v in visits),
        )
        .order_by(PageView.visit_id, PageView.at, PageView.id)
    )
    found: dict[int, list[PageView]] = defaultdict(list)
    for row in rows:
        found[row.visit_id].append(row)
    return found


def visits_of_client(client_id: int, after: str | None = None, per_page: int = PAGE_SIZE):
    """Newest first, `per_page` at a time, after the cursor of the previous page."""
    query = select(Visit).where(Visit.client_id == client_id)
    cursor = decode_cursor(after)
    if cursor is not None:
        query = query.where(tuple_(Visit.started_at, Visit.id) < tuple_(*cursor))
    visits = list(
        db.session.scalars(
            query.order_by(Visit.started_at.desc(), Visit.id.desc()).limit(per_page + 1)
        )
    )
    more = len(visits) > per_page
    visits = visits[:per_page]
    return VisitPage(
        visits=visits,
        pages=pages_of(visits),
        next_cursor=encode_cursor(visits[-1]) if more else None,
    )


def weekly_visits(client_id: int, today: date | None = None, weeks: int = CHART_WEEKS):
    """[(monday, visits that week)] for the last `weeks` weeks, oldest first."""
    today = today or datetime.now(UTC).date()
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=UTC)
    counts: dict[date, int] = defaultdict(int)
    for started in db.session.scalars(
        select(Visit.started_at).where(Visit.client_id == client_id, Visit.started_at >= since)
    ):
        day = started.date()
        counts[day - timedelta(days=day.weekday())] += 1
    return [
        (first + timedelta(weeks=i), counts.get(first + timedelta(weeks=i), 0))
        for i in range(weeks)
    ]


def order_visit(order) -> Visit | None:
    """The visit that led to the order: the order's visitor's last visit started before the
    order was placed (API `visitor_id`); without one, the client's last visit before it."""
    link = db.session.get(OrderVisitor, order.id)
    if link is not None:
        query = select(Visit).where(
            Visit.visitor_id == link.visitor_id, Visit.started_at <= link.ordered_at
        )
    else:
        query = select(Visit).where(
            Visit.client_id == order.client_id, Visit.started_at <= order.created_at
        )
    return db.session.scalar(query.order_by(Visit.started_at.desc(), Visit.id.desc()).limit(1))


def visit_count(client_id: int) -> int:
    return db.session.scalar(select(func.count(Visit.id)).where(Visit.client_id == client_id)) or 0
