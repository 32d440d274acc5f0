"""trajecten.verzoekdatum, toewijzingsdatum, ingangsdatum: the iJw dates for the doorlooptijden

Filled by python -m data load-ijw only (docs/ijw.md); NULL for trajecten from a CSV file.

Revision ID: 0011_doorlooptijden
Revises: 0010_ijw
Create Date: 2026-12-05
"""
import sqlalchemy as sa
from alembic import op

revision = '0011_doorlooptijden'
down_revision = '0010_ijw'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('trajecten', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verzoekdatum', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('toewijzingsdatum', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('ingangsdatum', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('trajecten', schema=None) as batch_op:
        batch_op.drop_column('ingangsdatum')
        batch_op.drop_column('toewijzingsdatum')
        batch_op.drop_column('verzoekdatum')
