"""feeds: the kind of subscription (feed or sitemap) and a sitemap's newest entry date read

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 09:00:00.000000

Every subscription of an earlier revision is a feed (``kind = 'feed'``, the server default);
``seen_until`` is only set for sitemaps. Two ADD COLUMN statements on SQLite and PostgreSQL.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feeds", sa.Column("kind", sa.String(length=16), server_default="feed", nullable=False))
    op.add_column("feeds", sa.Column("seen_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds") as batch_op:
        batch_op.drop_column("seen_until")
        batch_op.drop_column("kind")
