"""The values of the settings the app starts with that are a number or a switch, read one way.

    switch("PUBLIC_READ", "ja", default=False)      # True
    switch("WARM_CACHE", "misschien", default=True)  # raises SettingValueError (Dutch message)
    port("8050")                                     # 8050
    whole_number("WEB_CONCURRENCY", "4", low=1, high=256)

A value nobody can mean (`PUBLIC_READ=misschien`, `PORT=abc`) stops the start with one Dutch
line naming the setting, instead of quietly meaning "off" or ending in a traceback.
"""
from __future__ import annotations

ON = ("aan", "ja", "1", "true", "yes", "on")
#: gunicorn's log levels (LOG_LEVEL, or --log-level for the production start); gunicorn itself takes any word
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
OFF = ("uit", "nee", "0", "false", "no", "off")


class SettingValueError(ValueError):
    """A setting's value the app refuses to start with; the message (Dutch) names the setting."""


def _shown(value: str) -> str:
    return repr(value[:40])


def switch(name: str, value: str | None, default: bool) -> bool:
    """A yes/no setting: aan/ja/1/true/yes/on or uit/nee/0/false/no/off (any case); not set or
    empty: `default`."""
    text = (value or "").strip().lower()
    if not text:
        return default
    if text in ON:
        return True
    if text in OFF:
        return False
    raise SettingValueError(f"{name}={_shown(value)}: geef ja of nee (of aan/uit, 1/0)")


def whole_number(name: str, value: str | None, low: int, high: int, default: int | None = None) -> int | None:
    """A whole number from `low` to `high`; not set or empty: `default`."""
    text = (value or "").strip()
    if not text:
        return default
    number = int(text) if text.isascii() and text.isdigit() else None
    if number is None or not low <= number <= high:
        raise SettingValueError(f"{name}={_shown(value)}: geef een geheel getal van {low} tot en met {high}")
    return number


def web_concurrency(value: str | None) -> int:
    """WEB_CONCURRENCY: gunicorn's workers; not set: 2 × cores + 1, as gunicorn advises."""
    import multiprocessing

    return whole_number("WEB_CONCURRENCY", value, 1, 256, default=multiprocessing.cpu_count() * 2 + 1)


def port(value: str | None, default: int = 8050) -> int:
    """PORT: the TCP port to listen on."""
    return whole_number("PORT", value, 1, 65535, default)
