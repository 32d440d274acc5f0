"""gebruiker.oidc_issuer, gebruiker.oidc_sub: accounts of the gemeente's OpenID Connect provider

Revision ID: 0015_oidc
Revises: 0014_mail
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_oidc'
down_revision = '0014_mail'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Added columns and a unique index, no batch rebuild: rebuilding gebruiker on SQLite would drop
    # the table, and its ON DELETE CASCADE would take the sessions and maatregel assignments along.
    op.add_column('gebruiker', sa.Column('oidc_issuer', sa.String(length=300), nullable=True))
    op.add_column('gebruiker', sa.Column('oidc_sub', sa.String(length=255), nullable=True))
    op.create_index('ix_gebruiker_oidc', 'gebruiker', ['oidc_issuer', 'oidc_sub'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_gebruiker_oidc', table_name='gebruiker')
    with op.batch_alter_table('gebruiker', schema=None) as batch_op:
        batch_op.drop_column('oidc_sub')
        batch_op.drop_column('oidc_issuer')
