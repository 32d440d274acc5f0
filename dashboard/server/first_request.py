"""Requests wait until the first one has been answered.

Dash finishes setting up its server during the first request (`Dash._setup_server`, run as a
`before_request` hook): it marks the setup as done before doing it, so under gunicorn's threads a
second request arriving meanwhile skips it and is served from a half-built app, or iterates the
callback map while the first thread changes it ("dictionary changed size during iteration", a 500;
plotly/dash#3971). Letting the first request through alone closes that window; afterwards requests
pass without a lock."""
from __future__ import annotations

import threading


class FirstRequestAlone:
    """WSGI middleware: the first request runs alone, the others wait for its answer."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self._lock = threading.Lock()
        self._answered = False

    def __call__(self, environ, start_response):
        if self._answered:
            return self.wsgi_app(environ, start_response)
        with self._lock:
            response = self.wsgi_app(environ, start_response)
            self._answered = True  # only once a request got through the setup; an exception retries
            return response
