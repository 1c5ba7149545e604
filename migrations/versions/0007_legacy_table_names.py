"""legacy table names: installations from before the `clientela_` prefix get it, data kept

Revisions 0001-0006 create prefixed names directly (`clientela_orders`, `clientela_pk_orders`,
`clientela_ix_orders_status_id`, `clientela_orders_id_seq`...). A database created by their
earlier, unprefixed versions is at 0006 with `clients`, `orders`... This revision gives every
one of its tables, indexes, constraints, sequences and triggers the name a fresh install
has: `clientela_` + the old name. A database created with the prefix skips it.

SQLite: each table is rebuilt under its new name (CREATE from the stored SQL with the names
prefixed, copy the rows, drop the old one; foreign keys are not enforced during migrations,
`portal.migrate` checks them before the commit), indexes re-created, and the FTS5 index and
its triggers built again over `clientela_clients`. PostgreSQL: ALTER ... RENAME in place.

Revision ID: 0007
Revises: 0006
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PREFIX = "clientela_"
# The tables revisions 0001-0006 created before they were prefixed (frozen: later revisions
# never add to this list).
LEGACY_TABLES = (
    "client_profiles",
    "client_statuses",
    "payment_methods",
    "payment_terms",
    "sellers",
    "staff_users",
    "tags",
    "clients",
    "addresses",
    "client_changes",
    "client_tags",
    "contacts",
    "phones",
    "sefaz_consultations",
    "client_counters",
    "order_types",
    "order_statuses",
    "order_counters",
    "orders",
    "order_items",
    "order_status_changes",
    "api_keys",
    "api_idempotency",
)


def upgrade() -> None:
    bind = op.get_bind()
    tables = set(sa.inspect(bind).get_table_names())
    if "clients" not in tables or f"{PREFIX}clients" in tables:
        return  # created with the prefix
    if bind.dialect.name == "sqlite":
        _rename_sqlite(bind)
    else:
        _rename_postgresql(bind)


def downgrade() -> None:
    """Nothing: revisions 0001-0006 now stand for the prefixed names."""


# --- SQLite -----------------------------------------------------------------------------

_NAME = re.compile(r'\b(TABLE|REFERENCES|CONSTRAINT|INDEX|ON)(\s+)("?)(\w+)\3', re.IGNORECASE)


def _prefixed_sql(sql: str) -> str:
    """The stored CREATE statement with our table, index and constraint names prefixed."""

    def rename(match: re.Match) -> str:
        keyword, space, quote, name = match.groups()
        ours = keyword.upper() in {"CONSTRAINT", "INDEX"} or name in LEGACY_TABLES
        if not ours or name.startswith(PREFIX):
            return match.group(0)
        return f"{keyword}{space}{quote}{PREFIX}{name}{quote}"

    return _NAME.sub(rename, sql)


def _rename_sqlite(bind) -> None:
    schema = bind.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master").all()
    tables = [row for row in schema if row.type == "table" and row.name in LEGACY_TABLES]
    indexes = [
        row for row in schema if row.type == "index" and row.tbl_name in LEGACY_TABLES and row.sql
    ]
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS clients_fts_{trigger}")
    op.execute("DROP TABLE IF EXISTS clients_fts")
    for table in tables:
        op.execute(_prefixed_sql(table.sql))
        op.execute(f'INSERT INTO "{PREFIX}{table.name}" SELECT * FROM "{table.name}"')
    for table in tables:
        op.execute(f'DROP TABLE "{table.name}"')
    for index in indexes:
        op.execute(_prefixed_sql(index.sql))
    # The search index of 0003, over the renamed table.
    op.execute(
        "CREATE VIRTUAL TABLE clientela_clients_fts USING fts5(search_text, "
        "content='clientela_clients', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER clientela_clients_fts_insert AFTER INSERT ON clientela_clients BEGIN "
        "INSERT INTO clientela_clients_fts(rowid, search_text) "
        "VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER clientela_clients_fts_delete AFTER DELETE ON clientela_clients BEGIN "
        "INSERT INTO clientela_clients_fts(clientela_clients_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER clientela_clients_fts_update AFTER UPDATE OF search_text "
        "ON clientela_clients BEGIN "
        "INSERT INTO clientela_clients_fts(clientela_clients_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO clientela_clients_fts(rowid, search_text) "
        "VALUES (new.id, new.search_text); END"
    )
    op.execute("INSERT INTO clientela_clients_fts(clientela_clients_fts) VALUES ('rebuild')")


# --- PostgreSQL -------------------------------------------------------------------------

_OURS = "n.nspname = current_schema() AND t.relname = ANY(:tables)"


def _rename_postgresql(bind) -> None:
    params = {"tables": list(LEGACY_TABLES)}

    def names(sql: str) -> list[tuple[str, str]]:
        return [tuple(row) for row in bind.execute(sa.text(sql), params).all()]

    constraints = names(
        "SELECT t.relname, con.conname FROM pg_constraint con "
        "JOIN pg_class t ON t.oid = con.conrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
        f"WHERE {_OURS}"
    )
    # Indexes of their own (those of primary keys and unique constraints follow the constraint).
    indexes = names(
        "SELECT t.relname, i.relname FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        f"WHERE {_OURS} AND NOT EXISTS (SELECT 1 FROM pg_constraint con "
        "WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid)"
    )
    sequences = names(
        "SELECT t.relname, s.relname FROM pg_class s "
        "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
        "JOIN pg_class t ON t.oid = d.refobjid JOIN pg_namespace n ON n.oid = t.relnamespace "
        f"WHERE s.relkind = 'S' AND {_OURS}"
    )
    triggers = names(
        "SELECT t.relname, g.tgname FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid "
        f"JOIN pg_namespace n ON n.oid = t.relnamespace WHERE NOT g.tgisinternal AND {_OURS}"
    )
    for table in LEGACY_TABLES:
        op.execute(f'ALTER TABLE "{table}" RENAME TO "{PREFIX}{table}"')
    for table, name in constraints:
        op.execute(f'ALTER TABLE "{PREFIX}{table}" RENAME CONSTRAINT "{name}" TO "{PREFIX}{name}"')
    for _table, name in indexes:
        op.execute(f'ALTER INDEX "{name}" RENAME TO "{PREFIX}{name}"')
    for _table, name in sorted(set(sequences)):
        op.execute(f'ALTER SEQUENCE "{name}" RENAME TO "{PREFIX}{name}"')
    for table, name in triggers:
        op.execute(f'ALTER TRIGGER "{name}" ON "{PREFIX}{table}" RENAME TO "{PREFIX}{name}"')
