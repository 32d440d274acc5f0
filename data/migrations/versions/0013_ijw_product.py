"""ijw_product: the gemeente's product codes → hulpvorm and verblijfsvorm (load-ijw --producten)

Revision ID: 0013_ijw_product
Revises: 0012_ijw_signaal
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_ijw_product'
down_revision = '0012_ijw_signaal'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('ijw_product',
                    sa.Column('categorie', sa.String(length=2), nullable=False),
                    sa.Column('productcode', sa.String(length=5), nullable=False),
                    sa.Column('hulpvorm', sa.String(length=32), nullable=True),
                    sa.Column('verblijfsvorm', sa.String(length=16), nullable=True),
                    sa.PrimaryKeyConstraint('categorie', 'productcode', name=op.f('pk_ijw_product')))


def downgrade() -> None:
    op.drop_table('ijw_product')
