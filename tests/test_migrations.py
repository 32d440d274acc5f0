"""Upgrading a warehouse made with the first released schema (revision 0001) loses nothing.

The test pins the first release so that every later migration is exercised against a full
warehouse (facts, programme, edited targets, audit). Columns added later are not compared: a row
keeps every value it had.
"""
import csv
import datetime as dt
import itertools
import json
from pathlib import Path

from sqlalchemy import MetaData, func, select, text, update

from data import schema as s
from data.db import current_revision, migrate
from data.programme.plan import load_programme
from data.warehouse import summaries
from data.warehouse.demo import generate_folder
from data.warehouse.loader import load_folder

FIRST_RELEASE = "0001"


def everything(engine, columns: dict[str, list[str]] | None = None):
    """Every row of every table, in key order: {table: (column names, rows)}. With `columns`,
    only those tables and columns (the first release's), so added columns do not count."""
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name == "alembic_version" or (columns is not None and name not in columns):
                continue
            names = columns[name] if columns is not None else [c.name for c in table.columns]
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(*(table.c[n] for n in names)).order_by(*order))
            out[name] = (names, [tuple(r) for r in rows])
    return out


def load_first_release_programme(engine, tmp_path):
    """The Programmaplan as the first release stored it: loaded into a newest-schema scratch
    warehouse by today's loader, then copied column by column into the 0001 tables."""
    from data.db import make_engine

    scratch = make_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
    migrate(scratch)
    load_programme(scratch)
    old = MetaData()
    old.reflect(engine)
    with scratch.connect() as source, engine.begin() as target:
        for table in s.Base.metadata.sorted_tables:
            if table.name not in PROGRAMME_TABLES:
                continue
            names = [c.name for c in old.tables[table.name].columns]
            rows = [dict(r._mapping) for r in source.execute(select(*(table.c[n] for n in names)))]
            if rows:
                target.execute(old.tables[table.name].insert(), rows)
            if target.dialect.name == "postgresql" and "id" in names:  # ids were copied
                target.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                    f"(SELECT MAX(id) FROM {table.name}))"))
    scratch.dispose()


PROGRAMME_TABLES = ("strategische_lijn", "doelstelling", "maatregel", "indicator",
                    "indicator_doelstelling", "streefwaarde", "realisatie", "wijziging")


def as_format_1_0(folder) -> None:
    """Rewrite the folder's kosten.csv in import format 1.0, the first release's: without the
    column ontvangen, which the demonstration data carry since format 1.1."""
    path = Path(folder) / "kosten.csv"
    with open(path, newline="", encoding="utf-8") as source, \
            open(path.with_suffix(".1_0"), "w", newline="", encoding="utf-8") as target:
        rows = csv.reader(source)
        header = next(rows)
        keep = [i for i, name in enumerate(header) if name != "ontvangen"]
        writer = csv.writer(target, lineterminator="\n")
        for row in itertools.chain([header], rows):
            writer.writerow([row[i] for i in keep])
    path.with_suffix(".1_0").replace(path)


def load_as_first_release(engine, folder, monkeypatch):
    """Today's loader, minus what the first release did not have: the summary tables, and kosten
    in import format 1.0."""
    as_format_1_0(folder)
    with monkeypatch.context() as patch:
        patch.setattr(summaries, "SOURCES", frozenset())
        load_folder(engine, folder)


def demo_upgraded_from_first_release(url: str, folder, monkeypatch, seed: int = 5):
    """A warehouse at `url` made by the first release, filled with demonstration data, then
    upgraded to the current schema (for the tests of what later migrations fill in)."""
    from data.db import make_engine

    engine = make_engine(url)
    migrate(engine, FIRST_RELEASE)
    generate_folder(folder, seed=seed)
    load_as_first_release(engine, folder, monkeypatch)
    migrate(engine)
    return engine


def test_first_release_upgrades_without_loss(tmp_path, backend_url, monkeypatch):
    from data.db import make_engine

    engine = make_engine(backend_url)  # an empty database on SQLite and on PostgreSQL
    migrate(engine, FIRST_RELEASE)
    assert current_revision(engine) == FIRST_RELEASE
    generate_folder(tmp_path / "demo", seed=3)
    load_as_first_release(engine, tmp_path / "demo", monkeypatch)
    load_first_release_programme(engine, tmp_path)
    with engine.begin() as conn:
        conn.execute(update(s.Streefwaarde).where(s.Streefwaarde.id == 1).values(waarde=42.0, version=2))
        conn.execute(s.Wijziging.__table__.insert().values(
            tabel="streefwaarde", sleutel="1", veld="waarde", oude_waarde="1", nieuwe_waarde="42",
            door="trekker", op=dt.datetime(2026, 1, 5), reden="test"))
    before = everything(engine)

    migrate(engine)  # to the newest revision

    after = everything(engine, {table: names for table, (names, _rows) in before.items()})
    assert current_revision(engine) != FIRST_RELEASE
    for table, (_names, rows) in before.items():
        assert after[table][1] == rows, table
    # what the code used to say of the only programme there was is now the warehouse's own data
    with engine.connect() as conn:
        assert conn.execute(select(s.Programma.naam, s.Programma.gemeente, s.Programma.eerste_jaar,
                                   s.Programma.laatste_jaar, s.Programma.nulmeting_jaar)).all() == [
            ("Programmaplan Jeugd 2025–2028", "Huizen", 2025, 2028, 2024)]
        assert conn.execute(select(s.Indicator.code).where(s.Indicator.bovengrens == 1000)).scalars().all() == ["K20"]
        # import format 1.1: kosten rows loaded before it have no receipt date
        assert conn.execute(select(func.count()).select_from(s.Kosten)).scalar() == len(before["kosten"][1]) > 0
        assert conn.execute(select(func.count()).where(s.Kosten.ontvangen.is_not(None))).scalar() == 0
    engine.dispose()


def test_a_removed_stand_number_stays_used_after_the_upgrade(tmp_path):
    """Step 0020 (SQLite only): the stand table gets AUTOINCREMENT, and the numbers of stands
    removed before the step (they are in the audit trail) are not given again either; the stands
    keep their rows. A new database made from the models has AUTOINCREMENT too."""
    from data.db import make_engine
    from data.programme.stand_store import get_stand, insert_stand
    from tests.test_standen import PM

    engine = make_engine(f"sqlite:///{tmp_path / 'oud.db'}")
    migrate(engine, "0019_aanvullen", from_models=False)
    with engine.begin() as conn:
        for number in (1, 2, 3):
            conn.execute(text("INSERT INTO stand (id, peildatum, titel, jaar, gemaakt_door, gemaakt_op, inhoud) "
                              "VALUES (:id, '2026-11-12', :titel, 2025, 'Petra', '2026-11-12 10:00:00', '{}')"),
                         {"id": number, "titel": f"Stand {number}"})
            conn.execute(text("INSERT INTO wijziging (tabel, sleutel, veld, door, op) "
                              "VALUES ('stand', :id, 'vastgelegd', 'pm', '2026-11-12 10:00:00')"), {"id": str(number)})
        conn.execute(text("DELETE FROM stand WHERE id = 3"))
        conn.execute(text("INSERT INTO wijziging (tabel, sleutel, veld, door, op) "
                          "VALUES ('stand', '3', 'verwijderd', 'pm', '2026-11-12 11:00:00')"))
    migrate(engine)
    assert get_stand(engine, 2)[0].titel == "Stand 2"
    assert insert_stand(engine, PM, dt.date(2026, 11, 13), "Nieuw", 2025, {}) == 4
    fresh = make_engine(f"sqlite:///{tmp_path / 'nieuw.db'}")
    migrate(fresh)
    for database in (engine, fresh):
        with database.connect() as conn:
            assert "AUTOINCREMENT" in conn.scalar(text("SELECT sql FROM sqlite_master WHERE name = 'stand'"))


def test_a_stand_made_before_its_checksum_gets_that_of_its_content(backend_url):
    """Step 0022: every stand gets the checksum of its content as it is; the pages then read it."""
    from data.db import make_engine
    from data.programme.stand_store import checksum, get_stand

    engine = make_engine(backend_url)
    migrate(engine, "0021_kosten_per_jaar", from_models=False)
    inhoud = {"versie": 3, "drempel": 10, "jaren": {"2025": [1.5, None, "tekst"]}}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO stand (id, peildatum, titel, jaar, gemaakt_door, gemaakt_op, inhoud) "
                          "VALUES (7, '2026-11-12', 'Commissie', 2025, 'Petra', '2026-11-12 10:00:00', :inhoud)"),
                     {"inhoud": json.dumps(inhoud)})
    migrate(engine)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT controlegetal FROM stand WHERE id = 7")) == checksum(inhoud)
    assert get_stand(engine, 7)[1] == inhoud
    engine.dispose()
