"""clustering state in pieces: one row per live story, the header in cluster_state

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 04:10:00.000000

A store of an earlier revision keeps its one-piece state in cluster_state: it is read as it
is, and the first batch after the upgrade writes every live story's row and the new header.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_stories",
        sa.Column("story_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("story_id"),
    )


def downgrade() -> None:
    op.drop_table("cluster_stories")
