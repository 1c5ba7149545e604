"""jobs: exports and bulk actions run in the background, with their progress

Revision ID: 0009_jobs
Revises: 0008_staff_sessions
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0009_jobs"
down_revision = "0008_staff_sessions"
branch_labels = None
depends_on = None
CREATES: tuple[str, ...] = (
    "clientela_jobs",
    "clientela_pk_jobs",
    "clientela_fk_jobs_staff_id_staff_users",
    "clientela_ix_jobs_status",
    "clientela_ix_jobs_staff_id",
    "clientela_ix_jobs_created_at",
    "clientela_jobs_id_seq",
)


def upgrade() -> None:
    op.create_table(
        "clientela_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("result_path", sa.String(length=200), nullable=True),
        sa.Column("result_name", sa.String(length=200), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", portal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["clientela_staff_users.id"],
            name=op.f("clientela_fk_jobs_staff_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_jobs")),
    )
    op.create_index(op.f("clientela_ix_jobs_status"), "clientela_jobs", ["status", "heartbeat_at"])
    op.create_index(op.f("clientela_ix_jobs_staff_id"), "clientela_jobs", ["staff_id"])
    op.create_index(op.f("clientela_ix_jobs_created_at"), "clientela_jobs", ["created_at"])


def downgrade() -> None:
    op.drop_table("clientela_jobs")
