"""A minimal HTTP client that keeps cookies and sends the CSRF header, as a browser does.

Used by the gunicorn smoke test and the load test. Cookies are kept whatever their Secure flag
(production mode marks them Secure; the tests talk plain HTTP on loopback).
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from http.cookies import SimpleCookie
from urllib.parse import urlencode


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpSession:
    def __init__(self, base: str, timeout: float = 60):
        self.base = base
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.last_headers = None  # of the last response (one thread per session)
        self._opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if data is not None and "_csrf_token" in self.cookies:
            headers.setdefault("X-CSRFToken", self.cookies["_csrf_token"])
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:  # 3xx (no redirects followed), 4xx, 5xx
            response = error
        with response:
            self.last_headers = response.headers
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(header)
                for name, morsel in cookie.items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode("utf-8")

    def get(self, path: str) -> tuple[int, str]:
        return self.request(path)

    def post_json(self, path: str, body: dict) -> tuple[int, str]:
        return self.request(path, json.dumps(body).encode(), {"Content-Type": "application/json"})

    def log_in(self, username: str, password: str) -> None:
        _status, page = self.get("/inloggen")
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        status, _ = self.request("/inloggen", urlencode({"csrf": token, "gebruikersnaam": username,
                                                         "wachtwoord": password, "volgende": "/"}).encode(),
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302:
            raise RuntimeError(f"inloggen als {username} mislukt ({status})")
        self.get("/")  # the CSRF cookie for callbacks
