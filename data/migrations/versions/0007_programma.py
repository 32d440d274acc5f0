"""programma: the plan's name, gemeente and years as data

Revision ID: 0007_programma
Revises: 0006_sessie
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = '0007_programma'
down_revision = '0006_sessie'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('programma',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('naam', sa.String(length=300), nullable=False),
                    sa.Column('gemeente', sa.String(length=200), nullable=False),
                    sa.Column('eerste_jaar', sa.Integer(), nullable=False),
                    sa.Column('laatste_jaar', sa.Integer(), nullable=False),
                    sa.Column('nulmeting_jaar', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_programma')))
    # Until this version the only programme was the Programmaplan Jeugd Huizen 2025–2028 (its name
    # and years were written in the code): a warehouse that holds a programme gets what its file's
    # header says.
    conn = op.get_bind()
    if conn.scalar(sa.text("SELECT COUNT(*) FROM strategische_lijn")):
        conn.execute(sa.text("INSERT INTO programma (id, naam, gemeente, eerste_jaar, laatste_jaar, nulmeting_jaar) "
                             "VALUES (1, :naam, 'Huizen', 2025, 2028, 2024)"),
                     {"naam": "Programmaplan Jeugd 2025–2028"})


def downgrade() -> None:
    op.drop_table('programma')
