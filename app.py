"""Jeugdmonitor: app factory and entry point.

`python app.py` serves on http://127.0.0.1:8050 (HOST / PORT override). On first start the
embedded default warehouse (SQLite) is created and filled with the demonstration data set and the
Programmaplan. `server` (for gunicorn) is made by `create_app()`; importing this module does no I/O.
"""
from __future__ import annotations

import os
from pathlib import Path

import dash

ROOT = Path(__file__).resolve().parent

INDEX_STRING = """<!DOCTYPE html>
<html lang="nl">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
<body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>"""


def page_modules():
    from dashboard.pages import overzicht, programma, programma_lijn, verkenner

    return (overzicht, programma, programma_lijn, verkenner)


def create_app(settings: dict | None = None) -> dash.Dash:
    """The Dash app on the warehouse of settings["DATABASE_URL"] (else DATABASE_URL, else the
    embedded default, created and filled on first use)."""
    from data.bootstrap import ensure_warehouse
    from dashboard import runtime, shell

    settings = settings or {}
    engine = ensure_warehouse(settings.get("DATABASE_URL"))
    runtime.configure(engine)

    app = dash.Dash(__name__, use_pages=True, pages_folder="", assets_folder=str(ROOT / "assets"),
                    title="Jeugdmonitor Huizen", update_title=None, suppress_callback_exceptions=True,
                    serve_locally=True)
    app.index_string = INDEX_STRING
    for module in page_modules():
        dash.register_page(module.__name__, path=getattr(module, "PATH", None),
                           path_template=getattr(module, "PATH_TEMPLATE", None),
                           name=module.NAME, title=module.TITLE, layout=module.layout)
        module.register_callbacks(app)
    app.layout = shell.layout
    return app


def main() -> None:
    app = create_app({"DATABASE_URL": os.environ.get("DATABASE_URL")})
    app.run(host=os.environ.get("HOST", "127.0.0.1"), port=int(os.environ.get("PORT", "8050")),
            debug=False)


if __name__ == "__main__":
    main()
