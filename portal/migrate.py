"""Alembic, driven from the app: our own history and version table, beside any host's.

Every name Clientela creates starts with `clientela_` (portal.db.PREFIX). Before changing
anything, `upgrade` looks for names it is about to create that the database already holds
and are not ours (a host's own `clientela_orders`), and stops naming them. Each revision then
runs in its own transaction on both engines (SQLite included: see `migration_engine`), so a
failure leaves the database as that revision found it.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

from portal.db import PREFIX, Base
from portal.resources import migrations_dir

VERSION_TABLE = "clientela_alembic_version"
# Search indexes that live outside the models (engine-specific DDL in the migrations).
UNMODELLED = ("clientela_clients_fts", "clientela_ix_clients_search_text_trgm")
_SQLITE_SEARCH = ("insert", "delete", "update")
# The monthly partitions of clientela_page_views (PostgreSQL), made at run time, not modelled.
PARTITIONS = "clientela_page_views_p"


class MigrationError(Exception):
    """The migration did not run, or one revision failed and was rolled back."""


class NameCollision(MigrationError):
    """Names we would create already exist in the database and are not ours."""

    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


class RevisionFailed(MigrationError):
    """A revision failed; its transaction was rolled back (`current` is where the base is)."""

    def __init__(self, current: tuple[str, ...], detail: str):
        super().__init__(detail)
        self.current = current
        self.detail = detail


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate ignores the engine-specific search objects the migrations create."""
    return not (reflected and name and name.startswith((*UNMODELLED, PARTITIONS)))


@contextmanager
def migration_engine(app: Flask) -> Iterator[Engine]:
    """An engine for migrations only: on SQLite, DDL inside real transactions.

    pysqlite opens no transaction before DDL, so a failing revision would stay half-applied.
    SQLAlchemy's documented recipe: the driver in autocommit (`isolation_level = None`) and our
    own BEGIN on SQLAlchemy's `begin` event. Foreign keys are not enforced while a revision
    rebuilds tables (PRAGMA foreign_keys is fixed outside transactions, so it is set on
    connect); `check_foreign_keys` runs before each revision commits instead."""
    url = app.extensions["clientela"].engine.url
    if url.get_backend_name() != "sqlite":
        yield app.extensions["clientela"].engine
        return
    engine = sa.create_engine(url, poolclass=NullPool, connect_args={"timeout": 30})

    @sa.event.listens_for(engine, "connect")
    def _autocommit_driver(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: Connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    try:
        yield engine
    finally:
        engine.dispose()


def check_foreign_keys(connection: Connection) -> None:
    """On SQLite, refuse to commit a revision that leaves a dangling foreign key."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(f"foreign keys left pointing nowhere in {', '.join(tables)}")


def alembic_config(app: Flask, engine: Engine | None = None, scripts: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", scripts or str(migrations_dir()))
    cfg.attributes["engine"] = engine or app.extensions["clientela"].engine
    return cfg


def upgrade(app: Flask, revision: str = "heads", scripts: str | None = None) -> None:
    """Every branch to its newest revision (domains add their own branches off the base).

    `scripts`: another migrations folder (tests). Raises NameCollision before any change,
    RevisionFailed when a revision failed (its transaction rolled back)."""
    with migration_engine(app) as engine:
        cfg = alembic_config(app, engine, scripts)
        with engine.connect() as connection:
            taken = colliding_names(connection, ScriptDirectory.from_config(cfg))
        if taken:
            raise NameCollision(taken)
        try:
            command.upgrade(cfg, revision)
        except Exception as exc:  # the revision's transaction is rolled back; say where we are
            with engine.connect() as connection:
                current = MigrationContext.configure(
                    connection, opts={"version_table": VERSION_TABLE}
                ).get_current_heads()
            detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise RevisionFailed(current, detail) from exc
    _ensure_page_view_partitions(app)


def _ensure_page_view_partitions(app: Flask) -> None:
    """This month's and the next two months' page-view partitions (PostgreSQL), so a
    migrated database never waits for the first writer to make them."""
    from datetime import UTC, datetime

    from portal.visits import partitions

    engine = app.extensions["clientela"].engine
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as connection:
        if sa.inspect(connection).has_table(partitions.PARENT):
            partitions.ensure(connection, partitions.months_ahead(datetime.now(UTC).date(), 3))


def revision(app: Flask, message: str) -> None:
    command.revision(alembic_config(app), message=message, autogenerate=True)


# --- pre-flight: names we would create that somebody else already uses ---------------------


def colliding_names(connection: Connection, scripts: ScriptDirectory) -> list[str]:
    """Existing names the pending revisions would create and that are not Clientela's.

    Nothing of ours yet (no version row), or an installation from before the prefix (0007
    renames into every prefixed name): all our names are about to be created, so any of them
    already present belongs to someone else. Otherwise our schema is in place and only the
    pending revisions' new names count: a revision lists them in `CREATES`."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    current = context.get_current_heads()
    existing = existing_names(connection)
    if not current or ("clients" in existing and f"{PREFIX}clients" not in existing):
        wanted = set(target_names(connection.dialect.name))
    else:
        wanted = set()
        for script in scripts.iterate_revisions("heads", current):
            if script.revision not in current:
                wanted.update(getattr(script.module, "CREATES", ()))
    connection.rollback()
    return sorted(
        name
        for name in existing
        if name in wanted or (name.startswith(UNMODELLED[0]) and UNMODELLED[0] in wanted)
    )


def existing_names(connection: Connection) -> set[str]:
    """Tables, views, indexes, sequences and triggers in the schema we migrate."""
    if connection.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("SELECT name FROM sqlite_master")
    else:
        rows = connection.execute(
            sa.text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() "
                "UNION SELECT g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND NOT g.tgisinternal"
            )
        )
    return {row[0] for row in rows}


def target_names(dialect: str) -> list[str]:
    """Every name the whole history creates on this engine (the models plus the search index)."""
    import portal.models  # noqa: F401  (registers every table)

    names: list[str] = []
    for table in Base.metadata.sorted_tables:
        names.append(table.name)
        names += [c.name for c in table.constraints if c.name]
        names += [i.name for i in table.indexes if i.name]
        if dialect == "postgresql" and table.autoincrement_column is not None:
            names.append(f"{table.name}_{table.autoincrement_column.name}_seq")
    if dialect == "sqlite":
        names.append(UNMODELLED[0])
        names += [f"{UNMODELLED[0]}_{event}" for event in _SQLITE_SEARCH]
    else:
        names.append(UNMODELLED[1])
    return names
