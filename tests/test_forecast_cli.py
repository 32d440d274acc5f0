"""`python -m kpi prognose`: exit codes, Dutch messages and the JSON object (docs/prognose.md), in
process through the CLI's main function; one run of the real entry point in a subprocess."""
import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from data.db import make_engine, migrate
from kpi.cli import main
from tests import forecast_warehouse as fw
from tests import warm_python
from tests.conftest import engine_url, loaded_warehouse

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
LEVEL = 120_000_00


def _fill_flat(engine) -> None:
    amounts = {("GM1", h): fw.monthly(D(2021, 1, 1), D(2025, 6, 1), lambda m, i: LEVEL) for h in ("ambulant", "verblijf")}
    fw.fill(engine, amounts, [0.6, 0.4], {(2025, "GM1"): 30 * LEVEL}, receipt_day=28, until=D(2025, 6, 30))


@pytest.fixture
def flat_db(request, backend):
    """Two hulpvormen at € 120.000 a month from 2021 to June 2025, declared 60/40 over two
    months (received on the last day of the month), a budget for 2025: filled once per run and
    backend (the commands only read it; loaded_warehouse puts back what one wrote)."""
    return engine_url(loaded_warehouse(request, "prognose_vlak", _fill_flat))


def run(capsys, *args):
    code = main(["prognose", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_json_is_one_object_with_the_documented_fields(flat_db, capsys):
    code, out, err = run(capsys, "--jaar", "2025", "--peildatum", "2025-06-30", "--json", "--db", flat_db)
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"jaar", "peildatum", "gecorrigeerd", "mogelijk_onvolledig", "totaal", "per_gemeente",
                         "per_hulpvorm", "drempel"}
    assert (data["jaar"], data["peildatum"], data["gecorrigeerd"], data["drempel"]) == (2025, "2025-06-30", True, 10)
    total = data["totaal"]
    assert total["verwacht_totaal"] == pytest.approx(12 * 2 * LEVEL / 100, abs=0.05)
    assert total["budget"] == 30 * LEVEL / 100
    assert total["budget_op"] is None and total["overschrijding"] == pytest.approx(-6 * LEVEL / 100, abs=0.05)
    assert len(total["maanden"]) == 12 and total["maanden"][0]["maand"] == "2025-01-01"
    assert {p["sleutel"] for p in data["per_hulpvorm"]} == {"ambulant", "verblijf"}


def test_the_peildatum_is_the_last_complete_month(flat_db, capsys):
    """The latest receipt is 28 June: June has not ended in the data, so the forecast stands at
    the end of May and says so."""
    code, out, _ = run(capsys, "--jaar", "2025", "--json", "--db", flat_db)
    assert code == 0 and json.loads(out)["peildatum"] == "2025-05-31"


def test_backtest_text_prints_its_figures(flat_db, capsys):
    code, out, err = run(capsys, "--jaar", "2025", "--peildatum", "2025-06-30", "--backtest", "--db", flat_db)
    assert code == 0, err
    assert "Prognose totale kosten jeugdhulp 2025 — peildatum 30 juni 2025" in out
    assert "Verwachte jaarkosten" in out and "€ 2.880.000" in out
    assert "Hoe betrouwbaar is deze prognose? Backtest over 2022, 2023, 2024" in out
    assert "alle maanden" in out and "Doelen:" in out
    lines = out.splitlines()
    header = lines[lines.index("Per hulpvorm") + 1]  # a hulpvorm has no budget: no empty columns for it
    assert "verwacht" in header and "begroting" not in header
    print(out)


def test_backtest_json_has_its_origins(flat_db, capsys):
    code, out, _ = run(capsys, "--jaar", "2025", "--peildatum", "2025-06-30", "--backtest", "--json", "--db", flat_db)
    backtest = json.loads(out)["backtest"]
    assert code == 0 and backtest["jaren"] == [2022, 2023, 2024] and len(backtest["oorsprongen"]) == 36
    assert len(backtest["per_maand"]) == 12 and len(backtest["doelen"]) == 5


@pytest.mark.parametrize("args, message", [
    ((), "geef een jaar: --jaar JJJJ"),
    (("--jaar", "20x5"), "--jaar: ongeldig jaar '20x5'"),
    (("--jaar", "12345"), "--jaar: ongeldig jaar"),
    (("--jaar", "2025", "--peildatum", "30-06-2025"), "--peildatum: ongeldige datum"),
    (("--jaar", "2031"), "voor 2031 zijn geen kosten in het datawarehouse (kosten van jan 2021 t/m mei 2025)"),
    (("--jaar", "2019"), "voor 2019 zijn geen kosten"),
    (("--jaar", "2025", "--onbekend"), "fout:"),
    # after the data its months would read as declared in full (€ 0 "gerealiseerd", no interval)
    (("--jaar", "2025", "--peildatum", "2030-01-01"),
     "de peildatum 1 januari 2030 ligt na de laatste gegevens (28 juni 2025); kies een peildatum t/m 30 juni 2025"),
    (("--jaar", "2025", "--peildatum", "2025-07-31"), "ligt na de laatste gegevens"),
])
def test_bad_arguments_exit_2_in_dutch(flat_db, capsys, args, message):
    code, out, err = run(capsys, *args, "--db", flat_db)
    assert code == 2 and out == ""
    assert message in err and err.startswith("fout: ")


def test_an_empty_warehouse_is_refused_in_dutch(backend_url, capsys):

    engine = make_engine(backend_url)
    migrate(engine)  # a warehouse with its tables and no rows
    engine.dispose()
    code, _, err = run(capsys, "--jaar", "2025", "--db", backend_url)
    assert code == 2 and "het datawarehouse bevat geen kosten" in err


def test_the_entry_point(flat_db):
    proc = warm_python.run([sys.executable, "-m", "kpi", "prognose", "--jaar", "2025", "--peildatum", "2025-06-30",
                           "--db", flat_db], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr and proc.stderr == ""
    assert "Verwachte jaarkosten" in proc.stdout and "Per hulpvorm" in proc.stdout


def test_the_docs_say_what_the_screens_say():
    """docs/prognose.md carries every "Hoe berekend?" text of kpi/forecast/texts.py word for word."""
    import re

    from kpi.forecast.texts import HOE_BEREKEND

    def words(text):
        return re.sub(r"[\s*]+", " ", text).strip()
    docs = words((ROOT / "docs" / "prognose.md").read_text(encoding="utf-8")).replace("'", '"')
    for name, text in HOE_BEREKEND.items():
        if name == "backtest":
            continue
        label, _, body = text.partition(": ")
        assert words(body).replace("'", '"') in docs, name
