"""Who may scrape /metrics: METRICS_TOKEN and METRICS_NETWERK, checked once at start.

- METRICS_TOKEN: a bearer token (`Authorization: Bearer <token>`), at least 32 visible ASCII
  characters; compared in constant time.
- METRICS_NETWERK: a comma-separated list of address ranges in CIDR notation (`10.0.0.0/8`,
  `2001:db8::/32`; a single address is its own range), matched against the client's address —
  with BEHIND_PROXY=1 the one the proxy forwarded (ProxyFix sets it before any check).
- Both set: a scrape must carry the token *and* come from the range. Neither set: /metrics is off
  and answers 404, like any address that does not exist.

A bad value stops the start (`MetricsSettingError`, turned into one Dutch `fout:` line by app.py);
the message never repeats the token.
"""
from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass

MIN_TOKEN_LENGTH = 32
TOKEN_SETTING = "METRICS_TOKEN"
NETWORK_SETTING = "METRICS_NETWERK"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class MetricsSettingError(ValueError):
    """A METRICS_* setting the app refuses to start with (Dutch)."""


@dataclass(frozen=True)
class MetricsAccess:
    token: bytes | None
    networks: tuple[Network, ...] | None

    @property
    def enabled(self) -> bool:
        return self.token is not None or self.networks is not None

    def refusal(self, address: str | None, authorization: str | None) -> str | None:
        """Why a scrape from `address` with this Authorization header may not read the metrics
        (Dutch, for the log only: the scraper gets a bare 403), or None when it may."""
        if not self.enabled:
            return "de metrics staan uit"
        if self.networks is not None and not in_networks(address, self.networks):
            return f"adres buiten {NETWORK_SETTING}"
        if self.token is not None and not token_matches(authorization, self.token):
            return "geen of een verkeerd token"
        return None


def access_from_settings(token: str | None, networks: str | None) -> MetricsAccess:
    """The access the settings describe; empty values count as not set."""
    return MetricsAccess(parse_token(token), parse_networks(networks))


def parse_token(value: str | None) -> bytes | None:
    if value is None or not value.strip():
        return None
    token = value.strip()
    if not token.isascii() or not token.isprintable() or " " in token:
        raise MetricsSettingError(f"{TOKEN_SETTING}: gebruik alleen letters, cijfers en leestekens "
                                  "(geen spaties of andere tekens)")
    if len(token) < MIN_TOKEN_LENGTH:
        raise MetricsSettingError(f"{TOKEN_SETTING} is te kort: gebruik ten minste {MIN_TOKEN_LENGTH} tekens "
                                  "(bijvoorbeeld de uitvoer van: openssl rand -hex 32)")
    return token.encode("ascii")


def parse_networks(value: str | None) -> tuple[Network, ...] | None:
    if value is None or not value.strip():
        return None
    found = []
    for part in value.split(","):
        text = part.strip()
        if not text:
            continue  # a trailing comma
        try:
            found.append(ipaddress.ip_network(text, strict=True))
        except ValueError:
            raise MetricsSettingError(_network_problem(text)) from None
    if not found:
        raise MetricsSettingError(f"{NETWORK_SETTING} bevat geen adresbereik; geef bijvoorbeeld 10.0.0.0/8")
    return tuple(found)


def _network_problem(text: str) -> str:
    shown = text if len(text) <= 60 else text[:57] + "…"
    try:  # a range whose address has bits beyond its prefix: say which range was meant
        loose = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return (f"{NETWORK_SETTING}: {shown!r} is geen adresbereik; geef bereiken in CIDR-notatie, "
                "gescheiden door komma's (bijvoorbeeld 10.0.0.0/8,192.168.1.5)")
    return f"{NETWORK_SETTING}: {shown!r} is geen begin van een bereik; bedoelt u {loose}?"


def in_networks(address: str | None, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:10.1.2.3 from a dual-stack listener is 10.1.2.3
    return any(ip.version == network.version and ip in network for network in networks)


def token_matches(authorization: str | None, token: bytes) -> bool:
    scheme, _, sent = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return False
    # as bytes: compare_digest refuses str with non-ASCII characters, which anyone can send
    return hmac.compare_digest(sent.strip().encode("utf-8", "surrogateescape"), token)
