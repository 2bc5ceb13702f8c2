"""stories.storyline_id: the developing story a story belongs to

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 11:10:00.000000

A storyline is named by the id of its first story. Stories of an earlier revision belong to none until
a later story continues them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("stories", sa.Column("storyline_id", sa.Integer(), nullable=True))
    op.create_index("ix_stories_storyline_id", "stories", ["storyline_id"])


def downgrade() -> None:
    op.drop_index("ix_stories_storyline_id", table_name="stories")
    with op.batch_alter_table("stories") as batch:
        batch.drop_column("storyline_id")
