"""The answer /beheer shows for an uploaded targets file (`targets_exchange.import_upload`, what the
upload's callback renders: the first line as the outcome, the rest as a list below it), and what
the upload zone says once a file is chosen. The file's checks themselves: tests/test_targets_csv.py."""
from __future__ import annotations

import base64

from dashboard.exports import targets_exchange
from dashboard.programme import targets_csv
from dashboard.programme.targets_csv import export_targets
from dashboard.server import runtime
from tests.beheer_support import MANAGER, live, logged_in, programme
from tests.test_targets_csv import cli_db, run_cli, set_cell, snapshot, text_of

__all__ = ["programme", "live", "cli_db"]


def upload(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def test_a_refused_file_leads_with_nothing_imported_then_every_problem(live):
    """It led with the first problem and put "Niets geïmporteerd" last, as one of the problems."""
    text = set_cell(text_of(export_targets(live)), "K01", "2025", "-5")
    text = set_cell(text, "K02", "2026", "elf")
    before = snapshot(live)
    with logged_in(MANAGER):
        ok, lines = targets_exchange.import_upload(upload(("\ufeff" + text).encode()), "s.csv", "bijstelling")
    assert not ok
    assert lines[0] == "Niets geïmporteerd: 2 problemen."
    assert len(lines) == 3 and all(line.startswith("s.csv:") for line in lines[1:]), lines
    assert snapshot(live) == before


def test_a_huge_file_is_named_with_its_size_and_the_limit(live):
    """A 20 MB file: it said only "Het bestand is te groot voor een streefwaardenbestand." — no
    name, no size, no limit, no word that nothing was imported."""
    data = b"indicator;2025\r\n" + b"K01;1\r\n" * 3_000_000
    before = snapshot(live)
    with logged_in(MANAGER):
        ok, lines = targets_exchange.import_upload(upload(data), "groot.csv", "bijstelling")
    assert not ok
    assert lines == ["Niets geïmporteerd: 1 probleem.",
                     "groot.csv:1: bestand: het bestand is te groot (21,1 MB); een streefwaardenbestand is "
                     "ten hoogste 2,0 MB (een export is een paar kB)"]
    assert snapshot(live) == before


def test_a_huge_file_without_a_reason_says_the_size_and_the_reason_at_once(live):
    """An oversized upload without a reason said only "geef een reden …"; given one, the file was
    then refused for its size. Now the file's problem is there at once, and the missing reason with it."""
    data = b"indicator;2025\r\n" + b"K01;1\r\n" * 3_000_000
    before = snapshot(live)
    with logged_in(MANAGER):
        ok, lines = targets_exchange.import_upload(upload(data), "groot.csv", None)
    assert not ok
    assert lines == ["Niets geïmporteerd: 1 probleem. Ook: geef een reden voor het importeren van de streefwaarden.",
                     "groot.csv:1: bestand: het bestand is te groot (21,1 MB); een streefwaardenbestand is "
                     "ten hoogste 2,0 MB (een export is een paar kB)"]
    assert snapshot(live) == before


def test_a_wrong_file_without_a_reason_names_its_problems_and_the_reason(live):
    text = set_cell(text_of(export_targets(live)), "K02", "2026", "elf")
    with logged_in(MANAGER):
        ok, lines = targets_exchange.import_upload(upload(("\ufeff" + text).encode()), "s.csv", "  ")
    assert not ok
    assert lines[0] == "Niets geïmporteerd: 1 probleem. Ook: geef een reden voor het importeren van de streefwaarden."
    assert len(lines) == 2 and lines[1].startswith("s.csv:") and "'elf'" in lines[1], lines


def test_a_right_file_without_a_reason_asks_for_the_reason_and_writes_nothing(live):
    text = set_cell(text_of(export_targets(live)), "K02", "2026", "11")
    before = snapshot(live)
    with logged_in(MANAGER):
        ok, lines = targets_exchange.import_upload(upload(("\ufeff" + text).encode()), "s.csv", None)
    assert (ok, lines) == (False, ["Geef een reden voor het importeren van de streefwaarden"])
    assert snapshot(live) == before


def _padded(exported: bytes, size: int) -> bytes:
    """The export made `size` bytes long with empty lines, which the import skips."""
    missing = size - len(exported)
    return exported + b"\r\n" * (missing // 2) + b"\n" * (missing % 2)


def test_the_upload_and_the_command_line_have_one_size_limit_and_say_it_alike(cli_db, tmp_path):
    """The upload refused a file above 2 MB, the command line one above 5 MB, each in words of its
    own: a 3 MB file was refused on /beheer and imported by `python -m data targets import`."""
    url, engine = cli_db
    exported = export_targets(engine)
    limit = targets_csv.MAX_BYTES
    path = tmp_path / "groot.csv"
    runtime.configure(engine)
    try:
        for size, refused in ((3_000_000, True), (limit + 1, True), (limit, False)):
            data = _padded(exported, size)
            assert len(data) == size
            path.write_bytes(data)
            with logged_in(MANAGER):
                ok, lines = targets_exchange.import_upload(upload(data), str(path), "bijstelling")
            result = run_cli("import", str(path), "--door", "pm", "--reden", "bijstelling", "--db", url)
            if refused:
                assert not ok and result.returncode == 2, size
                problem = lines[1]
                assert problem.startswith(f"{path}:1: bestand: het bestand is te groot (")
                assert result.stderr.splitlines() == [problem]   # the problem lines only (cli.md)
                assert result.stdout.splitlines() == ["Niets geïmporteerd: 1 probleem."]
                assert lines == ["Niets geïmporteerd: 1 probleem.", problem]
            else:
                assert ok and result.returncode == 0, (size, lines, result.stderr)
    finally:
        runtime.reset()


def text_in(children) -> str:
    return "".join(c if isinstance(c, str) else text_in(c.children) for c in children)


def test_the_upload_zone_names_the_chosen_file():
    assert text_in(targets_exchange.upload_label(None)) == ("Streefwaarden-CSV: sleep een bestand hierheen "
                                                            "of kies een bestand")
    assert text_in(targets_exchange.upload_label("streefwaarden 2026.csv")) == ("Gekozen: streefwaarden 2026.csv"
                                                                                " · ander bestand kiezen")


def test_a_reason_over_the_limit_is_refused_with_its_length_as_a_sentence(live):
    """The reason's field no longer cuts a paste at 500 characters (its maxLength did, without a
    word): the upload is refused with the reason's length and the limit, and nothing is imported.
    The write rules' refusals start in lower case; shown alone they get their capital."""
    data = export_targets(live)
    before = snapshot(live)
    with logged_in(MANAGER):
        too_long = targets_exchange.import_upload(upload(data), "s.csv", "r" * 612)
        none = targets_exchange.import_upload(upload(data), "s.csv", "  ")
    assert too_long == (False, ["De reden is te lang: 612 tekens, ten hoogste 500. Maak haar korter; "
                                "er is niets opgeslagen"])
    assert none == (False, ["Geef een reden voor het importeren van de streefwaarden"])
    assert snapshot(live) == before


def test_the_upload_and_the_command_line_give_the_decimal_comma_advice_once(cli_db, tmp_path):
    """A `,` file with Dutch decimal commas: the long advice stood on every problem, on /beheer and
    on the command line. Both now have it on the first such problem and point there from the rest."""
    url, engine = cli_db
    text = text_of(export_targets(engine)).replace(";", ",")   # 13,5 now splits into 13 and 5
    path = tmp_path / "komma.csv"
    path.write_bytes(text.encode("utf-8"))
    runtime.configure(engine)
    try:
        with logged_in(MANAGER):
            ok, lines = targets_exchange.import_upload(upload(text.encode("utf-8")), str(path), "bijstelling")
    finally:
        runtime.reset()
    result = run_cli("import", str(path), "--door", "pm", "--reden", "bijstelling", "--db", url)
    assert not ok and result.returncode == 2
    problems = lines[1:]
    assert result.stderr.splitlines() == problems and result.stdout.splitlines() == [lines[0]]
    assert len(problems) > 10 and sum(targets_csv.COMMA_FILE in p for p in problems) == 1
    first = problems[0].split(":")[1]
    assert problems[0].endswith(f"({targets_csv.COMMA_FILE})")
    assert all(p.endswith(f"(decimale komma; zie regel {first})") for p in problems[1:]), problems
