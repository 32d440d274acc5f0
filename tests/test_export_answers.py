"""What the downloads answer instead of a file: a bad year reads the same for every export (the PDF
report, the PowerPoint, the programme's table), from one function, and an answer says its charset
once ("text/plain; charset=utf-8", not "…; charset=utf-8; charset=utf-8")."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.exports.answers import bad_year, text_answer
from dashboard.exports.report_content import ReportYearError, parse_year
from dashboard.exports.slides import YearError, choose_year
from tests.demo_files import demo_copy

YEARS = range(2019, 2027)
DATA_TOT = dt.date(2026, 9, 30)  # the years with data: 2019 to 2026
EXPORTS = ("/export/rapport.pdf", "/export/presentatie.pptx", "/export/programma.csv", "/export/programma.xlsx")


def test_one_message_for_a_bad_year():
    assert bad_year("abc", YEARS) == "Ongeldig jaar 'abc': kies een jaar van 2019 tot en met 2026."
    assert bad_year(" 1990 ", YEARS) == bad_year(1990, YEARS) == \
        "Ongeldig jaar '1990': kies een jaar van 2019 tot en met 2026."
    assert bad_year("9" * 500, YEARS).count("9") < 100  # a long value is not echoed whole
    # the report's and the presentation's own checks (their command lines too) say the same
    for bad in ("abc", "1990", "20255", "²²²²", " 2031 "):
        with pytest.raises(YearError) as presentation:
            choose_year(bad, YEARS, 2025)
        with pytest.raises(ReportYearError) as report:
            parse_year(bad, DATA_TOT)
        assert str(presentation.value) == str(report.value) == bad_year(bad, YEARS)


def test_an_answer_says_its_charset_once():
    from flask import Flask

    with Flask(__name__).test_request_context():
        answer = text_answer("Ongeldig jaar 'x'.", 400)
    assert answer.status_code == 400 and answer.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert answer.get_data(as_text=True) == "Ongeldig jaar 'x'.\n"


def test_every_export_answers_a_bad_year_alike(tmp_path, app_module):
    url = demo_copy(tmp_path / "w.db")  # data t/m 30 september 2026: years 2019 to 2026
    client = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "1"}).server.test_client()
    for path in EXPORTS:
        for bad in ("abc", "1990", "2031", "20255"):
            answer = client.get(f"{path}?jaar={bad}")
            assert answer.status_code == 400, (path, bad)
            assert answer.headers["Content-Type"] == "text/plain; charset=utf-8", path
            assert answer.get_data(as_text=True) == \
                f"Ongeldig jaar '{bad}': kies een jaar van 2019 tot en met 2026.\n", (path, bad)
    for path in EXPORTS[:2]:  # a stand that is not there: the same kind of answer
        answer = client.get(f"{path}?stand=999")
        assert answer.status_code == 404 and answer.headers["Content-Type"] == "text/plain; charset=utf-8"
        assert answer.get_data(as_text=True) == "Stand 999 bestaat niet (meer).\n", path
    # every export reads a year and a repeated parameter alike: " 2025" is 2025, the last stand counts
    for path in EXPORTS[2:]:
        answer = client.get(f"{path}?jaar=%202025")
        assert answer.status_code == 200 and "_2025." in answer.headers["Content-Disposition"], path
    for path in EXPORTS:
        answer = client.get(f"{path}?stand=998&stand=999")
        assert answer.status_code == 404 and "Stand 999 bestaat niet (meer)." in answer.get_data(as_text=True), path


def test_the_other_plain_answers_say_their_charset_once(tmp_path, app_module):
    """The 401 of a download without an account says it once too."""
    url = demo_copy(tmp_path / "w.db")
    client = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "0"}).server.test_client()
    answer = client.get("/export/rapport.pdf?jaar=2025")
    assert (answer.status_code, answer.headers["Content-Type"]) == (401, "text/plain; charset=utf-8")
