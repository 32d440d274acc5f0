"""A real OpenID Connect provider for the tests: panva's certified oidc-provider (npm), run with
the machine's Node.js from tests/oidc/ (provider.mjs: its users, their app roles, and the users
whose id_token it tampers with). `.ci/run` installs its packages (`npm ci`); without Node.js or
them the tests that need it are skipped with that reason.

`running_provider(redirect_uri, logout_uri, log_path)` starts it on a free port and yields its
issuer; `log_in_at_provider` walks a requests session through its login form as a browser would
and returns the callback address it sends the browser back to.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin

import pytest

from tests.browser import free_port, wait_until_answering

FOLDER = Path(__file__).resolve().parent / "oidc"
NODE = shutil.which("node") or shutil.which("nodejs")
CLIENT_ID = "jeugdmonitor-test"
CLIENT_SECRET = "test-clientgeheim-0123456789"
MIN_NODE = (20, 18)  # oidc-provider 9 uses URL.parse


def node_version() -> tuple[int, ...]:
    try:
        out = subprocess.run([NODE, "--version"], capture_output=True, text=True, timeout=30).stdout
    except OSError:
        return ()
    return tuple(int(part) for part in re.findall(r"\d+", out)[:2])


def require_provider() -> None:
    if NODE is None:
        pytest.skip("Node.js is not installed (apt-get install -y nodejs npm; .ci/run does this)")
    if node_version() < MIN_NODE:
        pytest.skip(f"the test provider (oidc-provider 9) needs Node.js {'.'.join(map(str, MIN_NODE))} or newer")
    if not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("the test provider's packages are not installed (cd tests/oidc && npm ci; .ci/run does this)")


@contextmanager
def running_provider(redirect_uri: str, logout_uri: str, log_path: Path, port: int | None = None):
    """The provider for the duration of the block, for one client (CLIENT_ID) whose callback is
    `redirect_uri`; yields its issuer (http://127.0.0.1:PORT). `port`: chosen beforehand, for an
    app that must know the issuer before its own address is known."""
    require_provider()
    port = port or free_port()
    env = {**os.environ, "PORT": str(port), "REDIRECT_URI": redirect_uri, "LOGOUT_URI": logout_uri,
           "CLIENT_ID": CLIENT_ID, "CLIENT_SECRET": CLIENT_SECRET}
    log = open(log_path, "w")
    proc = subprocess.Popen([NODE, "provider.mjs"], cwd=FOLDER, env=env, stdout=log, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(proc, issuer + "/.well-known/openid-configuration", log_path, "provider", 60,
                             pause_s=0.2)
        yield issuer
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def oidc_settings(issuer: str, **extra) -> dict:
    """The app's settings for this provider."""
    return {"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET, **extra}


def log_in_at_provider(browser_session, authorize_url: str, name: str, callback_prefix: str) -> str:
    """Follow the provider from its authorization endpoint through its login form (as `name`)
    to the redirect back to the app; returns that address (the app's callback with code and
    state), without opening it. `browser_session` is a requests.Session: the provider's cookies."""
    url = authorize_url
    for _ in range(10):
        if url.startswith(callback_prefix):
            return url
        answer = browser_session.get(url, allow_redirects=False, timeout=10)
        if answer.status_code in (302, 303):
            url = urljoin(url, answer.headers["Location"])
            continue
        form = re.search(r'<form method="post" action="([^"]+)"', answer.text)
        assert answer.status_code == 200 and form, answer.text[:500]
        posted = browser_session.post(urljoin(url, form.group(1)), data={"login": name}, allow_redirects=False,
                                      timeout=10)
        assert posted.status_code in (302, 303), posted.text[:500]
        url = urljoin(url, posted.headers["Location"])
    raise AssertionError(f"the provider did not send the browser back: {url}")
