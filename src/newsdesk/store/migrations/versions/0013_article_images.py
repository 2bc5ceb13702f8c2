"""articles.image_url and article_images: lead images as thumbnails kept by newsdesk

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 11:45:00.000000

Articles of an earlier revision have no image address; they are shown without a thumbnail.
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("image_url", sa.String(length=2048), nullable=True))
    op.create_table(
        "article_images",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=32), nullable=True),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("fetched", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )


def downgrade() -> None:
    op.drop_table("article_images")
    # A plain DROP COLUMN: rebuilding the table (batch mode) would rewrite copy_of's reference in a form
    # that revision 0010's downgrade cannot drop on SQLite.
    op.drop_column("articles", "image_url")
