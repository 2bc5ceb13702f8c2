"""wire copies and membership evidence (reserved)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 10:45:00.000000
"""

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
