"""storefront: client session token and e-mail confirmation; the mail outbox

Revision ID: 0010_storefront
Revises: 0009_jobs
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0010_storefront"
down_revision = "0009_jobs"
branch_labels = None
depends_on = None
CREATES: tuple[str, ...] = (
    "clientela_mail_outbox",
    "clientela_pk_mail_outbox",
    "clientela_ix_mail_outbox_status_id",
)


def upgrade() -> None:
    with op.batch_alter_table("clientela_clients") as batch_op:
        batch_op.add_column(sa.Column("session_token", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("email_confirmed_at", portal.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "clientela_mail_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=True),
        sa.Column("template", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_attempt_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("sent_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_mail_outbox")),
    )
    op.create_index("clientela_ix_mail_outbox_status_id", "clientela_mail_outbox", ["status", "id"])


def downgrade() -> None:
    op.drop_index("clientela_ix_mail_outbox_status_id", table_name="clientela_mail_outbox")
    op.drop_table("clientela_mail_outbox")
    with op.batch_alter_table("clientela_clients") as batch_op:
        batch_op.drop_column("email_confirmed_at")
        batch_op.drop_column("session_token")
