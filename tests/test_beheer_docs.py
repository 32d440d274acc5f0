"""docs/beheer.md is the gemeente's IT department's one table of settings: every setting the
product reads from the environment is in it (a new setting without a line there fails here)."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# os.environ.get("X" …), os.environ["X"], environ.get('X' …): the literal names the code reads
ENV_READ = re.compile(r"""environ(?:\.get\(|\[)\s*["']([A-Z][A-Z0-9_]+)["']""")
NOT_SETTINGS = {"REQUEST_METHOD"}  # WSGI's environ, not the process's


def settings_read_by_the_product() -> set[str]:
    import app
    from dashboard.mail.settings import NAMES as MAIL_SETTINGS
    from data.warehouse.ijw.pseudonym import ENV_KEY

    names = set(app.settings_from_env()) | set(MAIL_SETTINGS) | {ENV_KEY, "MIN_CELL_SIZE", "AFRONDING"}
    sources = [ROOT / "app.py", ROOT / "gunicorn.conf.py",
               *(path for room in ("dashboard", "kpi", "data") for path in (ROOT / room).rglob("*.py"))]
    for path in sources:
        names |= set(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names - NOT_SETTINGS


def test_every_setting_is_in_the_settings_table_of_docs_beheer():
    table = (ROOT / "docs" / "beheer.md").read_text(encoding="utf-8").split("## Instellingen", 1)[1]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    read = settings_read_by_the_product()
    assert {"DATABASE_URL", "OIDC_ISSUER", "SMTP_HOST", "METRICS_TOKEN", "THEMA", "WEB_CONCURRENCY"} <= read
    assert read - documented == set()
