"""kosten.ontvangen: the day a cost row's declaration was received (import format 1.1)

The column is optional in kosten.csv: rows loaded before this version, and files without it, keep
NULL.

Revision ID: 0009_ontvangen
Revises: 0008_bovengrens
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = '0009_ontvangen'
down_revision = '0008_bovengrens'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kosten', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ontvangen', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kosten', schema=None) as batch_op:
        batch_op.drop_column('ontvangen')
