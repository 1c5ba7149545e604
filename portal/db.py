"""Engine, declarative base and the one-session-per-request used by every domain module."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from flask import current_app, g
from sqlalchemy import (
    ARRAY,
    DateTime,
    Integer,
    MetaData,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import CursorResult, Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator
from werkzeug.local import LocalProxy

from portal.errors import StaleEdit

PREFIX = "clientela_"
# The largest id (and any other INTEGER) our tables hold (PostgreSQL's 32-bit integer):
# larger numbers in a URL, a form or a filter are "not found", never a database error.
MAX_ID = 2**31 - 1


def _bare_table(_constraint: Any, table: Any) -> str:
    return table.name.removeprefix(PREFIX)


def _bare_referred_table(constraint: Any, _table: Any) -> str:
    return constraint.elements[0].target_fullname.split(".")[-2].removeprefix(PREFIX)


# Every table, index, constraint, sequence and trigger of ours starts with `clientela_` (a host
# shop has its own `orders`): tables are `clientela_<plural>`, and an object named
# `ix_orders_status_id` before the prefix is `clientela_ix_orders_status_id` (PostgreSQL's
# serial sequences follow the table: `clientela_orders_id_seq`).
NAMING = {
    "bare_table": _bare_table,
    "bare_referred_table": _bare_referred_table,
    "ix": PREFIX + "ix_%(bare_table)s_%(column_0_name)s",
    "uq": PREFIX + "uq_%(bare_table)s_%(column_0_name)s",
    "ck": PREFIX + "ck_%(bare_table)s_%(constraint_name)s",
    "fk": PREFIX + "fk_%(bare_table)s_%(column_0_name)s_%(bare_referred_table)s",
    "pk": PREFIX + "pk_%(bare_table)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes on every engine (SQLite drops the offset; this puts it back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


# SQLite's page cache per connection, in KiB. Its default (2 MB) made a large table's hot
# index pages be re-read from the OS on every request. A background job reads each page about
# once: its connections get a small cache (`job_engine`).
SQLITE_CACHE_KIB = 64 * 1024
JOB_SQLITE_CACHE_KIB = 16 * 1024
_job_engines: "WeakKeyDictionary[Engine, Engine]" = WeakKeyDictionary()


def job_engine(engine: Engine) -> Engine:
    """The engine a background job's session uses. On SQLite: connections of its own with a
    small page cache. An export through the web's pool filled each pooled connection it
    passed through with 64 MB of pages (a gunicorn worker running the thread runner grew
    to 440 MB); PostgreSQL keeps its cache in the server, so there it is `engine` itself."""
    if engine.dialect.name != "sqlite":
        return engine
    found = _job_engines.get(engine)
    if found is None:
        url = engine.url.render_as_string(hide_password=False)
        found = _job_engines[engine] = make_engine(url, sqlite_cache_kib=JOB_SQLITE_CACHE_KIB)
    return found


def open_job_session() -> None:
    """Make the current app context's session a job's (on `job_engine`)."""
    state = current_app.extensions["clientela"]
    g.clientela_session = state.sessionmaker(bind=job_engine(state.engine))


def make_engine(url: str, *, sqlite_cache_kib: int = SQLITE_CACHE_KIB) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA cache_size=-{sqlite_cache_kib:d}")
            cursor.execute("PRAGMA mmap_size=268435456")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


class ClientelaSession(Session):
    """Clientela's own session class. Every ORM event listener of ours hangs on this class,
    never on SQLAlchemy's global `Session`: a host shop's flushes run none of our code."""

    def read(self, statement: Executable, params: dict | None = None) -> CursorResult:
        """Plain rows of a column-only SELECT, in this session's transaction, without the
        ORM's per-statement work (two thirds of a small query's cost, measured at 48 against
        15 us): for the reads of a page served many times a second. Pending changes are
        flushed first, as `execute` would."""
        if self.autoflush:
            self.flush()
        return self.connection().execute(statement, params)


def make_sessionmaker(engine: Engine) -> sessionmaker[ClientelaSession]:
    return sessionmaker(bind=engine, class_=ClientelaSession, expire_on_commit=False)


def _current_session() -> ClientelaSession:
    if "clientela_session" not in g:
        g.clientela_session = current_app.extensions["clientela"].sessionmaker()
    return g.clientela_session


def close_session(_exc: BaseException | None = None) -> None:
    session = g.pop("clientela_session", None)
    if session is not None:
        session.close()


session: ClientelaSession = LocalProxy(_current_session)  # type: ignore[assignment]


def is_one_of(column, name: str, dialect: str, ids: list[int] | None = None):
    """`column` is one of the ids bound as `name` (given here, or at execution for a
    statement built once per dialect): one array parameter on PostgreSQL (an expanded IN
    list costs a bind parameter per id to render and send: 0.4-0.6 ms for a page of 26 there,
    1.7 against 0.5 ms for a few hundred), an expanded list elsewhere (SQLite's planner sizes
    a literal list and looks the ids up)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, ids, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, ids, expanding=True))


@contextmanager
def stale_as_edit() -> Iterator[None]:
    """Around an edit: any flush inside (an explicit one, or an autoflush before a query)
    that finds the row's version already moved by a concurrent save is a `StaleEdit` (409,
    "someone else changed this record"), never a 500."""
    try:
        yield
    except StaleDataError:
        raise StaleEdit() from None


def name_taken(model: type, name: str, except_id: int | None = None) -> bool:
    """Another row of a small named list already uses `name`, ignoring case."""
    query = select(model.id).where(func.lower(model.name) == name.lower())
    if except_id:
        query = query.where(model.id != except_id)
    return session.scalar(query.limit(1)) is not None
