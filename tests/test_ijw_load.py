"""Loading iJw messages (data/warehouse/ijw/, docs/ijw.md): what the warehouse gets from a
hand-made berichtenverkeer, on both backends; the stream (reload, next month, corrections);
privacy; every bad input a clear FILE:XPATH problem with nothing written."""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, text

from data.warehouse.ijw.loader import load_ijw_folder
from data.warehouse.ijw.pseudonym import pseudonym
from data.warehouse.loader import LoadError, load_folder
from data.warehouse.schema import Kosten, Traject, Verblijf
from tests import ijw_builder as b
from tests import warm_python
from tests.cli_support import run_main
from tests.conftest import empty_all_tables, tables_parents_first


def prepare(engine, tmp_path: Path, files: dict[str, bytes], name: str = "berichten") -> Path:
    """The wijken in the warehouse, the postcode table and the messages on disk."""
    (tmp_path / "csv").mkdir(exist_ok=True)
    (tmp_path / "csv" / "wijken.csv").write_text(b.WIJKEN)
    with engine.connect() as conn:
        empty = conn.execute(text("SELECT COUNT(*) FROM wijken")).scalar() == 0
    if empty:
        load_folder(engine, tmp_path / "csv")
    (tmp_path / "postcodes.csv").write_text(b.POSTCODES)
    return b.write(tmp_path / name, files)


def load(engine, tmp_path: Path, folder: Path):
    return load_ijw_folder(engine, folder, b.KEY, postcodes=tmp_path / "postcodes.csv")


def rows(engine, table, order) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(table).order_by(*order))]


def trajecten(engine) -> list[tuple]:
    return rows(engine, Traject.__table__, [Traject.traject_id])


def kosten(engine) -> list[tuple]:
    return [r[1:] for r in rows(engine, Kosten.__table__, [Kosten.traject_id, Kosten.maand, Kosten.ontvangen])]


def everything(engine) -> dict[str, list[tuple]]:
    """Every table's rows but the load log's and the load runs' (the models' tables: tests/test_schema.py
    proves they are the migrated schema, and reflecting it anew costs half a second on PostgreSQL)."""
    out = {}
    with engine.connect() as conn:
        for table in tables_parents_first():
            if table.name not in ("laadlog", "laadrun"):
                out[table.name] = sorted(map(tuple, conn.execute(select(table))), key=repr)
    return out


ANNA, BRAM = pseudonym(b.KEY, b.PEOPLE["anna"][0]), pseudonym(b.KEY, b.PEOPLE["bram"][0])


def test_the_messages_give_trajecten_verblijf_kosten_and_aanbieders(warehouse, tmp_path):
    report = load(warehouse, tmp_path, prepare(warehouse, tmp_path, b.standard_messages()))
    d = dt.date
    assert trajecten(warehouse) == [
        ("0406-1001", ANNA, 2012, "WK040601", None, "huisarts", "ambulant", "98000001", d(2025, 1, 6),
         d(2025, 1, 20), d(2025, 5, 31), "voortijdig_overeenstemming", None, "zin",
         d(2025, 1, 6), d(2025, 1, 9), d(2025, 1, 20)),  # verzoek (JW315), toewijzing, ingang (JW301)
        ("0406-1002", BRAM, 2009, "WK040602", None, "gemeente", "dagbehandeling", "98000001", d(2025, 3, 3),
         d(2025, 3, 4), None, None, None, "zin",
         None, d(2025, 3, 3), d(2025, 3, 3)),
    ]
    # P3 was rejected, P4 credits 100 euros of January; the JW325s answered every declaration
    assert kosten(warehouse) == [
        ("0406-1001", d(2025, 1, 1), 60000, d(2025, 2, 5)),
        ("0406-1001", d(2025, 1, 1), -10000, d(2025, 4, 2)),
        ("0406-1001", d(2025, 2, 1), 55000, d(2025, 3, 4)),
        ("0406-1002", d(2025, 3, 1), 250000, d(2025, 4, 3)),
    ]
    assert rows(warehouse, Verblijf.__table__, [Verblijf.verblijf_id]) == []
    with warehouse.connect() as conn:
        assert conn.execute(text("SELECT aanbieder_code, aanbieder_naam FROM aanbieders")).all() == [
            ("98000001", "Aanbieder met AGB-code 98000001")]
    assert report.stored.added == {"JW301": 2, "JW305": 2, "JW307": 1, "JW315": 1, "JW323": 4, "JW325": 4}
    assert report.load.rows == {"aanbieders": 1, "trajecten": 2, "verblijf": 0, "kosten": 4}


def test_a_stay_and_a_provider_named_in_the_warehouse(warehouse, tmp_path):
    files = {"1.xml": b.jw301("T1", "2025-02-01", "anna", "77", "2025-02-03", categorie="36"),
             "2.xml": b.jw305("S1", "2025-02-04", "anna", "77", "2025-02-03", categorie="36")}
    folder = prepare(warehouse, tmp_path, files)
    (tmp_path / "csv" / "aanbieders.csv").write_text("aanbieder_code,aanbieder_naam\n98000001,Gezinshuis De Linde\n")
    load_folder(warehouse, tmp_path / "csv")
    load(warehouse, tmp_path, folder)
    assert rows(warehouse, Verblijf.__table__, [Verblijf.verblijf_id]) == [
        ("0406-77", "0406-77", "gezinshuis", dt.date(2025, 2, 3), None)]
    assert trajecten(warehouse)[0][6] == "verblijf"
    with warehouse.connect() as conn:
        assert conn.execute(text("SELECT aanbieder_naam FROM aanbieders")).scalar() == "Gezinshuis De Linde"


def test_reloading_the_same_folder_changes_nothing(warehouse, tmp_path):
    folder = prepare(warehouse, tmp_path, b.standard_messages())
    load(warehouse, tmp_path, folder)
    before = everything(warehouse)
    report = load(warehouse, tmp_path, folder)
    assert report.stored.added == {} and report.stored.known == 14
    assert everything(warehouse) == before


def _in_an_envelope(message: bytes) -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><env:Envelop xmlns:env="urn:voorbeeld:envelop"><env:Inhoud>'
            + message.split(b"?>", 1)[1] + b"</env:Inhoud></env:Envelop>")


#: ways a re-saved archive differs in its bytes but not in its messages
RESAVED = {
    "CRLF line ends": lambda x: x.replace(b"\n", b"\r\n"),
    "a UTF-8 BOM": lambda x: b"\xef\xbb\xbf" + x,
    "no whitespace between elements": lambda x: re.sub(rb">\s+<", b"><", x),
    "every element on a line of its own": lambda x: x.replace(b"><", b">\n      <"),
    "another XML declaration": lambda x: x.replace(b'<?xml version="1.0" encoding="UTF-8"?>',
                                                   b"<?xml version='1.0' encoding='utf-8' standalone='yes'?>"),
    "inside an envelope": _in_an_envelope,
}


@pytest.mark.parametrize("how", list(RESAVED))
def test_a_resaved_archive_is_known_and_changes_nothing(warehouse, tmp_path, how):
    """The messages were compared by the bytes of their files: a re-saved archive (Windows line
    ends, a BOM, other indentation) had every message 'met een andere inhoud', and the load was refused."""
    messages = b.standard_messages()
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, messages))
    before = everything(warehouse)
    resaved = {name: RESAVED[how](content) for name, content in messages.items()}
    assert resaved != messages
    report = load(warehouse, tmp_path, b.write(tmp_path / "opnieuw", resaved))
    assert report.stored.added == {} and report.stored.known == 14
    assert everything(warehouse) == before


def test_a_real_change_in_a_resaved_archive_is_still_a_problem(warehouse, tmp_path):
    messages = b.standard_messages()
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, messages))
    before = everything(warehouse)
    resaved = {name: RESAVED["CRLF line ends"](content) for name, content in messages.items()}
    start = resaved["003_jw305.xml"]
    resaved["003_jw305.xml"] = start.replace(b"<m:Begindatum>2025-01-20<", b"<m:Begindatum>2025-01-21<")
    assert resaved["003_jw305.xml"] != start
    with pytest.raises(LoadError) as refused:
        load(warehouse, tmp_path, b.write(tmp_path / "opnieuw", resaved))
    assert refused.value.lines() == [
        "003_jw305.xml:/Bericht/Header/BerichtIdentificatie: JW305 met Identificatie 'S1' van afzender 98000001 "
        "staat ook in 003_jw305.xml (eerder geladen), met een andere inhoud; een Identificatie is uniek per "
        "berichtsoort en afzender"]
    assert everything(warehouse) == before


def test_a_message_and_its_resaved_copy_in_one_folder_are_loaded_once(warehouse, tmp_path):
    messages = b.standard_messages()
    copy = {"kopie/003_jw305.xml": RESAVED["a UTF-8 BOM"](RESAVED["CRLF line ends"](messages["003_jw305.xml"]))}
    (tmp_path / "berichten" / "kopie").mkdir(parents=True)
    report = load(warehouse, tmp_path, prepare(warehouse, tmp_path, {**messages, **copy}))
    assert sum(report.stored.added.values()) == 14
    assert "kopie/003_jw305.xml: hetzelfde bericht als 003_jw305.xml; één keer geladen" in report.load.warnings


def test_messages_stored_by_their_files_checksum_are_still_known(warehouse, tmp_path):
    """A warehouse loaded before the messages were compared by their content holds the sha256 of
    each file: reloading those very files adds nothing and is no problem."""
    import hashlib

    messages = b.standard_messages()
    folder = prepare(warehouse, tmp_path, messages)
    load(warehouse, tmp_path, folder)
    with warehouse.begin() as conn:
        for name, content in messages.items():
            conn.execute(text("UPDATE ijw_bericht SET sha256 = :sha256 WHERE bestand = :name"),
                         {"sha256": hashlib.sha256(content).hexdigest(), "name": name})
    before = everything(warehouse)
    report = load(warehouse, tmp_path, folder)
    assert report.stored.added == {} and report.stored.known == 14
    assert everything(warehouse) == before


def test_next_months_messages_add_to_what_is_there(warehouse, tmp_path):
    messages = b.standard_messages()
    first = {k: v for k, v in messages.items() if k < "006" or k in ("011_jw301.xml", "012_jw305.xml")}
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, first, "januari"))
    assert [t[10] for t in trajecten(warehouse)] == [None, None]  # nobody stopped yet
    assert len(kosten(warehouse)) == 1
    later = {k: v for k, v in messages.items() if k not in first}
    report = load(warehouse, tmp_path, b.write(tmp_path / "later", later))
    assert report.stored.known == 0 and sum(report.stored.added.values()) == len(later)
    streamed = (trajecten(warehouse), kosten(warehouse))

    empty_all_tables(warehouse)
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, messages, "alles"))
    assert (trajecten(warehouse), kosten(warehouse)) == streamed


def test_the_latest_toewijzing_counts_and_a_deleted_one_is_never_sent(warehouse, tmp_path):
    files = {
        # sent out of order: the later Toewijzingsdatum wins, not the later file
        "1.xml": b.jw301("T2", "2025-04-01", "anna", "5", "2025-01-10", "2025-03-31", reden_wijziging="05"),
        "2.xml": b.jw301("T1", "2025-01-08", "anna", "5", "2025-01-10", "2025-12-31"),
        "3.xml": b.jw305("S1", "2025-01-11", "anna", "5", "2025-01-10"),
        # bram's toewijzing was deleted: Einddatum = Ingangsdatum, RedenWijziging 13
        "4.xml": b.jw301("T3", "2025-02-01", "bram", "6", "2025-02-03", categorie="41"),
        "5.xml": b.jw301("T4", "2025-02-02", "bram", "6", "2025-02-03", "2025-02-03", categorie="41",
                         reden_wijziging="13"),
    }
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, files))
    assert [t[0] for t in trajecten(warehouse)] == ["0406-5"]
    with warehouse.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM ijw_toewijzing")).scalar() == 4  # all kept


def test_a_withdrawn_start_and_a_temporary_stop(warehouse, tmp_path):
    files = {
        "1.xml": b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05"),
        "2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05"),
        "3.xml": b.jw305("S2", "2025-01-20", "anna", "9", "2025-01-05", status="3"),  # sent in error
        "4.xml": b.jw305("S3", "2025-01-21", "anna", "9", "2025-01-15"),
        "5.xml": b.jw307("E1", "2025-03-01", "anna", "9", "2025-01-15", "2025-02-28", reden="20"),  # tijdelijk
    }
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, files))
    t = trajecten(warehouse)[0]
    assert (t[9], t[10], t[11]) == (dt.date(2025, 1, 15), None, None)


def test_a_declaration_rejected_as_a_whole_or_unanswered_is_no_cost(warehouse, tmp_path):
    files = {
        "1.xml": b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05"),
        "2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05"),
        "3.xml": b.jw323("D1", "2025-02-03", "DN1", "2025-01", [("anna", "P1", "9", 1000, "D")]),
        "4.xml": b.jw325("A1", "2025-02-05", "DN1", 0, antwoord_code="9333"),
        "5.xml": b.jw323("D2", "2025-03-03", "DN2", "2025-02", [("anna", "P2", "9", 2000, "D")]),  # no answer yet
        "6.xml": b.jw323("D3", "2025-03-04", "DN3", "2025-02", [("anna", "P3", "9", 3000, "D")]),
        "7.xml": b.jw325("A3", "2025-03-06", "DN3", 3000),
    }
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, files))
    assert kosten(warehouse) == [("0406-9", dt.date(2025, 2, 1), 3000, dt.date(2025, 3, 4))]


def test_a_message_inside_an_envelope_is_read(warehouse, tmp_path):
    message = b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05").split(b"?>", 1)[1]
    wrapped = (b'<?xml version="1.0" encoding="UTF-8"?><env:Envelop xmlns:env="urn:voorbeeld:envelop">'
               b"<env:Stuurgegevens><env:Zender>GGk</env:Zender></env:Stuurgegevens><env:Inhoud>"
               + message + b"</env:Inhoud></env:Envelop>")
    files = {"1.xml": wrapped, "2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05")}
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, files))
    assert [t[0] for t in trajecten(warehouse)] == ["0406-9"]


def test_no_bsn_name_address_or_birth_date_reaches_a_table_a_log_or_a_message(warehouse, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    secrets = []
    for bsn, birth, surname, street, postcode in b.PEOPLE.values():
        secrets += [bsn, birth, surname, street, postcode, postcode[:4] + " " + postcode[4:]]
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, b.standard_messages()))
    stored = repr(everything(warehouse))
    # a failing load with a bad BSN and an unknown postcode: its problems name neither
    bad = {"1.xml": b.jw301("T9", "2025-01-02", "anna", "9", "2025-01-05", postcode="1299ZZ"),
           "2.xml": b.jw305("S9", "2025-01-06", "anna", "9", "2025-01-05").replace(b"999900006", b"999900007")}
    with pytest.raises(LoadError) as failed:
        load(warehouse, tmp_path, b.write(tmp_path / "fout", bad))
    said = "\n".join(failed.value.lines()) + "\n".join(r.getMessage() for r in caplog.records)
    assert "postcode van de cliënt staat niet in postcodes.csv" in said and "geen geldig BSN" in said
    for secret in secrets:
        assert secret not in stored and secret not in said, secret
    assert ANNA in stored  # the pseudonym is what is kept


def test_the_same_bsn_gives_the_same_jeugdige_in_every_load_and_another_key_another(warehouse, tmp_path):
    folder = prepare(warehouse, tmp_path, b.standard_messages())
    load(warehouse, tmp_path, folder)
    assert {t[1] for t in trajecten(warehouse)} == {ANNA, BRAM}
    empty_all_tables(warehouse)
    prepare(warehouse, tmp_path, {}, "leeg")
    load_ijw_folder(warehouse, folder, b"een-andere-sleutel-" + b"y" * 20, postcodes=tmp_path / "postcodes.csv")
    assert not {t[1] for t in trajecten(warehouse)} & {ANNA, BRAM}


# --- bad input: a clear FILE:XPATH problem, nothing written ------------------------------------

def _start(**changes) -> dict[str, bytes]:
    files = {"1.xml": b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05"),
             "2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05")}
    files.update(changes)
    return files


TRUNCATED = b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05")[:700]
BAD_INPUT = {
    "afgebroken bestand": (_start(**{"1.xml": TRUNCATED}),
                           ["1.xml:/: geen geldige XML (regel 12): het bestand houdt halverwege op (afgebroken?)"]),
    "geen XML": (_start(**{"1.xml": b"BSN;naam\n"}), ["1.xml:/: geen geldige XML (regel 1): het bestand bevat geen XML"]),
    # found while writing tests/test_file_fuzz.py: lxml stops at 256 levels, and the file was said to be cut off
    "te diep genest": (_start(**{"1.xml": b'<?xml version="1.0"?>\n' + b"<a>" * 300 + b"</a>" * 300 + b"\n"}),
                       ["1.xml:/: geen geldige XML (regel 2): de elementen zijn te diep genest (meer dan 256 niveaus)"]),
    "andere namespace": (_start(**{"1.xml": b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05").replace(
        b"istandaarden.nl/ijw/3_2/jw301", b"istandaarden.nl/iwmo/3_2/wmo301")}),
        ["1.xml:/: geen iJw-bericht gevonden: er is geen element Bericht in een iJw-namespace "
         "(http://www.istandaarden.nl/ijw/3_2/…/schema)"]),
    "andere release": (_start(**{"1.xml": b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05").replace(
        b"ijw/3_2/jw301", b"ijw/3_1/jw301")}),
        ["1.xml:/Bericht: iJw-release 3.1 wordt niet gelezen; verwacht release 3.2"]),
    "verkeerde berichtcode": (_start(**{"2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05").replace(
        b"<m:BerichtCode>438", b"<m:BerichtCode>436")}),
        ["2.xml:/Bericht/Header/BerichtCode: BerichtCode '436' hoort niet bij JW305 (verwacht 438)"]),
    "onbekende productcategorie": (_start(**{"1.xml": b.jw301("T1", "2025-01-02", "anna", "9", "2025-01-05",
                                                               categorie="99")}),
        ["1.xml:/Bericht/Client/ToegewezenProducten/ToegewezenProduct/Product/Categorie: "
         "geen geldige productcategorie (JZ020) ('99')"]),
    "onbekende reden beëindiging": (_start(**{"3.xml": b.jw307("E1", "2025-03-01", "anna", "9", "2025-01-05",
                                                                "2025-02-28", reden="77")}),
        ["3.xml:/Bericht/Client/StopProducten/StopProduct/RedenBeeindiging: "
         "geen geldige reden beëindiging (JZ588) ('77')"]),
    "onbekende verwijzer": (_start(**{"0.xml": b.jw315("V1", "2025-01-01", "anna", "R1", verwijzer="07")}),
        ["0.xml:/Bericht/Client/AangevraagdeProducten/AangevraagdProduct/Verwijzer/Type: "
         "geen geldige verwijzer (COD327) ('07')"]),
    "status gewijzigd": (_start(**{"2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05", status="2")}),
        ["2.xml:/Bericht/Client/StartProducten/StartProduct/StatusAanlevering: "
         "geen geldige status aanlevering (COD467: 1 of 3) ('2')"]),
    "stop voor de start": (_start(**{"3.xml": b.jw307("E1", "2025-03-01", "anna", "9", "2025-01-05", "2024-12-31")}),
        ["3.xml:/Bericht/Client/StopProducten/StopProduct/Einddatum: de zorg stopt op 2024-12-31, "
         "voor de start op 2025-01-05 (ToewijzingNummer '9')"]),
    "declaratie zonder toewijzing": (_start(**{
        "3.xml": b.jw323("D1", "2025-02-03", "DN1", "2025-01", [("anna", "P1", "12345", 1000, "D")]),
        "4.xml": b.jw325("A1", "2025-02-05", "DN1", 1000)}),
        ["3.xml:/Bericht/Declaratie/Clienten/Client/Prestaties/Prestatie/ToewijzingNummer: toegekende prestatie "
         "voor ToewijzingNummer '12345' van gemeente 0406, maar er is geen toewijzing (JW301) met dat nummer geladen"]),
    "dubbel bericht": (_start(**{"3.xml": b.jw305("S1", "2025-01-07", "anna", "9", "2025-01-05")}),
        ["3.xml:/Bericht/Header/BerichtIdentificatie: JW305 met Identificatie 'S1' van afzender 98000001 staat "
         "ook in 2.xml, met een andere inhoud; een Identificatie is uniek per berichtsoort en afzender"]),
    "element ontbreekt": (_start(**{"2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05").replace(
        b"<m:Begindatum>2025-01-05</m:Begindatum>", b"")}),
        ["2.xml:/Bericht/Client/StartProducten/StartProduct/Begindatum: verplicht element ontbreekt of is leeg"]),
    "onmogelijke datum": (_start(**{"2.xml": b.jw305("S1", "2025-01-06", "anna", "9", "2025-02-30")}),
        ["2.xml:/Bericht/Client/StartProducten/StartProduct/Begindatum: geen geldige datum (JJJJ-MM-DD) "
         "('2025-02-30')"]),
}


@pytest.fixture
def sqlite_warehouse(_sqlite_engine):
    empty_all_tables(_sqlite_engine)
    return _sqlite_engine


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_is_a_problem_at_its_place_and_writes_nothing(sqlite_warehouse, tmp_path, case):
    files, expected = BAD_INPUT[case]
    folder = prepare(sqlite_warehouse, tmp_path, files)
    before = everything(sqlite_warehouse)
    with pytest.raises(LoadError) as failed:
        load(sqlite_warehouse, tmp_path, folder)
    assert failed.value.lines() == expected
    assert everything(sqlite_warehouse) == before


def test_a_folder_without_messages_and_a_missing_postcode_table(sqlite_warehouse, tmp_path):
    folder = prepare(sqlite_warehouse, tmp_path, {"leesmij.txt": b"hallo"})
    with pytest.raises(LoadError) as failed:
        load(sqlite_warehouse, tmp_path, folder)
    assert failed.value.lines() == [f"{folder}:0: map: geen iJw-berichten (.xml) in deze map"]
    folder = prepare(sqlite_warehouse, tmp_path, _start(), "met")
    with pytest.raises(LoadError) as failed:
        load_ijw_folder(sqlite_warehouse, folder, b.KEY, postcodes=None)
    assert failed.value.lines() == [
        "1.xml:/Bericht/Client/Contactgegevens/Contact/Adres/Postcode: geen postcodetabel opgegeven "
        "(--postcodes BESTAND); de wijk komt uit de postcode"]


def test_a_postcode_table_naming_an_unknown_wijk(sqlite_warehouse, tmp_path):
    folder = prepare(sqlite_warehouse, tmp_path, _start())
    (tmp_path / "postcodes.csv").write_text(b.POSTCODES + "1273,WK049999\n12X,WK040601\n")
    with pytest.raises(LoadError) as failed:
        load(sqlite_warehouse, tmp_path, folder)
    assert failed.value.lines() == [
        "postcodes.csv:5: postcode: geen Nederlandse postcode (1234AB of 1234)",
    ]
    (tmp_path / "postcodes.csv").write_text(b.POSTCODES + "1273,WK049999\n")
    with pytest.raises(LoadError) as failed:
        load(sqlite_warehouse, tmp_path, folder)
    assert failed.value.lines() == [
        "postcodes.csv:4: wijk_code: 'WK049999' komt niet voor als wijk_code in het warehouse "
        "(laad eerst wijken.csv met python -m data load)"]


@pytest.mark.parametrize("postcodes, expected", [
    (None, "{path}:0: bestand: de postcodetabel bestaat niet of is geen bestand"),
    ("postcode\n1271AA\n", "postcodes.csv:1: wijk_code: verplichte kolom ontbreekt"),
    ("", "postcodes.csv:1: kopregel: het bestand is leeg; de kopregel met kolomnamen ontbreekt"),
], ids=["missing", "column missing", "empty"])
def test_an_unusable_postcode_table_is_one_problem_not_one_per_message(sqlite_warehouse, tmp_path, postcodes, expected):
    """Not followed by "de postcode van de cliënt staat niet in postcodes.csv" for every message."""
    folder = prepare(sqlite_warehouse, tmp_path, _start(**{"3.xml": b.jw301("T2", "2025-01-02", "bram", "9", "2025-01-05")}))
    path = tmp_path / "postcodes.csv"
    if postcodes is None:
        path.unlink()
    else:
        path.write_text(postcodes)
    with pytest.raises(LoadError) as failed:
        load(sqlite_warehouse, tmp_path, folder)
    assert failed.value.lines() == [expected.format(path=path)]


# --- the command line ------------------------------------------------------------------------

def test_load_ijw_command(tmp_path):
    from data.__main__ import main
    from data.db import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    folder = prepare(engine, tmp_path, b.standard_messages())
    engine.dispose()
    argv = ["load-ijw", str(folder), "--postcodes", str(tmp_path / "postcodes.csv"), "--db", url]
    no_key = run_main(main, argv)
    assert no_key.returncode == 2
    assert no_key.stderr.startswith("fout: PSEUDONIEM_SLEUTEL is niet ingesteld")
    os.environ["PSEUDONIEM_SLEUTEL"] = "z" * 40
    try:
        done = run_main(main, argv)
        again = run_main(main, argv)
        broken = run_main(main, ["load-ijw", str(b.write(tmp_path / "kapot", {"1.xml": TRUNCATED})),
                                 "--postcodes", str(tmp_path / "postcodes.csv"), "--db", url])
    finally:
        del os.environ["PSEUDONIEM_SLEUTEL"]
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("14 berichtbestanden gelezen; nieuw: JW301 2, JW305 2, JW307 1, JW315 1, "
                                  "JW323 4, JW325 4; al geladen: 0.\n")
    assert "  trajecten              2 rijen\n" in done.stdout
    assert "nieuw: geen; al geladen: 14." in again.stdout
    assert broken.returncode == 2
    assert broken.stderr.splitlines() == [
        "1.xml:/: geen geldige XML (regel 12): het bestand houdt halverwege op (afgebroken?)"]
    assert broken.stdout == "Niets geladen: 1 probleem.\n"


def test_load_ijw_in_a_process_of_its_own(tmp_path):
    env = {**os.environ, "PSEUDONIEM_SLEUTEL": "kort"}
    done = warm_python.run([sys.executable, "-m", "data", "load-ijw", str(tmp_path), "--db",
                           f"sqlite:///{tmp_path / 'w.db'}"], capture_output=True, text=True, env=env,
                           cwd=Path(__file__).parent.parent)
    assert done.returncode == 2
    assert done.stderr == "fout: PSEUDONIEM_SLEUTEL is te kort: gebruik minstens 32 tekens\n"


def test_the_doorlooptijden_from_the_messages(warehouse, tmp_path):
    from kpi.computation import compute
    from kpi.request import KpiRequest

    files = {**b.standard_messages(),
             # a third: requested on Friday 7 March, decided Monday 17 March (6 werkdagen), started 24 March
             "020.xml": b.jw315("V3", "2025-03-07", "bram", "REF-B"),
             "021.xml": b.jw301("T3", "2025-03-17", "bram", "1003", "2025-03-17", referentie="REF-B"),
             "022.xml": b.jw305("S3", "2025-03-25", "bram", "1003", "2025-03-24")}
    load(warehouse, tmp_path, prepare(warehouse, tmp_path, files))

    def value(kpi_id, **kwargs):
        rows = compute(warehouse, KpiRequest.for_year(kpi_id, 2025, suppress=False, **kwargs)).to_dict()["rows"]
        return [(r["key"], r["value"], r["n"]) for r in rows]

    # anna: Monday 6 → Thursday 9 January, 3 days and 3 werkdagen; bram: 10 days, 6 werkdagen
    assert value("gem_doorlooptijd_verzoek") == [(None, 6.5, 2)]
    assert value("pct_toewijzing_binnen_norm") == [(None, 50.0, 2)]
    # ingang → start: anna 0 days, bram's first 1 day, his second 7 days
    assert value("gem_doorlooptijd_start", by="hulpvorm") == [("ambulant", 3.5, 2), ("dagbehandeling", 1.0, 1)]


# --- the official XSDs, when the gemeente has them (load-ijw --xsd) ---------------------------

XSD = Path(__file__).parent / "ijw_xsd"  # stand-ins written for the tests, not the official set


def test_valid_messages_pass_the_xsd(sqlite_warehouse, tmp_path):
    folder = prepare(sqlite_warehouse, tmp_path, _start())
    load_ijw_folder(sqlite_warehouse, folder, b.KEY, postcodes=tmp_path / "postcodes.csv", xsd=XSD)
    assert [t[0] for t in trajecten(sqlite_warehouse)] == ["0406-9"]


def test_an_xsd_error_is_a_dutch_problem_without_the_value(sqlite_warehouse, tmp_path):
    start = b.jw305("S1", "2025-01-06", "anna", "9", "2025-01-05")
    files = _start(**{"2.xml": start.replace(b"<m:Geslacht>2</m:Geslacht>", b"<m:Geslacht>7</m:Geslacht>"),
                      "3.xml": b.jw305("S2", "2025-01-07", "anna", "9", "2025-01-05").replace(
                          b"999900006", b"9999000061234")})
    folder = prepare(sqlite_warehouse, tmp_path, files)
    before = everything(sqlite_warehouse)
    with pytest.raises(LoadError) as failed:
        load_ijw_folder(sqlite_warehouse, folder, b.KEY, postcodes=tmp_path / "postcodes.csv", xsd=XSD)
    assert failed.value.lines() == [
        "2.xml:/Bericht/Client/Geslacht: voldoet niet aan jw305.xsd: de waarde staat niet in de lijst van "
        "toegestane codes",
        "3.xml:/Bericht/Client/Bsn: voldoet niet aan jw305.xsd: de waarde heeft niet de voorgeschreven vorm"]
    assert everything(sqlite_warehouse) == before


def test_an_unusable_xsd_folder(sqlite_warehouse, tmp_path):
    folder = prepare(sqlite_warehouse, tmp_path, _start())
    (tmp_path / "xsd").mkdir()
    (tmp_path / "xsd" / "jw305.xsd").write_bytes((XSD / "jw305.xsd").read_bytes())  # without its basisschema
    for xsd, expected in ((tmp_path / "leeg", f"{tmp_path / 'leeg'}:0: xsd: {tmp_path / 'leeg'}: de map met "
                                               "XSD's bestaat niet of is geen map"),
                          (tmp_path / "xsd", f"{tmp_path / 'xsd'}:0: xsd: jw305.xsd: de XSD is niet te gebruiken")):
        with pytest.raises(LoadError) as failed:
            load_ijw_folder(sqlite_warehouse, folder, b.KEY, postcodes=tmp_path / "postcodes.csv", xsd=xsd)
        assert failed.value.lines()[0].startswith(expected)


# --- the gemeente's product codes (load-ijw --producten) ---------------------------------------

def _stay(nummer: str, code: str) -> dict[str, bytes]:
    def product(message: bytes) -> bytes:  # category 43 with the region's own product code
        return message.replace(b"<ijw:Code>43A01</ijw:Code>", f"<ijw:Code>{code}</ijw:Code>".encode())
    return {f"{nummer}a.xml": product(b.jw301(f"T{nummer}", "2025-02-01", "anna", nummer, "2025-02-03", categorie="43")),
            f"{nummer}b.xml": product(b.jw305(f"S{nummer}", "2025-02-04", "anna", nummer, "2025-02-03", categorie="43"))}


def test_the_region_s_product_codes_say_which_stay(warehouse, tmp_path):
    folder = prepare(warehouse, tmp_path, {**_stay("71", "43G01"), **_stay("72", "43X99")})
    (tmp_path / "producten.csv").write_text("productcategorie;productcode;hulpvorm;verblijfsvorm\n"
                                            "43;43G01;verblijf;gezinshuis\n")
    load_ijw_folder(warehouse, folder, b.KEY, postcodes=tmp_path / "postcodes.csv", producten=tmp_path / "producten.csv")
    stays = [(r[0], r[2]) for r in rows(warehouse, Verblijf.__table__, [Verblijf.verblijf_id])]
    assert stays == [("0406-71", "gezinshuis"), ("0406-72", "overig")]  # an unlisted code: its category's
    load(warehouse, tmp_path, folder)  # a load without the file keeps the stored table
    assert [(r[0], r[2]) for r in rows(warehouse, Verblijf.__table__, [Verblijf.verblijf_id])] == stays


def test_a_bad_product_table(sqlite_warehouse, tmp_path):
    folder = prepare(sqlite_warehouse, tmp_path, _start())
    (tmp_path / "producten.csv").write_text(
        "productcategorie,productcode,hulpvorm,verblijfsvorm\n"
        "99,99A01,,\n"                      # no such category
        "43,43G01,verblijf,kasteel\n"       # no such verblijfsvorm
        "45,45A02,,pleegzorg\n"             # a stay for an ambulant product
        "43,43P01,verblijf,pleegzorg\n43,43P01,verblijf,gezinshuis\n")
    with pytest.raises(LoadError) as failed:
        load_ijw_folder(sqlite_warehouse, folder, b.KEY, postcodes=tmp_path / "postcodes.csv",
                        producten=tmp_path / "producten.csv")
    assert failed.value.lines() == [
        "producten.csv:2: productcategorie: '99' is geen productcategorie (JZ020)",
        "producten.csv:3: verblijfsvorm: 'kasteel' is geen geldige code; kies uit pleegzorg (11), gezinshuis (12), "
        "jeugdzorgplus (13), residentieel (14), overig",
        "producten.csv:4: verblijfsvorm: alleen bij een product met hulpvorm verblijf",
        "producten.csv:6: productcode: 43 43P01 komt al voor op regel 5"]


def test_declared_amounts_whose_sums_overflow_are_a_problem_of_the_delivery(sqlite_warehouse, tmp_path):
    """The CSV load says so since the file fuzzing found it; the iJw load ended in the database's
    error (exit 1). Reaching 64 bits of cents takes some ten million maximal amounts, so the KPI
    layer's totals step (the load's `derive_totals`) sums the declared amounts here beside the
    largest 64-bit number: SQLite's own "integer overflow", in the load's transaction."""
    folder = prepare(sqlite_warehouse, tmp_path, b.standard_messages())
    before = everything(sqlite_warehouse)

    def totals_beyond_64_bits(conn):
        conn.execute(text("SELECT SUM(bedrag_cent) FROM (SELECT bedrag_cent FROM kosten "
                          "UNION ALL SELECT 9223372036854775807)")).scalar()

    with pytest.raises(LoadError) as failed:
        load_ijw_folder(sqlite_warehouse, folder, b.KEY, postcodes=tmp_path / "postcodes.csv",
                        derive_totals=totals_beyond_64_bits)
    assert failed.value.lines() == [
        f"{folder}:0: bedrag: de bedragen zijn samen te groot om op te slaan (meer dan 92 biljard euro); "
        "controleer het bestand op bedragen die veel te groot zijn"]
    assert everything(sqlite_warehouse) == before
