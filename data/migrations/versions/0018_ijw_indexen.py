"""Two partial indexes for the iJw KPIs' populations (a verzoek, an ingangsdatum)

Without the iJw berichtenverkeer no traject has either date: the indexes stay empty and a request
of such a KPI is answered from them at once, instead of by a scan of every traject started in the
period (docs/performance.md). With it, they hold the trajecten these KPIs count.

Revision ID: 0018_ijw_indexen
Revises: 0017_feiten_zonder_fk
Create Date: 2026-12-06
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_ijw_indexen'
down_revision = '0017_feiten_zonder_fk'
branch_labels = None
depends_on = None

INDEXES = (("ix_trajecten_verzoek", "verzoekdatum IS NOT NULL"), ("ix_trajecten_ingang", "ingangsdatum IS NOT NULL"))


def upgrade() -> None:
    for name, condition in INDEXES:
        op.create_index(name, "trajecten", ["startdatum"], unique=False,
                        postgresql_where=sa.text(condition), sqlite_where=sa.text(condition))


def downgrade() -> None:
    for name, _condition in INDEXES:
        op.drop_index(name, table_name="trajecten")
