"""An index on story_headlines.language: the filters' languages read without a scan

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 14:30:00.000000
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_story_headlines_language", "story_headlines", ["language"])


def downgrade() -> None:
    op.drop_index("ix_story_headlines_language", table_name="story_headlines")
