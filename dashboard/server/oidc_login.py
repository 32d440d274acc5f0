"""Login through the gemeente's OpenID Connect provider (Microsoft Entra ID or another), with Authlib.

- `GET /inloggen/oidc?volgende=/pad`: discovery (OIDC_ISSUER + /.well-known/openid-configuration,
  once per process and again after a day), then the authorization code flow with PKCE (S256),
  a state and a nonce (kept by Authlib in this browser's signed session cookie).
- `GET /inloggen/oidc/terug` (the redirect URI): Authlib checks the state, exchanges the code
  (with the PKCE verifier and the client secret) and checks the id_token: signature against the
  provider's keys, issuer, audience (exactly this client), expiry and nonce. The role comes from the
  app roles claim (provider_roles); without one there is no session and a Dutch 403 says which
  app role is missing. Then the account is made or updated (data/accounts/provider_accounts.py)
  and a server-side session starts exactly as for a local login (auth.start_session), so logout,
  the idle timeout, 8 hours and deactivation work the same.
- Logout (auth.handle_logout) asks `logout_url` for the provider's end_session_endpoint with
  id_token_hint, client_id and post_logout_redirect_uri (the login page), when the provider
  advertises one on the issuer's origin (the CSP's form-action allows only that origin).

Every failure is a Dutch page (the login page with a message), never a 500; the log says what
failed without personal data: no token, code, e-mail address or name.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from urllib.parse import urlencode, urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import Response, request, session
from joserfc.errors import JoseError

from dashboard.server import auth, plain_page, runtime
from dashboard.server.login_settings import OidcSettings, loopback, origin
from dashboard.server.provider_roles import missing_role_text, role_from_claims
from data.accounts.provider_accounts import AccountBlocked, ProviderIdentity, sign_in
from data.accounts.users import UserError

log = logging.getLogger("jeugdmonitor.security")

CLIENT_NAME = "inlogdienst"  # Authlib keeps a login's state under this name in the session
NEXT_KEY = "inlogdienst_volgende"  # session: the page to open after the login
TIMEOUT_S = 10  # every request to the provider
DISCOVERY_TTL = dt.timedelta(hours=24)  # endpoints rarely move; new signing keys are fetched at once
OPEN_ATTEMPTS = 3  # logins started in this browser and not finished, kept in its cookie
KEEP_ID_TOKEN = 2500  # characters: a longer id_token is not kept for the logout hint (cookie size)
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
ERROR_CODE = re.compile(r"[a-z_]{1,40}")  # an OAuth error code, safe to log

UNAVAILABLE = ("De inlogdienst van de gemeente is nu niet bereikbaar. Probeer het over een paar minuten "
               "opnieuw; blijft het misgaan, neem dan contact op met de beheerder.")
MISCONFIGURED = ("De koppeling met de inlogdienst van de gemeente is niet goed ingesteld. Neem contact op "
                 "met de beheerder (de reden staat in het logboek van de Jeugdmonitor).")
EXPIRED = ("Deze inlogpoging is verlopen of niet in deze browser begonnen (de controlecode klopt niet). "
           "Probeer het opnieuw.")
REFUSED_TOKEN = ("Het inlogbewijs van de inlogdienst is ongeldig (handtekening, uitgever, bestemming, "
                 "geldigheid of controlecode klopt niet). U bent niet ingelogd; probeer het opnieuw.")
CANCELLED = "Inloggen bij de inlogdienst is afgebroken of geweigerd. U bent niet ingelogd."


class ProviderProblem(Exception):
    """Logging in through the provider failed; `text` is the user's Dutch message, `reason` the
    log's (no personal data)."""

    def __init__(self, text: str, reason: str, status: int = 400):
        super().__init__(reason)
        self.text, self.reason, self.status = text, reason, status


def endpoint_ok(value) -> bool:
    """An endpoint of the provider: an https URL (http only on this machine)."""
    if not isinstance(value, str) or len(value) > 2000 or any(ch.isspace() for ch in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return False
    return bool(host) and not parts.fragment and (parts.scheme == "https" or
                                                  (parts.scheme == "http" and loopback(host)))


def discover(settings: OidcSettings) -> dict:
    """The provider's endpoints from its discovery document, checked: its issuer must be
    OIDC_ISSUER exactly (the id_token's iss is checked against it), and the endpoints must be
    https URLs. ProviderProblem otherwise."""
    try:
        response = requests.get(settings.discovery_url, timeout=TIMEOUT_S, headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise ProviderProblem(UNAVAILABLE, f"discovery onbereikbaar ({type(exc).__name__})", 503) from None
    if response.status_code != 200:
        raise ProviderProblem(UNAVAILABLE, f"discovery gaf HTTP {response.status_code}", 503)
    try:
        document = response.json()
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise ProviderProblem(UNAVAILABLE, "discovery gaf geen JSON-object", 503)
    if document.get("issuer") != settings.issuer:
        raise ProviderProblem(MISCONFIGURED, f"de discovery noemt issuer {str(document.get('issuer'))[:120]!r}, "
                                             f"OIDC_ISSUER is {settings.issuer!r}: zet OIDC_ISSUER daarop", 502)
    metadata = {"issuer": settings.issuer}
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "end_session_endpoint"):
        value = document.get(name)
        if value is None and name == "end_session_endpoint":
            continue  # no RP-initiated logout: logging out ends the session here only
        if not endpoint_ok(value):
            raise ProviderProblem(MISCONFIGURED, f"de discovery heeft geen geldige {name}", 502)
        metadata[name] = value
    advertised = document.get("id_token_signing_alg_values_supported")
    algorithms = [a for a in advertised if a in SIGNING_ALGORITHMS] if isinstance(advertised, list) else []
    metadata["id_token_signing_alg_values_supported"] = algorithms or ["RS256"]  # RS256: the spec's default
    return metadata


class ProviderLogin:
    """The provider's routes and its Authlib client (made after the first successful discovery)."""

    def __init__(self, settings: OidcSettings):
        self.settings = settings
        self._client: FlaskOAuth2App | None = None
        self._discovered_at = 0.0
        self._lock = threading.Lock()

    # --- the provider ----------------------------------------------------------------------

    def client(self) -> FlaskOAuth2App:
        """The Authlib client with the provider's endpoints; ProviderProblem while discovery fails
        (tried again at the next login). After DISCOVERY_TTL the endpoints are read again, and
        kept as they were when that fails."""
        with self._lock:
            stale = time.monotonic() - self._discovered_at > DISCOVERY_TTL.total_seconds()
            if self._client is None or stale:
                try:
                    metadata = discover(self.settings)
                except ProviderProblem:
                    if self._client is None:
                        raise
                    log.warning("inlogdienst: discovery opnieuw mislukt; de bekende eindpunten blijven in gebruik")
                else:
                    self._client = FlaskOAuth2App(
                        FlaskIntegration(CLIENT_NAME), CLIENT_NAME, client_id=self.settings.client_id,
                        client_secret=self.settings.client_secret,
                        client_kwargs={"scope": "openid profile email", "code_challenge_method": "S256",
                                       "default_timeout": TIMEOUT_S}, **metadata)
                    self._discovered_at = time.monotonic()
            return self._client

    def redirect_uri(self) -> str:
        """OIDC_REDIRECT_URI, else this request's own address (its scheme from X-Forwarded-Proto
        with BEHIND_PROXY=1)."""
        return self.settings.redirect_uri or request.host_url.rstrip("/") + auth.PROVIDER_CALLBACK_PATH

    def claims_options(self) -> dict:
        """Checks on the id_token beyond Authlib's own (signature, exp, iat, nonce): the issuer,
        and the audience exactly this client (Authlib alone accepts another audience when the
        token's azp names this client). Made per call: Authlib takes the `validate` hooks out."""
        client_id = self.settings.client_id
        return {"iss": {"essential": True, "values": [self.settings.issuer]},
                "aud": {"essential": True, "values": [client_id],
                        "validate": lambda _claims, value: value == client_id or value == [client_id]},
                "sub": {"essential": True},
                "exp": {"essential": True}}

    # --- the routes ------------------------------------------------------------------------

    def start(self) -> Response:
        next_path = auth.safe_next(request.args.get("volgende"))
        try:
            client = self.client()
        except ProviderProblem as problem:
            return self._refused(problem, next_path)
        forget_old_attempts(session)
        session[NEXT_KEY] = next_path
        return client.authorize_redirect(self.redirect_uri())

    def finish(self) -> Response:
        next_path = auth.safe_next(session.get(NEXT_KEY))
        try:
            claims, id_token = self._verified_claims()
            user = self._account(claims)
        except ProviderProblem as problem:
            return self._refused(problem, next_path)
        auth.start_session(user)
        session[auth.PROVIDER_SESSION] = id_token if len(id_token) <= KEEP_ID_TOKEN else True
        log.info("ingelogd via de inlogdienst: %s (%s)", user.gebruikersnaam, user.rol)
        return plain_page.redirect_to(next_path)

    def _verified_claims(self) -> tuple[dict, str]:
        client = self.client()
        sender = request.args.get("iss")  # RFC 9207, where the provider sends it: no mix-up of providers
        if sender is not None and sender != self.settings.issuer:
            raise ProviderProblem(REFUSED_TOKEN, "het antwoord komt van een andere uitgever (iss)")
        try:
            token = client.authorize_access_token(claims_options=self.claims_options(), leeway=60)
        except MismatchingStateError:
            raise ProviderProblem(EXPIRED, "state klopt niet of is al gebruikt") from None
        except OAuthError as exc:  # an error from the provider: at the callback or the token endpoint
            code = exc.error if isinstance(exc.error, str) and ERROR_CODE.fullmatch(exc.error) else "onbekend"
            cancelled = request.args.get("error") is not None
            raise ProviderProblem(CANCELLED if cancelled else REFUSED_TOKEN,
                                  f"{'de inlogdienst meldt' if cancelled else 'tokenaanvraag geweigerd'}: {code}") \
                from None
        except JoseError as exc:
            claim = getattr(exc, "claim", None)
            raise ProviderProblem(REFUSED_TOKEN, f"id_token geweigerd: {exc.error}"
                                                 + (f" ({claim})" if isinstance(claim, str) else "")) from None
        except requests.RequestException as exc:
            raise ProviderProblem(UNAVAILABLE, f"tokenaanvraag onbereikbaar ({type(exc).__name__})", 503) from None
        except (ValueError, TypeError, KeyError) as exc:  # an answer Authlib could not read
            raise ProviderProblem(REFUSED_TOKEN, f"antwoord onleesbaar ({type(exc).__name__})") from None
        claims = token.get("userinfo") if isinstance(token, dict) else None
        id_token = token.get("id_token") if isinstance(token, dict) else None
        if not claims or not isinstance(id_token, str):
            raise ProviderProblem(REFUSED_TOKEN, "geen id_token in het antwoord")
        return dict(claims), id_token

    def _account(self, claims: dict):
        rol = role_from_claims(claims, self.settings)
        if rol is None:
            raise ProviderProblem(missing_role_text(self.settings), "geen app-rol voor de Jeugdmonitor", 403)
        identity = ProviderIdentity(issuer=self.settings.issuer, sub=claims.get("sub"),
                                    naam=_text(claims.get("name")),
                                    preferred_username=_text(claims.get("preferred_username")),
                                    # an address the provider says it has not verified is not taken
                                    email=_text(claims.get("email")) if claims.get("email_verified") is not False else None)
        try:
            return sign_in(runtime.current().engine, identity, rol)
        except AccountBlocked as exc:
            raise ProviderProblem(str(exc), "account geblokkeerd", 403) from None
        except UserError as exc:
            raise ProviderProblem(REFUSED_TOKEN, f"ongeldige claims: {exc}") from None

    def _refused(self, problem: ProviderProblem, next_path: str) -> Response:
        log.warning("inloggen via de inlogdienst geweigerd: %s", problem.reason)
        session.pop(NEXT_KEY, None)
        return auth.login_page(problem.text, status=problem.status, next_path=next_path)

    # --- logout ----------------------------------------------------------------------------

    def logout_url(self, id_token: str | None) -> str | None:
        """The provider's end_session_endpoint for this logout, or None: the provider has none,
        or not on the issuer's origin (the CSP would stop the browser), or cannot be reached."""
        try:
            endpoint = self.client().server_metadata.get("end_session_endpoint")
        except ProviderProblem as problem:
            log.warning("uitloggen bij de inlogdienst overgeslagen: %s", problem.reason)
            return None
        if not endpoint:
            return None
        if origin(endpoint) != self.settings.issuer_origin:
            log.warning("uitloggen bij de inlogdienst overgeslagen: end_session_endpoint ligt niet op %s",
                        self.settings.issuer_origin)
            return None
        params = {"client_id": self.settings.client_id,
                  "post_logout_redirect_uri": origin(self.redirect_uri()) + auth.LOGIN_PATH}
        if id_token:
            params["id_token_hint"] = id_token
        return endpoint + ("&" if urlsplit(endpoint).query else "?") + urlencode(params)


def _text(value) -> str | None:
    return value if isinstance(value, str) else None


def forget_old_attempts(flask_session) -> None:
    """Keep the newest few unfinished logins of this browser, making room for one more (Authlib
    keeps each one's state, nonce and PKCE verifier in the cookie, which holds 4 KB)."""
    def expiry(key: str) -> float:
        value = flask_session[key]
        return value.get("exp", 0) if isinstance(value, dict) else 0

    started = sorted((key for key in flask_session if key.startswith(f"_state_{CLIENT_NAME}_")), key=expiry)
    for key in started[:max(0, len(started) - (OPEN_ATTEMPTS - 1))]:
        flask_session.pop(key)


def register(server, settings: OidcSettings) -> ProviderLogin:
    """The provider's routes on the Flask server, and the logout hook auth.handle_logout calls."""
    login = ProviderLogin(settings)
    server.add_url_rule(auth.PROVIDER_LOGIN_PATH, "inloggen_oidc", login.start, methods=["GET"])
    server.add_url_rule(auth.PROVIDER_CALLBACK_PATH, "inloggen_oidc_terug", login.finish, methods=["GET"])
    server.extensions[auth.PROVIDER_LOGOUT] = login.logout_url
    return login
