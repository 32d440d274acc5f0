"""The programme's indicator table as CSV and Excel: the engine's values, `<10` where suppressed,
manual figures only once vastgesteld; the routes answer files and refuse a bad year."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from data.demo import load_demo
from data.programme import load_programme
from data.programme_edits import lock_period, set_realisatie
from data.users import User
from dashboard.programme_export import programme_table, to_csv, to_xlsx
from kpi.programma import indicator_values, read_programme
from kpi.service import KpiService

JAAR = 2025
MANAGER = User(0, "pm", "Programmamanager", "programmamanager", frozenset())


@pytest.fixture
def demo(warehouse):
    load_demo(warehouse)
    load_programme(warehouse)
    return warehouse


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return [r for r in csv.reader(io.StringIO(text[1:]), delimiter=";") if r and not r[0].startswith("#")]


def column(header, name):
    return header.index(name)


def test_table_holds_the_engines_values_and_only_vastgestelde_manual_figures(demo):
    service = KpiService(demo)
    set_realisatie(demo, MANAGER, "H01", "2025", "512,5", 1)  # a manual figure (the plan has one), quarter open
    table = programme_table(service, read_programme(demo, vastgesteld_only=True), JAAR)
    rows = {r[2]: r for r in table.rows}
    k11 = read_programme(demo).indicators["K11"]
    expected = indicator_values(service, k11, range(2024, JAAR + 1))[-1]
    assert rows["K11"][column(table.header, "Realisatie 2025")] == expected.waarde
    assert rows["K11"][column(table.header, "Streefwaarde 2025")] == k11.streefwaarden[2025]
    assert rows["K11"][column(table.header, "Status 2025")] == expected.status.label
    assert rows["H01"][column(table.header, "Realisatie 2025")] == ""  # not vastgesteld yet

    lock_period(demo, MANAGER, "2025-Q4")
    service.invalidate()
    locked = {r[2]: r for r in programme_table(service, read_programme(demo, vastgesteld_only=True), JAAR).rows}
    assert locked["H01"][column(table.header, "Realisatie 2025")] == 512.5

    header, *body = csv_rows(to_csv(table))
    assert header == table.header
    k11_line = next(r for r in body if r[2] == "K11")
    assert k11_line[column(header, "Streefwaarde 2025")] == f"{k11.streefwaarden[2025]:.1f}".replace(".", ",")
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Indicatoren"]
    assert [c.value for c in sheet[1]] == table.header
    assert load_workbook(io.BytesIO(to_xlsx(table)))["Toelichting"]["A1"].value == "Inhoud"


def test_a_suppressed_value_is_below_threshold_in_every_format(demo, monkeypatch):
    monkeypatch.setenv("MIN_CELL_SIZE", "100000")  # every count-based value is now a small number
    table = programme_table(KpiService(demo), read_programme(demo, vastgesteld_only=True), JAAR)
    k01 = next(r for r in table.rows if r[2] == "K01")
    assert k01[column(table.header, "Realisatie 2025")] == "<100000"
    assert "<100000" in next(r for r in csv_rows(to_csv(table)) if r[2] == "K01")
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Indicatoren"]
    assert "<100000" in [c.value for row in sheet.iter_rows() for c in row]


def test_routes_serve_csv_and_excel_and_refuse_a_bad_year(tmp_path):
    import dash

    import app as app_module
    from data.db import make_engine, migrate
    from dashboard import runtime

    url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(url)
    migrate(engine)
    load_demo(engine)
    load_programme(engine)
    client = app_module.create_app({"DATABASE_URL": url, "PUBLIC_READ": "1"}).server.test_client()
    try:
        answer = client.get(f"/export/programma.csv?jaar={JAAR}")
        assert answer.status_code == 200 and answer.mimetype == "text/csv"
        assert f"jeugdmonitor_programma_{JAAR}.csv" in answer.headers["Content-Disposition"]
        assert client.get(f"/export/programma.xlsx?jaar={JAAR}").data[:2] == b"PK"
        refused = client.get("/export/programma.csv?jaar=1990")
        assert refused.status_code == 400 and "Ongeldig jaar" in refused.get_data(as_text=True)
        runtime.current().public_read = False
        assert client.get(f"/export/programma.csv?jaar={JAAR}").status_code == 401
    finally:
        runtime.reset()
        dash.page_registry.clear()
        engine.dispose()
