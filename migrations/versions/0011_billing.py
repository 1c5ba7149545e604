"""billing: collection accounts, boletos and their history; the "issues boleto" flag

Revision ID: 0011_billing
Revises: 0010_storefront
Create Date: 2026-11-28 23:20:09.823120
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0011_billing"
down_revision = "0010_storefront"
branch_labels = None
depends_on = None
# Names this revision creates (tables, indexes, constraints, sequences, triggers), all
# starting with `clientela_`: `clientela migrate` stops before any change if one exists already.
CREATES: tuple[str, ...] = (
    "clientela_billing_accounts",
    "clientela_pk_billing_accounts",
    "clientela_uq_billing_accounts_name",
    "clientela_boletos",
    "clientela_pk_boletos",
    "clientela_uq_boletos_account_id",
    "clientela_fk_boletos_account_id_billing_accounts",
    "clientela_fk_boletos_client_id_clients",
    "clientela_fk_boletos_order_id_orders",
    "clientela_ix_boletos_account_id_sent",
    "clientela_ix_boletos_barcode",
    "clientela_ix_boletos_client_id_id",
    "clientela_ix_boletos_client_id_status_due_date",
    "clientela_ix_boletos_due_date_status",
    "clientela_ix_boletos_order_id_instalment",
    "clientela_boleto_events",
    "clientela_pk_boleto_events",
    "clientela_fk_boleto_events_boleto_id_boletos",
    "clientela_fk_boleto_events_staff_user_id_staff_users",
    "clientela_ix_boleto_events_boleto_id",
)


def upgrade() -> None:
    op.create_table(
        "clientela_billing_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("bank_code", sa.String(length=3), nullable=False),
        sa.Column("agency", sa.String(length=10), nullable=False),
        sa.Column("agency_digit", sa.String(length=2), nullable=False),
        sa.Column("account", sa.String(length=20), nullable=False),
        sa.Column("account_digit", sa.String(length=2), nullable=False),
        sa.Column("carteira", sa.String(length=10), nullable=False),
        sa.Column("convenio", sa.String(length=20), nullable=False),
        sa.Column("modalidade", sa.String(length=10), nullable=False),
        sa.Column("transmission_code", sa.String(length=20), nullable=False),
        sa.Column("beneficiary_name", sa.String(length=120), nullable=False),
        sa.Column("beneficiary_document", sa.String(length=14), nullable=False),
        sa.Column("beneficiary_address", sa.String(length=300), nullable=False),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("fine_percent_x100", sa.BigInteger(), nullable=False),
        sa.Column("interest_percent_per_day_x10000", sa.BigInteger(), nullable=False),
        sa.Column("discount_amount_cents", sa.BigInteger(), nullable=True),
        sa.Column("discount_until_days", sa.Integer(), nullable=True),
        sa.Column("pix_key", sa.String(length=77), nullable=True),
        sa.Column("next_nosso_numero", sa.Integer(), nullable=False),
        sa.Column("next_remessa_number", sa.Integer(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_billing_accounts")),
        sa.UniqueConstraint("name", name=op.f("clientela_uq_billing_accounts_name")),
    )
    op.create_table(
        "clientela_boletos",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("instalment", sa.Integer(), nullable=False),
        sa.Column("instalments", sa.Integer(), nullable=False),
        sa.Column("nosso_numero", sa.String(length=20), nullable=True),
        sa.Column("nosso_numero_dv", sa.String(length=2), nullable=False),
        sa.Column("nosso_numero_formatted", sa.String(length=30), nullable=True),
        sa.Column("document_number", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("barcode", sa.String(length=44), nullable=False),
        sa.Column("linha_digitavel", sa.String(length=47), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_amount_cents", sa.BigInteger(), nullable=True),
        sa.Column("fees_cents", sa.BigInteger(), nullable=True),
        sa.Column("reject_reason", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("pdf_url", sa.String(length=500), nullable=True),
        sa.Column("sent_in_remessa_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["clientela_billing_accounts.id"],
            name=op.f("clientela_fk_boletos_account_id_billing_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clientela_clients.id"],
            name=op.f("clientela_fk_boletos_client_id_clients"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["clientela_orders.id"],
            name=op.f("clientela_fk_boletos_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_boletos")),
        sa.UniqueConstraint(
            "account_id", "nosso_numero", name=op.f("clientela_uq_boletos_account_id")
        ),
    )
    with op.batch_alter_table("clientela_boletos", schema=None) as batch_op:
        batch_op.create_index(
            "clientela_ix_boletos_account_id_sent",
            ["account_id", "sent_in_remessa_at"],
            unique=False,
        )
        batch_op.create_index("clientela_ix_boletos_barcode", ["barcode"], unique=False)
        batch_op.create_index(
            "clientela_ix_boletos_client_id_id", ["client_id", "id"], unique=False
        )
        batch_op.create_index(
            "clientela_ix_boletos_client_id_status_due_date",
            ["client_id", "status", "due_date"],
            unique=False,
        )
        batch_op.create_index(
            "clientela_ix_boletos_due_date_status", ["due_date", "status"], unique=False
        )
        batch_op.create_index(
            "clientela_ix_boletos_order_id_instalment", ["order_id", "instalment"], unique=False
        )

    op.create_table(
        "clientela_boleto_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("boleto_id", sa.Integer(), nullable=False),
        sa.Column("at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("staff_user_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("from_status", sa.String(length=12), nullable=True),
        sa.Column("to_status", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["boleto_id"],
            ["clientela_boletos.id"],
            name=op.f("clientela_fk_boleto_events_boleto_id_boletos"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["clientela_staff_users.id"],
            name=op.f("clientela_fk_boleto_events_staff_user_id_staff_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_boleto_events")),
    )
    with op.batch_alter_table("clientela_boleto_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("clientela_ix_boleto_events_boleto_id"), ["boleto_id"], unique=False
        )

    with op.batch_alter_table("clientela_payment_methods", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("issues_boleto", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("clientela_payment_methods", schema=None) as batch_op:
        batch_op.drop_column("issues_boleto")

    with op.batch_alter_table("clientela_boleto_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("clientela_ix_boleto_events_boleto_id"))

    op.drop_table("clientela_boleto_events")
    with op.batch_alter_table("clientela_boletos", schema=None) as batch_op:
        batch_op.drop_index("clientela_ix_boletos_order_id_instalment")
        batch_op.drop_index("clientela_ix_boletos_due_date_status")
        batch_op.drop_index("clientela_ix_boletos_client_id_status_due_date")
        batch_op.drop_index("clientela_ix_boletos_client_id_id")
        batch_op.drop_index("clientela_ix_boletos_barcode")
        batch_op.drop_index("clientela_ix_boletos_account_id_sent")

    op.drop_table("clientela_boletos")
    op.drop_table("clientela_billing_accounts")
