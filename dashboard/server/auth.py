"""Login, logout, sessions, CSRF and the read guard, on the Flask server under Dash.

- `/inloggen` (GET form, POST check) and `/uitloggen` (POST) are plain Flask pages in Dutch. With
  OpenID Connect on (dashboard/server/oidc_login.py) the login page also offers "Inloggen met
  <gemeente-account>", and with LOKALE_ACCOUNTS=uit only that; logging out of such a session goes
  on to the provider's logout (RP-initiated logout).
- The session cookie (Flask's signed cookie: HttpOnly, SameSite=Lax, Secure in production) holds
  only a session token and a CSRF token. The session itself is kept on the server
  (data/accounts/sessions.py) and looked up, with its account, on every request: logging out ends it,
  a new password or deactivation ends all of the account's sessions, and it runs out after
  8 hours or SESSION_IDLE_MINUTES without a request. A changed role takes effect at once.
- CSRF: every POST must carry the session's token — the login and logout forms in a hidden
  field, Dash's callback requests in the `X-CSRFToken` header, which dash-renderer copies from
  the `_csrf_token` cookie (a double-submit bound to the session).
- Reading needs a login unless PUBLIC_READ is on; writing always needs a login and a role, which
  the write callbacks check themselves (data.accounts.permissions), whatever the page showed.
"""
from __future__ import annotations

import datetime as dt
import hmac
import html
import logging
import secrets
from urllib.parse import urlencode, urlparse

from flask import Response, current_app, g, has_request_context, request, session

from dashboard.server import known_device, plain_page, runtime
from dashboard.server.error_pages import MESSAGES, error_html
from dashboard.server.login_settings import CALLBACK_PATH, LoginSettings
from data.accounts import sessions
from data.accounts.permissions import may_read
from data.accounts.users import TooManyAttempts, User, UserError, authenticate, known_account_name

log = logging.getLogger("jeugdmonitor.security")

CSRF_COOKIE = "_csrf_token"  # the name dash-renderer reads
CSRF_HEADER = "X-CSRFToken"
LOGIN_PATH = "/inloggen"
LOGOUT_PATH = "/uitloggen"
PROVIDER_LOGIN_PATH = "/inloggen/oidc"  # starts a login at the OpenID Connect provider
PROVIDER_CALLBACK_PATH = CALLBACK_PATH  # where the provider sends the browser back
# open without a session: logging in and out
LOGIN_PATHS = (LOGIN_PATH, LOGOUT_PATH, PROVIDER_LOGIN_PATH, PROVIDER_CALLBACK_PATH)
LOGIN_SETTINGS = "JEUGDMONITOR_LOGIN"  # server.config: the LoginSettings
PROVIDER_LOGOUT = "jeugdmonitor_provider_logout"  # server.extensions: id_token → the provider's logout URL
PROVIDER_SESSION = "inlogdienst"  # session: logged in through the provider (its id_token, or True)
SESSION_HOURS = 8  # data.accounts.sessions.MAX_AGE: the server ends a session then; the cookie expires too
IDLE_SETTING = "SESSION_IDLE_MINUTES"
# Served to everyone: the login page needs its stylesheet, health checks need no login, the
# accessibility statement is for everyone, and /metrics has its own access check (token or address
# range: dashboard/server/metrics_access.py).
OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/favicon.ico", "/gezondheid", "/health",
                 plain_page.STATEMENT_PATH, "/metrics")


def current_user() -> User | None:
    """The logged-in account of this request (None for a visitor, or outside a request, e.g. a
    command-line export), read once per request."""
    if not has_request_context():
        return None
    if "jm_user" not in g:
        token = session.get("sessie")
        idle = dt.timedelta(minutes=current_app.config[IDLE_SETTING])
        g.jm_user = sessions.user_of(runtime.current().engine, token, idle) if token else None
        if token and g.jm_user is None:
            session.pop("sessie")  # ended or run out: the cookie forgets it too
    return g.jm_user


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def _csrf_ok(sent: str | None) -> bool:
    expected = session.get("csrf")
    # as bytes: compare_digest refuses str with non-ASCII characters, which anyone can send
    return bool(expected and sent and hmac.compare_digest(expected.encode(), sent.encode()))


def safe_next(target: str | None) -> str:
    """Only a local path: never redirect a user to another site after login."""
    if not target:
        return "/"
    try:
        parsed = urlparse(target)
    except ValueError:  # e.g. "//[" (an unclosed IPv6 address): no address at all
        return "/"
    if parsed.scheme or parsed.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _client_address() -> str:
    return request.remote_addr or "onbekend"


def log_refusal(reason: str) -> None:
    """Log a refused request (path, account and reason: never personal data)."""
    user = current_user()
    log.warning("geweigerd: %s %s door %s: %s", request.method, request.path,
                user.gebruikersnaam if user else "(niet ingelogd)", reason)


def refuse(reason: str, status: int = 403) -> Response:
    """Refuse a request with `reason` as plain text, and log it."""
    log_refusal(reason)
    return Response(reason, status=status, content_type="text/plain; charset=utf-8")


def refused_download(login_link: str) -> Response:
    """A download asked without an account (a link from a mail, an expired session): the Dutch
    error page with a way to log in, not a redirect — the report link's script fetches the file
    and reads the reason from this page; a redirect would hand it the login form as the file."""
    log_refusal("Log eerst in.")
    page = error_html(401, MESSAGES[401][0], "Log eerst in om dit bestand te downloaden.",
                      links=(("Inloggen", login_link),))
    return Response(page, status=401, mimetype="text/html")


def login_settings() -> LoginSettings:
    return current_app.config.get(LOGIN_SETTINGS) or LoginSettings()


def login_page(message: str | None = None, username: str = "", status: int = 200,
               next_path: str = "/", logged_in: User | None = None) -> Response:
    """The login page: the name-and-password form (unless LOKALE_ACCOUNTS=uit) and the button to
    the OpenID Connect provider (when configured); `message` above them. For an account that is
    logged in already (`logged_in`: it came back here with the back button) it says so, with the
    way on, so nobody thinks the session ended: the form stays for logging in as someone else,
    and the page does not redirect (a redirect would trap the back button)."""
    alert = (f'<div class="alert alert-danger" role="alert">{html.escape(message)}</div>'
             if message else "")
    if logged_in is not None and not message:
        alert = (f'<div class="alert alert-info" role="status" id="al-ingelogd">U bent al ingelogd als '
                 f'{html.escape(logged_in.naam)}. <a href="{html.escape(next_path)}">Verder naar de Jeugdmonitor</a>'
                 f'; met een ander account inloggen kan hieronder.</div>')
    options = login_settings()
    parts = []
    if options.oidc is not None:
        href = PROVIDER_LOGIN_PATH + "?" + urlencode({"volgende": next_path})
        parts.append(f'<p><a class="btn btn-primary" id="inloggen-oidc" href="{html.escape(href)}">'
                     f'Inloggen met {html.escape(options.oidc.label)}</a></p>')
    if options.local_accounts:
        if parts:
            parts.append('<p class="text-body-secondary">Of met een gebruikersnaam en wachtwoord van de '
                         'Jeugdmonitor:</p>')
        parts.append(local_form(username, next_path))
    main = f"""<h1 class="h3 mb-3">Inloggen</h1>
{alert}
{"".join(parts)}
<p class="small text-body-secondary mt-4">Geen account? Vraag de programmamanager Jeugd.</p>"""
    body = plain_page.page("Inloggen", main, main_class="container jm-narrow", brand_link=False)
    return Response(body, status=status, mimetype="text/html")


def local_form(username: str, next_path: str) -> str:
    return f"""<form method="post" action="{LOGIN_PATH}">
<input type="hidden" name="csrf" value="{html.escape(csrf_token())}">
<input type="hidden" name="volgende" value="{html.escape(next_path)}">
<div class="mb-3"><label class="form-label" for="gebruikersnaam">Gebruikersnaam</label>
<input class="form-control" id="gebruikersnaam" name="gebruikersnaam" autocomplete="username" required value="{html.escape(username)}"></div>
<div class="mb-3"><label class="form-label" for="wachtwoord">Wachtwoord</label>
<input class="form-control" id="wachtwoord" name="wachtwoord" type="password" autocomplete="current-password" required></div>
<button class="btn btn-primary" type="submit">Inloggen</button>
</form>"""


def _logged_name(typed: str) -> str:
    """What a failed login logs of the name typed: an account's name (an employee's, which every
    security line names), else not the text itself — it may be a password typed in the wrong
    field, or someone's name or e-mail address."""
    return known_account_name(runtime.current().engine, typed) or "(geen bestaand account)"


def handle_login() -> Response:
    next_path = safe_next(request.values.get("volgende"))
    if request.method == "GET":
        return login_page(next_path=next_path, logged_in=current_user())
    if not login_settings().local_accounts:
        log.info("inloggen met wachtwoord geweigerd: LOKALE_ACCOUNTS=uit")
        return login_page("Inloggen met een gebruikersnaam en wachtwoord staat uit; log in via de knop "
                          "hieronder.", status=403, next_path=next_path)
    username = (request.form.get("gebruikersnaam") or "").strip()
    device = request.cookies.get(known_device.COOKIE)
    try:
        user = authenticate(runtime.current().engine, username, request.form.get("wachtwoord") or "",
                            _client_address(), known_device=username.lower() in known_device.names(device))
    except TooManyAttempts as exc:
        log.warning("inloggen geblokkeerd voor %s vanaf %s", _logged_name(username), _client_address())
        return login_page(str(exc), username, 429, next_path)
    except UserError as exc:
        log.info("inloggen mislukt voor %s", _logged_name(username))
        return login_page(str(exc), username, 401, next_path)
    start_session(user)
    log.info("ingelogd: %s (%s)", user.gebruikersnaam, user.rol)
    response = plain_page.redirect_to(next_path)
    known_device.remember(response, device, user.gebruikersnaam)
    return response


def start_session(user: User) -> None:
    """A new server-side session for `user` in this browser, for either way of logging in: the
    session this browser had ends, and the cookie gets a new session token and CSRF token (no
    session fixation)."""
    idle = dt.timedelta(minutes=current_app.config[IDLE_SETTING])
    token = sessions.start(runtime.current().engine, user.id, idle)
    sessions.end(runtime.current().engine, session.get("sessie"))
    session.clear()
    session.permanent = True
    session["sessie"] = token
    csrf_token()


def handle_logout() -> Response:
    """Ends this session on the server (a copy of the cookie opens nothing any more); the
    account's sessions in other browsers stay. A session of the OpenID Connect provider goes on
    to the provider's logout, which comes back to the login page (when it has one)."""
    provider_session = session.get(PROVIDER_SESSION)
    sessions.end(runtime.current().engine, session.get("sessie"))
    session.clear()
    provider_logout = current_app.extensions.get(PROVIDER_LOGOUT)
    if provider_session and provider_logout is not None:
        target = provider_logout(provider_session if isinstance(provider_session, str) else None)
        if target:
            return plain_page.redirect_to(target)
    return plain_page.redirect_to(LOGIN_PATH)


def register(server, idle_minutes: int = 60, login: LoginSettings | None = None) -> None:
    """Routes and guards; PUBLIC_READ is read from dashboard.server.runtime at each request. The
    provider's routes are oidc_login.register's."""
    server.permanent_session_lifetime = dt.timedelta(hours=SESSION_HOURS)
    server.config[IDLE_SETTING] = idle_minutes
    server.config[LOGIN_SETTINGS] = login or LoginSettings()
    server.add_url_rule(LOGIN_PATH, "inloggen", handle_login, methods=["GET", "POST"])
    server.add_url_rule(LOGOUT_PATH, "uitloggen", handle_logout, methods=["POST"])

    @server.before_request
    def _guard():
        path = request.path
        if path.startswith(OPEN_PREFIXES):
            return None
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            sent = request.form.get("csrf") if path in (LOGIN_PATH, LOGOUT_PATH) else request.headers.get(CSRF_HEADER)
            if not _csrf_ok(sent):
                if path == LOGIN_PATH:  # an expired form: show it again with a fresh token
                    return login_page("Het formulier was verlopen; probeer het opnieuw.", status=400)
                return refuse("Ongeldig of ontbrekend CSRF-token; laad de pagina opnieuw.")
        if path in LOGIN_PATHS:
            return None
        if not may_read(current_user(), runtime.current().public_read):
            back = LOGIN_PATH + "?" + urlencode({"volgende": request.full_path.rstrip("?")})
            if request.method == "GET" and not path.startswith("/_dash") and not path.startswith("/export/"):
                return plain_page.redirect_to(back)
            if request.method in ("GET", "HEAD") and path.startswith("/export/"):
                return refused_download(back)
            return refuse("Log eerst in.", 401)
        return None

    @server.after_request
    def _csrf_cookie(response: Response) -> Response:
        # Readable by dash-renderer (not HttpOnly); useless to another site (SameSite=Strict,
        # and the server compares it with the token in the signed session).
        if request.path.startswith(OPEN_PREFIXES):
            return response
        token = csrf_token()
        if request.cookies.get(CSRF_COOKIE) != token:
            response.set_cookie(CSRF_COOKIE, token, samesite="Strict",
                                secure=server.config.get("SESSION_COOKIE_SECURE", False),
                                httponly=False, path="/")
        return response
