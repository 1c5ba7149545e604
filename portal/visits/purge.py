"""Retention: `purge-visits --older-than 180d`.

PostgreSQL: whole monthly partitions that end before the cutoff are dropped (instant at any
size), then a DELETE on the one partition that straddles the cutoff (partition pruning keeps
it there). SQLite: a DELETE by the indexed `at`, in batches. Visits that ended before the
cutoff go too (batches by the `started_at` index)."""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from portal.visits import partitions
from portal.visits.models import PageView, Visit
from portal.visits.writer import forget_partitions

BATCH = 10_000
_AGE = re.compile(r"^\s*(\d{1,5})\s*([dwm]?)\s*$")


@dataclass
class PurgeResult:
    dropped_partitions: list[str] = field(default_factory=list)
    page_views_deleted: int = 0
    visits_deleted: int = 0


def parse_age(text: str) -> timedelta:
    """'180d', '26w', '6m' (30-day months) or '180' (days)."""
    match = _AGE.match(text or "")
    if not match:
        raise ValueError(text)
    number, unit = int(match[1]), match[2] or "d"
    return timedelta(days=number * {"d": 1, "w": 7, "m": 30}[unit])


def purge(engine: Engine, cutoff: datetime) -> PurgeResult:
    result = PurgeResult()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            result.dropped_partitions = partitions.drop_before(connection, cutoff)
        forget_partitions()  # this process's writers make a dropped month again if needed
        with engine.begin() as connection:
            result.page_views_deleted = (
                connection.execute(delete(PageView).where(PageView.at < cutoff)).rowcount or 0
            )
    else:
        while True:
            with engine.begin() as connection:
                ids = select(PageView.id).where(PageView.at < cutoff).limit(BATCH)
                count = connection.execute(delete(PageView).where(PageView.id.in_(ids))).rowcount
            result.page_views_deleted += count or 0
            if not count or count < BATCH:
                break
    while True:
        with engine.begin() as connection:
            ids = (
                select(Visit.id)
                .where(Visit.started_at < cutoff, Visit.ended_at < cutoff)
                .limit(BATCH)
                .scalar_subquery()
            )
            count = connection.execute(delete(Visit).where(Visit.id.in_(ids))).rowcount or 0
        result.visits_deleted += count
        if count < BATCH:
            break
    return result
