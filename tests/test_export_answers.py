"""What the downloads answer instead of a file: a bad year reads the same for every export (the PDF
report, the PowerPoint, the programme's table), from one function, and every refusal has one form:
the Dutch error page of every route with the reason and a way back, its charset said once."""
from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from dashboard.exports.answers import bad_year, refusal
from dashboard.exports.report_content import ReportYearError, parse_year
from dashboard.exports.slides import YearError, choose_year
from tests.demo_files import demo_copy

YEARS = range(2019, 2027)
DATA_TOT = dt.date(2026, 9, 30)  # the years with data: 2019 to 2026
EXPORTS = ("/export/rapport.pdf", "/export/presentatie.pptx", "/export/programma.csv", "/export/programma.xlsx")


def assert_refusal_page(answer, status: int, reason: str) -> str:
    """`answer` is the page of a refused download: the status kept, the shared error page's title
    for it (dashboard/server/error_pages.py), `reason` as its sentence, a link back; its HTML."""
    from dashboard.server.error_pages import MESSAGES, OTHER, REASON_ID

    page = answer.get_data(as_text=True)
    title = MESSAGES.get(status, OTHER)[0]
    assert answer.status_code == status, (answer.status_code, page[:300])
    assert answer.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="nl">' in page and f"<title>{title} – Jeugdmonitor Huizen</title>" in page
    assert f'<h1 class="h3 mb-3">{title}</h1>' in page
    assert f'<p id="{REASON_ID}">{html.escape(reason)}</p>' in page, page
    assert '<a href="/">Naar het overzicht</a>' in page and f"Foutcode {status}" in page
    return page


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


def test_a_refusal_is_the_shared_error_page_with_the_reason_and_its_ways_back():
    from flask import Flask

    with Flask(__name__).test_request_context():
        answer = refusal(400, "Ongeldig jaar 'x' <b>.", (("Rapport van stand 3", "/export/rapport.pdf?stand=3"),))
    page = assert_refusal_page(answer, 400, "Ongeldig jaar 'x' <b>.")
    assert "<b>" not in page  # escaped
    assert re.search(r'<a href="/export/rapport.pdf\?stand=3">Rapport van stand 3</a>.*Naar het overzicht', page, re.S)


def test_every_export_refuses_alike_with_the_shared_page(tmp_path, app_module):
    url = demo_copy(tmp_path / "w.db")  # data t/m 30 september 2026: years 2019 to 2026
    client = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "1"}).server.test_client()
    for path in EXPORTS:
        for bad in ("abc", "1990", "2031", "20255"):
            assert_refusal_page(client.get(f"{path}?jaar={bad}"), 400,
                                f"Ongeldig jaar '{bad}': kies een jaar van 2019 tot en met 2026.")
        # a stand that is not there: the same kind of answer, with the way to the standen
        page = assert_refusal_page(client.get(f"{path}?stand=999"), 404, "Stand 999 bestaat niet (meer).")
        assert '<a href="/standen">Naar de vastgestelde standen</a>' in page, path
    # every export reads a year and a repeated parameter alike: " 2025" is 2025, the last stand counts
    for path in EXPORTS[2:]:
        answer = client.get(f"{path}?jaar=%202025")
        assert answer.status_code == 200 and "_2025." in answer.headers["Content-Disposition"], path
        # a blank year is none asked, for every export (the PowerPoint and the table refused it as
        # "Ongeldig jaar ''" where the report gave its default year)
        answer = client.get(f"{path}?jaar=%20%20")
        assert answer.status_code == 200 and "_2025." in answer.headers["Content-Disposition"], path
    assert parse_year("  ", DATA_TOT) == choose_year("  ", YEARS, 2025) == 2025
    for path in EXPORTS:
        assert_refusal_page(client.get(f"{path}?stand=998&stand=999"), 404, "Stand 999 bestaat niet (meer).")
    # the targets file, for the programmamanager only: the same page, 403
    assert_refusal_page(client.get("/export/streefwaarden.csv"), 403,
                        "Alleen de programmamanager kan de streefwaarden downloaden.")


def test_a_download_without_an_account_gets_the_same_page(tmp_path, app_module):
    """The 401 of a download without an account (the login guard's, not the route's) is the same
    page, its charset said once, with a way to log in."""
    url = demo_copy(tmp_path / "w.db")
    client = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "0"}).server.test_client()
    page = assert_refusal_page(client.get("/export/rapport.pdf?jaar=2025"), 401,
                               "Log eerst in om dit bestand te downloaden.")
    assert '<a href="/inloggen?volgende=%2Fexport%2Frapport.pdf%3Fjaar%3D2025">Inloggen</a>' in page
