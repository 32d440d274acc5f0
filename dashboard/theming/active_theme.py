"""The theme of this process, chosen by the THEMA setting when the app is built.

`configure(THEMA)` finds assets/themes/THEMA.css, reads it back and checks it (every token there,
every value valid), or refuses with one Dutch sentence (ThemeSettingError: the app does not start).
Pages link the chosen file only: Dash's frame through `external_stylesheets`, the plain pages
(login, errors, outage, accessibility statement) through `stylesheet_links()`. The charts take
their colours and font from `current().values` (dashboard/ui/theme.py).
"""
from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from pathlib import Path

from dashboard.theming import stylesheet

SETTING = "THEMA"


class ThemeSettingError(ValueError):
    """A THEMA the app refuses to start with; the message is Dutch."""


@dataclass(frozen=True)
class ActiveTheme:
    name: str
    href: str                 # the file's URL, with its content's hash (a rebuilt theme is fetched anew)
    values: dict[str, str]    # token → canonical value


def load(setting: str | None, folder: Path = stylesheet.THEMES_DIR) -> ActiveTheme:
    name = (setting or "").strip() or stylesheet.DEFAULT
    choices = ", ".join(stylesheet.available(folder)) or "geen"
    if not stylesheet.NAME.fullmatch(name) or not stylesheet.theme_path(name, folder).is_file():
        raise ThemeSettingError(f"{SETTING}={setting!r}: geen thema met die naam in assets/themes/ "
                                f"(beschikbaar: {choices}); maak er een met python -m dashboard.theming")
    path = stylesheet.theme_path(name, folder)
    try:
        values = stylesheet.read_theme(path)
    except stylesheet.ThemeFileProblem as exc:
        raise ThemeSettingError(f"{SETTING}={name}: {exc}; bouw het opnieuw met python -m dashboard.theming") from None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return ActiveTheme(name, f"/assets/themes/{name}.css?v={digest}", values)


_active: ActiveTheme | None = None


def configure(setting: str | None) -> ActiveTheme:
    global _active
    _active = load(setting)
    return _active


def current() -> ActiveTheme:
    """The configured theme; the default one where no app was built (a test, a command line)."""
    global _active
    if _active is None:
        _active = load(None)
    return _active


def reset() -> None:
    global _active
    _active = None


def stylesheet_links() -> str:
    """The <link>s of a plain HTML page, in the Dash frame's order: the theme, Bootstrap, the product's stylesheet."""
    return (f'<link rel="stylesheet" href="{html.escape(current().href)}">'
            '<link rel="stylesheet" href="/assets/00_bootstrap.min.css">'
            '<link rel="stylesheet" href="/assets/10_jeugdmonitor.css">')
