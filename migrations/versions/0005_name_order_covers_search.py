"""merge the domain branches; the name-order index carries the search text

The list's text search walks clients in name order and tests the folded name of each row;
with `search_text` in the index that walk reads the index alone (PostgreSQL index-only
scan, SQLite covering index) instead of fetching every row from the table.

Revision ID: 0005
Revises: 0002, 0003, 0004
"""

from alembic import op

revision = "0005"
down_revision = ("0002", "0003", "0004")
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "clientela_ix_clients_sort_name_id_text",
        "clientela_clients",
        ["sort_name", "id", "search_text"],
    )
    op.drop_index("clientela_ix_clients_sort_name_id", table_name="clientela_clients")


def downgrade() -> None:
    op.create_index("clientela_ix_clients_sort_name_id", "clientela_clients", ["sort_name", "id"])
    op.drop_index("clientela_ix_clients_sort_name_id_text", table_name="clientela_clients")
