"""`python -m kpi list|show` as a user runs it (cli.md), on SQLite and PostgreSQL."""
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import insert

from data import schema as s
from kpi import CATALOGUE
from tests import warm_python
from tests.cli_support import run_main
from tests.conftest import engine_url, loaded_warehouse

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


def run_process(*args, db=None) -> subprocess.CompletedProcess:
    """The real `python -m kpi …` in a process of its own."""
    cmd = [sys.executable, "-m", "kpi", *args] + (["--db", db] if db else [])
    proc = warm_python.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc


def run(*args, db=None) -> subprocess.CompletedProcess:
    """The same command through `kpi.cli.main` in this process (tests/cli_support.py)."""
    from kpi.cli import main

    return run_main(main, [*args] + (["--db", db] if db else []))


TRAJECT = dict(school_code=None, aanbieder_code=None, aanmelddatum=None, einddatum=None,
               reden_einde=None, doelrealisatie=None, financiering=None, geboortejaar=2012,
               verwijzer="huisarts", hulpvorm="ambulant")


def _fill_small(engine) -> None:
    trajecten = []
    for i in range(26):
        wijk, days = ("WK01", 100) if i < 12 else ("WK03", 50) if i < 23 else ("WK02", 10)
        start = D(2025, 3, 1)
        trajecten.append({**TRAJECT, "traject_id": f"T{i:02d}", "jeugdige_id": f"J{i:02d}",
                          "wijk_code": wijk, "startdatum": start,
                          "einddatum": start + dt.timedelta(days=days), "reden_einde": "volgens_plan"})
    with engine.begin() as conn:
        conn.execute(insert(s.Wijk), [
            dict(wijk_code="WK01", wijk_naam="Centrum", gemeente_code="GM0406", gemeente_naam="Huizen"),
            dict(wijk_code="WK02", wijk_naam="Bijvanck", gemeente_code="GM0406", gemeente_naam="Huizen"),
            dict(wijk_code="WK03", wijk_naam="Oostermeent", gemeente_code="GM0406", gemeente_naam="Huizen")])
        conn.execute(insert(s.Traject), trajecten)


@pytest.fixture
def small_warehouse(request, backend):
    """Jeugdigen ending a traject in 2025: 12 in Centrum after 100 days, 11 in Oostermeent after
    50 days, 3 in Bijvanck after 10 days. Filled once per run and backend (the commands only read)."""
    return engine_url(loaded_warehouse(request, "kpi_cli_klein", _fill_small))


def test_list_json_has_every_kpi():
    proc = run("list", "--json")
    assert proc.returncode == 0
    items = json.loads(proc.stdout)
    assert [item["id"] for item in items] == list(CATALOGUE)
    for item in items:
        assert {"id", "naam", "as", "eenheid", "richting", "breakdowns"} <= set(item)
        assert item["as"] in ("kwaliteit", "kwantiteit", "kosten", "tevredenheid")


def test_show_json_is_the_contract_object(small_warehouse):
    proc = run("show", "gem_trajectduur", "--jaar", "2025", "--by", "wijk", "--where", "hulpvorm=Ambulant",
               "--json", db=small_warehouse)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "kpi": "gem_trajectduur", "naam": "Gemiddelde trajectduur (dagen)", "eenheid": "dagen",
        "richting": "lager_beter", "van": "2025-01-01", "tot": "2025-12-31", "by": "wijk",
        "per": None, "where": {"hulpvorm": "ambulant"}, "min_cell_size": 10, "afronding": 5,
        "rows": [
            # a detailed view: n 12 is rounded to 10 (rule 4); the mean itself is exact
            {"periode": None, "key": "WK01", "label": "Centrum", "value": 100.0, "n": 10, "suppressed": False},
            # primary: n = 3 < 10
            {"periode": None, "key": "WK02", "label": "Bijvanck", "value": None, "n": None, "suppressed": True},
            # secondary: the smallest shown group, else WK02 = total − the others
            {"periode": None, "key": "WK03", "label": "Oostermeent", "value": None, "n": None, "suppressed": True},
        ]}


def test_show_no_suppress_and_per(small_warehouse):
    proc = run("show", "uitstroom", "--van", "2025-01-01", "--tot", "2025-06-30", "--per", "kwartaal",
               "--by", "wijk", "--no-suppress", "--json", db=small_warehouse)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["min_cell_size"] is None and data["afronding"] is None
    # 1 March + 100 days = 9 June and + 50 = 20 April (Q2); + 10 days = 11 March (Q1).
    assert [(r["periode"], r["key"], r["value"], r["n"]) for r in data["rows"]] == [
        ("2025-Q1", "WK02", 3, 3), ("2025-Q2", "WK01", 12, 12), ("2025-Q2", "WK03", 11, 11)]


def test_show_text_is_dutch(small_warehouse):
    proc = run_process("show", "gem_trajectduur", "--jaar", "2025", db=small_warehouse)
    assert proc.returncode == 0, proc.stderr
    assert "Gemiddelde trajectduur (dagen) — 2025" in proc.stdout
    assert "68 dagen" in proc.stdout  # (12×100 + 11×50 + 3×10) / 26 = 68,46


@pytest.mark.parametrize("args", [
    ("show", "bestaat_niet", "--jaar", "2025"),
    ("show", "instroom", "--jaar", "2025", "--by", "respondent"),
    ("show", "instroom", "--jaar", "2025", "--where", "verwijzer=bakker"),
    ("show", "instroom", "--van", "2025-02-30", "--tot", "2025-12-31"),
    ("show", "instroom", "--van", "2025-12-31", "--tot", "2025-01-01"),
    ("show", "gem_tevredenheid", "--jaar", "2025", "--per", "kwartaal"),
    ("show", "pct_budget_besteed", "--van", "2024-01-01", "--tot", "2025-12-31"),
    ("show", "instroom", "--jaar", "2025", "--where", "hulpvorm"),
    ("show", "instroom"),
    ("bestaat-niet",),
])
def test_bad_requests_exit_2_with_a_message(args):
    proc = run(*args, db="sqlite:///:memory:")
    assert proc.returncode == 2
    assert proc.stderr.strip()


def test_unreachable_database_exits_1_without_traceback():
    proc = run_process("show", "instroom", "--jaar", "2025",
               db="postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert proc.returncode == 1
    assert proc.stderr.startswith("fout:")


def test_show_text_says_counts_in_a_breakdown_are_rounded(small_warehouse):
    proc = run("show", "uitstroom", "--jaar", "2025", "--by", "wijk", db=small_warehouse)
    assert proc.returncode == 0, proc.stderr
    assert "afgerond op vijftallen" in proc.stdout
    assert "Centrum (WK01)" in proc.stdout and "  10  " in proc.stdout  # 12 → 10
    total = run("show", "uitstroom", "--jaar", "2025", db=small_warehouse)
    assert "afgerond" not in total.stdout and "26" in total.stdout  # a total is exact


@pytest.mark.parametrize("args", [
    ("show", "instroom", "--jaar", "2025"),
    ("kostengroei", "--jaar", "2025", "--vergelijk", "2024"),
    ("prognose", "--jaar", "2026"),
])
def test_a_sqlite_file_that_is_not_there_is_refused_not_made(tmp_path, args):
    """A typo in --db used to make an empty warehouse and answer from it ("<10", no costs)."""
    missing = tmp_path / "typo.db"
    proc = run(*args, db=f"sqlite:///{missing}")
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("fout: het database-bestand") and "bestaat niet" in proc.stderr
    assert not missing.exists()


def test_show_per_up_to_the_last_day_of_year_9999(small_warehouse):
    proc = run("show", "instroom", "--van", "9999-11-15", "--tot", "9999-12-31", "--per", "maand", "--json",
               db=small_warehouse)
    assert proc.returncode == 0, proc.stderr
    assert [r["periode"] for r in json.loads(proc.stdout)["rows"]] == ["9999-11", "9999-12"]


def test_list_takes_db_as_every_command_does(small_warehouse):
    """cli.md: "Every command takes --db URL"; the catalogue is the same for every warehouse, but a
    URL of a database the product cannot use is refused."""
    assert run("list", "--json", db=small_warehouse).returncode == 0
    refused = run("list", db="mysql://gebruiker@server/jeugd")
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == "fout: database 'mysql' wordt niet ondersteund (alleen SQLite en PostgreSQL)\n"


def test_show_json_on_the_first_start_prints_only_the_json(tmp_path, monkeypatch, capsys):
    """The embedded default's first start makes the demo accounts and says their passwords: on
    standard error, so that `--json` still prints one JSON object (it printed them before it)."""
    import data.db
    from kpi.cli import main
    from tests.conftest import demo_sqlite_template, sqlite_copy

    sqlite_copy(demo_sqlite_template(), tmp_path / "default.db")  # the demonstration data, no accounts yet
    monkeypatch.setattr(data.db, "DEFAULT_SQLITE_PATH", tmp_path / "default.db")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert main(["show", "instroom", "--jaar", "2025", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["kpi"] == "instroom"
    assert err.startswith("Eerste start: demo-accounts aangemaakt") and "wachtwoord" in err
