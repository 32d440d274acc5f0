"""sessie: login sessions kept on the server, so logout, deactivation and a new password end them

Revision ID: 0006_sessie
Revises: 0005_kpi_totalen
Create Date: 2026-12-04
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_sessie'
down_revision = '0005_kpi_totalen'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Created empty: sessions signed before this version carry no token, so everybody logs in
    # once more after the upgrade.
    op.create_table('sessie',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('token_hash', sa.String(length=64), nullable=False),
                    sa.Column('gebruiker_id', sa.Integer(), nullable=False),
                    sa.Column('aangemaakt_op', sa.DateTime(), nullable=False),
                    sa.Column('laatst_actief_op', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['gebruiker_id'], ['gebruiker.id'],
                                            name=op.f('fk_sessie_gebruiker_id_gebruiker'), ondelete='CASCADE'),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_sessie')),
                    sa.UniqueConstraint('token_hash', name=op.f('uq_sessie_token_hash')))
    with op.batch_alter_table('sessie', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessie_gebruiker_id'), ['gebruiker_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sessie', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessie_gebruiker_id'))
    op.drop_table('sessie')
