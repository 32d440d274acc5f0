"""Security headers on every response: a Content-Security-Policy that Dash and plotly run under,
and the headers that keep the app out of frames, keep URLs in, and stop MIME sniffing.

Each source, and why it is needed (measured in Chromium on every page, with charts, hover and
plotly's PNG download; tests/test_security_headers.py keeps it so):
- default-src 'self': everything comes from the app itself (no third-party asset, by design).
- script-src 'self' + hashes: Dash's script files, and its inline scripts — the renderer's start
  (`var renderer = new DashRenderer();`) and the clientside callbacks Dash pages adds at the first
  request — allowed by their hashes (`app.csp_hashes()`, per response, since the second kind
  appears after the app is built), never 'unsafe-inline'. No 'unsafe-eval': nothing asks for it.
- style-src-elem 'self' 'unsafe-inline': dash-renderer, dash-core-components and plotly.js insert
  <style> elements while running (some 16 blocks in Dash 4.4, several empty at first; they change with
  every release, so hashes would break on an upgrade). Style cannot run script, and since images,
  fonts and connections stay 'self', injected CSS cannot send anything elsewhere.
- style-src-attr 'none': no style attribute is needed (plotly and React set styles through the
  DOM, which CSP allows); the login page's width is a class. style-src 'self' 'unsafe-inline' is
  the fallback for browsers that do not know the two directives above.
- img-src 'self' data: blob:: Bootstrap draws select arrows and checks as data: SVGs; plotly's
  "Grafiek downloaden als PNG" paints the chart through a blob: image.
- font-src 'self' (Bootstrap Icons), connect-src 'self' (callbacks), object-src 'none',
  base-uri 'self', form-action 'self' (login and logout forms), frame-ancestors 'none'.
- form-action also names the OpenID Connect provider's origin when single sign-on is on: Chromium
  applies form-action to the redirects that follow a form's submission, and the logout form's
  answer sends the browser on to the provider's end_session_endpoint (RP-initiated logout).
"""
from __future__ import annotations

import threading

from flask import Response

STATIC_HEADERS = {
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers without CSP level 2
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # URLs carry KPI filters: keep them in the app
    "Cross-Origin-Opener-Policy": "same-origin",
}


def content_security_policy(script_hashes: list[str], form_action: tuple[str, ...] = ()) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],  # for browsers without the two below
        "style-src-elem": ["'self'", "'unsafe-inline'"],
        "style-src-attr": ["'none'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", *form_action],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def register(app, form_action: tuple[str, ...] = ()) -> None:
    """On the Dash app's server, once its pages and callbacks are registered. `form_action`: the
    origins a form's answer may redirect to besides the app (the OpenID Connect provider's)."""
    lock = threading.Lock()  # csp_hashes() moves Dash's pending inline scripts into the app

    @app.server.after_request
    def _security_headers(response: Response) -> Response:
        # Hashed per response: Dash adds inline scripts at its first request (the pages' clientside
        # callbacks), after the app is built. A handful of short strings: microseconds.
        with lock:
            hashes = list(app.csp_hashes())
        response.headers.setdefault("Content-Security-Policy", content_security_policy(hashes, form_action))
        for name, value in STATIC_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
