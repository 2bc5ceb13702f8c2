"""host_waits: hosts that answered 429 or 503 with Retry-After, and until when they wait

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:00:00.000000

A new table on SQLite and PostgreSQL; a store of an earlier revision starts with no host waiting.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "host_waits",
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("recorded", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("host"),
    )
    op.create_index("ix_host_waits_until", "host_waits", ["until"])


def downgrade() -> None:
    op.drop_index("ix_host_waits_until", table_name="host_waits")
    op.drop_table("host_waits")
