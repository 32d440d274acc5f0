"""indicator.bovengrens: a value may pass its unit's range where the programme says so

Revision ID: 0008_bovengrens
Revises: 0007_programma
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = '0008_bovengrens'
down_revision = '0007_programma'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bovengrens', sa.Float(), nullable=True))
    # Until this version the code let every indicator of the KPI pct_budget_besteed pass 100%
    # (up to 1000): the programme file now says so of its indicator, and so does the warehouse.
    op.get_bind().execute(sa.text("UPDATE indicator SET bovengrens = 1000 WHERE kpi_id = 'pct_budget_besteed'"))


def downgrade() -> None:
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_column('bovengrens')
