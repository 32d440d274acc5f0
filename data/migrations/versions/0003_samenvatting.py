"""samenvatting: kosten per jeugdige per maand and per jaar (derived from kosten and trajecten)

Revision ID: 0003_samenvatting
Revises: 0002_beheer
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = '0003_samenvatting'
# Belongs after "0002_beheer" (on main); chained to "0001" on branch perf until the merge.
down_revision = '0002_beheer'
branch_labels = None
depends_on = None

KEYS = ("jeugdige_id", "wijk_code", "school_code", "verwijzer", "hulpvorm", "aanbieder_code")


def _columns():
    return [sa.Column('jeugdige_id', sa.String(length=64), nullable=False),
            sa.Column('wijk_code', sa.String(length=32), nullable=False),
            sa.Column('school_code', sa.String(length=32), nullable=True),
            sa.Column('verwijzer', sa.String(length=32), nullable=False),
            sa.Column('hulpvorm', sa.String(length=32), nullable=False),
            sa.Column('aanbieder_code', sa.String(length=32), nullable=True),
            sa.Column('bedrag_cent', sa.BigInteger(), nullable=False),
            sa.Column('regels', sa.Integer(), nullable=False)]


def _fill(target: str, period, source, sums, period_name: str, order):
    """INSERT INTO target SELECT period, keys, sums FROM source GROUP BY period, keys."""
    keys = [period] + [source.c[k] for k in KEYS]
    rows = sa.select(*keys, *sums).select_from(source).group_by(*keys).order_by(period, order)
    table = sa.table(target, *(sa.column(n) for n in (period_name, *KEYS, "bedrag_cent", "regels")))
    return sa.insert(table).from_select([period_name, *KEYS, "bedrag_cent", "regels"], rows)


def upgrade() -> None:
    op.create_table('kosten_jeugdige_maand', sa.Column('maand', sa.Date(), nullable=False), *_columns())
    op.create_table('kosten_jeugdige_jaar', sa.Column('jaar', sa.Integer(), nullable=False), *_columns())
    # Filled from the facts already in the warehouse, so KPIs stay exact without a reload. Written
    # out here (not data/warehouse/summaries.py): a migration must not change when the app does.
    k = sa.table("kosten", sa.column("traject_id"), sa.column("maand"), sa.column("bedrag_cent"))
    t = sa.table("trajecten", sa.column("traject_id"), *(sa.column(c) for c in KEYS))
    joined = k.join(t, k.c.traject_id == t.c.traject_id)
    source = sa.select(k.c.maand, k.c.bedrag_cent, *(t.c[c] for c in KEYS)).select_from(joined).subquery("f")
    op.execute(_fill("kosten_jeugdige_maand", source.c.maand, source,
                     [sa.func.sum(source.c.bedrag_cent), sa.func.count()], "maand", source.c.jeugdige_id))
    m = sa.table("kosten_jeugdige_maand", sa.column("maand"), sa.column("bedrag_cent"),
                 sa.column("regels"), *(sa.column(c) for c in KEYS))
    op.execute(_fill("kosten_jeugdige_jaar", sa.extract("year", m.c.maand), m,
                     [sa.func.sum(m.c.bedrag_cent), sa.func.sum(m.c.regels)], "jaar", m.c.jeugdige_id))
    with op.batch_alter_table('kosten_jeugdige_maand', schema=None) as batch_op:
        batch_op.create_index('ix_kosten_jeugdige_maand', ['maand', 'jeugdige_id', 'bedrag_cent'], unique=False)
    with op.batch_alter_table('kosten_jeugdige_jaar', schema=None) as batch_op:
        batch_op.create_index('ix_kosten_jeugdige_jaar', ['jaar', 'jeugdige_id', 'bedrag_cent'], unique=False)


def downgrade() -> None:
    for name in ('kosten_jeugdige_jaar', 'kosten_jeugdige_maand'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{name}')
        op.drop_table(name)
