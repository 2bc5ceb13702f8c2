"""wire copies and membership evidence

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 10:45:00.000000

articles.copy_of points a wire copy to the earliest article of its group, articles.copy_signature
keeps the MinHash signature copies are found by, memberships.evidence (JSON) why an article joined
its story. Articles stored before this revision have none of them: they are originals, are never
compared for copies and show no evidence.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Plain ADD COLUMN with its reference (no table rebuild): the articles' FTS triggers stay.
        # No ON DELETE: SQLite reads none back from a column added this way (articles are never
        # deleted), so the reference is the same on every database.
        op.execute("ALTER TABLE articles ADD COLUMN copy_of INTEGER REFERENCES articles (id)")
    else:
        op.add_column(
            "articles", sa.Column("copy_of", sa.Integer(), sa.ForeignKey("articles.id"), nullable=True)
        )
    op.add_column("articles", sa.Column("copy_signature", sa.LargeBinary(), nullable=True))
    op.create_index("ix_articles_copy_of", "articles", ["copy_of"], unique=False)
    op.add_column("memberships", sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): rebuilding articles would drop its FTS triggers.
    op.drop_column("memberships", "evidence")
    op.drop_index("ix_articles_copy_of", table_name="articles")
    op.drop_column("articles", "copy_signature")
    op.drop_column("articles", "copy_of")
