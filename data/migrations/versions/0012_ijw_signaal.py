"""ijw_signaal: the health of the berichtenverkeer (no start, no stop, no toewijzing, rejections)

Filled at each python -m data load-ijw (data/warehouse/ijw/health.py); empty until then.

Revision ID: 0012_ijw_signaal
Revises: 0011_doorlooptijden
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_ijw_signaal'
down_revision = '0011_doorlooptijden'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ijw_signaal',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('soort', sa.String(length=24), nullable=False),
                    sa.Column('aanbieder_code', sa.String(length=16), nullable=False),
                    sa.Column('maand', sa.Date(), nullable=False),
                    sa.Column('retourcode', sa.String(length=4), nullable=True),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_ijw_signaal')))
    with op.batch_alter_table('ijw_signaal', schema=None) as batch_op:
        batch_op.create_index('ix_ijw_signaal_soort_maand', ['soort', 'maand'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ijw_signaal', schema=None) as batch_op:
        batch_op.drop_index('ix_ijw_signaal_soort_maand')
    op.drop_table('ijw_signaal')
