"""kpi_totalen: each KPI's total without filters per calendar year, quarter and month, and its
one-year breakdowns, stored at load

Revision ID: 0005_kpi_totalen
Revises: 0004_actief_jaar
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

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
                    sa.Column('dimensie', sa.String(length=16), nullable=False),
                    sa.Column('sleutel', sa.String(length=64), nullable=True),
                    sa.Column('label', sa.Text(), nullable=True),
                    sa.Column('laadlog_id', sa.Integer(), nullable=False),
                    sa.Column('definitie', sa.String(length=64), nullable=False),
                    sa.Column('n', sa.BigInteger(), nullable=False),
                    sa.Column('aggregaten', sa.JSON(), nullable=False))
    with op.batch_alter_table('kpi_totalen', schema=None) as batch_op:
        batch_op.create_index('ix_kpi_totalen', ['kpi_id', 'dimensie', 'van'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('kpi_totalen', schema=None) as batch_op:
        batch_op.drop_index('ix_kpi_totalen')
    op.drop_table('kpi_totalen')
