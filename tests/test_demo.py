"""The demonstration data set: deterministic, valid for the loader, and believable."""
import datetime as dt
import hashlib

import pytest

from data.warehouse import demo_huizen as H
from data.warehouse.demo import generate_folder
from kpi import KpiRequest, compute
from tests.conftest import shared_demo


def digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.csv"))}


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    generate_folder(tmp_path / "a", seed=7)
    generate_folder(tmp_path / "b", seed=7)
    generate_folder(tmp_path / "c", seed=8)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a")["trajecten.csv"] != digest(tmp_path / "c")["trajecten.csv"]


def test_scale_adds_gemeenten(tmp_path):
    one = generate_folder(tmp_path / "one", seed=1, scale=1)
    three = generate_folder(tmp_path / "three", seed=1, scale=3)
    assert three["wijken"] == 3 * one["wijken"]
    assert 2.7 * one["trajecten"] < three["trajecten"] < 3.3 * one["trajecten"]


@pytest.fixture
def demo(request, backend):
    return shared_demo(request)


def value(engine, kpi, jaar, **kw):
    return compute(engine, KpiRequest.for_year(kpi, jaar, suppress=False, **kw)).rows


def test_demo_is_a_believable_huizen(demo):
    for jaar in range(2019, 2026):
        assert 10.5 <= value(demo, "pct_jeugdigen_met_jeugdhulp", jaar)[0].value <= 14.5
        kosten = value(demo, "totale_kosten", jaar)[0].value
        assert 9_000_000 <= kosten <= 16_000_000
        verblijf = value(demo, "jeugdigen_met_verblijf", jaar)[0].value
        assert 0.006 * H.YOUTH_0_17 <= verblijf <= 0.02 * H.YOUTH_0_17
        duur = value(demo, "gem_trajectduur", jaar)[0].value
        assert 280 <= duur <= 440
    per_hulpvorm = {r.key: r.value for r in value(demo, "kosten_per_jeugdige", 2025, by="hulpvorm")}
    assert max(per_hulpvorm, key=per_hulpvorm.get) == "verblijf"
    verwijzers = {r.key: r.value for r in value(demo, "instroom", 2025, by="verwijzer")}
    assert max(verwijzers, key=verwijzers.get) in ("huisarts", "gemeente")


def test_demo_tells_the_programme_story(demo):
    def v(kpi, jaar):
        return value(demo, kpi, jaar)[0].value

    assert v("pct_lichte_hulp", 2025) > v("pct_lichte_hulp", 2019) + 5
    assert v("pct_verwijzing_huisarts", 2025) < v("pct_verwijzing_huisarts", 2021)
    assert v("gem_wachttijd", 2025) < v("gem_wachttijd", 2020)
    assert v("pct_verblijf_gezinsgericht", 2025) > v("pct_verblijf_gezinsgericht", 2019)
    assert v("gem_tevredenheid", 2025) > v("gem_tevredenheid", 2019)


def test_running_trajecten_have_no_end_and_programme_is_loaded(demo):
    from sqlalchemy import func, select

    from data.programme.schema import Maatregel
    from data.warehouse.schema import Traject

    with demo.connect() as conn:
        running = conn.scalar(select(func.count()).select_from(Traject).where(Traject.einddatum.is_(None)))
        late = conn.scalar(select(func.max(Traject.einddatum)))
        maatregelen = conn.scalar(select(func.count()).select_from(Maatregel))
    assert running > 100
    assert str(late) <= dt.date(*H.DATA_TOT).isoformat()
    assert maatregelen >= 40


def test_kosten_carry_their_receipt_and_the_latest_months_look_cheap(demo):
    from sqlalchemy import func, select

    from data.warehouse.schema import Kosten

    with demo.connect() as conn:
        without = conn.scalar(select(func.count()).select_from(Kosten).where(Kosten.ontvangen.is_(None)))
        early = conn.scalar(select(func.count()).select_from(Kosten).where(Kosten.ontvangen < Kosten.maand))
        last = conn.scalar(select(func.max(Kosten.ontvangen)))
    assert without == early == 0
    assert last <= dt.date(*H.DATA_TOT)
    # declarations not yet received: September 2026 holds a fraction of September 2025
    rows = compute(demo, KpiRequest("totale_kosten", dt.date(2025, 9, 1), dt.date(*H.DATA_TOT), per="maand",
                                    suppress=False)).rows
    by_month = {row.periode: row.value for row in rows}
    assert len(by_month) == 13
    assert by_month["2026-09"] < 0.2 * by_month["2025-09"]


def test_ensure_warehouse_fills_the_embedded_default_once(tmp_path, monkeypatch):
    from sqlalchemy import func, select

    import data.db
    from data.bootstrap import ensure_warehouse
    from data.warehouse.schema import LoadLog

    monkeypatch.setattr(data.db, "DEFAULT_SQLITE_PATH", tmp_path / "default.db")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    from data.programme.schema import MaatregelVoortgang, Rapportageperiode, Wijziging

    for _ in range(2):
        engine = ensure_warehouse(None)
        with engine.connect() as conn:
            loads = conn.scalar(select(func.count()).select_from(LoadLog))
            reports = conn.scalar(select(func.count()).select_from(MaatregelVoortgang))
            locked = conn.scalar(select(func.count()).select_from(Rapportageperiode)
                                 .where(Rapportageperiode.vastgesteld.is_(True)))
            first_audit = conn.scalar(select(func.min(Wijziging.op)))
        engine.dispose()
        # a running programme: the reporting replayed once, the plan's history from its start
        assert reports > 45 * 6 and locked == 7 and first_audit.year == 2025
    assert loads == 1


def test_ensure_warehouse_never_fills_a_named_database(tmp_path):
    from sqlalchemy import func, select

    from data.bootstrap import ensure_warehouse
    from data.warehouse.schema import Traject

    engine = ensure_warehouse(f"sqlite:///{tmp_path / 'production.db'}")
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Traject)) == 0
    engine.dispose()
