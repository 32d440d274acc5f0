"""gebruiker.emailadres and herinnering: the weekly digest and the trekkers' reminders by e-mail

Revision ID: 0014_mail
Revises: 0013_ijw_product
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0014_mail'
down_revision = '0013_ijw_product'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('gebruiker', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailadres', sa.String(length=254), nullable=True))
    op.create_table('herinnering',
                    sa.Column('gebruiker_id', sa.Integer(), nullable=False),
                    sa.Column('periode', sa.String(length=7), nullable=False),
                    sa.Column('verzonden_op', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'],
                                            name=op.f('fk_herinnering_gebruiker_id_gebruiker'), ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('gebruiker_id', 'periode', name=op.f('pk_herinnering')))


def downgrade() -> None:
    op.drop_table('herinnering')
    with op.batch_alter_table('gebruiker', schema=None) as batch_op:
        batch_op.drop_column('emailadres')
