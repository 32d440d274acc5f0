"""laadrun: every load run, successful or not, for the monitoring (/metrics)

Revision ID: 0016_laadrun
Revises: 0015_oidc
Create Date: 2026-12-12
"""
import sqlalchemy as sa
from alembic import op

revision = '0016_laadrun'
down_revision = '0015_oidc'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('laadrun',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('soort', sa.String(length=16), nullable=False),
                    sa.Column('gestart_op', sa.DateTime(), nullable=False),
                    sa.Column('duur_seconden', sa.Float(), nullable=False),
                    sa.Column('geslaagd', sa.Boolean(), nullable=False),
                    sa.Column('problemen', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_laadrun')))


def downgrade() -> None:
    op.drop_table('laadrun')
