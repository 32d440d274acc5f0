"""The warehouse's tables without foreign keys: the loader checks every reference itself

Every row of these tables comes through the loader (CSV or iJw), which checks each reference
against the state after the load, as the import format requires, with one anti-join per
reference (data/warehouse/reference_checks.py) and reports it with FILE:LINE. The database's
deferred foreign keys checked the same once more, row by row at commit: 17% of a load at
scale 200 (docs/performance.md).

Revision ID: 0017_feiten_zonder_fk
Revises: 0016_laadrun
Create Date: 2026-12-05
"""
from alembic import op

revision = '0017_feiten_zonder_fk'
down_revision = '0016_laadrun'
branch_labels = None
depends_on = None

# (table, column, referred table, referred column), children before parents: on SQLite a table is
# rebuilt to lose a key, and a parent is only rebuilt once nothing refers to it any more.
KEYS = (
    ("kosten", "traject_id", "trajecten", "traject_id"),
    ("verblijf", "traject_id", "trajecten", "traject_id"),
    ("tevredenheid", "traject_id", "trajecten", "traject_id"),
    ("bevolking", "wijk_code", "wijken", "wijk_code"),
    ("trajecten", "wijk_code", "wijken", "wijk_code"),
    ("trajecten", "school_code", "scholen", "school_code"),
    ("trajecten", "aanbieder_code", "aanbieders", "aanbieder_code"),
    ("scholen", "wijk_code", "wijken", "wijk_code"),
)


def _name(table: str, column: str, referred: str) -> str:
    return f"fk_{table}_{column}_{referred}"


def upgrade() -> None:
    for table in dict.fromkeys(t for t, *_ in KEYS):
        with op.batch_alter_table(table) as batch_op:
            for _t, column, referred, _c in (k for k in KEYS if k[0] == table):
                batch_op.drop_constraint(_name(table, column, referred), type_="foreignkey")


def downgrade() -> None:
    for table in reversed(dict.fromkeys(t for t, *_ in KEYS)):
        with op.batch_alter_table(table) as batch_op:
            for _t, column, referred, referred_column in (k for k in KEYS if k[0] == table):
                batch_op.create_foreign_key(_name(table, column, referred), referred, [column], [referred_column],
                                            deferrable=True, initially="DEFERRED")
