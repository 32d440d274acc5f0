"""Targets as CSV for Excel and back (dashboard/programme/targets_csv.py, `python -m data targets`).

Every test runs on SQLite and PostgreSQL. Bad-input tests compare every table of the warehouse
before and after: a refused import writes nothing, not even audit rows.
"""
from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from dashboard.programme import targets_csv
from dashboard.programme.targets_csv import TargetsImportError, export_targets, import_targets
from data.accounts.permissions import PermissionDenied
from data.accounts.users import User, add_user
from data.programme.edits import EditError, StaleEdit, set_streefwaarde
from data.programme.plan import default_plan, load_programme
from data.programme.schema import Indicator, Streefwaarde, Wijziging
from data.schema import Base
from kpi.catalogue import CATALOGUE
from tests import warm_python
from tests.cli_support import run_main
from tests.conftest import empty_all_tables, engine_url, loaded_warehouse

ROOT = Path(__file__).resolve().parent.parent
MANAGER = User(1, "pm", "Programma Manager", "programmamanager", frozenset())
TREKKER = User(2, "trekker1", "Trekker Een", "trekker", frozenset({"L3.4", "L1.1"}))
LEZER = User(3, "raadslid", "Raads Lid", "lezer", frozenset())
COLUMNS = targets_csv.columns(default_plan())  # the Programmaplan Huizen: 2025–2028
HEADER = ";".join(COLUMNS)


def snapshot(engine) -> dict[str, list]:
    """Every row of every table, for before/after comparisons."""
    out = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(table))), key=repr)
    return out


_PRISTINE: dict[str, dict] = {}  # backend → snapshot right after emptying and loading the programme


@pytest.fixture(params=["sqlite", "postgresql"])
def programme(request):
    """A warehouse holding just the Programmaplan, on each backend. Emptying and loading takes
    seconds on PostgreSQL, and most tests here write nothing, so the loaded state is reused when
    a snapshot of every table shows it is exactly as freshly loaded."""
    engine = request.getfixturevalue(f"_{request.param}_engine")
    if _PRISTINE.get(request.param) != snapshot(engine):
        empty_all_tables(engine)
        load_programme(engine)
        _PRISTINE[request.param] = snapshot(engine)
    return engine


def text_of(data: bytes) -> str:
    assert data.startswith(b"\xef\xbb\xbf")
    return data.decode("utf-8-sig")


def as_excel(text: str) -> bytes:
    """What Dutch Excel saves as 'CSV UTF-8': BOM, `;`, CRLF."""
    return ("\ufeff" + text.replace("\r\n", "\n").replace("\n", "\r\n")).encode("utf-8")


def set_cell(text: str, code: str, column: str, value: str) -> str:
    """The exported text with one cell changed (the row of indicator `code`)."""
    lines = text.replace("\r\n", "\n").split("\n")
    index = COLUMNS.index(column)
    for i, line in enumerate(lines):
        fields = next(csv.reader([line], delimiter=";")) if line else []
        if fields and fields[0] == code:
            fields[index] = value
            out = io.StringIO()
            csv.writer(out, delimiter=";", lineterminator="\n").writerow(fields)  # quotes a "\n" in a cell
            lines[i] = out.getvalue()[:-1]
            return "\n".join(lines)
    raise AssertionError(f"{code} not in the export")


def target(engine, code: str, jaar: int, soort: str = "streefwaarde"):
    with engine.connect() as conn:
        return conn.execute(select(Streefwaarde).join(Indicator, Indicator.id == Streefwaarde.indicator_id)
                            .where(Indicator.code == code, Streefwaarde.jaar == jaar,
                                   Streefwaarde.soort == soort)).first()


def audit_rows(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(Wijziging).where(Wijziging.door == MANAGER.gebruikersnaam)
                            .order_by(Wijziging.id)).all()


# --- export --------------------------------------------------------------------------------------

def test_export_is_a_file_for_dutch_excel(programme):
    data = export_targets(programme)
    text = text_of(data)
    assert b"\r\n" in data and text.count("\r\n") == text.count("\n")
    lines = text.split("\r\n")
    assert lines[0] == "indicator;naam;lijn;maatregel;eenheid;richting;nulmeting_jaar;nulmeting;2025;2026;2027;2028"
    assert lines[-1] == ""
    rows = {line.split(";")[0]: line for line in lines[1:-1]}
    assert len(rows) == len(lines) - 2 == 46
    assert rows["K02"] == "K02;% jeugdigen (0–17) met jeugdhulp;L1;;%;lager is beter;2024;13,5;13,3;13,1;12,9;12,7"
    assert rows["K18"].endswith(";€;lager is beter;2024;13794000;13021000;12469000;12344000;12220000")
    assert rows["H06"].startswith("H06;") and rows["H06"].endswith(";L2;L2.5;aantal;hoger is beter;2024;0;2;4;6;6")
    # Programme order: per lijn its own indicators first, then per maatregel.
    codes = [line.split(";")[0] for line in lines[1:-1]]
    assert codes[:4] == ["K01", "K02", "H01", "H02"]
    assert codes.index("K08") < codes.index("K06")  # L3's own indicator before maatregel L3.3's
    assert codes.index("H07") < codes.index("K07") < codes.index("K06")  # L3.1, L3.3, L3.4


def test_export_has_empty_cells_for_missing_values_and_the_catalogue_unit(programme):
    with programme.begin() as conn:
        k05 = conn.scalar(select(Indicator.id).where(Indicator.code == "K05"))
        conn.execute(update(Indicator).where(Indicator.id == k05).values(eenheid=None, richting=None))
        conn.execute(delete(Streefwaarde).where(Streefwaarde.indicator_id == k05,
                                                Streefwaarde.jaar.in_((2024, 2027))))
    row = next(line for line in text_of(export_targets(programme)).split("\r\n") if line.startswith("K05;"))
    kpi = CATALOGUE["pct_herinstroom"]
    assert row.split(";")[4:] == [kpi.eenheid, "lager is beter", "", "", "3,1", "3", "", "2,7"]


def test_export_writes_numbers_exactly(programme):
    with programme.begin() as conn:
        conn.execute(update(Streefwaarde).where(Streefwaarde.jaar == 2025).values(waarde=0.00001))
        conn.execute(update(Streefwaarde).where(Streefwaarde.jaar == 2026).values(waarde=0.1 + 0.2))
        conn.execute(update(Streefwaarde).where(Streefwaarde.jaar == 2027).values(waarde=123456789012.5))
    row = text_of(export_targets(programme)).split("\r\n")[1].split(";")
    assert row[8:11] == ["0,00001", "0,30000000000000004", "123456789012,5"]


# --- round trip ----------------------------------------------------------------------------------

def test_the_import_reads_the_file_with_the_loaders_reader(programme, monkeypatch):
    """One CSV reader (data/warehouse/csv_input.py): what the loader's reader yields is what the import checks."""
    from data.warehouse import csv_input

    read = []
    records = csv_input.CsvFile.records

    def counted(self):
        for line, fields in records(self):
            read.append(line)
            yield line, fields
    monkeypatch.setattr(csv_input.CsvFile, "records", counted)
    import_targets(programme, MANAGER, export_targets(programme), "streefwaarden.csv", "controle")
    assert read == list(range(2, 2 + 46))


def test_importing_the_export_changes_nothing(programme):
    before = snapshot(programme)
    report = import_targets(programme, MANAGER, export_targets(programme), "streefwaarden.csv", "controle")
    assert report.changes == () and report.changed == 0
    assert report.unchanged == 46 * 5 and report.rows == 46
    assert report.warnings == ()
    assert snapshot(programme) == before  # no value touched, no audit row


def test_an_import_is_one_moment_in_the_audit_trail_even_across_a_second(programme, monkeypatch):
    """Each write asks the clock; an import slow enough to cross a second's boundary still records
    all its changes at one time (it failed so once in CI on a busy machine)."""
    import datetime as dt
    from types import SimpleNamespace

    from data.programme import edits

    class Ticking(dt.datetime):
        calls = 0

        @classmethod
        def now(cls, tz=None):  # every reading of the clock a second later
            cls.calls += 1
            return dt.datetime(2026, 12, 5, 10, 50, 0) + dt.timedelta(seconds=cls.calls)

    monkeypatch.setattr(edits, "dt", SimpleNamespace(datetime=Ticking, date=dt.date))
    text = text_of(export_targets(programme))
    for code, column, value in (("K02", "2026", "13,0"), ("K18", "2027", "12.300.000"), ("H03", "nulmeting", "24,5")):
        text = set_cell(text, code, column, value)
    import_targets(programme, MANAGER, as_excel(text), "streefwaarden.csv", "Bijstelling na evaluatie")
    audit = audit_rows(programme)
    assert len(audit) == 3 and len({a.op for a in audit}) == 1 and Ticking.calls >= 1


def test_an_excel_edit_is_imported_with_audit_and_the_original_kept(programme):
    text = text_of(export_targets(programme))
    text = set_cell(text, "K02", "2026", "13,0")
    text = set_cell(text, "K18", "2027", "12.300.000")   # as Excel writes a formatted cell
    text = set_cell(text, "H03", "nulmeting", "24,5")
    report = import_targets(programme, MANAGER, as_excel(text), "streefwaarden.csv", "Bijstelling na evaluatie")
    assert [str(c) for c in report.changes] == [
        "K02 streefwaarde 2026: 13,1 → 13",
        "H03 nulmeting 2024: 24 → 24,5",
        "K18 streefwaarde 2027: 12.344.000 → 12.300.000"]
    assert report.unchanged == 46 * 5 - 3
    assert "3 waarden gewijzigd, 227 ongewijzigd (46 indicatoren)" in report.summary

    k02 = target(programme, "K02", 2026)
    assert (k02.waarde, k02.oorspronkelijke_waarde, k02.version, k02.gewijzigd_door) == (13.0, 13.1, 2, "pm")
    assert target(programme, "K18", 2027).waarde == 12_300_000
    assert target(programme, "H03", 2024, "nulmeting").waarde == 24.5
    untouched = target(programme, "K02", 2025)
    assert (untouched.version, untouched.gewijzigd_door, untouched.oorspronkelijke_waarde) == (
        1, "systeem (programmaplan)", None)

    audit = audit_rows(programme)
    assert sorted((a.sleutel, a.oude_waarde, a.nieuwe_waarde) for a in audit) == [
        ("H03/2024/nulmeting", "24", "24.5"), ("K02/2026/streefwaarde", "13.1", "13"),
        ("K18/2027/streefwaarde", "12344000", "12300000")]
    assert {(a.tabel, a.veld, a.reden) for a in audit} == {("streefwaarde", "waarde", "Bijstelling na evaluatie")}
    assert len({a.op for a in audit}) == 1

    # A second import of an again edited file: the plan's original stays.
    text = set_cell(text, "K02", "2026", "12,5")
    report = import_targets(programme, MANAGER, as_excel(text), "streefwaarden.csv", "Tweede bijstelling")
    assert [str(c) for c in report.changes] == ["K02 streefwaarde 2026: 13 → 12,5"]
    k02 = target(programme, "K02", 2026)
    assert (k02.waarde, k02.oorspronkelijke_waarde, k02.version) == (12.5, 13.1, 3)
    assert len(audit_rows(programme)) == 4


def test_a_comma_separated_file_with_decimal_points(programme):
    rows = list(csv.reader(io.StringIO(text_of(export_targets(programme))), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\n")
    for row in rows:
        writer.writerow(row[:7] + [cell.replace(",", ".") for cell in row[7:]])
    text = out.getvalue()
    text = text.replace(",lager is beter,2024,13.5,13.3,13.1,", ",lager is beter,2024,13.5,13.3,13.05,")
    assert "13.05" in text
    # In a `,` file a point is a decimal point, never a thousands separator.
    text = text.replace(",2024,420,460,", ",2024,420,1.460,")
    report = import_targets(programme, MANAGER, text.encode("utf-8"), "plain.csv", "Afronding")
    assert sorted(str(c) for c in report.changes) == ["H01 streefwaarde 2025: 460 → 1,46",
                                                      "K02 streefwaarde 2026: 13,1 → 13,05"]
    assert target(programme, "H01", 2025).waarde == 1.46


def _comma_file(programme, quote_numbers: bool) -> tuple[str, bytes]:
    """The export as Excel writes it with Dutch settings and `,` as the list separator: the
    decimal commas stay, and a number is quoted (`quote_numbers`) or not."""
    rows = list(csv.reader(io.StringIO(text_of(export_targets(programme))), delimiter=";"))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        if quote_numbers:
            writer.writerow(row)  # the csv module quotes a cell with a comma, as Excel does
        else:
            text = io.StringIO()
            csv.writer(text, lineterminator="").writerow(row[:7])
            out.write(",".join([text.getvalue(), *row[7:]]) + "\r\n")
    return out.getvalue(), out.getvalue().encode("utf-8")


COMMA_HINT = ("in dit bestand scheidt de komma de kolommen, dus een decimale komma ook; sla het op met een "
              "puntkomma als scheidingsteken (Nederlandse Excel: 'CSV UTF-8'), of schrijf getallen met een "
              "decimale punt (12.5)")


def test_decimal_commas_in_a_comma_separated_file_are_explained(programme):
    """Excel with Dutch decimals but `,` between cells: 13,3 became two cells, and the file got
    "15 velden, maar de kopregel heeft er 12" without a word about why."""
    text, data = _comma_file(programme, quote_numbers=False)
    k02 = next(i for i, line in enumerate(text.split("\r\n"), start=1) if line.startswith("K02,"))
    before = snapshot(programme)
    with pytest.raises(TargetsImportError) as refused:
        import_targets(programme, MANAGER, data, "s.csv", "poging")
    problems = [str(p) for p in refused.value.problems]
    assert problems[0] == f"s.csv:{k02}: rij: 17 velden, maar de kopregel heeft er 12 ({COMMA_HINT})"
    # the advice once per file; later rows point to it (test below)
    assert all(p.endswith(f"(decimale komma; zie regel {k02})") for p in problems[1:]), problems
    assert snapshot(programme) == before


def test_the_decimal_comma_advice_is_given_once_per_file_and_later_problems_point_to_it(programme):
    """Such a file has the cause on (nearly) every row, and the same long advice stood on every
    problem. As in the data loader: the file's first such problem has it, later ones point there
    — also when the file has both kinds (a row split by an unquoted 12,5 and a quoted "13,5")."""
    text, _ = _comma_file(programme, quote_numbers=True)
    lines = text.split("\r\n")
    k02 = next(i for i, line in enumerate(lines, start=1) if line.startswith("K02,"))
    assert k02 > 2
    lines[1] += ",12,5"   # the first row, split by an unquoted decimal comma
    with pytest.raises(TargetsImportError) as refused:
        import_targets(programme, MANAGER, "\r\n".join(lines).encode("utf-8"), "s.csv", "poging")
    problems = [str(p) for p in refused.value.problems]
    assert problems[0] == f"s.csv:2: rij: 14 velden, maar de kopregel heeft er 12 ({COMMA_HINT})"
    assert sum(COMMA_HINT in p for p in problems) == 1
    assert f"s.csv:{k02}: nulmeting: '13,5' is geen getal (decimale komma; zie regel 2)" in problems
    assert len(problems) > 10 and all(p.endswith("(decimale komma; zie regel 2)") for p in problems[1:]), problems


def test_a_quoted_decimal_comma_in_a_comma_separated_file_is_explained(programme):
    """Quoted, the cell is whole, but in a `,` file a comma is no decimal separator: "1,460" would
    be 1460 to an English Excel. It said "(bijvoorbeeld 12.5 (in een bestand met ; ook 12,5))"."""
    text, data = _comma_file(programme, quote_numbers=True)
    k02 = next(i for i, line in enumerate(text.split("\r\n"), start=1) if line.startswith("K02,"))
    with pytest.raises(TargetsImportError) as refused:
        import_targets(programme, MANAGER, data, "s.csv", "poging")
    problems = [str(p) for p in refused.value.problems if p.line == k02]
    assert problems[0] == f"s.csv:{k02}: nulmeting: '13,5' is geen getal: {COMMA_HINT}"


def test_new_values_are_added_where_there_were_none(programme):
    with programme.begin() as conn:
        h01 = conn.scalar(select(Indicator.id).where(Indicator.code == "H01"))
        conn.execute(delete(Streefwaarde).where(Streefwaarde.indicator_id == h01,
                                                Streefwaarde.jaar.in_((2024, 2028))))
    text = text_of(export_targets(programme))
    assert "\r\nH01;Kinderen bereikt met kinderwerk;L1;L1.1;aantal;hoger is beter;;;460;500;540;\r\n" in text
    text = set_cell(text, "H01", "2028", "600")
    text = set_cell(set_cell(text, "H01", "nulmeting_jaar", "2023"), "H01", "nulmeting", "400")
    report = import_targets(programme, MANAGER, as_excel(text), "s.csv", "Aangevuld")
    assert sorted(str(c) for c in report.changes) == ["H01 nulmeting 2023: (leeg) → 400",
                                                      "H01 streefwaarde 2028: (leeg) → 600"]
    new = target(programme, "H01", 2028)
    assert (new.waarde, new.version, new.oorspronkelijke_waarde, new.gewijzigd_door) == (600, 1, None, "pm")
    assert target(programme, "H01", 2023, "nulmeting").waarde == 400
    assert sorted((a.sleutel, a.oude_waarde, a.nieuwe_waarde, a.reden) for a in audit_rows(programme)) == [
        ("H01/2023/nulmeting", None, "400", "Aangevuld"), ("H01/2028/streefwaarde", None, "600", "Aangevuld")]


def test_information_columns_may_be_left_out_and_differences_are_warned(programme):
    rows = list(csv.reader(io.StringIO(text_of(export_targets(programme))), delimiter=";"))
    keep = [COLUMNS.index(c) for c in ("indicator", "nulmeting_jaar", "nulmeting", "2025", "2026", "2027", "2028")]
    short = "\n".join(";".join(row[i] for i in keep) for row in rows if row)
    assert import_targets(programme, MANAGER, short.encode(), "kort.csv", "x").changed == 0

    text = set_cell(text_of(export_targets(programme)), "K01", "naam", "Andere naam")
    text = set_cell(text, "K01", "eenheid", "%")
    report = import_targets(programme, MANAGER, as_excel(text), "s.csv", "x")
    assert report.changed == 0
    assert report.warnings == ("s.csv:2: naam, eenheid van K01 wijkt af van het programma; "
                               "de import verandert alleen nulmeting en streefwaarden",)


def test_the_direction_reads_as_dutch_and_its_code_is_accepted_back(programme):
    """The file is read in Excel: "lager is beter", not the contract's code `lager_beter`. A file
    that still holds the code (an older export) imports without a warning; another text is warned."""
    text = text_of(export_targets(programme))
    assert "_beter" not in text
    assert import_targets(programme, MANAGER, as_excel(set_cell(text, "K01", "richting", "lager_beter")),
                          "s.csv", "x").warnings == ()
    report = import_targets(programme, MANAGER, as_excel(set_cell(text, "K01", "richting", "hoger is beter")),
                            "s.csv", "x")
    assert report.changed == 0
    assert report.warnings == ("s.csv:2: richting van K01 wijkt af van het programma; "
                               "de import verandert alleen nulmeting en streefwaarden",)


def test_budget_share_may_pass_a_hundred_percent_but_other_percentages_not(programme):
    """K20 (% of the budget spent) holds 108 % in the plan and may be set above 100; another
    percentage may not."""
    text = text_of(export_targets(programme))
    assert import_targets(programme, MANAGER, as_excel(text), "s.csv", "x").changed == 0
    assert import_targets(programme, MANAGER, as_excel(set_cell(text, "K20", "2025", "104")), "s.csv",
                          "x").changed == 1
    with pytest.raises(TargetsImportError) as exc:
        import_targets(programme, MANAGER, as_excel(set_cell(text, "K12", "2025", "104")), "s.csv", "x")
    assert exc.value.lines()[0].startswith("s.csv:")
    assert "104 kan niet: een percentage ligt tussen 0 en 100" in exc.value.lines()[0]


# --- bad input -----------------------------------------------------------------------------------

def _file(programme, change) -> bytes:
    text = text_of(export_targets(programme)).replace("\r\n", "\n")
    result = change(text)
    return result if isinstance(result, bytes) else as_excel(result)


def _line_of(text: str, code: str) -> int:
    return next(i for i, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1)
                if line.startswith(code + ";"))


# case → (change to the exported text with "\n" line ends, the first problem line expected);
# {K01} etc. stand for that indicator's line in the file.
BAD = {
    "unknown indicator": (lambda t: t.replace("\nK03;", "\nK99;"),
                          "s.csv:{K03}: indicator: 'K99' bestaat niet in het programma"),
    "empty indicator": (lambda t: t.replace("\nK03;", "\n;"), "s.csv:{K03}: indicator: verplicht veld is leeg"),
    "not a number": (lambda t: set_cell(t, "K02", "2026", "elf"),
                     "s.csv:{K02}: 2026: 'elf' is geen getal (bijvoorbeeld 12,5 of 1.234,5)"),
    "two decimal separators": (lambda t: set_cell(t, "K02", "2026", "11,3,1"),
                               "s.csv:{K02}: 2026: '11,3,1' is geen getal"),
    "bad thousands grouping": (lambda t: set_cell(t, "K01", "2026", "1.10.4"), "s.csv:{K01}: 2026: '1.10.4' is geen getal"),
    "percentage above 100": (lambda t: set_cell(t, "K02", "2027", "110"),
                             "s.csv:{K02}: 2027: 110 kan niet: een percentage ligt tussen 0 en 100 (%)"),
    "negative count": (lambda t: set_cell(t, "K01", "2025", "-5"),
                       "s.csv:{K01}: 2025: -5 kan niet: een aantal ligt tussen 0 en 1.000.000.000.000 (aantal)"),
    "rapportcijfer 11": (lambda t: set_cell(t, "K11", "nulmeting", "11"),
                         "s.csv:{K11}: nulmeting: 11 kan niet: een rapportcijfer ligt tussen 1 en 10 (cijfer)"),
    "duplicate indicator": (lambda t: t + "K01;x;L1;;aantal;lager_beter;2024;1150;1127;1104;1082;1000\n",
                            "s.csv:48: indicator: 'K01' komt al voor op regel {K01}"),
    "missing column": (lambda t: "\n".join(";".join(r[:10] + r[11:]) for r in csv.reader(
                           io.StringIO(t), delimiter=";") if r), "s.csv:1: 2027: verplichte kolom ontbreekt"),
    "unknown column": (lambda t: t.replace(HEADER, HEADER[:-4] + "2029", 1),
                       "s.csv:1: 2029: onbekende kolom; verwacht: " + HEADER),
    "duplicate column": (lambda t: t.replace(HEADER, HEADER.replace("naam;lijn", "naam;naam"), 1),
                         "s.csv:1: naam: kolom staat twee keer in de kopregel"),
    "too many columns": (lambda t: t.replace("\nK04;", ";7\nK04;", 1),
                         "s.csv:{K03}: rij: 13 velden, maar de kopregel heeft er 12"),
    "too few columns": (lambda t: t.replace(";1114\n", "\n", 1),
                        "s.csv:{K01}: rij: 11 velden, maar de kopregel heeft er 12"),
    "value in an unnamed column": (lambda t: t.replace("\n", ";\n").replace(";1114;\n", ";1114;x\n"),
                                   "s.csv:{K01}: kolom 13: deze kolom heeft geen naam in de kopregel, maar bevat 'x'"),
    "target removed": (lambda t: set_cell(t, "H02", "2028", ""),
                       "s.csv:{H02}: 2028: leeg, maar H02 heeft een streefwaarde 2028 (18); een waarde "
                       "verwijderen kan niet via de import — laat haar staan of vul een nieuwe in"),
    "nulmeting removed": (lambda t: set_cell(t, "H02", "nulmeting", ""),
                          "s.csv:{H02}: nulmeting: leeg, maar H02 heeft een nulmeting (12); een waarde "
                          "verwijderen kan niet via de import"),
    "nulmeting year changed": (lambda t: set_cell(t, "H02", "nulmeting_jaar", "2023"),
                               "s.csv:{H02}: nulmeting_jaar: 2023: H02 heeft een nulmeting over 2024; dat jaar "
                               "kan niet via de import veranderen"),
    "nulmeting year no year": (lambda t: set_cell(t, "H02", "nulmeting_jaar", "24"),
                               "s.csv:{H02}: nulmeting_jaar: '24' is geen jaartal"),
    "nulmeting year out of range": (lambda t: set_cell(t, "H02", "nulmeting_jaar", "2031"),
                                    "s.csv:{H02}: nulmeting_jaar: 2031: een nulmeting hoort bij 2015–2028"),
    "not utf-8": (lambda t: as_excel(t).replace("Kinderen bereikt".encode(), b"Kinderen\xe9bereikt"),
                  "s.csv:{H01}: codering: geen geldige UTF-8 (byte 0xe9 op positie 13); sla het bestand op als "
                  "'CSV UTF-8'"),
    "cp1252 from Excel's plain CSV": (lambda t: t.encode("cp1252", "replace"),
                                       "s.csv:{K02}: codering: geen geldige UTF-8 (byte 0x96 op positie 19)"),
    "empty file": (lambda t: b"", "s.csv:1: kopregel: het bestand is leeg; de kopregel met kolomnamen ontbreekt"),
    "only a BOM and empty lines": (lambda t: b"\xef\xbb\xbf\r\n\r\n",
                                   "s.csv:1: kopregel: het bestand is leeg; de kopregel met kolomnamen ontbreekt"),
    "no header first": (lambda t: "\n" + t, "s.csv:1: kopregel: de eerste regel moet de kopregel met kolomnamen zijn"),
    "tab separated": (lambda t: t.replace(";", "\t"),
                      "s.csv:1: kopregel: de kolommen zijn gescheiden door tabs; het scheidingsteken moet een "
                      "komma (,) of puntkomma (;) zijn"),
    "unclosed quote": (lambda t: t.replace("\nK03;Instroom", '\nK03;"Instroom', 1),
                       "s.csv:{K03}: rij: ongeldige CSV (het bestand houdt op binnen aanhalingstekens); "
                       "controleer de aanhalingstekens"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_reported_by_line_and_nothing_is_written(programme, case):
    change, expected = BAD[case]
    plain = text_of(export_targets(programme)).replace("\r\n", "\n")
    lines = {code: _line_of(plain, code) for code in ("K01", "K02", "K03", "K11", "H01", "H02")}
    # A good change in the same file must not be written either.
    data = _file(programme, lambda t: change(set_cell(t, "K10", "2028", "77")))
    before = snapshot(programme)
    with pytest.raises(TargetsImportError) as exc:
        import_targets(programme, MANAGER, data, "s.csv", "poging")
    assert snapshot(programme) == before
    first = exc.value.lines()[0]
    assert first.startswith(expected.format(**lines)), (first, expected)
    assert exc.value.total == len(exc.value.problems)


def test_all_problems_are_collected_in_line_order_with_physical_line_numbers(programme):
    text = text_of(export_targets(programme)).replace("\r\n", "\n")
    text = set_cell(text, "K01", "naam", "Jeugdigen\nmet jeugdhulp")   # a quoted cell over two lines
    text = text.replace("\nK02;", "\n\n;;;;;;;;;;;\nK02;", 1)             # an empty line, one of delimiters
    text = set_cell(text, "K02", "2025", "veel")
    text = set_cell(text, "H01", "2026", "-1")
    text = text.replace("\nK03;", "\nK99;", 1)
    plain = text.split("\n")
    k02 = next(i for i, line in enumerate(plain, 1) if line.startswith("K02;"))
    assert k02 == 6  # header, K01 over 2 lines, empty line, line of delimiters
    with pytest.raises(TargetsImportError) as exc:
        import_targets(programme, MANAGER, as_excel(text), "s.csv", "x")
    lines = exc.value.lines()
    assert lines[0] == "s.csv:6: 2025: 'veel' is geen getal (bijvoorbeeld 12,5 of 1.234,5)"
    assert lines[1].startswith(f"s.csv:{_line_of(text, 'H01')}: 2026: -1 kan niet")
    assert lines[2] == f"s.csv:{_line_of(text, 'K99')}: indicator: 'K99' bestaat niet in het programma"
    assert len(lines) == 3


def test_more_than_50_problems_are_cut_with_a_count(programme):
    text = text_of(export_targets(programme))
    for code in ("K01", "K03", "K13", "K17", "H01", "H02", "H04", "H05", "H06", "H07", "H08"):
        for column in ("2025", "2026", "2027", "2028", "nulmeting"):
            text = set_cell(text, code, column, "x")
    with pytest.raises(TargetsImportError) as exc:
        import_targets(programme, MANAGER, as_excel(text), "s.csv", "x")
    assert exc.value.total == 55
    assert len(exc.value.lines()) == 51 and exc.value.lines()[-1] == "... en nog 5 problemen"


def test_a_failure_while_writing_rolls_back_every_change(programme, monkeypatch):
    """All or nothing also when the write path itself refuses a value halfway."""
    text = set_cell(set_cell(text_of(export_targets(programme)), "K01", "2025", "1100"), "K02", "2025", "11")
    real, calls = targets_csv.set_streefwaarde_in, []

    def second_fails(conn, user, code, jaar, *args, **kwargs):
        calls.append(code)
        if len(calls) == 2:
            raise StaleEdit(f"De streefwaarde {jaar} van {code}", 12.0, "trekker1", None, 2)
        return real(conn, user, code, jaar, *args, **kwargs)

    monkeypatch.setattr(targets_csv, "set_streefwaarde_in", second_fails)
    before = snapshot(programme)
    with pytest.raises(TargetsImportError) as exc:
        import_targets(programme, MANAGER, as_excel(text), "s.csv", "x")
    assert calls == ["K01", "K02"]
    assert exc.value.lines() == [f"s.csv:{_line_of(text, 'K02')}: 2025: De streefwaarde 2025 van K02 is "
                                 "intussen door trekker1 gewijzigd in 12. Uw wijziging is niet opgeslagen; "
                                 "bekijk de nieuwe waarde en probeer het opnieuw."]
    assert snapshot(programme) == before  # K01's change was rolled back too


# --- who may import ------------------------------------------------------------------------------

@pytest.mark.parametrize("user", [TREKKER, LEZER, None], ids=["trekker", "lezer", "niet-ingelogd"])
def test_only_the_programmamanager_may_import(programme, user, caplog):
    data = as_excel(set_cell(text_of(export_targets(programme)), "K06", "2026", "31"))  # TREKKER's L3.4
    before = snapshot(programme)
    with pytest.raises(PermissionDenied):
        import_targets(programme, user, data, "s.csv", "x")
    assert snapshot(programme) == before
    assert any("geweigerd: streefwaarden importeren" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("reden", [None, "", "   ", "x" * 501, 5, ["reden"], {"reden": "x"}])
def test_a_reason_is_required(programme, reden):
    data = as_excel(set_cell(text_of(export_targets(programme)), "K06", "2026", "31"))
    before = snapshot(programme)
    with pytest.raises(EditError, match="reden"):
        import_targets(programme, MANAGER, data, "s.csv", reden)
    assert snapshot(programme) == before


def test_set_streefwaarde_still_behaves_as_before(programme):
    """The refactoring into set_streefwaarde_in kept the public function's behaviour."""
    row = target(programme, "K06", 2026)
    with pytest.raises(EditError, match="geef een reden"):
        set_streefwaarde(programme, TREKKER, "K06", 2026, "31", row.version)
    with pytest.raises(PermissionDenied):
        set_streefwaarde(programme, TREKKER, "K01", 2026, "1000", target(programme, "K01", 2026).version, "r")
    saved = set_streefwaarde(programme, TREKKER, "K06", 2026, "31", row.version, "bijgesteld")
    assert saved.version == 2 and "gewijzigd van 33,2 in 31" in saved.message
    with pytest.raises(StaleEdit):
        set_streefwaarde(programme, TREKKER, "K06", 2026, "32", row.version, "nog eens")
    row = target(programme, "K06", 2026)
    assert (row.waarde, row.oorspronkelijke_waarde, row.gewijzigd_door) == (31, 33.2, "trekker1")


# --- the command line ----------------------------------------------------------------------------

def run_process(*args: str) -> subprocess.CompletedProcess:
    """The real `python -m data targets …` in a process of its own."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = warm_python.run([sys.executable, "-m", "data", "targets", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def run_cli(*args: str) -> subprocess.CompletedProcess:
    """The same through `python -m data`'s main function in this process (tests/cli_support.py)."""
    from data.__main__ import main

    return run_main(main, ["targets", *args])


@pytest.fixture
def cli_db(request, backend):
    """The programme with a programmamanager and a lezer, filled once per run and backend (what a
    test imports is put back for the next, loaded_warehouse)."""
    engine = loaded_warehouse(request, "streefwaarden_cli", _programme_and_two_accounts)
    return engine_url(engine), engine


def _programme_and_two_accounts(engine) -> None:
    load_programme(engine)
    add_user(engine, "pm", "Programma Manager", "programmamanager", "geheim-wachtwoord")
    add_user(engine, "lezer1", "Lezer Een", "lezer", "geheim-wachtwoord")


def test_cli_export_and_import(cli_db, tmp_path):
    url, engine = cli_db
    path = tmp_path / "streefwaarden.csv"
    result = run_process("export", str(path), "--db", url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"Streefwaarden van 46 indicatoren geschreven naar {path}.\n"
    assert path.read_bytes() == export_targets(engine)

    result = run_cli("import", str(path), "--door", "pm", "--reden", "controle", "--db", url)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (f"Geïmporteerd door pm: {path}: 0 waarden gewijzigd, 230 ongewijzigd "
                             "(46 indicatoren).\n")

    path.write_bytes(as_excel(set_cell(text_of(path.read_bytes()), "K02", "2026", "11,0")))
    result = run_cli("import", str(path), "--door", "pm", "--reden", "Bijstelling", "--db", url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["  K02 streefwaarde 2026: 13,1 → 11"]
    assert target(engine, "K02", 2026).waarde == 11.0
    assert [(a.door, a.reden) for a in audit_rows(engine)] == [("pm", "Bijstelling")]


def test_cli_bad_input_exits_2_and_writes_nothing(cli_db, tmp_path):
    url, engine = cli_db
    text = text_of(export_targets(engine))
    text = set_cell(set_cell(text, "K02", "2026", "elf"), "K03", "2025", "-3")
    path = tmp_path / "fout.csv"
    path.write_bytes(as_excel(text))
    before = snapshot(engine)
    result = run_cli("import", str(path), "--door", "pm", "--reden", "x", "--db", url)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{path}:{_line_of(text, 'K02')}: 2026: 'elf' is geen getal (bijvoorbeeld 12,5 of 1.234,5)",
        f"{path}:{_line_of(text, 'K03')}: 2025: -3 kan niet: een aantal ligt tussen 0 en "
        "1.000.000.000.000 (aantal)"]
    assert result.stdout == "Niets geïmporteerd: 2 problemen.\n"
    result = run_cli("import", str(tmp_path / "bestaat-niet.csv"), "--door", "pm", "--reden", "x", "--db", url)
    assert result.returncode == 2
    assert "bestaat-niet.csv:1: bestand: het bestand is niet te lezen" in result.stderr
    assert snapshot(engine) == before


@pytest.mark.parametrize("reden", ["", "   "], ids=["empty", "blank"])
def test_cli_names_a_missing_reason_beside_the_files_problems(cli_db, tmp_path, reden):
    """A wrong file with no reason: the command line said only the file's problems (and, the file
    put right, then asked for a reason), where the upload on /beheer says both. Now it says both,
    in the upload's words; the exit status stays 2 and nothing is written."""
    url, engine = cli_db
    text = set_cell(text_of(export_targets(engine)), "K02", "2026", "elf")
    path = tmp_path / "fout.csv"
    path.write_bytes(as_excel(text))
    big = tmp_path / "groot.csv"   # refused before it is read
    big.write_bytes(b"indicator;2025\r\n" + b"K01;1\r\n" * 300_000)
    before = snapshot(engine)
    both = "Niets geïmporteerd: 1 probleem. Ook: geef een reden voor het importeren van de streefwaarden."
    result = run_cli("import", str(path), "--door", "pm", "--reden", reden, "--db", url)
    assert result.returncode == 2 and result.stdout == both + "\n"
    assert result.stderr.splitlines() == [
        f"{path}:{_line_of(text, 'K02')}: 2026: 'elf' is geen getal (bijvoorbeeld 12,5 of 1.234,5)"]
    result = run_cli("import", str(big), "--door", "pm", "--reden", reden, "--db", url)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith(f"{big}:1: bestand: het bestand is te groot (")
    assert len(result.stderr.splitlines()) == 1 and result.stdout == both + "\n"
    assert snapshot(engine) == before


def test_cli_refuses_who_may_not_import(cli_db, tmp_path):
    url, engine = cli_db
    path = tmp_path / "s.csv"
    path.write_bytes(as_excel(set_cell(text_of(export_targets(engine)), "K02", "2026", "11,0")))
    before = snapshot(engine)
    result = run_cli("import", str(path), "--door", "lezer1", "--reden", "x", "--db", url)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == "fout: lezer1: Alleen de programmamanager kan dit doen."
    result = run_cli("import", str(path), "--door", "niemand", "--reden", "x", "--db", url)
    assert result.returncode == 2
    assert result.stderr == "fout: gebruiker 'niemand' bestaat niet\n"
    result = run_cli("import", str(path), "--door", "pm", "--reden", " ", "--db", url)
    assert result.returncode == 2
    assert result.stderr == "fout: geef een reden voor het importeren van de streefwaarden\n"
    result = run_cli("import", str(path), "--reden", "x", "--db", url)  # --door is required
    assert result.returncode == 2
    assert snapshot(engine) == before


def test_cli_export_to_an_unwritable_place_exits_1(cli_db, tmp_path):
    url, _ = cli_db
    result = run_cli("export", str(tmp_path / "geen-map" / "s.csv"), "--db", url)
    assert result.returncode == 1
    assert result.stderr.startswith("fout: ") and "kan niet worden geschreven" in result.stderr


def test_the_data_package_still_does_not_import_kpi():
    code = ("import sys, data.__main__, data.programme.targets_cli; data.__main__._parser(); "
            "assert not any(m == 'kpi' or m.startswith('kpi.') for m in sys.modules)")
    warm_python.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_problems_of_one_row_come_in_the_order_of_its_columns(programme):
    text = set_cell(set_cell(text_of(export_targets(programme)), "K01", "2028", "x"), "K01", "nulmeting", "y")
    text = set_cell(text, "K01", "2025", "-1")
    with pytest.raises(TargetsImportError) as exc:
        import_targets(programme, MANAGER, as_excel(text), "s.csv", "x")
    assert [(p.line, p.column) for p in exc.value.problems] == [(2, "nulmeting"), (2, "2025"), (2, "2028")]


def test_the_file_has_a_column_per_year_of_the_plan(warehouse, tmp_path):
    """Another plan (2023–2027): its years are the file's columns, and the import reads them."""
    from tests.other_plan import load_other_plan

    load_other_plan(warehouse, tmp_path)
    text = text_of(export_targets(warehouse))
    header, h01 = text.split("\r\n")[0], next(line for line in text.split("\r\n") if line.startswith("H01;"))
    assert header == "indicator;naam;lijn;maatregel;eenheid;richting;nulmeting_jaar;nulmeting;2023;2024;2025;2026;2027"
    assert h01.endswith(";2022;420;460;500;540;580;")  # 2023–2026 from the plan, 2027 still open
    report = import_targets(warehouse, MANAGER, as_excel(text.replace(h01, h01 + "620")), "s.csv", "aanvulling")
    assert [str(c) for c in report.changes] == ["H01 streefwaarde 2027: (leeg) → 620"]
    bad = as_excel(text.replace(header, header.replace(";2027", ";2028")))
    with pytest.raises(TargetsImportError) as found:
        import_targets(warehouse, MANAGER, bad, "s.csv", "x")
    assert "s.csv:1: 2028: onbekende kolom" in "\n".join(found.value.lines())
