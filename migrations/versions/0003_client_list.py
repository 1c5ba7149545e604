"""Client list at scale: relationship groups, maintained counters, sort/search columns.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-23

SQLite gets an FTS5 trigram index (kept by triggers) over `search_text`; PostgreSQL a
pg_trgm GIN index. Both answer "contains" searches without scanning the table. A later
SQLite migration that rebuilds `clientela_clients` (batch mode) must re-create the three triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

GROUPS = ("active", "lead", "contact", "inactive")


def upgrade() -> None:
    with op.batch_alter_table("clientela_clients", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "relationship_group", sa.String(length=10), nullable=False, server_default="contact"
            )
        )
        batch_op.add_column(
            sa.Column("sort_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
        batch_op.drop_index("clientela_ix_clients_created_at")
        batch_op.create_index(
            "clientela_ix_clients_sort_name_id", ["sort_name", "id"], unique=False
        )
        batch_op.create_index(
            "clientela_ix_clients_group_sort_name_id", ["relationship_group", "sort_name", "id"]
        )
        batch_op.create_index(
            "clientela_ix_clients_created_at_id", ["created_at", "id"], unique=False
        )
        batch_op.create_index(
            "clientela_ix_clients_last_purchase_at_id", ["last_purchase_at", "id"]
        )
        batch_op.create_index("clientela_ix_clients_kind", ["kind"], unique=False)
        batch_op.create_index(
            "clientela_ix_clients_document_pattern",
            ["document"],
            postgresql_ops={"document": "text_pattern_ops"},
        )
        batch_op.create_index(
            "clientela_ix_clients_email_pattern",
            ["email"],
            postgresql_ops={"email": "text_pattern_ops"},
        )

    with op.batch_alter_table("clientela_phones", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reversed_digits", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.create_index(
            "clientela_ix_phones_reversed_digits",
            ["reversed_digits"],
            postgresql_ops={"reversed_digits": "text_pattern_ops"},
        )

    counters = op.create_table(
        "clientela_client_counters",
        sa.Column("relationship_group", sa.String(length=10), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("relationship_group", name=op.f("clientela_pk_client_counters")),
    )
    op.bulk_insert(counters, [{"relationship_group": g, "count": 0} for g in GROUPS])

    bind = op.get_bind()
    _backfill(bind)
    if bind.dialect.name == "sqlite":
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
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX clientela_ix_clients_search_text_trgm ON clientela_clients "
            "USING gin (search_text gin_trgm_ops)"
        )


def _backfill(bind) -> None:
    """Derive the new columns for clients that already exist, then count the groups."""
    from portal.clients.relationship import fold, group_of, phone_search_key

    rows = bind.execute(
        sa.text(
            "SELECT c.id, c.name, c.trade_name, c.document, c.email, c.password_hash, "
            "c.first_purchase_at, s.grants_access FROM clientela_clients c "
            "JOIN clientela_client_statuses s ON s.id = c.status_id"
        )
    ).all()
    phones = bind.execute(sa.text("SELECT id, number FROM clientela_phones")).all()
    for phone_id, number in phones:
        bind.execute(
            sa.text("UPDATE clientela_phones SET reversed_digits = :r WHERE id = :id"),
            {"r": phone_search_key(number), "id": phone_id},
        )
    totals = dict.fromkeys(GROUPS, 0)
    for row in rows:
        group = group_of(
            bool(row.grants_access),
            row.first_purchase_at is not None,
            bool(row.email and row.password_hash),
        )
        totals[group] += 1
        search = " | ".join(p for p in (fold(row.name), fold(row.trade_name)) if p)
        bind.execute(
            sa.text(
                "UPDATE clientela_clients SET relationship_group = :g, sort_name = :s, "
                "search_text = :t WHERE id = :id"
            ),
            {"g": group, "s": fold(row.name)[:200], "t": search, "id": row.id},
        )
    for group, total in totals.items():
        bind.execute(
            sa.text(
                "UPDATE clientela_client_counters SET count = :n WHERE relationship_group = :g"
            ),
            {"n": total, "g": group},
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS clientela_clients_fts_{trigger}")
        op.execute("DROP TABLE IF EXISTS clientela_clients_fts")
    else:
        op.execute("DROP INDEX IF EXISTS clientela_ix_clients_search_text_trgm")
    op.drop_table("clientela_client_counters")
    with op.batch_alter_table("clientela_phones", schema=None) as batch_op:
        batch_op.drop_index("clientela_ix_phones_reversed_digits")
        batch_op.drop_column("reversed_digits")
    with op.batch_alter_table("clientela_clients", schema=None) as batch_op:
        for name in (
            "clientela_ix_clients_email_pattern",
            "clientela_ix_clients_document_pattern",
            "clientela_ix_clients_kind",
            "clientela_ix_clients_last_purchase_at_id",
            "clientela_ix_clients_created_at_id",
            "clientela_ix_clients_group_sort_name_id",
            "clientela_ix_clients_sort_name_id",
        ):
            batch_op.drop_index(name)
        batch_op.create_index("clientela_ix_clients_created_at", ["created_at"], unique=False)
        batch_op.drop_column("search_text")
        batch_op.drop_column("sort_name")
        batch_op.drop_column("relationship_group")
