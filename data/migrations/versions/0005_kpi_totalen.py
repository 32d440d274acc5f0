"""kpi_totalen: each KPI's total without filters per calendar year, quarter and month, stored at load

Revision ID: 0005_kpi_totalen
Revises: 0004_actief_jaar
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_kpi_totalen'
down_revision = '0004_actief_jaar'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Created empty: its rows come from the KPI layer at the next load (python -m data load);
    # until then every KPI reads the facts, exactly as before.
    op.create_table('kpi_totalen',
                    sa.Column('kpi_id', sa.String(length=64), nullable=False),
                    sa.Column('van', sa.Date(), nullable=False),
                    sa.Column('tot', sa.Date(), nullable=False),
                    sa.Column('laadlog_id', sa.Integer(), nullable=False),
                    sa.Column('definitie', sa.String(length=64), nullable=False),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.Column('aggregaten', sa.JSON(), nullable=False),
                    sa.PrimaryKeyConstraint('kpi_id', 'van', 'tot', name=op.f('pk_kpi_totalen')))


def downgrade() -> None:
    op.drop_table('kpi_totalen')
