"""sefaz consultations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""

import sqlalchemy as sa
from alembic import op

import portal.db

revision = "0002"
down_revision = "0001"
branch_labels = ("sefaz",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clientela_sefaz_consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("document", sa.String(length=14), nullable=False),
        sa.Column("uf", sa.String(length=2), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("at", portal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(length=20), nullable=False),
        sa.Column("c_stat", sa.Integer(), nullable=True),
        sa.Column("x_motivo", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=30), nullable=True),
        sa.Column("parsed", sa.JSON(), nullable=True),
        sa.Column("raw_xml", sa.Text(), nullable=True),
        sa.Column("is_cached", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clientela_clients.id"],
            name=op.f("clientela_fk_sefaz_consultations_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["clientela_staff_users.id"],
            name=op.f("clientela_fk_sefaz_consultations_staff_id_staff_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("clientela_pk_sefaz_consultations")),
    )
    with op.batch_alter_table("clientela_sefaz_consultations", schema=None) as batch_op:
        batch_op.create_index("clientela_ix_sefaz_consultations_client_id_at", ["client_id", "at"])
        batch_op.create_index(
            "clientela_ix_sefaz_consultations_document_uf_at", ["document", "uf", "at"]
        )
        batch_op.create_index(
            "clientela_ix_sefaz_consultations_uf_c_stat_at", ["uf", "c_stat", "at"]
        )


def downgrade() -> None:
    op.drop_table("clientela_sefaz_consultations")
