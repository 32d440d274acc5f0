"""kpi_jaartotalen: each KPI's yearly total without filters, stored at load

Revision ID: 0005_kpi_jaartotalen
Revises: 0004_actief_jaar
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_kpi_jaartotalen'
down_revision = '0004_actief_jaar'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Created empty: its rows come from the KPI layer at the next load (python -m data load);
    # until then every KPI reads the facts, exactly as before.
    op.create_table('kpi_jaartotalen',
                    sa.Column('kpi_id', sa.String(length=64), nullable=False),
                    sa.Column('jaar', sa.Integer(), nullable=False),
                    sa.Column('laadlog_id', sa.Integer(), nullable=False),
                    sa.Column('definitie', sa.String(length=64), nullable=False),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.Column('aggregaten', sa.JSON(), nullable=False),
                    sa.PrimaryKeyConstraint('kpi_id', 'jaar'))


def downgrade() -> None:
    op.drop_table('kpi_jaartotalen')
