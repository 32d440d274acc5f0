"""kosten_jeugdige_jaar: the months of a year in its rows; kosten_jeugdige_maand goes

A row per jeugdige, year and traject keys with the year's sum, each month's sum and a bit per month
with kosten rows answers any range of months: the monthly table (as many rows as the kosten
themselves) is no longer needed. Both are derived from the facts, so the new rows are computed from
the kosten and trajecten already in the warehouse (KPIs stay exact without a reload).

Revision ID: 0021_kosten_per_jaar
Revises: 0020_stand_nummers
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0021_kosten_per_jaar'
down_revision = '0020_stand_nummers'
branch_labels = None
depends_on = None

KEYS = ("jeugdige_id", "wijk_code", "school_code", "verwijzer", "hulpvorm", "aanbieder_code")
MAANDEN = tuple(f"m{month:02d}" for month in range(1, 13))


def upgrade() -> None:
    with op.batch_alter_table('kosten_jeugdige_maand', schema=None) as batch_op:
        batch_op.drop_index('ix_kosten_jeugdige_maand')
    op.drop_table('kosten_jeugdige_maand')
    # PostgreSQL's TRUNCATE gives the old rows' space back at once (a DELETE leaves it dead)
    op.execute("TRUNCATE kosten_jeugdige_jaar" if op.get_bind().dialect.name == "postgresql"
               else "DELETE FROM kosten_jeugdige_jaar")
    with op.batch_alter_table('kosten_jeugdige_jaar', schema=None) as batch_op:
        batch_op.add_column(sa.Column('maanden', sa.Integer(), nullable=False))
        for name in MAANDEN:
            batch_op.add_column(sa.Column(name, sa.BigInteger(), nullable=True))
    # Written out here (not data/warehouse/summaries.py): a migration must not change when the app does.
    k = sa.table("kosten", sa.column("traject_id"), sa.column("maand"), sa.column("bedrag_cent"))
    t = sa.table("trajecten", sa.column("traject_id"), *(sa.column(c) for c in KEYS))
    month = sa.cast(sa.extract("month", k.c.maand), sa.Integer)
    year = sa.cast(sa.extract("year", k.c.maand), sa.Integer)
    keys = [year.label("jaar")] + [t.c[c] for c in KEYS]
    sums = (sa.select(*keys, sa.func.sum(k.c.bedrag_cent).label("bedrag_cent"), sa.func.count().label("regels"),
                      *(sa.func.sum(sa.case((month == number, k.c.bedrag_cent))).label(name)
                        for number, name in enumerate(MAANDEN, start=1)))
            .select_from(k.join(t, k.c.traject_id == t.c.traject_id))
            .group_by(*keys)).subquery("sommen")
    bits = sum((sa.case((sums.c[name].is_not(None), 1 << (number - 1)), else_=0)
                for number, name in enumerate(MAANDEN, start=1)), sa.literal(0))
    rows = sa.select(*(sums.c[n] for n in ("jaar", *KEYS, "bedrag_cent", "regels")), bits,
                     *(sums.c[n] for n in MAANDEN)).order_by(sums.c.jaar, sums.c.jeugdige_id)
    names = ["jaar", *KEYS, "bedrag_cent", "regels", "maanden", *MAANDEN]
    op.execute(sa.insert(sa.table("kosten_jeugdige_jaar", *(sa.column(n) for n in names))).from_select(names, rows))


def downgrade() -> None:
    op.execute("DELETE FROM kosten_jeugdige_jaar")
    with op.batch_alter_table('kosten_jeugdige_jaar', schema=None) as batch_op:
        for name in ('maanden', *MAANDEN):
            batch_op.drop_column(name)
    columns = [sa.Column('maand', sa.Date(), nullable=False),
               sa.Column('jeugdige_id', sa.String(length=64), nullable=False),
               sa.Column('wijk_code', sa.String(length=32), nullable=False),
               sa.Column('school_code', sa.String(length=32), nullable=True),
               sa.Column('verwijzer', sa.String(length=32), nullable=False),
               sa.Column('hulpvorm', sa.String(length=32), nullable=False),
               sa.Column('aanbieder_code', sa.String(length=32), nullable=True),
               sa.Column('bedrag_cent', sa.BigInteger(), nullable=False),
               sa.Column('regels', sa.Integer(), nullable=False)]
    op.create_table('kosten_jeugdige_maand', *columns)
    k = sa.table("kosten", sa.column("traject_id"), sa.column("maand"), sa.column("bedrag_cent"))
    t = sa.table("trajecten", sa.column("traject_id"), *(sa.column(c) for c in KEYS))
    for target, period in (("kosten_jeugdige_maand", k.c.maand),
                           ("kosten_jeugdige_jaar", sa.cast(sa.extract("year", k.c.maand), sa.Integer))):
        keys = [period] + [t.c[c] for c in KEYS]
        rows = (sa.select(*keys, sa.func.sum(k.c.bedrag_cent), sa.func.count())
                .select_from(k.join(t, k.c.traject_id == t.c.traject_id)).group_by(*keys))
        names = ["maand" if target.endswith("maand") else "jaar", *KEYS, "bedrag_cent", "regels"]
        op.execute(sa.insert(sa.table(target, *(sa.column(n) for n in names))).from_select(names, rows))
    with op.batch_alter_table('kosten_jeugdige_maand', schema=None) as batch_op:
        batch_op.create_index('ix_kosten_jeugdige_maand', ['maand', 'jeugdige_id', 'bedrag_cent'], unique=False)
