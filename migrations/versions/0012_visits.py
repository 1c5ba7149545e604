"""visits: page views (monthly partitions on PostgreSQL), visits, visitor and order links,
clients.last_visit_at

Revision ID: 0012_visits
Revises: 0011_billing
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import portal.db
from portal.visits import partitions

revision = "0012_visits"
down_revision = "0011_billing"
branch_labels = None
depends_on = None
CREATES: tuple[str, ...] = (
    "clientela_page_views",
    "clientela_pk_page_views",
    "clientela_page_views_id_seq",
    "clientela_ix_page_views_visit_id_at",
    "clientela_ix_page_views_visitor_id_at",
    "clientela_ix_page_views_at",
    "clientela_visits",
    "clientela_pk_visits",
    "clientela_fk_visits_client_id_clients",
    "clientela_fk_visits_order_id_orders",
    "clientela_ix_visits_client_id_started_at_id",
    "clientela_ix_visits_visitor_id_started_at",
    "clientela_ix_visits_started_at",
    "clientela_ix_visits_order_id",
    "clientela_visitors",
    "clientela_pk_visitors",
    "clientela_fk_visitors_client_id_clients",
    "clientela_ix_visitors_client_id",
    "clientela_order_visitors",
    "clientela_pk_order_visitors",
    "clientela_fk_order_visitors_order_id_orders",
    "clientela_ix_clients_last_visit_at_id",
)

_PAGE_VIEW_COLUMNS = """
    visitor_id VARCHAR(32) NOT NULL,
    client_id INTEGER,
    visit_id {big},
    path VARCHAR(1000) NOT NULL,
    query VARCHAR(1000),
    title VARCHAR(300),
    referrer VARCHAR(1000),
    utm_source VARCHAR(200),
    utm_medium VARCHAR(200),
    utm_campaign VARCHAR(200),
    browser VARCHAR(60),
    os VARCHAR(60),
    device VARCHAR(10),
    ip VARCHAR(45)
"""


def _page_views(dialect: str) -> None:
    if dialect == "postgresql":
        # Declarative partitioning: the key (at) must be part of the primary key.
        op.execute(
            "CREATE TABLE clientela_page_views ("
            "id BIGSERIAL NOT NULL, at TIMESTAMP WITH TIME ZONE NOT NULL,"
            + _PAGE_VIEW_COLUMNS.format(big="BIGINT")
            + ", CONSTRAINT clientela_pk_page_views PRIMARY KEY (id, at)"
            ") PARTITION BY RANGE (at)"
        )
    else:
        op.execute(
            "CREATE TABLE clientela_page_views ("
            "id INTEGER NOT NULL, at DATETIME NOT NULL,"
            + _PAGE_VIEW_COLUMNS.format(big="INTEGER")
            + ", CONSTRAINT clientela_pk_page_views PRIMARY KEY (id))"
        )
    op.create_index(
        "clientela_ix_page_views_visit_id_at", "clientela_page_views", ["visit_id", "at"]
    )
    op.create_index(
        "clientela_ix_page_views_visitor_id_at", "clientela_page_views", ["visitor_id", "at"]
    )
    op.create_index("clientela_ix_page_views_at", "clientela_page_views", ["at"])
    if dialect == "postgresql":
        partitions.ensure(op.get_bind(), partitions.months_ahead(datetime.now(UTC).date(), 3))


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
    _page_views(dialect)
    op.create_table(
        "clientela_visits",
        sa.Column("id", big_id, nullable=False),
        sa.Column("visitor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("started_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("entry_path", sa.String(length=1000), nullable=False),
        sa.Column("exit_path", sa.String(length=1000), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("device", sa.String(length=10), nullable=True),
        sa.Column("browser", sa.String(length=60), nullable=True),
        sa.Column("os", sa.String(length=60), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clientela_clients.id"],
            name=op.f("clientela_fk_visits_client_id_clients"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["clientela_orders.id"],
            name=op.f("clientela_fk_visits_order_id_orders"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_visits")),
    )
    op.create_index(
        "clientela_ix_visits_client_id_started_at_id",
        "clientela_visits",
        ["client_id", "started_at", "id"],
    )
    op.create_index(
        "clientela_ix_visits_visitor_id_started_at",
        "clientela_visits",
        ["visitor_id", "started_at"],
    )
    op.create_index("clientela_ix_visits_started_at", "clientela_visits", ["started_at"])
    op.create_index("clientela_ix_visits_order_id", "clientela_visits", ["order_id"])
    op.create_table(
        "clientela_visitors",
        sa.Column("visitor_id", sa.String(length=32), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clientela_clients.id"],
            name=op.f("clientela_fk_visitors_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("visitor_id", name=op.f("clientela_pk_visitors")),
    )
    op.create_index("clientela_ix_visitors_client_id", "clientela_visitors", ["client_id"])
    op.create_table(
        "clientela_order_visitors",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.String(length=32), nullable=False),
        sa.Column("ordered_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["clientela_orders.id"],
            name=op.f("clientela_fk_order_visitors_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("clientela_pk_order_visitors")),
    )
    with op.batch_alter_table("clientela_clients") as batch_op:
        batch_op.add_column(
            sa.Column("last_visit_at", portal.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_index(
        "clientela_ix_clients_last_visit_at_id", "clientela_clients", ["last_visit_at", "id"]
    )


def downgrade() -> None:
    op.drop_index("clientela_ix_clients_last_visit_at_id", table_name="clientela_clients")
    with op.batch_alter_table("clientela_clients") as batch_op:
        batch_op.drop_column("last_visit_at")
    op.drop_table("clientela_order_visitors")
    op.drop_index("clientela_ix_visitors_client_id", table_name="clientela_visitors")
    op.drop_table("clientela_visitors")
    for name in (
        "clientela_ix_visits_order_id",
        "clientela_ix_visits_started_at",
        "clientela_ix_visits_visitor_id_started_at",
        "clientela_ix_visits_client_id_started_at_id",
    ):
        op.drop_index(name, table_name="clientela_visits")
    op.drop_table("clientela_visits")
    op.execute("DROP TABLE clientela_page_views")  # its partitions go with it
