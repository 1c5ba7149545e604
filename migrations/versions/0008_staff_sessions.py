"""staff sessions on the server: signing out ends the session, not only the cookie

Each back-office sign-in gets a row (the SHA-256 of the secret its cookie carries); sign-out
deletes it, "sign out of every device" deletes all of the user's rows. Sessions opened before
this revision carry no such secret and must sign in again.

Revision ID: 0008_staff_sessions
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0008_staff_sessions"
down_revision = "0007"
branch_labels = None
depends_on = None
# Names this revision creates (tables, indexes, constraints, sequences, triggers), all
# starting with `clientela_`: `clientela migrate` stops before any change if one exists already.
CREATES: tuple[str, ...] = (
    "clientela_staff_sessions",
    "clientela_pk_staff_sessions",
    "clientela_fk_staff_sessions_staff_id_staff_users",
    "clientela_uq_staff_sessions_token_hash",
    "clientela_ix_staff_sessions_staff_id",
    "clientela_staff_sessions_id_seq",
)


def upgrade() -> None:
    op.create_table(
        "clientela_staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["clientela_staff_users.id"],
            name=op.f("clientela_fk_staff_sessions_staff_id_staff_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_staff_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("clientela_uq_staff_sessions_token_hash")),
    )
    op.create_index(
        op.f("clientela_ix_staff_sessions_staff_id"),
        "clientela_staff_sessions",
        ["staff_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("clientela_ix_staff_sessions_staff_id"), table_name="clientela_staff_sessions"
    )
    op.drop_table("clientela_staff_sessions")
