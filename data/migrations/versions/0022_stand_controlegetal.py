"""stand: a checksum of the content as frozen (`controlegetal`)

A vastgestelde stand never changes. With the sha256 of its content beside it, a stand changed in the
database or in a back-up says it is damaged instead of showing other figures. Stands made before
this step get the checksum of their content as it is now.

Revision ID: 0022_stand_controlegetal
Revises: 0021_kosten_per_jaar
Create Date: 2026-12-07
"""
import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = '0022_stand_controlegetal'
down_revision = '0021_kosten_per_jaar'
branch_labels = None
depends_on = None


def _checksum(inhoud) -> str:  # data/programme/stand_store.checksum as of this step
    text = json.dumps(inhoud, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column('stand', sa.Column('controlegetal', sa.String(length=64), nullable=True))
    stand = sa.table('stand', sa.column('id', sa.Integer), sa.column('inhoud', sa.JSON),
                     sa.column('controlegetal', sa.String))
    bind = op.get_bind()
    for stand_id, inhoud in bind.execute(sa.select(stand.c.id, stand.c.inhoud)).all():
        bind.execute(stand.update().where(stand.c.id == stand_id).values(controlegetal=_checksum(inhoud)))


def downgrade() -> None:
    with op.batch_alter_table('stand', table_kwargs={'sqlite_autoincrement': True}) as batch:
        batch.drop_column('controlegetal')
