"""cluster_index: the clusterer's centroid indexes, saved at the end of a run

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 17:00:00.000000

One row (id 1). A store without it builds the indexes from the clustering state when it loads it,
as before.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cluster_index",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("cluster_index")
