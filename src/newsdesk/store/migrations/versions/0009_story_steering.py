"""analyst actions on stories: locks, named headlines, pinned memberships and the audit trail

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 10:45:00.000000

An analyst merges, splits, moves, renames and locks stories (docs/steering.md). Each action is
kept in ``story_actions`` with what it changed (before and after, to undo it) and the stories it
touched (``story_action_stories``). Stores of an earlier revision have no actions: nothing is
locked, named or pinned.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table, column in (("stories", "locked"), ("story_headlines", "named"), ("memberships", "pinned")):
        op.add_column(table, sa.Column(column, sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "story_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("who", sa.String(length=128), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("story_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["undoes"], ["story_actions.id"]),
        sa.ForeignKeyConstraint(["undone_by"], ["story_actions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_story_actions_at", "story_actions", ["at"])
    op.create_table(
        "story_action_stories",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("story_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["story_actions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id", "story_id"),
    )
    op.create_index("ix_story_action_stories_story_id", "story_action_stories", ["story_id"])


def downgrade() -> None:
    op.drop_index("ix_story_action_stories_story_id", table_name="story_action_stories")
    op.drop_table("story_action_stories")
    op.drop_index("ix_story_actions_at", table_name="story_actions")
    op.drop_table("story_actions")
    for table, column in (("memberships", "pinned"), ("story_headlines", "named"), ("stories", "locked")):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
