"""Jeugdmonitor: app factory and entry point.

`python app.py` serves on http://127.0.0.1:8050 (HOST / PORT override). On first start the
embedded default warehouse (SQLite) is created and filled with the demonstration data set.
`create_app()` does no I/O until a page is requested; `server` is the Flask app for gunicorn.

The full dashboard is issue 3; until then this serves one page: the KPIs of the latest year.
"""
from __future__ import annotations

import datetime as dt
import os

import dash
from dash import dcc, html

INDEX_STRING = """<!DOCTYPE html>
<html lang="nl">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
<body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>"""


def _overview(engine) -> html.Div:
    from kpi import AXIS_NAMES, CATALOGUE, KpiRequest, compute
    from kpi import format as fmt
    from sqlalchemy import func, select
    from data.schema import LoadLog, Traject

    with engine.connect() as conn:
        latest = conn.scalar(select(func.max(Traject.startdatum)))
        loaded = conn.execute(select(LoadLog.geladen_op, LoadLog.data_tot)
                              .order_by(LoadLog.id.desc()).limit(1)).first()
    if latest is None:
        return html.P("Het warehouse is leeg: laad gegevens met 'python -m data load MAP'.")
    jaar = (latest if isinstance(latest, dt.date) else dt.date.fromisoformat(str(latest))).year
    sections = []
    for axis, axis_name in AXIS_NAMES.items():
        items = []
        for kpi in CATALOGUE.values():
            if kpi.as_ != axis:
                continue
            result = compute(engine, KpiRequest.for_year(kpi.id, jaar))
            row = result.rows[0]
            shown = fmt.value(row.value, kpi.eenheid, suppressed=row.suppressed,
                              threshold=result.request.min_cell_size)
            items.append(html.Li([html.Strong(kpi.naam + ": "), shown]))
        sections.append(html.Section([html.H2(axis_name), html.Ul(items)]))
    status = ""
    if loaded is not None:
        status = f"Data geladen op {fmt.datum(loaded.geladen_op.date())}"
        if loaded.data_tot:
            status += f", t/m {fmt.datum(loaded.data_tot)}"
    return html.Div([html.P(f"Kerncijfers {jaar}. {status}"), *sections])


def create_app(settings: dict | None = None) -> dash.Dash:
    settings = settings or {}
    app = dash.Dash(__name__, title="Jeugdmonitor", update_title=None)
    app.index_string = INDEX_STRING
    database_url = settings.get("DATABASE_URL")

    def layout():
        from data.bootstrap import ensure_warehouse

        engine = ensure_warehouse(database_url)
        try:
            body = _overview(engine)
        finally:
            engine.dispose()
        return html.Main([html.H1("Jeugdmonitor Huizen"), body, dcc.Location(id="url")])

    app.layout = layout
    return app


def main() -> None:
    from data.bootstrap import ensure_warehouse

    ensure_warehouse(None).dispose()  # create and fill the embedded default on first start
    app = create_app({"DATABASE_URL": os.environ.get("DATABASE_URL")})
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")),
            debug=False)


if __name__ == "__main__":
    main()
