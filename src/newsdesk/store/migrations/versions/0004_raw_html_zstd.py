"""raw pages: the compressed HTML column is named for what it holds (Zstandard; gzip before)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 04:00:00.000000

Pages stored before this revision stay gzip: they are told apart by their first bytes, so
nothing is rewritten. The rename is one ALTER TABLE on SQLite (3.25+) and PostgreSQL.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.alter_column("raw_pages", "html_gz", new_column_name="html_compressed")


def downgrade() -> None:
    op.alter_column("raw_pages", "html_compressed", new_column_name="html_gz")
