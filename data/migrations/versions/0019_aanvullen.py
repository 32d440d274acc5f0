"""laadlog: what a load added to a table (`aangevuld`) and from which load on the stored KPI totals count (`totalen_vanaf`)

Revision ID: 0019_aanvullen
Revises: 0018_ijw_indexen
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0019_aanvullen'
down_revision = '0018_ijw_indexen'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Both empty for every earlier load: it replaced its tables, and only its own stored totals count.
    with op.batch_alter_table('laadlog') as batch:
        batch.add_column(sa.Column('aangevuld', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('totalen_vanaf', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('laadlog') as batch:
        batch.drop_column('totalen_vanaf')
        batch.drop_column('aangevuld')
