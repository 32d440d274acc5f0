"""Back-up and restore of the programme tables, on both backends."""
import datetime as dt
import json
import sys
import warnings
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update

from data import schema as s
from data.programme.backup import PROGRAMME_TABLES, BackupError, backup_programme, restore_programme
from data.programme.plan import load_programme
from tests import warm_python

ROOT = Path(__file__).resolve().parent.parent


def snapshot(engine):
    with engine.connect() as conn:
        return {name: [dict(r) for r in conn.execute(
                    select(s.Base.metadata.tables[name]).order_by(*s.Base.metadata.tables[name].primary_key.columns)).mappings()]
                for name in PROGRAMME_TABLES}


def test_backup_restore_roundtrip_keeps_edits_and_audit(warehouse, tmp_path):
    load_programme(warehouse)
    with warehouse.begin() as conn:  # a trekker's edit, with its audit record
        conn.execute(update(s.Streefwaarde).where(s.Streefwaarde.id == 1).values(waarde=123.5, version=2))
        conn.execute(insert(s.Wijziging).values(tabel="streefwaarde", sleutel="1", veld="waarde", oude_waarde="1",
                                                nieuwe_waarde="123.5", door="trekker", op=dt.datetime(2026, 3, 1, 9, 30),
                                                reden="bijgesteld"))
    before = snapshot(warehouse)
    counts = backup_programme(warehouse, tmp_path / "b.json")
    assert counts["maatregel"] >= 40
    with warehouse.begin() as conn:  # lose everything a user entered
        conn.execute(update(s.Streefwaarde).values(waarde=0))
        conn.execute(s.Wijziging.__table__.delete())
    restore_programme(warehouse, tmp_path / "b.json")
    assert snapshot(warehouse) == before
    with warehouse.begin() as conn:  # ids continue after a restore (PostgreSQL sequences)
        conn.execute(insert(s.Wijziging).values(tabel="x", sleutel="y", veld="z", door="d", op=dt.datetime(2026, 3, 2)))


@pytest.mark.parametrize("damage", [
    lambda d: d.update(formaat="iets anders"),
    lambda d: d["tabellen"].pop("wijziging"),
    lambda d: d["tabellen"]["streefwaarde"][0].update(bestaat_niet=1),
    lambda d: d["tabellen"]["wijziging"][0].update(op="gisteren"),
    lambda d: d["tabellen"]["maatregel"][0].update(lijn_id=999),
])
def test_a_bad_backup_changes_nothing(warehouse, tmp_path, damage):
    load_programme(warehouse)
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijziging).values(tabel="t", sleutel="k", veld="v", door="d", op=dt.datetime(2026, 1, 1)))
    backup_programme(warehouse, tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text())
    damage(document)
    (tmp_path / "bad.json").write_text(json.dumps(document))
    before = snapshot(warehouse)
    with pytest.raises(BackupError):
        restore_programme(warehouse, tmp_path / "bad.json")
    assert snapshot(warehouse) == before


def test_cli_backup_and_restore(tmp_path):
    db = f"sqlite:///{tmp_path / 'w.db'}"

    def run(*args):
        proc = warm_python.run([sys.executable, "-m", "data", *args, "--db", db], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
        assert "Traceback" not in proc.stdout + proc.stderr
        return proc

    from data.db import make_engine, migrate

    engine = make_engine(db)
    migrate(engine)
    load_programme(engine)
    engine.dispose()
    assert run("backup", str(tmp_path / "b.json")).returncode == 0
    assert run("restore", str(tmp_path / "b.json")).returncode == 0
    (tmp_path / "kapot.json").write_text("{niet json")
    proc = run("restore", str(tmp_path / "kapot.json"))
    assert proc.returncode == 2 and proc.stderr.startswith("fout:")


@pytest.mark.parametrize(("target", "expected"), [
    ("geen-map/b.json", "{tmp}/geen-map/b.json kan niet worden geschreven: de map {tmp}/geen-map bestaat niet"),
    (".", "{tmp}/. kan niet worden geschreven (het is een map, geen bestand)"),
])
def test_a_backup_that_cannot_be_written_is_said_in_dutch(tmp_path, capsys, target, expected):
    """It said "fout: FileNotFoundError: [Errno 2] No such file or directory: '…/.b.json.123.tmp'",
    and for a folder an IsADirectoryError about a file beside it."""
    from data.__main__ import main
    from data.db import make_engine, migrate

    db = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(db)
    migrate(engine)
    engine.dispose()
    assert main(["backup", f"{tmp_path}/{target}", "--db", db]) == 1
    assert capsys.readouterr().err == f"fout: {expected.format(tmp=tmp_path)}\n"
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("w.db")] == []  # no half file left


def test_accounts_progress_and_notes_are_backed_up_and_a_v1_file_still_restores(warehouse, tmp_path):
    from data.accounts.users import add_user, assign, load_user
    from data.programme import edits
    from data.programme.backup import V1_TABLES

    load_programme(warehouse)
    add_user(warehouse, "anna", "Anna", "trekker", "geheim-wachtwoord-1")
    assign(warehouse, "anna", ["L3.6"])
    anna = next(u for u in [load_user(warehouse, 1)] if u)
    edits.set_voortgang(warehouse, anna, "L3.6", "2026-Q3", "vertraagd", "aanbesteding", None)
    edits.add_annotatie(warehouse, anna, "K11", "2026-02-01", "nieuw contract")
    before = snapshot(warehouse)
    backup_programme(warehouse, tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert document["versie"] == 4 and len(document["tabellen"]["gebruiker"]) == 1
    assert document["tabellen"]["programma"][0]["naam"] == "Programmaplan Jeugd 2025–2028"
    with warehouse.begin() as conn:
        conn.execute(s.Annotatie.__table__.delete())
        conn.execute(s.MaatregelVoortgang.__table__.delete())
    restore_programme(warehouse, tmp_path / "b.json")
    assert snapshot(warehouse) == before

    document["versie"] = 1  # a file made before accounts existed
    document["tabellen"] = {name: document["tabellen"][name] for name in V1_TABLES}
    (tmp_path / "v1.json").write_text(json.dumps(document), encoding="utf-8")
    restore_programme(warehouse, tmp_path / "v1.json")
    after = snapshot(warehouse)
    assert after["gebruiker"] == [] and after["maatregel_voortgang"] == []
    assert after["streefwaarde"] == before["streefwaarde"]


def test_cli_backup_is_readable_by_the_owner_only_and_says_so(tmp_path):
    """The back-up holds the accounts' password hashes: mode 0600, also when the file was there
    before with wider rights, and the command says so."""
    import os
    import stat

    from data.accounts.users import add_user
    from data.db import make_engine, migrate

    db = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(db)
    migrate(engine)
    load_programme(engine)
    add_user(engine, "anna", "Anna", "trekker", "geheim-wachtwoord-1")
    engine.dispose()
    target = tmp_path / "b.json"
    target.write_text("oud")
    target.chmod(0o644)
    old_umask = os.umask(0)  # the widest umask: the mode must not depend on it
    try:
        proc = warm_python.run([sys.executable, "-m", "data", "backup", str(target), "--db", db], cwd=ROOT,
                               capture_output=True, text=True, timeout=120)
    finally:
        os.umask(old_umask)
    assert proc.returncode == 0, proc.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "scrypt:" in target.read_text(encoding="utf-8")  # what makes it private
    assert ("Het bestand is alleen leesbaar voor de eigenaar (rechten 600): het bevat de "
            "wachtwoord-hashes van de accounts.") in proc.stdout
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_backup_function_writes_mode_0600_over_a_wider_file(warehouse, tmp_path):
    import stat

    load_programme(warehouse)
    target = tmp_path / "b.json"
    target.write_text("oud")
    target.chmod(0o666)
    backup_programme(warehouse, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text(encoding="utf-8"))["formaat"] == "jeugdmonitor-programma-backup"


def _backup_bytes(warehouse, tmp_path) -> bytes:
    load_programme(warehouse)
    backup_programme(warehouse, tmp_path / "b.json")
    return (tmp_path / "b.json").read_bytes()


def _no_row_object(data: bytes) -> bytes:
    document = json.loads(data)
    document["tabellen"]["indicator"].append(5)
    return json.dumps(document).encode()


@pytest.mark.parametrize("damage, expected", [
    (lambda b: b.replace(b"Jeugd", "Jeugé".encode("latin-1")), "geen leesbare back-up (geen UTF-8-tekst)"),
    (lambda b: b"", "geen geldige JSON op regel 1, kolom 1; afgebroken of met de hand gewijzigd?"),
    (lambda b: b[:len(b) // 2], "geen leesbare back-up (geen geldige JSON op regel "),
    (lambda b: b"[" * 100_000 + b"]" * 100_000, "geen leesbare back-up (de JSON is te diep genest)"),
    (_no_row_object, "indicator rij 47: een rij moet een object met kolommen zijn"),
], ids=["latin-1", "empty", "cut off", "nested too deep", "row no object"])
def test_a_backup_that_cannot_be_read_is_said_in_dutch_and_changes_nothing(warehouse, tmp_path, damage, expected):
    """Not the decoder's English ("Expecting value", "'utf-8' codec can't decode") nor a TypeError."""
    (tmp_path / "bad.json").write_bytes(damage(_backup_bytes(warehouse, tmp_path)))
    before = snapshot(warehouse)
    with pytest.raises(BackupError) as caught:
        restore_programme(warehouse, tmp_path / "bad.json")
    assert expected in str(caught.value)
    assert not any(english in str(caught.value) for english in ("Expecting", "codec", "Error", "line "))
    assert snapshot(warehouse) == before


def test_a_folder_given_as_backup_is_said_in_dutch(warehouse, tmp_path):
    with pytest.raises(BackupError, match=r"het bestand is niet te lezen \(het is een map, geen bestand\)"):
        restore_programme(warehouse, tmp_path)


def test_a_backup_with_a_byte_order_mark_restores(warehouse, tmp_path):
    data = _backup_bytes(warehouse, tmp_path)
    before = snapshot(warehouse)
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + data)
    restore_programme(warehouse, tmp_path / "bom.json")
    assert snapshot(warehouse) == before


def test_a_database_fault_during_a_restore_is_not_blamed_on_the_file(backend_url, tmp_path):
    """A sound back-up and a broken database: the database's error, not "de back-up is niet consistent"
    (which would send the user to look for a fault in a good file). A database of its own: the
    shared warehouse of the other tests must keep its tables."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from data.db import make_engine, migrate

    broken = make_engine(backend_url)
    try:
        migrate(broken)
        _backup_bytes(broken, tmp_path)
        with broken.begin() as conn:
            conn.exec_driver_sql("DROP TABLE presentatie_dia")
        with pytest.raises((OperationalError, ProgrammingError)):
            restore_programme(broken, tmp_path / "b.json")
    finally:
        broken.dispose()


def _cell(table: str, column: str, raw_json: str):
    """Damage: the first row of `table` gets `raw_json` (JSON text, spliced in as it is) in `column`."""
    def damage(data: bytes) -> bytes:
        document = json.loads(data)
        document["tabellen"][table][0][column] = "@@WAARDE@@"
        return json.dumps(document).replace('"@@WAARDE@@"', raw_json).encode()
    return damage


@pytest.mark.parametrize("damage, column", [
    (_cell("doelstelling", "code", "[[1]]"), "code"),
    (_cell("streefwaarde", "jaar", '{"a": 1}'), "jaar"),
    (_cell("streefwaarde", "jaar", str(2 ** 64)), "jaar"),
    (_cell("streefwaarde", "jaar", '"tweeduizend"'), "jaar"),
    (_cell("streefwaarde", "jaar", "true"), "jaar"),
    (_cell("streefwaarde", "waarde", "1e400"), "waarde"),
    (_cell("streefwaarde", "waarde", "NaN"), "waarde"),
    (_cell("streefwaarde", "waarde", '"12,5"'), "waarde"),
    (_cell("maatregel", "regionaal", '"nee"'), "regionaal"),
    (_cell("maatregel", "naam", '"\\ud800"'), "naam"),
    (_cell("maatregel", "status", '"' + "x" * 500 + '"'), "status"),
    (_cell("doelstelling", "omschrijving", "12"), "omschrijving"),
], ids=["list as text", "object as number", "beyond 64 bits", "text as number", "true as number", "infinite",
        "not a number", "decimal comma", "text as yes/no", "lone surrogate", "longer than the column", "number as text"])
def test_a_value_of_the_wrong_kind_is_refused_in_dutch_and_changes_nothing(warehouse, tmp_path, damage, column):
    """Found by tests/test_file_fuzz.py: on SQLite a list in a text column ended the restore with
    'fout: ProgrammingError: … type 'list' is not supported' (exit 1), a number beyond 64 bits with an
    OverflowError, a lone surrogate with a UnicodeEncodeError; and text in a number column, "nee" as
    yes/no (bool("nee") is True), an infinite number or a too long text were restored without a word
    (SQLite stores anything), to break the dashboard later. PostgreSQL refused some of them."""
    (tmp_path / "bad.json").write_bytes(damage(_backup_bytes(warehouse, tmp_path)))
    before = snapshot(warehouse)
    with pytest.raises(BackupError) as caught:
        restore_programme(warehouse, tmp_path / "bad.json")
    assert f"rij 1: kolom {column}: " in str(caught.value)
    assert "Error" not in str(caught.value)
    assert snapshot(warehouse) == before


def test_a_number_too_long_for_python_to_read_is_said_in_dutch(warehouse, tmp_path):
    """json.loads refuses an integer of more than 4300 digits with a ValueError of its own (not a
    JSONDecodeError): it reached the command line as 'fout: ValueError: Exceeds the limit …'."""
    (tmp_path / "bad.json").write_bytes(_cell("streefwaarde", "jaar", "9" * 5000)(_backup_bytes(warehouse, tmp_path)))
    before = snapshot(warehouse)
    with pytest.raises(BackupError, match="geen leesbare back-up .*te lang getal"):
        restore_programme(warehouse, tmp_path / "bad.json")
    assert snapshot(warehouse) == before


@pytest.mark.parametrize("table, column", [("indicator_doelstelling", "doelstelling_id"), ("streefwaarde", "waarde")])
def test_a_row_without_a_required_column_is_said_in_dutch(warehouse, tmp_path, table, column):
    """Found by tests/test_file_fuzz.py: a row of indicator_doelstelling without doelstelling_id made
    SQLAlchemy print its English SAWarning ("Column … is marked as a member of the primary key …")
    on the command line's stderr before the Dutch refusal; now the column is named in Dutch."""
    def damage(data: bytes) -> bytes:
        document = json.loads(data)
        del document["tabellen"][table][0][column]
        return json.dumps(document).encode()

    (tmp_path / "bad.json").write_bytes(damage(_backup_bytes(warehouse, tmp_path)))
    before = snapshot(warehouse)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning reaches the user
        with pytest.raises(BackupError, match=f"{table} rij 1: kolom\\(men\\) {column} ontbreken"):
            restore_programme(warehouse, tmp_path / "bad.json")
    assert snapshot(warehouse) == before


def test_a_moment_with_a_time_zone_offset_is_restored_as_that_moment_in_local_time(warehouse, tmp_path):
    """A back-up edited by hand or made elsewhere may give "…+02:00": SQLite kept 12:00 and dropped
    the offset, two hours off; both backends now keep the same moment in the server's local time."""
    load_programme(warehouse)
    with warehouse.begin() as conn:
        conn.execute(insert(s.Wijziging).values(tabel="t", sleutel="k", veld="v", door="d", op=dt.datetime(2026, 1, 1)))
    backup_programme(warehouse, tmp_path / "b.json")
    document = json.loads((tmp_path / "b.json").read_text())
    given = "2026-03-01T12:00:00+02:00"
    document["tabellen"]["wijziging"][0]["op"] = given
    (tmp_path / "offset.json").write_text(json.dumps(document))
    restore_programme(warehouse, tmp_path / "offset.json")
    with warehouse.connect() as conn:
        stored = conn.scalar(select(s.Wijziging.op))
    assert stored == dt.datetime.fromisoformat(given).astimezone().replace(tzinfo=None)


def _with_a_stand(warehouse, tmp_path) -> dict:
    """The programme with one stand, backed up; the back-up's document."""
    from data.programme.stand_store import insert_stand
    from tests.test_standen import PM

    load_programme(warehouse)
    insert_stand(warehouse, PM, dt.date(2025, 11, 12), "Commissie", 2025,
                 {"versie": 3, "drempel": 10, "resultaten": {"a": {"rijen": [[None, "Totaal", 12.5, 40]]}}})
    backup_programme(warehouse, tmp_path / "b.json")
    return json.loads((tmp_path / "b.json").read_text())


@pytest.mark.parametrize(("damage", "says"), [
    (lambda stand: stand["inhoud"].update(drempel=1), "de inhoud klopt niet met het controlegetal van de stand"),
    (lambda stand: stand.update(inhoud={}), "de inhoud klopt niet met het controlegetal van de stand"),
    (lambda stand: stand.update(controlegetal=None), "de inhoud klopt niet met het controlegetal van de stand"),
    (lambda stand: stand.update(inhoud="kapot"), "de inhoud van een stand moet een object zijn"),
])
def test_a_stand_changed_in_the_backup_is_refused_and_changes_nothing(warehouse, tmp_path, damage, says):
    """A restore took any JSON as a stand's content: the pages then showed other figures as
    vastgesteld, or said the stand was damaged."""
    document = _with_a_stand(warehouse, tmp_path)
    damage(document["tabellen"]["stand"][0])
    (tmp_path / "bad.json").write_text(json.dumps(document))
    before = snapshot(warehouse)
    with pytest.raises(BackupError) as refused:
        restore_programme(warehouse, tmp_path / "bad.json")
    assert str(refused.value) == f"{tmp_path / 'bad.json'}: stand rij 1: " + (
        "kolom inhoud: " + says if "object" in says else says + " (beschadigd of met de hand gewijzigd); niets hersteld")
    assert snapshot(warehouse) == before


def test_a_stand_from_an_older_backup_gets_the_checksum_of_its_content(warehouse, tmp_path):
    from data.programme.stand_store import checksum, get_stand

    document = _with_a_stand(warehouse, tmp_path)
    document["versie"] = 3
    for stand in document["tabellen"]["stand"]:
        del stand["controlegetal"]
    (tmp_path / "v3.json").write_text(json.dumps(document))
    restore_programme(warehouse, tmp_path / "v3.json")
    with warehouse.connect() as conn:
        stand_id, inhoud, stored = conn.execute(select(s.Stand.id, s.Stand.inhoud, s.Stand.controlegetal)).one()
    assert stored == checksum(inhoud) and get_stand(warehouse, stand_id)[1] == inhoud
    with pytest.raises(BackupError, match="de inhoud van een stand moet een object zijn"):
        document["tabellen"]["stand"][0]["inhoud"] = [1, 2]
        (tmp_path / "v3.json").write_text(json.dumps(document))
        restore_programme(warehouse, tmp_path / "v3.json")
