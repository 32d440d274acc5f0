"""The demonstration data as iJw messages (`python -m data demo --ijw`) gives exactly the KPIs of
the CSV files of the same data set: every KPI, every breakdown, every year, a quarter series and a
filter. A sample of the jeugdigen keeps it quick; the full set is measured in bench/ijw_bench.py."""
from __future__ import annotations

import pytest

from data.db import make_engine, migrate
from data.warehouse.ijw.demo_messages import write_demo_messages
from data.warehouse.ijw.loader import load_ijw_folder
from data.warehouse.loader import load_folder
from kpi.catalogue import CATALOGUE
from kpi.computation import compute
from kpi.request import KpiRequest
from kpi.totals import rebuild
from tests.cli_support import run_main

KEY = b"demo-sleutel-" + b"q" * 30
YEARS = range(2019, 2027)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ijw")
    counts = write_demo_messages(folder / "demo", twin=folder / "twin", keep_one_in=60)
    engines = []
    for name in ("csv", "ijw"):
        engine = make_engine(f"sqlite:///{folder / name}.db")
        migrate(engine)
        engines.append(engine)
    from_csv, from_ijw = engines
    load_folder(from_csv, folder / "twin", derive=rebuild)
    load_folder(from_ijw, folder / "demo" / "csv")
    load_ijw_folder(from_ijw, folder / "demo" / "berichten", KEY, postcodes=folder / "demo" / "postcodes.csv",
                    producten=folder / "demo" / "producten.csv", derive_totals=rebuild)
    yield from_csv, from_ijw, counts
    for engine in engines:
        engine.dispose()


def test_every_message_kind_is_written(both):
    _csv, _ijw, counts = both
    assert set(counts) == {"JW301", "JW305", "JW307", "JW315", "JW323", "JW325"}
    assert counts["JW301"] > counts["JW305"] > counts["JW307"] > 0  # a few never started or stopped
    assert counts["JW323"] == counts["JW325"]


def test_the_demo_gives_every_health_signal(both):
    from sqlalchemy import func, select

    from data.warehouse.ijw.health import SOORTEN
    from data.warehouse.ijw.schema import IjwSignaal

    _csv, from_ijw, _counts = both
    with from_ijw.connect() as conn:
        found = dict(conn.execute(select(IjwSignaal.soort, func.count()).group_by(IjwSignaal.soort)).all())
    assert set(found) == set(SOORTEN) and all(found.values())


def _rows(engine, request: KpiRequest) -> list[dict]:
    return compute(engine, request).to_dict()["rows"]


def test_every_kpi_is_the_same_from_the_messages_as_from_the_csv_files(both):
    from_csv, from_ijw, _counts = both
    compared = nonzero = 0
    for kpi in CATALOGUE.values():
        if kpi.alleen_berichtenverkeer:
            continue  # the CSV files cannot carry its dates: see the next test
        for by in (None, *kpi.breakdowns):
            for year in YEARS:
                request = KpiRequest.for_year(kpi.id, year, by=by, suppress=False)
                expected = _rows(from_csv, request)
                assert _rows(from_ijw, request) == expected, (kpi.id, by, year)
                compared += 1
                nonzero += any(row["value"] for row in expected)
    assert compared > 500 and nonzero > compared / 2  # the sample is not empty


def test_the_doorlooptijden_have_values_from_the_messages_only(both):
    from_csv, from_ijw, _counts = both
    for kpi in (k for k in CATALOGUE.values() if k.alleen_berichtenverkeer):
        request = KpiRequest.for_year(kpi.id, 2024, suppress=False)
        (from_messages,), (from_files,) = _rows(from_ijw, request), _rows(from_csv, request)
        assert from_messages["n"] > 0 and from_messages["value"] is not None, kpi.id
        assert from_files["n"] == 0 and from_files["value"] is None, kpi.id


@pytest.mark.parametrize("kpi_id", ["jeugdigen_met_jeugdhulp", "totale_kosten", "gem_trajectduur", "gem_wachttijd"])
def test_quarters_and_a_filter_are_the_same(both, kpi_id):
    from_csv, from_ijw, _counts = both
    for request in (KpiRequest.for_year(kpi_id, 2025, per="kwartaal", suppress=False),
                    KpiRequest.for_year(kpi_id, 2024, by="hulpvorm", where={"wijk": "WK040608"}, suppress=False)):
        assert _rows(from_ijw, request) == _rows(from_csv, request)


def test_demo_ijw_command_writes_the_folder(tmp_path):
    from data.__main__ import main

    done = run_main(main, ["demo", "--ijw", str(tmp_path / "archief"), "--seed", "7", "--steekproef", "50"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"iJw-berichten geschreven in {tmp_path / 'archief'}/berichten: JW301 ")
    # the load commands it prints name a new, empty warehouse: in the embedded demonstration
    # database (the default without --db) both loads were refused for the trajecten already there
    target = f"sqlite:///{(tmp_path / 'archief' / 'warehouse.db').resolve()}"
    assert f"python -m data load {tmp_path / 'archief'}/csv --db {target}\n" in done.stdout
    assert f"--producten {tmp_path / 'archief'}/producten.csv --db {target}\n" in done.stdout
    assert f"users add beheerder --naam Beheerder --rol programmamanager --db {target}\n" in done.stdout
    assert f"DATABASE_URL={target} python app.py" in done.stdout
    assert (tmp_path / "archief" / "postcodes.csv").read_text().startswith("postcode,wijk_code\n")
    assert sorted(p.name for p in (tmp_path / "archief" / "csv").iterdir()) == [
        "aanbieders.csv", "bevolking.csv", "budget.csv", "scholen.csv", "tevredenheid.csv", "wijken.csv"]
