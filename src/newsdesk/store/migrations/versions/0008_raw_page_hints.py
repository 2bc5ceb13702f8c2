"""raw_pages.outlet and raw_pages.language: what an imported page's record said of it

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 07:00:00.000000

A page imported from a file has no feed to name its outlet and language; the record may give
them, and they are kept with the page until it is processed. Pages of an earlier revision have
neither (their feed's, as before).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("raw_pages", sa.Column("outlet", sa.String(length=255), nullable=True))
    op.add_column("raw_pages", sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("raw_pages") as batch:
        batch.drop_column("language")
        batch.drop_column("outlet")
