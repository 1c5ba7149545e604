"""Monthly partitions of `clientela_page_views` on PostgreSQL (declarative partitioning).

`ensure(connection, months)` creates the partitions those months need (idempotent, under an
advisory lock so two writers never race on the same CREATE); the writer calls it for the
months of each batch (cached per process), `migrate` and `visits-partitions` for this month
and the next ones. `drop_before(connection, cutoff)` drops whole partitions that end at or
before the cutoff, which is how `purge-visits` stays fast at any size. On SQLite all of this
is a no-op: the table is one plain table.
"""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.engine import Connection

PARENT = "clientela_page_views"
_NAME = re.compile(rf"^{PARENT}_p(\d{{4}})_(\d{{2}})$")
_LOCK_KEY = 736_151_018  # pg_advisory_xact_lock key for partition DDL ("visits")


def is_partitioned(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def month_of(value: datetime | date) -> date:
    return date(value.year, value.month, 1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def months_ahead(today: date, count: int = 3) -> list[date]:
    """This month and the next `count - 1` months."""
    months = [month_of(today)]
    while len(months) < count:
        months.append(next_month(months[-1]))
    return months


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_of(first)
    while month <= month_of(last):
        months.append(month)
        month = next_month(month)
    return months


def partition_name(month: date) -> str:
    return f"{PARENT}_p{month.year:04d}_{month.month:02d}"


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=UTC).isoformat()


def existing(connection: Connection) -> dict[date, str]:
    """The partitions attached to the parent: {first day of the month: table name}."""
    rows = connection.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :parent"
        ),
        {"parent": PARENT},
    )
    found = {}
    for (name,) in rows:
        match = _NAME.match(name)
        if match:
            found[date(int(match[1]), int(match[2]), 1)] = name
    return found


def ensure(connection: Connection, months: Iterable[date]) -> list[str]:
    """Create the missing partitions for `months` (inside the caller's transaction)."""
    if not is_partitioned(connection):
        return []
    wanted = sorted({month_of(m) for m in months})
    if not wanted:
        return []
    have = existing(connection)
    missing = [m for m in wanted if m not in have]
    if not missing:
        return []
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    have = existing(connection)  # another process may have made them while we waited
    created = []
    for month in missing:
        if month in have:
            continue
        name = partition_name(month)
        connection.exec_driver_sql(
            f'CREATE TABLE IF NOT EXISTS "{name}" PARTITION OF "{PARENT}" '
            f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(next_month(month))}')"
        )
        created.append(name)
    return created


def drop_before(connection: Connection, cutoff: datetime) -> list[str]:
    """Drop every partition whose months end at or before `cutoff`; returns their names."""
    if not is_partitioned(connection):
        return []
    cutoff_day = cutoff.astimezone(UTC)
    dropped = []
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    for month, name in sorted(existing(connection).items()):
        end = next_month(month)
        if datetime(end.year, end.month, 1, tzinfo=UTC) <= cutoff_day:
            connection.exec_driver_sql(f'DROP TABLE "{name}"')
            dropped.append(name)
    return dropped
