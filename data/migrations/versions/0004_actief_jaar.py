"""samenvatting: jeugdigen with a running traject per calendar year, and their number per year and
group of one dimension (derived from trajecten)

Revision ID: 0004_actief_jaar
Revises: 0003_samenvatting
Create Date: 2026-12-01
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0004_actief_jaar'
down_revision = '0003_samenvatting'
branch_labels = None
depends_on = None

COLUMNS = ("jaar", "jeugdige_id", "geboortejaar", "wijk_code", "school_code", "verwijzer", "hulpvorm",
           "aanbieder_code")


def _as_date(value):
    return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(value)


def upgrade() -> None:
    op.create_table('jeugdigen_actief_jaar',
                    sa.Column('jaar', sa.Integer(), nullable=False),
                    sa.Column('jeugdige_id', sa.String(length=64), nullable=False),
                    sa.Column('geboortejaar', sa.Integer(), nullable=False),
                    sa.Column('wijk_code', sa.String(length=32), nullable=False),
                    sa.Column('school_code', sa.String(length=32), nullable=True),
                    sa.Column('verwijzer', sa.String(length=32), nullable=False),
                    sa.Column('hulpvorm', sa.String(length=32), nullable=False),
                    sa.Column('aanbieder_code', sa.String(length=32), nullable=True))
    # Filled from the trajecten already in the warehouse, so KPIs stay exact without a reload.
    # Written out here (not data/warehouse/summaries.py): a migration must not change when the app does.
    t = sa.table("trajecten", *(sa.column(c) for c in COLUMNS[1:]), sa.column("startdatum"), sa.column("einddatum"))
    bind = op.get_bind()
    first, last_start, last_end = (_as_date(v) for v in bind.execute(
        sa.select(sa.func.min(t.c.startdatum), sa.func.max(t.c.startdatum), sa.func.max(t.c.einddatum))).one())
    if first is not None:
        last = max(d.year for d in (last_start, last_end) if d)
        years = sa.union_all(*(sa.select(sa.literal(y, sa.Integer).label("jaar"),
                                         sa.literal(dt.date(y, 1, 1), sa.Date).label("van"),
                                         sa.literal(dt.date(y, 12, 31), sa.Date).label("tot"))
                               for y in range(first.year, last + 1))).subquery("jaren")
        running = sa.and_(t.c.startdatum <= years.c.tot,
                          sa.or_(t.c.einddatum.is_(None), t.c.einddatum >= years.c.van))
        rows = (sa.select(years.c.jaar, *(t.c[c] for c in COLUMNS[1:]))
                .select_from(t.join(years, running)).distinct().order_by(years.c.jaar, t.c.jeugdige_id))
        target = sa.table("jeugdigen_actief_jaar", *(sa.column(c) for c in COLUMNS))
        op.execute(sa.insert(target).from_select(list(COLUMNS), rows))
    with op.batch_alter_table('jeugdigen_actief_jaar', schema=None) as batch_op:
        batch_op.create_index('ix_jeugdigen_actief_jaar', ['jaar', 'jeugdige_id'], unique=False)

    op.create_table('jeugdigen_per_jaar',
                    sa.Column('jaar', sa.Integer(), nullable=False),
                    sa.Column('dimensie', sa.String(length=16), nullable=False),
                    sa.Column('sleutel', sa.String(length=32), nullable=True),
                    sa.Column('jeugdigen', sa.Integer(), nullable=False))
    a = sa.table("jeugdigen_actief_jaar", *(sa.column(c) for c in COLUMNS))
    w = sa.table("wijken", sa.column("wijk_code"), sa.column("gemeente_code"))
    distinct = sa.func.count(a.c.jeugdige_id.distinct())
    parts = [sa.select(a.c.jaar, sa.literal("totaal"), sa.literal(None, sa.String), distinct).group_by(a.c.jaar)]
    for dimensie, column in (("wijk", "wijk_code"), ("school", "school_code"), ("verwijzer", "verwijzer"),
                             ("hulpvorm", "hulpvorm"), ("aanbieder", "aanbieder_code")):
        parts.append(sa.select(a.c.jaar, sa.literal(dimensie), a.c[column], distinct).group_by(a.c.jaar, a.c[column]))
    parts.append(sa.select(a.c.jaar, sa.literal("gemeente"), w.c.gemeente_code, distinct)
                 .select_from(a.join(w, w.c.wijk_code == a.c.wijk_code)).group_by(a.c.jaar, w.c.gemeente_code))
    target = sa.table("jeugdigen_per_jaar", *(sa.column(c) for c in ("jaar", "dimensie", "sleutel", "jeugdigen")))
    op.execute(sa.insert(target).from_select(["jaar", "dimensie", "sleutel", "jeugdigen"], sa.union_all(*parts)))
    with op.batch_alter_table('jeugdigen_per_jaar', schema=None) as batch_op:
        batch_op.create_index('ix_jeugdigen_per_jaar', ['jaar', 'dimensie'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('jeugdigen_per_jaar', schema=None) as batch_op:
        batch_op.drop_index('ix_jeugdigen_per_jaar')
    op.drop_table('jeugdigen_per_jaar')
    with op.batch_alter_table('jeugdigen_actief_jaar', schema=None) as batch_op:
        batch_op.drop_index('ix_jeugdigen_actief_jaar')
    op.drop_table('jeugdigen_actief_jaar')
