"""client statuses get a version column: the Situações page refuses stale saves

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "clientela_client_statuses",
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
    )


def downgrade() -> None:
    with op.batch_alter_table("clientela_client_statuses") as batch_op:
        batch_op.drop_column("version")
