"""Helpers for the browser tests: a running app on a fresh warehouse, and headless Chromium.

The app runs as `python app.py` (the README's command) in a subprocess on a free port, on a fresh
SQLite warehouse filled with the demonstration data. Chromium is Debian's (/usr/bin/chromium);
nothing is downloaded.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from tests import warm_python

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE = ROOT / "tests" / "browser_assets" / "axe.min.js"


def require_browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install -y chromium chromium-driver; .ci/run does this)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(database_url: str, log_path: Path, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`env` adds settings; reading without an account (PUBLIC_READ=1) is on unless it says otherwise,
    since most browser tests look at pages; the login tests pass PUBLIC_READ=0. The cache warmer is
    off unless a test turns it on (WARM_CACHE=1): with REDIS_URL set it would compute every view in
    the background and take the CPU the test's own requests and the other test process need."""
    port = free_port()
    env = {**os.environ, "PUBLIC_READ": "1", "WARM_CACHE": "0", **(env or {}), "DATABASE_URL": database_url,
           "PORT": str(port), "HOST": "127.0.0.1"}
    log = open(log_path, "w")
    proc = warm_python.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(proc, base + "/gezondheid", log_path, "app", timeout_s=120)
    except RuntimeError:
        proc.terminate()
        raise
    return proc, base


def wait_until_answering(proc: subprocess.Popen, url: str, log_path: Path, what: str, timeout_s: float,
                         pause_s: float = 0.5) -> None:
    """Wait until the server `proc` started answers `url` with 200; RuntimeError with the end of its
    log when it stops first or does not answer within `timeout_s` (the caller stops it)."""
    deadline = time.time() + timeout_s
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} stopped: {log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.time() > deadline:
            raise RuntimeError(f"{what} did not start in time: {log_path.read_text()[-3000:]}")
        time.sleep(pause_s)


def demo_warehouse(folder: Path, scale: int = 1, prepare=None, totals: bool = True) -> str:
    """A fresh SQLite warehouse in `folder` with the demonstration data and the programme
    (`scale` > 1: more gemeenten); `prepare(engine)` adds what a test needs (accounts). Its URL.

    With the KPIs' stored totals (`totals`), as a load leaves it: else an app started with
    REDIS_URL stores them itself in its first seconds (the warmer), in one long write that a
    login waiting on SQLite's lock can lose (a 503) on a busy machine."""
    from data.db import make_engine
    from tests.demo_files import demo_copy

    url = demo_copy(folder / "warehouse.db", scale=scale, totals=totals)
    if prepare is not None:
        engine = make_engine(url)
        prepare(engine)
        engine.dispose()
    return url


def settle(page) -> None:
    """Wait until a page loaded or changed by a click has its content: the network quiet, Dash's
    loading marker gone and the page's heading there. The network can be quiet before Dash asks
    for the page's content (a cold app, a busy machine), so the heading is waited for too; every
    page, the error pages and the login page included, has one."""
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("._dash-loading", state="detached")  # no page-side eval: the CSP forbids it
    page.wait_for_selector("h1", state="attached")
    page.wait_for_timeout(300)


def wait_until(page, condition, timeout_s: float = 30) -> None:
    """Poll `condition()` (Python, between the browser's events) until it holds or the time is up; the
    test then asserts it. For what follows a URL change by a moment that settling cannot see (a
    view's answer on a busy machine); the page itself cannot be polled: its CSP forbids eval."""
    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        page.wait_for_timeout(100)


def run_axe(page) -> list[dict]:
    """axe-core on the current page; returns the serious and critical violations."""
    # evaluated through the DevTools protocol, not as an inline <script>: the app's
    # Content-Security-Policy (rightly) refuses inline scripts
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@contextmanager
def running_app(database_url: str, log_path: Path, env: dict | None = None):
    """The app on `database_url` for the duration of the block; yields its base URL."""
    proc, base = start_app(database_url, log_path, env)
    try:
        yield base
    finally:
        stop_app(proc)


_SHARED_APPS: dict[str, str] = {}


def shared_demo_app(request) -> str:
    """The base URL of the app on the demonstration data as the README starts it (reading open, no
    accounts), for the modules that only read it: started once per test process, at the first module
    asking, and stopped at the end of the run. A start costs seconds of CPU (imports, create_app);
    tests that change the warehouse or need other settings start an app of their own."""
    if "demo" not in _SHARED_APPS:
        require_browser()
        folder = request.getfixturevalue("tmp_path_factory").mktemp("browser-demo")
        proc, base = start_app(demo_warehouse(folder), folder / "app.log")
        request.config.add_cleanup(lambda: stop_app(proc))
        _SHARED_APPS["demo"] = base
    return _SHARED_APPS["demo"]


def stop_app(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)


@contextmanager
def chromium_browser():
    """Debian's Chromium under Playwright (skips the test when either is missing)."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, width: int = 1440, height: int = 900, **context_options):
    """A page in a context of its own (cookies, storage, viewport) that records the browser's console
    errors and uncaught page errors in `page.console_errors`; the tests assert it stays empty."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="nl-NL", **context_options)
    return record_console_errors(context.new_page())


def record_console_errors(page):
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    return page


# A module's tests share one browser context and each get a new page in it, with the cookies cleared:
# every test starts as a visitor who has not logged in or been here before, while the browser keeps
# its HTTP cache and compiled code of plotly.js and Dash's bundles (a page loads in ~1.7 s instead
# of ~2.2 s in a fresh context). The app keeps no state in the browser's storage but its cookies.

@pytest.fixture(scope="module")
def module_context(browser):
    """One context for the module's pages (locale nl-NL, downloads accepted)."""
    context = browser.new_context(locale="nl-NL", accept_downloads=True)
    yield context
    context.close()


@contextmanager
def new_page(context, width: int = 1440, height: int = 900):
    """A new page at width×height in `context`, without cookies, recording console errors (see
    open_page); closed after the block."""
    context.clear_cookies()
    page = record_console_errors(context.new_page())
    page.set_viewport_size({"width": width, "height": height})
    try:
        yield page
    finally:
        page.close()


@pytest.fixture
def page(module_context):
    """A new page at 1440×900 in the module's context (new_page); replaces conftest's `page` in the
    modules that import it."""
    with new_page(module_context) as page:
        yield page


@pytest.fixture
def pages(module_context):
    """For a test that opens pages itself: `pages(width, height)` is a new_page in the module's
    context (each one clears the cookies: a new visitor); all are closed after the test."""
    with ExitStack() as opened:
        yield lambda width=1440, height=900: opened.enter_context(new_page(module_context, width, height))


class KeptPages:
    """Pages a module's tests share: a test that only reads a page keeps it open (`look`), and a
    later test that needs the same URL at the same size starts from it instead of loading it again
    (`take`, for a test that goes on from there: it leaves the kept set). A page load costs Chromium
    a second or two; an open page that is not used costs nothing. Each test still makes its own
    assertions on the page (console errors counted since the page was loaded, as after a new load);
    a test run alone loads its page itself. `settle(page)` waits until a page has loaded."""

    def __init__(self, context, settle):
        self.context, self.settle, self.kept = context, settle, {}

    def look(self, url: str, width: int = 1440, height: int = 900):
        """The page at `url`, loaded and settled, kept open for the module's later tests."""
        key = (url, width, height)
        if key not in self.kept or not self._still_as_loaded(key):
            page = self._load(url, width, height)
            self.kept[key] = (page, page.url)  # where the app left it: "/" stays "/"
        return self.kept[key][0]

    def take(self, url: str, width: int = 1440, height: int = 900):
        """The page at `url`, loaded and settled, for a test that changes it; the caller closes it."""
        key = (url, width, height)
        if key in self.kept and self._still_as_loaded(key):
            return self.kept.pop(key)[0]
        self.kept.pop(key, None)
        return self._load(url, width, height)

    def _still_as_loaded(self, key) -> bool:
        page, loaded_url = self.kept[key]
        return not page.is_closed() and page.url == loaded_url

    def _load(self, url: str, width: int, height: int):
        self.context.clear_cookies()  # a new visitor, as new_page makes
        page = record_console_errors(self.context.new_page())
        page.set_viewport_size({"width": width, "height": height})
        page.load_response = page.goto(url)  # for a test of its status or headers
        self.settle(page)
        return page


@contextmanager
def loaded_pages(kept: KeptPages):
    """`load(url, keep=True)` for one test: a page from `kept` (look), or with keep=False one the
    test takes and changes (take), closed after the block."""
    with ExitStack() as taken:
        def load(url: str, keep: bool = True, width: int = 1440, height: int = 900):
            if keep:
                return kept.look(url, width, height)
            page = kept.take(url, width, height)
            taken.callback(page.close)
            return page
        yield load
