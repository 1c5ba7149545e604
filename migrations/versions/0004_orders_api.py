"""orders, order types and statuses, API keys and idempotency records

A branch off the base: `portal.migrate.upgrade` goes to "heads".
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

ORDER_TYPES = ["Pedido", "Orçamento", "Devolução", "Recibo de pagamento"]
# (name, counts as a purchase)
ORDER_STATUSES = [
    ("Aguardando pagamento", False),
    ("Pago", True),
    ("Em separação", True),
    ("Enviado", True),
    ("Entregue", True),
    ("Cancelado", False),
]


def _fk(table: str, column: str, target: str, **kw) -> sa.ForeignKeyConstraint:
    """A foreign key named by the convention (`table` and `target` without the prefix)."""
    return sa.ForeignKeyConstraint(
        [column],
        [f"clientela_{target}.id"],
        name=op.f(f"clientela_fk_{table}_{column}_{target}"),
        **kw,
    )


def upgrade() -> None:
    order_types = op.create_table(
        "clientela_order_types",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_order_types")),
        sa.UniqueConstraint("name", name=op.f("clientela_uq_order_types_name")),
    )
    order_statuses = op.create_table(
        "clientela_order_statuses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("counts_as_purchase", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_order_statuses")),
        sa.UniqueConstraint("name", name=op.f("clientela_uq_order_statuses_name")),
    )
    counters = op.create_table(
        "clientela_order_counters",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("clientela_pk_order_counters")),
    )
    op.create_table(
        "clientela_orders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("delivery_address_id", sa.Integer(), nullable=True),
        sa.Column("payment_method_id", sa.Integer(), nullable=True),
        sa.Column("payment_term_id", sa.Integer(), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("items_total_cents", sa.BigInteger(), nullable=False),
        sa.Column("discount_total_cents", sa.BigInteger(), nullable=False),
        sa.Column("shipping_cents", sa.BigInteger(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _fk("orders", "client_id", "clients"),
        _fk("orders", "delivery_address_id", "addresses"),
        _fk("orders", "payment_method_id", "payment_methods"),
        _fk("orders", "payment_term_id", "payment_terms"),
        _fk("orders", "status_id", "order_statuses"),
        _fk("orders", "type_id", "order_types"),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_orders")),
        sa.UniqueConstraint("number", name=op.f("clientela_uq_orders_number")),
    )
    op.create_index(
        "clientela_ix_orders_client_id_created_at", "clientela_orders", ["client_id", "created_at"]
    )
    op.create_index("clientela_ix_orders_status_id", "clientela_orders", ["status_id"])
    op.create_table(
        "clientela_order_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("unit_price_cents", sa.BigInteger(), nullable=False),
        sa.Column("discount_cents", sa.BigInteger(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        _fk("order_items", "order_id", "orders", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_order_items")),
    )
    op.create_index(
        op.f("clientela_ix_order_items_order_id"), "clientela_order_items", ["order_id"]
    )
    op.create_table(
        "clientela_order_status_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("from_status_id", sa.Integer(), nullable=True),
        sa.Column("to_status_id", sa.Integer(), nullable=False),
        _fk("order_status_changes", "from_status_id", "order_statuses"),
        _fk("order_status_changes", "order_id", "orders", ondelete="CASCADE"),
        _fk("order_status_changes", "staff_id", "staff_users"),
        _fk("order_status_changes", "to_status_id", "order_statuses"),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_order_status_changes")),
    )
    op.create_index(
        op.f("clientela_ix_order_status_changes_order_id"),
        "clientela_order_status_changes",
        ["order_id"],
    )
    op.create_table(
        "clientela_api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("last_used_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        _fk("api_keys", "created_by_id", "staff_users"),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_api_keys")),
        sa.UniqueConstraint("prefix", name=op.f("clientela_uq_api_keys_prefix")),
    )
    op.create_table(
        "clientela_api_idempotency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("api_key_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(length=300), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        _fk("api_idempotency", "api_key_id", "api_keys", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_api_idempotency")),
        sa.UniqueConstraint(
            "api_key_id", "key", name="clientela_uq_api_idempotency_api_key_id_key"
        ),
    )
    op.create_index(
        "clientela_ix_api_idempotency_api_key_id_created_at",
        "clientela_api_idempotency",
        ["api_key_id", "created_at"],
    )

    op.bulk_insert(
        order_types,
        [
            {"name": name, "is_active": True, "position": i * 10, "version": 1}
            for i, name in enumerate(ORDER_TYPES, start=1)
        ],
    )
    op.bulk_insert(
        order_statuses,
        [
            {
                "name": name,
                "position": i * 10,
                "counts_as_purchase": counts,
                "is_active": True,
                "version": 1,
            }
            for i, (name, counts) in enumerate(ORDER_STATUSES, start=1)
        ],
    )
    op.bulk_insert(counters, [{"name": "orders", "value": 0}])


def downgrade() -> None:
    op.drop_table("clientela_api_idempotency")
    op.drop_table("clientela_api_keys")
    op.drop_table("clientela_order_status_changes")
    op.drop_table("clientela_order_items")
    op.drop_table("clientela_orders")
    op.drop_table("clientela_order_counters")
    op.drop_table("clientela_order_statuses")
    op.drop_table("clientela_order_types")
