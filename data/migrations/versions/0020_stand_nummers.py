"""stand: a removed stand's number is never given again (SQLite: AUTOINCREMENT)

A stand's number is in the links sent to the raad (`/?stand=7`). SQLite gave the number of a
removed newest stand to the next one, so such a link showed another stand instead of saying it
was removed. PostgreSQL's sequence never goes back: nothing to do there.

Revision ID: 0020_stand_nummers
Revises: 0019_aanvullen
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_stand_nummers'
down_revision = '0019_aanvullen'
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # recreating the table with AUTOINCREMENT is the change itself: no column to alter inside
    with op.batch_alter_table('stand', recreate='always', table_kwargs={'sqlite_autoincrement': True}):
        pass
    # stands removed before this step are in the audit trail: their numbers stay used too
    used = [bind.scalar(sa.text("SELECT max(id) FROM stand"))]
    used += [int(key) for (key,) in bind.execute(sa.text("SELECT sleutel FROM wijziging WHERE tabel = 'stand'"))
             if key.isdigit()]
    highest = max((n for n in used if n is not None), default=0)
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = 'stand'"))
    bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES ('stand', :seq)"), {"seq": highest})


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    with op.batch_alter_table('stand', recreate='always', table_kwargs={'sqlite_autoincrement': False}):
        pass
