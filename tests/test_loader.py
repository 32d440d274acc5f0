"""The loader (data/warehouse/loader.py) against the import format (contract: import-format.md).

Every test runs on SQLite and PostgreSQL (the `warehouse` fixture). Bad-input tests load a valid
folder first and check that a failing second load leaves every table exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from data.schema import Base
from data.warehouse.loader import LoadError, LoadReport, Problem, load_folder
from data.warehouse.schema import IMPORT_TABLES, Kosten

# A small valid delivery that uses the format's freedoms: `;` and `,` files, a BOM, a decimal
# comma, codes in other case / as national numbers / with spaces, keys with spaces around them,
# header names in capitals, columns in another order.
VALID = {
    "wijken.csv": (
        "wijk_code,wijk_naam,gemeente_code,gemeente_naam\n"
        "WK040601,Huizen-Centrum,GM0406,Huizen\n"
        "WK040602,Oostermeent,GM0406,Huizen\n"
    ),
    "scholen.csv": (
        "\ufeffSchool_Code;school_naam;school_soort;wijk_code\n"
        " S01 ;De Vlinder;BAO;WK040601\n"
        "S02;\"Het College; locatie Noord\";vo;\n"
    ),
    "aanbieders.csv": (
        "aanbieder_code,aanbieder_naam\n"
        "A1,Jeugdzorg Gooi\n"
    ),
    "trajecten.csv": (
        "traject_id;jeugdige_id;geboortejaar;wijk_code;school_code;verwijzer;hulpvorm;"
        "aanbieder_code;aanmelddatum;startdatum;einddatum;reden_einde;doelrealisatie;financiering\n"
        "T1;J1;2012; WK040601 ;S01;02;Ambulant;A1;2024-01-02;2024-01-10;2024-06-30;01;volledig;pgb\n"
        "T2;J2;2010;WK040602;;2;crisis;;;2024-03-01;2024-03-15;onbekend;;\n"
        "T3;J1;2012;WK040601;S02; Huisarts ;LOKAAL_TEAM;;;2024-05-01;;;;ZIN\n"
    ),
    "verblijf.csv": (
        "verblijf_id,traject_id,verblijfsvorm,startdatum,einddatum\n"
        "V1,T1,11,2024-02-01,2024-03-01\n"
        "V2,T3,Gezinshuis,2024-05-01,\n"
    ),
    "kosten.csv": (
        "traject_id;maand;bedrag\n"
        "T1;2024-01;1234,50\n"
        "T1;2024-01;-12.5\n"
        "\n"
        "T3;2024-07;100\n"
    ),
    "budget.csv": (
        "JAAR , Gemeente_Code , Bedrag\n"
        "2024,GM0406,25000000.00\n"
    ),
    "tevredenheid.csv": (
        "respondent,score,respons_id,traject_id,gemeente_code,jaar\n"
        "Ouder,8,R1,T1,GM0406,2024\n"
        "jongere,6,R2,,GM0406,2024\n"
    ),
    "bevolking.csv": (
        "jaar,wijk_code,aantal_0_17,aantal_18_22\n"
        "2024,WK040601,1500,400\n"
        "2024,WK040602,900,\n"
    ),
}


def write_folder(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def changed(name: str, old: str, new: str) -> dict[str, str]:
    """VALID with one replacement in one file."""
    assert old in VALID[name], (name, old)
    return {**VALID, name: VALID[name].replace(old, new, 1)}


def snapshot(engine) -> dict[str, list[tuple]]:
    """Every row of the import tables and the load log, in key order."""
    tables = Base.metadata.tables
    with engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(
                    select(tables[name]).order_by(*tables[name].primary_key.columns))]
                for name in (*IMPORT_TABLES, "laadlog")}


def rows(engine, table: str) -> list[tuple]:
    return snapshot(engine)[table]


def failing_load(engine, folder: Path) -> LoadError:
    """Load `folder`, expect LoadError, and check that nothing changed."""
    before = snapshot(engine)
    with pytest.raises(LoadError) as caught:
        load_folder(engine, folder)
    assert snapshot(engine) == before
    return caught.value


@pytest.fixture
def loaded(warehouse, tmp_path):
    """The warehouse after loading VALID."""
    load_folder(warehouse, write_folder(tmp_path / "eerste", VALID))
    return warehouse


# --- a valid folder ----------------------------------------------------------------------------

def test_the_line_after_the_first_50_problems_counts_the_rest_in_dutch():
    """"... en nog 1 problemen" after 51 problems: one is "probleem"."""
    problems = [Problem("wijken.csv", line, "wijk_code", "leeg") for line in range(2, 53)]
    assert LoadError(problems).lines()[-1] == "... en nog 1 probleem"
    assert LoadError(problems + [Problem("wijken.csv", 53, "wijk_code", "leeg")]).lines()[-1] == "... en nog 2 problemen"


def test_valid_folder_loads_every_table(warehouse, tmp_path):
    report = load_folder(warehouse, write_folder(tmp_path / "lev", VALID))
    assert isinstance(report, LoadReport)
    assert report.rows == {"wijken": 2, "scholen": 2, "aanbieders": 1, "trajecten": 3,
                           "verblijf": 2, "kosten": 3, "budget": 1, "tevredenheid": 2,
                           "bevolking": 2}
    assert report.warnings == []


def test_values_are_normalised(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "lev", VALID))
    d = dt.date
    assert rows(warehouse, "scholen") == [("S01", "De Vlinder", "bao", "WK040601"),
                                          ("S02", "Het College; locatie Noord", "vo", None)]
    assert rows(warehouse, "trajecten") == [
        # the last three columns (verzoekdatum, toewijzingsdatum, ingangsdatum) only iJw fills
        ("T1", "J1", 2012, "WK040601", "S01", "huisarts", "ambulant", "A1", d(2024, 1, 2),
         d(2024, 1, 10), d(2024, 6, 30), "volgens_plan", "volledig", "pgb", None, None, None),
        ("T2", "J2", 2010, "WK040602", None, "huisarts", "crisis", None, None,
         d(2024, 3, 1), d(2024, 3, 15), "onbekend", None, "zin", None, None, None),
        ("T3", "J1", 2012, "WK040601", "S02", "huisarts", "lokaal_team", None, None,
         d(2024, 5, 1), None, None, None, "zin", None, None, None),
    ]
    assert rows(warehouse, "verblijf") == [("V1", "T1", "pleegzorg", d(2024, 2, 1), d(2024, 3, 1)),
                                           ("V2", "T3", "gezinshuis", d(2024, 5, 1), None)]
    # regel = line in kosten.csv (line 4 is empty and skipped); decimal comma and point; a
    # version-1.0 file without the optional column ontvangen leaves it NULL.
    assert rows(warehouse, "kosten") == [(2, "T1", d(2024, 1, 1), 123450, None),
                                         (3, "T1", d(2024, 1, 1), -1250, None),
                                         (5, "T3", d(2024, 7, 1), 10000, None)]
    assert rows(warehouse, "budget") == [(2024, "GM0406", 2_500_000_000)]
    assert rows(warehouse, "tevredenheid") == [("R1", "T1", "GM0406", 2024, "ouder", 8),
                                               ("R2", None, "GM0406", 2024, "jongere", 6)]
    assert rows(warehouse, "bevolking") == [(2024, "WK040601", 1500, 400),
                                            (2024, "WK040602", 900, None)]


def test_crlf_line_ends_and_quoted_newlines(warehouse, tmp_path):
    files = {"wijken.csv": ("wijk_code,wijk_naam,gemeente_code,gemeente_naam\r\n"
                            "WK1,\"Twee\r\nregels\",GM1,Huizen\r\n"
                            "WK2,Oost,GM1,Huizen\r\n")}
    load_folder(warehouse, write_folder(tmp_path / "lev", files))
    assert rows(warehouse, "wijken") == [("WK1", "Twee\r\nregels", "GM1", "Huizen"),
                                         ("WK2", "Oost", "GM1", "Huizen")]


def test_header_only_file_empties_its_table(loaded, tmp_path):
    folder = write_folder(tmp_path / "lev", {"kosten.csv": "traject_id,maand,bedrag\n"})
    report = load_folder(loaded, folder)
    assert report.rows == {"kosten": 0}
    assert rows(loaded, "kosten") == []
    assert len(rows(loaded, "trajecten")) == 3


def test_reload_is_idempotent(warehouse, tmp_path):
    folder = write_folder(tmp_path / "lev", VALID)
    load_folder(warehouse, folder)
    first = snapshot(warehouse)
    load_folder(warehouse, folder)
    second = snapshot(warehouse)
    for table in IMPORT_TABLES:
        assert second[table] == first[table], table
    assert len(second["laadlog"]) == len(first["laadlog"]) + 1 == 2


def test_subset_keeps_other_tables_and_may_reference_the_warehouse(loaded, tmp_path):
    before = snapshot(loaded)
    new_kosten = "traject_id,maand,bedrag\nT2,2024-03,99.99\n"
    report = load_folder(loaded, write_folder(tmp_path / "lev", {"kosten.csv": new_kosten}))
    assert report.rows == {"kosten": 1}
    after = snapshot(loaded)
    assert after["kosten"] == [(2, "T2", dt.date(2024, 3, 1), 9999, None)]
    for table in IMPORT_TABLES:
        if table != "kosten":
            assert after[table] == before[table], table


def test_replacing_a_parent_that_keeps_every_referenced_key(loaded, tmp_path):
    wijken = VALID["wijken.csv"] + "WK040603,Bijvanck,GM0406,Huizen\n"
    load_folder(loaded, write_folder(tmp_path / "lev", {"wijken.csv": wijken}))
    assert len(rows(loaded, "wijken")) == 3


def test_load_log_row(warehouse, tmp_path):
    folder = write_folder(tmp_path / "lev", VALID)
    before = dt.datetime.now() - dt.timedelta(seconds=1)
    report = load_folder(warehouse, folder, bron="levering Huizen 2024")
    (log,) = rows(warehouse, "laadlog")
    _id, geladen_op, bron, bestanden, data_tot, aangevuld, totalen_vanaf = log
    assert aangevuld is None and totalen_vanaf is None  # it replaced its tables; its own totals count
    assert before <= geladen_op <= dt.datetime.now() + dt.timedelta(seconds=1)
    assert bron == "levering Huizen 2024"
    assert [b["bestand"] for b in bestanden] == [f"{t}.csv" for t in IMPORT_TABLES]
    for entry in bestanden:
        assert entry["rijen"] == report.rows[entry["bestand"][:-4]]
        assert entry["sha256"] == hashlib.sha256((folder / entry["bestand"]).read_bytes()).hexdigest()
    # latest date: the end of the last kosten month (2024-07) beats trajecten and verblijf dates.
    assert data_tot == report.data_tot == dt.date(2024, 7, 31)


def test_load_log_defaults_to_the_folder_path(warehouse, tmp_path):
    folder = write_folder(tmp_path / "lev", {"wijken.csv": VALID["wijken.csv"]})
    load_folder(warehouse, folder)
    (log,) = rows(warehouse, "laadlog")
    assert log[2] == str(folder.resolve())
    assert log[3] == [{"bestand": "wijken.csv", "rijen": 2,
                       "sha256": hashlib.sha256(VALID["wijken.csv"].encode()).hexdigest()}]
    assert log[4] is None  # no dates in the warehouse yet


def test_extra_columns_and_unknown_files_give_warnings(warehouse, tmp_path):
    files = {"wijken.csv": VALID["wijken.csv"].replace("gemeente_naam\n", "gemeente_naam,opmerking\n")
             .replace("Huizen\n", "Huizen,\n"),
             "leesmij.txt": "hallo", "trajecten.xlsx": b"PK"}
    report = load_folder(warehouse, write_folder(tmp_path / "lev", files))
    assert report.rows == {"wijken": 2}
    assert "wijken.csv: kolom 'opmerking' is onbekend en wordt genegeerd" in report.warnings
    assert "leesmij.txt: onbekend bestand, wordt genegeerd" in report.warnings
    assert any(w.startswith("trajecten.xlsx: onbekend bestand") for w in report.warnings)



def test_an_extra_column_given_twice_is_still_ignored_with_a_warning(warehouse, tmp_path):
    """The contract ignores extra columns with a warning, also one whose name occurs twice (two
    empty "opm" columns an export added); only a known column given twice is an error."""
    files = {"wijken.csv": VALID["wijken.csv"].replace("gemeente_naam\n", "gemeente_naam,opm,opm\n")
             .replace("Huizen\n", "Huizen,a,b\n")}
    report = load_folder(warehouse, write_folder(tmp_path / "lev", files))
    assert report.rows == {"wijken": 2}
    assert report.warnings == ["wijken.csv: kolom 'opm' is onbekend en wordt genegeerd (staat 2 keer in de kopregel)"]


def test_hidden_files_are_ignored_with_a_warning(warehouse, tmp_path):
    """"Other files in it are ignored with a warning": a hidden file too, and LibreOffice's lock
    file beside a delivered file that is still open says so."""
    folder = write_folder(tmp_path / "lev", {"wijken.csv": VALID["wijken.csv"], ".DS_Store": b"\0\0",
                                             ".~lock.wijken.csv#": ",gebruiker,pc,07.12.2026 21:00,\n"})
    report = load_folder(warehouse, folder)
    assert report.rows == {"wijken": 2}
    assert report.warnings == [
        ".DS_Store: verborgen bestand, wordt genegeerd",
        ".~lock.wijken.csv#: vergrendelbestand van LibreOffice, wordt genegeerd (is een bestand van de "
        "levering nog geopend?)"]


def test_a_folder_named_like_a_file_is_called_a_folder(warehouse, tmp_path):
    """A map named trajecten.csv is not "onbekend bestand": its name is one the loader knows."""
    folder = write_folder(tmp_path / "lev", {"wijken.csv": VALID["wijken.csv"]})
    (folder / "trajecten.csv").mkdir()
    report = load_folder(warehouse, folder)
    assert report.rows == {"wijken": 2}
    assert report.warnings == ["trajecten.csv: is een map, geen bestand; wordt genegeerd"]


def test_a_tab_separated_file_names_its_delimiter(loaded, tmp_path):
    """Excel's "Tekst (tab-gescheiden)": one problem naming the tabs, not "verplichte kolom
    ontbreekt" for each of the four columns."""
    tabbed = VALID["wijken.csv"].replace(",", "\t")
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"wijken.csv": tabbed}))
    assert [str(p) for p in error.problems] == [
        "wijken.csv:1: kopregel: de kolommen zijn gescheiden door tabs; het scheidingsteken moet een komma (,) "
        "of puntkomma (;) zijn: sla het bestand op als CSV (UTF-8)"]

# --- kosten.ontvangen: an optional column, added in format version 1.1 ---------------------------

# Version 1.1: the column ontvangen, in capitals and between the others; one empty cell, and a
# receipt on the month's first day (allowed).
KOSTEN_1_1 = (
    "traject_id;Ontvangen;maand;bedrag\n"
    "T1;2024-02-05;2024-01;1234,50\n"
    "T1;;2024-01;-12.5\n"
    "T3;2024-07-01;2024-07;100\n"
)


VALID_1_1 = {**VALID, "kosten.csv": KOSTEN_1_1}


def kosten_1_1(old: str, new: str) -> dict[str, str]:
    """VALID_1_1 with one replacement in its kosten.csv."""
    assert old in KOSTEN_1_1, old
    return {**VALID, "kosten.csv": KOSTEN_1_1.replace(old, new, 1)}


def test_kosten_of_version_1_0_leave_ontvangen_empty_without_warning(warehouse, tmp_path):
    assert "ontvangen" not in VALID["kosten.csv"]
    report = load_folder(warehouse, write_folder(tmp_path / "lev", VALID))
    assert report.warnings == []
    with warehouse.connect() as conn:
        assert conn.execute(select(Kosten.regel, Kosten.ontvangen).order_by(Kosten.regel)).all() == [
            (2, None), (3, None), (5, None)]


def test_kosten_of_version_1_1_store_ontvangen(warehouse, tmp_path):
    report = load_folder(warehouse, write_folder(tmp_path / "lev", VALID_1_1))
    assert report.warnings == []
    assert report.rows["kosten"] == 3
    d = dt.date
    assert rows(warehouse, "kosten") == [(2, "T1", d(2024, 1, 1), 123450, d(2024, 2, 5)),
                                         (3, "T1", d(2024, 1, 1), -1250, None),
                                         (4, "T3", d(2024, 7, 1), 10000, d(2024, 7, 1))]


def test_kosten_of_version_1_1_reload_changes_nothing(warehouse, tmp_path):
    folder = write_folder(tmp_path / "lev", VALID_1_1)
    load_folder(warehouse, folder)
    first = snapshot(warehouse)
    load_folder(warehouse, folder)
    second = snapshot(warehouse)
    for table in IMPORT_TABLES:
        assert second[table] == first[table], table
    assert [r[4] for r in second["kosten"]] == [dt.date(2024, 2, 5), None, dt.date(2024, 7, 1)]


def test_a_1_0_kosten_file_after_a_1_1_one_empties_ontvangen(warehouse, tmp_path):
    load_folder(warehouse, write_folder(tmp_path / "a", VALID_1_1))
    load_folder(warehouse, write_folder(tmp_path / "b", {"kosten.csv": VALID["kosten.csv"]}))
    assert [r[4] for r in rows(warehouse, "kosten")] == [None, None, None]


@pytest.mark.parametrize("old, new, expected", [
    ("2024-02-05", "5-2-2024",
     "kosten.csv:2: ontvangen: '5-2-2024' is geen datum in de vorm JJJJ-MM-DD"),
    ("2024-02-05", "2024-02-30",
     "kosten.csv:2: ontvangen: '2024-02-30' is geen bestaande datum"),
    ("T3;2024-07-01", "T3;2024-06-30",
     "kosten.csv:4: ontvangen: ontvangen 2024-06-30 ligt voor de eerste dag van maand 2024-07 "
     "(2024-07-01)"),
])
def test_bad_ontvangen_is_refused_and_nothing_is_written(loaded, tmp_path, old, new, expected):
    error = failing_load(loaded, write_folder(tmp_path / "lev", kosten_1_1(old, new)))
    assert [str(p) for p in error.problems] == [expected]


def test_ontvangen_is_not_compared_with_a_bad_maand(warehouse, tmp_path):
    error = failing_load(warehouse, write_folder(tmp_path / "lev", kosten_1_1(
        "T3;2024-07-01;2024-07", "T3;2024-07-01;2024-13")))
    assert [str(p) for p in error.problems] == [
        "kosten.csv:4: maand: '2024-13' is geen maand in de vorm JJJJ-MM"]


def test_a_column_that_may_be_absent_must_be_optional():
    from data.warehouse import validation
    from data.warehouse.import_spec import Column, TableSpec

    with pytest.raises(ValueError, match="may be absent"):
        TableSpec("kosten", (Column("maand", lambda _c: validation.month(), may_be_absent=True),))


# --- the folder ---------------------------------------------------------------------------------

@pytest.mark.parametrize("make, message", [
    (lambda p: p / "bestaat-niet", "de map bestaat niet"),
    (lambda p: write_folder(p / "leeg", {}), "geen bestanden om te laden"),
    (lambda p: write_folder(p / "anders", {"notities.txt": "x"}), "geen bestanden om te laden"),
])
def test_unusable_folder(warehouse, tmp_path, make, message):
    error = failing_load(warehouse, make(tmp_path))
    assert len(error.problems) == 1
    assert error.problems[0].column == "map"
    assert message in str(error.problems[0])


def test_a_file_instead_of_a_folder(warehouse, tmp_path):
    path = tmp_path / "wijken.csv"
    path.write_text(VALID["wijken.csv"])
    error = failing_load(warehouse, path)
    assert "geen map" in str(error)


# --- bad input: exact FILE:LINE: column: prefix, nothing written ---------------------------------

BAD_CASES = {
    "date not in calendar": (
        changed("trajecten.csv", "2024-03-01;2024-03-15", "2024-02-30;2024-03-15"),
        "trajecten.csv:3: startdatum: '2024-02-30' is geen bestaande datum"),
    "date format": (
        changed("verblijf.csv", "2024-02-01", "01-02-2024"),
        "verblijf.csv:2: startdatum: '01-02-2024' is geen datum in de vorm JJJJ-MM-DD"),
    "date year out of range": (
        changed("verblijf.csv", "2024-02-01", "0204-02-01"),
        "verblijf.csv:2: startdatum: '0204-02-01': het jaar ligt niet tussen 1990 en 2100"),
    "month": (
        changed("kosten.csv", "T3;2024-07", "T3;2024-13"),
        "kosten.csv:5: maand: '2024-13' is geen maand in de vorm JJJJ-MM"),
    "month as a date": (
        changed("kosten.csv", "T3;2024-07", "T3;2024-07-01"),
        "kosten.csv:5: maand: '2024-07-01' is geen maand"),
    "integer": (
        changed("bevolking.csv", "1500", "veel"),
        "bevolking.csv:2: aantal_0_17: 'veel' is geen geheel getal"),
    "negative count": (
        changed("bevolking.csv", "1500", "-3"),
        "bevolking.csv:2: aantal_0_17: -3 ligt niet tussen 0 en"),
    "jaar": (
        changed("budget.csv", "2024,", "24,"),
        "budget.csv:2: jaar: 24 ligt niet tussen 1990 en 2100"),
    "money with a comma in a comma file": (
        changed("budget.csv", "25000000.00", '"25000000,00"'),
        "budget.csv:2: bedrag: '25000000,00' is geen bedrag"),
    "money with thousands separator": (
        changed("kosten.csv", "1234,50", "1.234,50"),
        "kosten.csv:2: bedrag: '1.234,50' is geen bedrag"),
    "money more than 2 decimals": (
        changed("kosten.csv", "-12.5", "-12.505"),
        "kosten.csv:3: bedrag: bedrag heeft meer dan 2 decimalen: '-12.505'"),
    "negative budget": (
        changed("budget.csv", "25000000.00", "-1"),
        "budget.csv:2: bedrag: bedrag '-1' mag niet negatief zijn"),
    "code": (
        changed("trajecten.csv", "Ambulant", "therapie"),
        "trajecten.csv:2: hulpvorm: onbekende waarde 'therapie'; toegestaan: lokaal_team, poh_jeugd"),
    "numeric code out of list": (
        changed("trajecten.csv", ";2;crisis", ";7;crisis"),
        "trajecten.csv:3: verwijzer: onbekende waarde '7'; toegestaan: gemeente (01), huisarts (02)"),
    "empty required": (
        changed("trajecten.csv", "T2;J2;", "T2; ;"),
        "trajecten.csv:3: jeugdige_id: verplicht veld is leeg"),
    "too long": (
        changed("wijken.csv", "WK040601,Huizen", "WK040601" + "X" * 40 + ",Huizen"),
        "wijken.csv:2: wijk_code: 'WK040601XXXXXXXX"),
    "duplicate key": (
        changed("aanbieders.csv", "A1,Jeugdzorg Gooi\n", "A1,Jeugdzorg Gooi\n A1 ,Nog een\n"),
        "aanbieders.csv:3: aanbieder_code: 'A1' komt al voor op regel 2"),
    "duplicate composite key": (
        changed("bevolking.csv", "2024,WK040602,900", "2024,WK040601,900"),
        "bevolking.csv:3: jaar,wijk_code: 2024, 'WK040601' komt al voor op regel 2"),
    "dangling reference in the load": (
        changed("trajecten.csv", "T2;J2;2010;WK040602", "T2;J2;2010;WK999"),
        "trajecten.csv:3: wijk_code: 'WK999' komt niet voor als wijk_code in wijken.csv"),
    "dangling traject": (
        changed("verblijf.csv", "V2,T3", "V2,T9"),
        "verblijf.csv:3: traject_id: 'T9' komt niet voor als traject_id in trajecten.csv"),
    "gemeente of tevredenheid": (
        changed("tevredenheid.csv", "R2,,GM0406", "R2,,GM9999"),
        "tevredenheid.csv:3: gemeente_code: 'GM9999' komt niet voor als gemeente_code in wijken.csv"),
    "end before start": (
        changed("verblijf.csv", "2024-02-01,2024-03-01", "2024-02-01,2024-01-31"),
        "verblijf.csv:2: einddatum: einddatum 2024-01-31 ligt voor startdatum 2024-02-01"),
    "aanmelding after start": (
        changed("trajecten.csv", "2024-01-02;2024-01-10", "2024-01-12;2024-01-10"),
        "trajecten.csv:2: aanmelddatum: aanmelddatum 2024-01-12 ligt na startdatum 2024-01-10"),
    "reden_einde missing": (
        changed("trajecten.csv", "2024-03-15;onbekend;", "2024-03-15;;"),
        "trajecten.csv:3: reden_einde: verplicht als einddatum is ingevuld"),
    "reden_einde without einde": (
        changed("trajecten.csv", "2024-05-01;;;;ZIN", "2024-05-01;;01;;ZIN"),
        "trajecten.csv:4: reden_einde: 'volgens_plan' is ingevuld maar einddatum is leeg"),
    "doelrealisatie without einde": (
        changed("trajecten.csv", "2024-05-01;;;;ZIN", "2024-05-01;;;niet;ZIN"),
        "trajecten.csv:4: doelrealisatie: 'niet' is ingevuld maar einddatum is leeg"),
    "score": (
        changed("tevredenheid.csv", "Ouder,8", "Ouder,11"),
        "tevredenheid.csv:2: score: 11 ligt niet tussen 1 en 10"),
    "geboortejaar too early": (
        changed("trajecten.csv", "T2;J2;2010", "T2;J2;1985"),
        "trajecten.csv:3: geboortejaar: 1985 ligt niet tussen 1990 en"),
    "geboortejaar in the future": (
        changed("trajecten.csv", "T2;J2;2010", f"T2;J2;{dt.date.today().year + 1}"),
        f"trajecten.csv:3: geboortejaar: {dt.date.today().year + 1} ligt niet tussen 1990 en "
        f"{dt.date.today().year}"),
    "too few fields": (
        changed("aanbieders.csv", "A1,Jeugdzorg Gooi", "A1"),
        "aanbieders.csv:2: rij: 1 veld, maar de kopregel heeft er 2"),
    "too many fields": (
        changed("wijken.csv", "Oostermeent,GM0406,Huizen", "Oostermeent,GM0406,Huizen,extra"),
        "wijken.csv:3: rij: 5 velden, maar de kopregel heeft er 4"),
    "missing column": (
        {**VALID, "aanbieders.csv": "aanbieder_code\nA1\n"},
        "aanbieders.csv:1: aanbieder_naam: verplichte kolom ontbreekt"),
    "missing column whose values may be empty": (  # it must be there, not be called verplicht
        {**VALID, "scholen.csv": "school_code,school_naam,school_soort\nS01,De Vlinder,bao\n"},
        "scholen.csv:1: wijk_code: kolom ontbreekt in de kopregel (de waarden mogen leeg zijn, de kolom niet)"),
    "duplicate column": (
        {**VALID, "aanbieders.csv": "aanbieder_code,aanbieder_naam,Aanbieder_Naam\nA1,x,y\n"},
        "aanbieders.csv:1: aanbieder_naam: kolom staat twee keer in de kopregel"),
    "empty file": (
        {**VALID, "budget.csv": ""},
        "budget.csv:1: kopregel: het bestand is leeg"),
    "not UTF-8": (
        {**VALID, "wijken.csv": VALID["wijken.csv"].replace("Oostermeent", "Oostermeent é")
         .encode("latin-1")},
        "wijken.csv:3: codering: geen geldige UTF-8 (byte 0xe9"),
    "CSV syntax error": (
        {**VALID, "aanbieders.csv": "aanbieder_code,aanbieder_naam\nA1,x\nA2,\"" + "y" * 200_000
         + "\"\nA3,z\n"},
        "aanbieders.csv:3: rij: ongeldige CSV (een veld is langer dan 131.072 tekens); controleer de "
        "aanhalingstekens"),
    "quote left open to the end of the file": (  # the csv module would take the rest as one name
        {**VALID, "aanbieders.csv": "aanbieder_code,aanbieder_naam\nA1,\"Jeugdzorg Gooi\nA2,Nog een\n"},
        "aanbieders.csv:2: rij: ongeldige CSV (het bestand houdt op binnen aanhalingstekens); controleer de "
        "aanhalingstekens"),
    "last line cut off inside quotes": (
        {**VALID, "aanbieders.csv": "aanbieder_code,aanbieder_naam\nA1,Jeugdzorg Gooi\nA2,\"Nog e"},
        "aanbieders.csv:3: rij: ongeldige CSV (het bestand houdt op binnen aanhalingstekens)"),
    "header with a quote left open": (
        {**VALID, "aanbieders.csv": "aanbieder_code,\"aanbieder_naam\nA1,Jeugdzorg Gooi\n"},
        "aanbieders.csv:1: kopregel: de kopregel is geen geldige CSV: het bestand houdt op binnen aanhalingstekens"),
    "line number after a quoted newline": (
        {**VALID, "aanbieders.csv": "aanbieder_code,aanbieder_naam\nA1,\"Jeugdzorg\nGooi\"\n,Leeg\n"},
        "aanbieders.csv:4: aanbieder_code: verplicht veld is leeg"),
}


@pytest.mark.parametrize("case", list(BAD_CASES))
def test_bad_input_is_reported_and_nothing_is_written(loaded, tmp_path, case):
    files, expected = BAD_CASES[case]
    error = failing_load(loaded, write_folder(tmp_path / "lev", files))
    lines = [str(p) for p in error.problems]
    assert any(line.startswith(expected) for line in lines), lines
    assert error.total == len(error.problems)
    assert all(isinstance(p, Problem) for p in error.problems)


COMMA_CAUSE = ("in dit bestand scheidt de komma de kolommen, dus een decimale komma ook; sla het op met een "
               "puntkomma als scheidingsteken (Nederlandse Excel: 'CSV UTF-8'), dan mag de decimale komma "
               "blijven, of schrijf bedragen met een decimale punt")


def test_decimal_commas_in_a_comma_file_are_named_as_the_likely_cause(loaded, tmp_path):
    """kosten.csv with `,` between its columns and Excel's decimal commas: it said only "4 velden,
    maar de kopregel heeft er 3". A row whose amount has no decimals still loads its way; columns
    in another order, a negative amount, thousands dots and the optional column ontvangen too."""
    kosten = ("traject_id,maand,bedrag\n"
              "T1,2024-01,1234,50\n"
              "T1,2024-02,100\n"
              "T3,2024-07,-12,5\n"
              "T3,2024-08,1.234,05\n")
    budget = "bedrag,jaar,gemeente_code\n25000000,00,2024,GM0406\n"
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"kosten.csv": kosten, "budget.csv": budget}))
    assert [str(p) for p in error.problems] == [
        f"kosten.csv:2: rij: 4 velden, maar de kopregel heeft er 3 ({COMMA_CAUSE}: 1234.50 in plaats van 1234,50)",
        "kosten.csv:4: rij: 4 velden, maar de kopregel heeft er 3 (decimale komma; zie regel 2)",
        "kosten.csv:5: rij: 4 velden, maar de kopregel heeft er 3 (decimale komma; zie regel 2)",
        f"budget.csv:2: rij: 4 velden, maar de kopregel heeft er 3 ({COMMA_CAUSE}: 25000000.00 in plaats van 25000000,00)",
    ]
    ontvangen = "traject_id,maand,bedrag,ontvangen\nT1,2024-01,99,95,2024-02-03\n"
    error = failing_load(loaded, write_folder(tmp_path / "v11", {"kosten.csv": ontvangen}))
    assert [str(p) for p in error.problems] == [
        f"kosten.csv:2: rij: 5 velden, maar de kopregel heeft er 4 ({COMMA_CAUSE}: 99.95 in plaats van 99,95)"]


def test_the_decimal_comma_advice_is_given_once_per_file_and_later_rows_point_to_it(loaded, tmp_path):
    """A whole month of declarations from Excel with decimal commas: every row has the cause, and
    the same long advice stood on each of the 50 problems shown. Now the first row of the file has
    it, the others point there; still at most 50 problems and the count of all of them."""
    rows = "".join(f"T1,2024-{month:02d},{100 + i},{i % 100:02d}\n"
                   for i, month in enumerate([m for _ in range(6) for m in range(1, 13)]))   # 72 rows
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"kosten.csv": "traject_id,maand,bedrag\n" + rows}))
    lines = error.lines()   # what the command line prints
    assert len(lines) == 51 and lines[50] == "... en nog 22 problemen"
    assert lines[0] == f"kosten.csv:2: rij: 4 velden, maar de kopregel heeft er 3 ({COMMA_CAUSE}: 100.00 in plaats van 100,00)"
    assert lines[1:50] == [f"kosten.csv:{line}: rij: 4 velden, maar de kopregel heeft er 3 (decimale komma; zie regel 2)"
                           for line in range(3, 52)]


@pytest.mark.parametrize("files, problem", [
    # a stray comma in a name, not in an amount
    ({"wijken.csv": "wijk_code,wijk_naam,gemeente_code,gemeente_naam\nWK1,Noord, Oost,GM1,Huizen\n"},
     "wijken.csv:2: rij: 5 velden, maar de kopregel heeft er 4"),
    # the field after the amount has three digits: no decimals
    ({"kosten.csv": "traject_id,maand,bedrag\nT1,2024-01,1234,500\n"},
     "kosten.csv:2: rij: 4 velden, maar de kopregel heeft er 3"),
    # one decimal comma cannot explain two extra fields
    ({"kosten.csv": "traject_id,maand,bedrag\nT1,2024-01,12,50,x\n"},
     "kosten.csv:2: rij: 5 velden, maar de kopregel heeft er 3"),
    # too few fields
    ({"kosten.csv": "traject_id,maand,bedrag\nT1,2024-01\n"},
     "kosten.csv:2: rij: 2 velden, maar de kopregel heeft er 3"),
    # a `;` file: a decimal comma is allowed there, an extra field has another cause
    ({"kosten.csv": "traject_id;maand;bedrag\nT1;2024-01;12;50\n"},
     "kosten.csv:2: rij: 4 velden, maar de kopregel heeft er 3"),
])
def test_a_field_count_that_decimal_commas_do_not_explain_gets_no_such_hint(loaded, tmp_path, files, problem):
    error = failing_load(loaded, write_folder(tmp_path / "lev", files))
    assert str(error.problems[0]) == problem


@pytest.mark.parametrize("files, problem", [
    # a name with an unquoted comma: the traject is delivered, its kosten and verblijf refer to it
    (changed("trajecten.csv", "T1;J1;2012; WK040601 ;S01;02;Ambulant;A1", "T1;J1;2012; WK040601 ;S01;02;Ambulant;A1;x"),
     "trajecten.csv:2: rij: 15 velden, maar de kopregel heeft er 14"),
    # a parent with a field too few, the trajecten kept in the warehouse refer to its key
    ({"aanbieders.csv": "aanbieder_code,aanbieder_naam\nA1\n"}, "aanbieders.csv:2: rij: 1 veld, maar de kopregel heeft er 2"),
])
def test_a_row_with_another_field_count_is_one_problem_not_one_per_reference(loaded, tmp_path, files, problem):
    """Its key was delivered (the first fields are intact), so the rows that refer to it are no
    problems of their own: an extra field in trajecten.csv gave one more per kosten row."""
    error = failing_load(loaded, write_folder(tmp_path / "lev", files))
    assert [str(p) for p in error.problems] == [problem]


def test_a_line_that_is_no_utf8_is_one_problem_not_one_per_reference(loaded, tmp_path):
    """An accented wijk name in a Windows file: the line is reported once, and its wijk still counts
    as delivered, so the trajecten in that wijk are no problems of their own (one gave 352)."""
    files = {**VALID, "wijken.csv": VALID["wijken.csv"].replace("Huizen-Centrum", "Huizen-Centrum é").encode("latin-1")}
    error = failing_load(loaded, write_folder(tmp_path / "lev", files))
    assert [str(p) for p in error.problems] == [
        "wijken.csv:2: codering: geen geldige UTF-8 (byte 0xe9 op positie 25); sla het bestand op als 'CSV UTF-8'"]


def _random_bytes(size: int, seed: int, without_nul: bool = False) -> bytes:
    import random

    generator = random.Random(seed)
    return bytes(generator.randrange(1 if without_nul else 0, 256) for _ in range(size))


def _xlsx_like() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/worksheets/sheet1.xml", "<sheetData>" + "<row><c>1</c></row>" * 200 + "</sheetData>")
    return buffer.getvalue()


NOT_TEXT = "wijken.csv:1: bestand: dit is geen CSV-tekstbestand (misschien een Excel-bestand?); sla het op als CSV (UTF-8)"


@pytest.mark.parametrize("content, expected", [
    (_random_bytes(4000, seed=1), NOT_TEXT),
    (_random_bytes(4000, seed=2, without_nul=True), NOT_TEXT),
    (_xlsx_like(), NOT_TEXT),
    (VALID["wijken.csv"].encode("utf-16"),
     "wijken.csv:1: bestand: dit is een UTF-16-tekstbestand (in Excel: 'Unicode-tekst'), geen CSV in UTF-8; "
     "sla het op als CSV (UTF-8)"),
], ids=["random bytes", "random bytes without NUL", "xlsx renamed", "UTF-16"])
def test_a_file_that_is_no_text_is_one_dutch_problem(loaded, tmp_path, content, expected):
    """Not the csv module's English error, and not "het bestand is leeg" for a file of 4000 bytes."""
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"wijken.csv": content}))
    assert [str(p) for p in error.problems] == [expected]
    assert error.total == 1


def test_csv_errors_are_said_in_dutch():
    """The csv module's own error texts (English) never reach the user: a header or a record that is
    no valid CSV is worded in Dutch; an old-Mac file (lines ending in a lone CR) with a bad byte is
    read line by line like any other."""
    from data.warehouse.csv_input import CsvFile

    def problems_of(data: bytes) -> list[tuple[int, str, str]]:
        found: list[tuple[int, str, str]] = []
        with CsvFile(data, lambda *problem: found.append(problem)) as csv_file:
            list(csv_file.records())
        return found

    long_header = b'"' + b"x" * 200_000 + b'"\nA1\n'
    assert problems_of(long_header) == [
        (1, "kopregel", "de kopregel is geen geldige CSV: een veld is langer dan 131.072 tekens")]
    mac = "wijk_code;wijk_naam\rWK1;Huizen é\rWK2;Blaricum\r".encode("latin-1")
    assert problems_of(mac) == [
        (2, "codering", "geen geldige UTF-8 (byte 0xe9 op positie 12); sla het bestand op als 'CSV UTF-8'")]
    for problem in problems_of(long_header) + problems_of(_random_bytes(4000, seed=3)):
        assert not any(english in problem[2] for english in ("field", "line", "new-line", "NUL ", "quoted"))


def test_an_unreadable_side_file_is_not_called_empty(tmp_path):
    from data.warehouse.csv_input import side_file_records

    path = tmp_path / "postcodes.csv"
    path.write_bytes(_xlsx_like())
    found: list[tuple[int, str, str]] = []
    assert list(side_file_records(path, ("postcode", "wijk_code"), lambda *p: found.append(p))) == []
    assert found == [(1, "bestand", NOT_TEXT.removeprefix("wijken.csv:1: bestand: "))]


def test_bad_input_on_an_empty_warehouse_writes_nothing(warehouse, tmp_path):
    files, _ = BAD_CASES["dangling traject"]
    failing_load(warehouse, write_folder(tmp_path / "lev", files))
    assert all(not content for content in snapshot(warehouse).values())


def test_dangling_reference_against_the_warehouse(loaded, tmp_path):
    kosten = "traject_id,maand,bedrag\nT1,2024-02,1\nT9,2024-02,1\nT9,2024-03,1\nT8,2024-03,1\n"
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"kosten.csv": kosten}))
    assert [str(p) for p in error.problems] == [
        "kosten.csv:3: traject_id: 'T9' komt niet voor als traject_id in het warehouse "
        "(trajecten.csv zit niet in deze levering); 2 kostenregels gebruiken deze waarde, "
        "de eerste op deze regel",
        "kosten.csv:5: traject_id: 'T8' komt niet voor als traject_id in het warehouse "
        "(trajecten.csv zit niet in deze levering)",
    ]


def test_tevredenheid_gemeente_checked_against_the_warehouse(loaded, tmp_path):
    tevredenheid = "respons_id,traject_id,gemeente_code,jaar,respondent,score\nR1,,GM0001,2024,ouder,7\n"
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"tevredenheid.csv": tevredenheid}))
    assert str(error.problems[0]).startswith(
        "tevredenheid.csv:2: gemeente_code: 'GM0001' komt niet voor als gemeente_code in het warehouse")


def test_replacing_a_parent_must_keep_referenced_keys(loaded, tmp_path):
    wijken = "wijk_code,wijk_naam,gemeente_code,gemeente_naam\nWK040601,Huizen-Centrum,GM0406,Huizen\n"
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"wijken.csv": wijken}))
    assert [str(p) for p in error.problems] == [
        "wijken.csv:1: wijk_code: 1 traject in het warehouse verwijst naar wijk_code 'WK040602', "
        "die in dit bestand ontbreekt",
        "wijken.csv:1: wijk_code: 1 bevolkingsrij in het warehouse verwijst naar wijk_code "
        "'WK040602', die in dit bestand ontbreekt",
    ]


def test_replacing_trajecten_must_keep_referenced_trajecten(loaded, tmp_path):
    trajecten = "\n".join(line for line in VALID["trajecten.csv"].splitlines()
                          if not line.startswith("T1;")) + "\n"
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"trajecten.csv": trajecten}))
    assert [str(p) for p in error.problems] == [
        f"trajecten.csv:1: traject_id: {n} in het warehouse {verb} naar traject_id 'T1', "
        "die in dit bestand ontbreekt"
        for n, verb in (("1 verblijf", "verwijst"), ("2 kostenregels", "verwijzen"),
                        ("1 antwoord", "verwijst"))
    ]


def test_replacing_wijken_must_keep_gemeenten_of_tevredenheid(loaded, tmp_path):
    wijken = VALID["wijken.csv"].replace("GM0406", "GM0407")
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"wijken.csv": wijken}))
    assert [str(p) for p in error.problems] == [
        "wijken.csv:1: gemeente_code: 2 antwoorden in het warehouse verwijzen naar gemeente_code "
        "'GM0406', die in dit bestand ontbreekt"]


# --- a header-only file that others still refer to -----------------------------------------------

EMPTIED = "het bestand bevat geen rijen (alleen de kopregel) en maakt de tabel leeg, maar "
DELIVER_IT = "; lever het bestand met zijn rijen (of laat het weg: dan blijft de tabel zoals hij is)"


def header_only(name: str) -> str:
    return VALID[name].splitlines(keepends=True)[0]


def test_a_header_only_parent_file_says_so_before_the_references_it_causes(warehouse, tmp_path):
    """trajecten.csv with only its header, and a kosten.csv of 1.234 trajecten: it gave 50 lines
    of "'T1' komt niet voor als traject_id in trajecten.csv" and not one that said the file was
    empty. Now the first line says it once, with each referring file's number of trajecten (not
    rows: two kosten rows per traject); the references follow, 50 lines in all, the count right."""
    kosten = "traject_id,maand,bedrag\n" + "".join(f"K{i},2024-0{m},1\n" for i in range(1234) for m in (1, 2))
    kosten += "K0,2024-13,1\n"  # a problem of the file's own line: still after the cause
    files = {**VALID, "trajecten.csv": header_only("trajecten.csv"), "kosten.csv": kosten}
    error = failing_load(warehouse, write_folder(tmp_path / "lev", files))
    lines = error.lines()
    assert lines[0] == (
        "trajecten.csv:1: bestand: " + EMPTIED + "verblijf.csv verwijst naar 2 trajecten, kosten.csv "
        "verwijst naar 1.234 trajecten en tevredenheid.csv verwijst naar 1 traject" + DELIVER_IT)
    assert lines[1].startswith("kosten.csv:2470: maand: '2024-13'")
    assert lines[2] == "verblijf.csv:2: traject_id: 'T1' komt niet voor als traject_id in trajecten.csv"
    assert all(" komt niet voor als traject_id in trajecten.csv" in line for line in lines[2:50])
    assert error.total == 1 + 1 + 2 + 2469 + 1 and len(lines) == 51
    assert lines[50] == f"... en nog {error.total - 50} problemen"


def test_a_header_only_parent_file_names_the_warehouse_tables_that_refer_to_it(loaded, tmp_path):
    """Only trajecten.csv, with only its header: the kept tables' rows refer to it."""
    files = {"trajecten.csv": header_only("trajecten.csv")}
    error = failing_load(loaded, write_folder(tmp_path / "lev", files))
    assert [str(p) for p in error.problems] == [
        "trajecten.csv:1: bestand: " + EMPTIED + "de verblijven in het warehouse verwijzen naar 2 "
        "trajecten, de kostenregels in het warehouse verwijzen naar 2 trajecten en de antwoorden in "
        "het warehouse verwijzen naar 1 traject" + DELIVER_IT,
    ] + [f"trajecten.csv:1: traject_id: {n} in het warehouse {verb} naar traject_id {value}, "
         "die in dit bestand ontbreekt"
         for n, verb, value in (("1 verblijf", "verwijst", "'T1'"), ("1 verblijf", "verwijst", "'T3'"),
                                ("2 kostenregels", "verwijzen", "'T1'"), ("1 kostenregel", "verwijst", "'T3'"),
                                ("1 antwoord", "verwijst", "'T1'"))]


@pytest.mark.parametrize("file, referred", [
    ("wijken.csv", "de scholen in het warehouse verwijzen naar 1 wijk, de trajecten in het warehouse "
                   "verwijzen naar 2 wijken, de antwoorden in het warehouse verwijzen naar 1 gemeente "
                   "en de bevolkingsrijen in het warehouse verwijzen naar 2 wijken"),
    ("scholen.csv", "de trajecten in het warehouse verwijzen naar 2 scholen"),
    ("aanbieders.csv", "de trajecten in het warehouse verwijzen naar 1 aanbieder"),
])
def test_every_referred_table_says_when_its_header_only_file_is_the_cause(loaded, tmp_path, file, referred):
    error = failing_load(loaded, write_folder(tmp_path / "lev", {file: header_only(file)}))
    assert str(error.problems[0]) == f"{file}:1: bestand: " + EMPTIED + referred + DELIVER_IT
    assert not any(EMPTIED in str(p) for p in error.problems[1:])
    assert error.total == len(error.problems) > 1


def test_a_header_only_parent_file_that_nothing_refers_to_empties_its_table(loaded, tmp_path):
    """The contract: a delivered file replaces its table, an empty one too. With its children
    emptied in the same delivery nothing dangles, and no problem is made of it."""
    tevredenheid = header_only("tevredenheid.csv") + "jongere,6,R2,,GM0406,2024\n"
    files = {name: header_only(name) for name in ("trajecten.csv", "verblijf.csv", "kosten.csv")}
    report = load_folder(loaded, write_folder(tmp_path / "lev", {**files, "tevredenheid.csv": tevredenheid}))
    assert report.rows == {"trajecten": 0, "verblijf": 0, "kosten": 0, "tevredenheid": 1}
    assert rows(loaded, "trajecten") == []


def test_a_bad_parent_row_does_not_cascade_into_its_children(warehouse, tmp_path):
    files = changed("trajecten.csv", "T1;J1;2012", "T1;J1;1800")
    error = failing_load(warehouse, write_folder(tmp_path / "lev", files))
    assert [str(p) for p in error.problems] == [
        "trajecten.csv:2: geboortejaar: 1800 ligt niet tussen 1990 en " f"{dt.date.today().year}"]


def test_all_problems_in_file_and_line_order(warehouse, tmp_path):
    files = changed("wijken.csv", "WK040602,Oostermeent,GM0406,Huizen",
                    "WK040602,Oostermeent,GM0406,Huizen\nWK040601,dubbel,GM0406,Huizen")
    files["kosten.csv"] = files["kosten.csv"].replace("2024-01;1234,50", "2024-1;12,345")
    files["scholen.csv"] = files["scholen.csv"].replace("BAO", "basis")
    error = failing_load(warehouse, write_folder(tmp_path / "lev", files))
    assert [(p.file, p.line, p.column) for p in error.problems] == [
        ("wijken.csv", 4, "wijk_code"), ("scholen.csv", 2, "school_soort"),
        ("kosten.csv", 2, "maand"), ("kosten.csv", 2, "bedrag")]


def test_problems_of_the_files_own_lines_come_before_references(loaded, tmp_path):
    """A trajecten.csv with wrong dates that leaves out a traject the warehouse refers to: the
    dates (what to fix in the file itself) come first, then the references, each message as it was."""
    trajecten = "\n".join(line for line in VALID["trajecten.csv"].splitlines() if not line.startswith("T1;"))
    trajecten = trajecten.replace(";2024-03-01;2024-03-15;", ";31-02-2024;2024-03-15;")
    trajecten = trajecten.replace(";2024-05-01;;", ";2024-02-30;;") + "\n"
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"trajecten.csv": trajecten}))
    assert [str(p) for p in error.problems] == [
        "trajecten.csv:2: startdatum: '31-02-2024' is geen datum in de vorm JJJJ-MM-DD",
        "trajecten.csv:3: startdatum: '2024-02-30' is geen bestaande datum",
    ] + [f"trajecten.csv:1: traject_id: {n} in het warehouse {verb} naar traject_id 'T1', "
         "die in dit bestand ontbreekt"
         for n, verb in (("1 verblijf", "verwijst"), ("2 kostenregels", "verwijzen"), ("1 antwoord", "verwijst"))]
    assert error.total == 5


def test_a_files_own_problem_is_among_the_first_50_after_many_references(loaded, tmp_path):
    """60 kosten rows refer to trajecten the warehouse does not have, and the last row has a bad
    month: the bad month is printed first, the references after it, the count stays right."""
    kosten = "traject_id,maand,bedrag\n" + "".join(f"X{i},2024-02,1\n" for i in range(60)) + "T1,2024-13,1\n"
    error = failing_load(loaded, write_folder(tmp_path / "lev", {"kosten.csv": kosten}))
    lines = error.lines()
    assert lines[0].startswith("kosten.csv:62: maand: '2024-13'")
    assert lines[1] == ("kosten.csv:2: traject_id: 'X0' komt niet voor als traject_id in het warehouse "
                        "(trajecten.csv zit niet in deze levering)")
    assert error.total == 61 and lines[50] == "... en nog 11 problemen"


def test_references_within_the_delivery_come_after_every_files_own_problems(warehouse, tmp_path):
    files = changed("kosten.csv", "T3;2024-07;100", "T9;2024-07;100")
    files["bevolking.csv"] = files["bevolking.csv"].replace("2024,WK040602,900,", "2024,WK040602,veel,")
    error = failing_load(warehouse, write_folder(tmp_path / "lev", files))
    assert [(p.file, p.line, p.column) for p in error.problems] == [
        ("bevolking.csv", 3, "aantal_0_17"), ("kosten.csv", 5, "traject_id")]


def test_more_than_50_problems_are_summarised(warehouse, tmp_path):
    kosten = "traject_id,maand,bedrag\n" + "T1,2024-13,1\n" * 60
    files = {**VALID, "kosten.csv": kosten}
    error = failing_load(warehouse, write_folder(tmp_path / "lev", files))
    assert error.total == len(error.problems) == 60
    lines = error.lines()
    assert len(lines) == 51
    assert lines[0].startswith("kosten.csv:2: maand:")
    assert lines[49].startswith("kosten.csv:51: maand:")
    assert lines[50] == "... en nog 10 problemen"
    assert str(error).splitlines() == lines


def test_failing_second_load_keeps_the_first(loaded, tmp_path):
    first = snapshot(loaded)
    files = changed("kosten.csv", "T3;2024-07;100", "T3;2024-07;1,001")
    with pytest.raises(LoadError):
        load_folder(loaded, write_folder(tmp_path / "tweede", files))
    assert snapshot(loaded) == first
    with loaded.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Base.metadata.tables["laadlog"])).scalar() == 1


def test_schema_is_intact_after_loads(warehouse, tmp_path):
    """The SQLite bulk mode drops and rebuilds indexes inside the load: after a good and a failed
    load the schema must still equal the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    load_folder(warehouse, write_folder(tmp_path / "goed", VALID))
    files, _ = BAD_CASES["dangling traject"]
    with pytest.raises(LoadError):
        load_folder(warehouse, write_folder(tmp_path / "fout", files))
    with warehouse.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        if warehouse.dialect.name == "sqlite":
            names = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'")}
            expected = {i.name for t in Base.metadata.tables.values() for i in t.indexes}
            assert names == expected


def test_a_file_that_cannot_be_opened_is_said_in_dutch(tmp_path):
    """The system's reason (strerror, English: "Is a directory") never reaches the user."""
    from data.warehouse.csv_input import side_file_records

    found: list[tuple[int, str, str]] = []
    assert list(side_file_records(tmp_path, ("postcode", "wijk_code"), lambda *p: found.append(p))) == []
    assert found == [(1, "bestand", "het bestand is niet te lezen (het is een map, geen bestand)")]


@pytest.mark.parametrize("toevoegen", [False, True], ids=["vervangen", "toevoegen"])
def test_amounts_whose_sum_is_too_large_to_store_are_a_problem_of_the_file(warehouse, tmp_path, toevoegen):
    """Every amount is within the format's 13 digits, but 10,000 of the largest add up to more than
    64 bits of cents (92 biljard euro): the summary tables' sums overflowed, and the command line
    said `fout: een som is te groot voor de database …` with exit 1 (any other failure) instead of
    the file's problem with exit 2 (cli.md: bad input). Nothing is written."""
    from data.__main__ import main
    from tests.cli_support import run_main

    load_folder(warehouse, write_folder(tmp_path / "geldig", VALID))
    before = snapshot(warehouse)
    huge = write_folder(tmp_path / "groot", {"kosten.csv": "traject_id;maand;bedrag\n"
                                                           + "T1;2024-01;9999999999999,99\n" * 10_000})
    with pytest.raises(LoadError) as caught:
        load_folder(warehouse, huge, toevoegen=toevoegen)
    assert [str(p) for p in caught.value.problems] == [
        "kosten.csv:1: bedrag: de bedragen zijn samen te groot om op te slaan (meer dan 92 biljard euro); "
        "controleer het bestand op bedragen die veel te groot zijn"]
    assert snapshot(warehouse) == before
    if warehouse.dialect.name == "sqlite":
        result = run_main(main, ["load", str(huge), "--db", str(warehouse.url)] + (["--toevoegen"] if toevoegen else []))
        assert (result.returncode, result.stderr.splitlines()[0]) == (2, str(caught.value.problems[0]))
        assert snapshot(warehouse) == before


def test_the_summaries_are_built_with_fresh_statistics_of_the_loaded_tables(warehouse, tmp_path, monkeypatch):
    """PostgreSQL plans the summaries' join of kosten and trajecten from the tables' statistics. The
    loader ANALYZEd the loaded tables only after building the summaries, so the plan used those of
    before the load; at national scale a table read as empty and the join ran row by row for over
    half an hour. When the summaries are built, the planner must know the loaded rows."""
    if warehouse.dialect.name != "postgresql":
        pytest.skip("statistics for the planner: PostgreSQL only")
    from data.warehouse import summaries

    seen = {}
    rebuild = summaries.rebuild

    def noting_statistics(conn, *args, **kwargs):
        for table in ("kosten", "trajecten"):
            seen[table] = conn.scalar(text(f"SELECT reltuples FROM pg_class WHERE oid = to_regclass('{table}')"))
        return rebuild(conn, *args, **kwargs)

    monkeypatch.setattr(summaries, "rebuild", noting_statistics)
    load_folder(warehouse, write_folder(tmp_path / "a", VALID))
    with warehouse.connect() as conn:
        loaded = {table: conn.scalar(text(f"SELECT count(*) FROM {table}")) for table in seen}
    assert seen == loaded
