"""story_moves: where a story removed by the clusterer's second chance went

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 14:45:00.000000

Stories removed before this revision have no record: their links give "no such story", as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_moves",
        sa.Column("story_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("moved", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("story_id"),
    )


def downgrade() -> None:
    op.drop_table("story_moves")
