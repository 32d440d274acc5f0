"""The product's role from the provider's app roles (pure).

The role comes from the app roles claim (Entra ID: `roles`, the app roles assigned to the user or
to a group the user is in for this application), never from group membership: Entra ID leaves
the groups out of a token for a user in more than 200 groups, and an app role names what the
user may do here, not where the user sits in the organisation.
"""
from __future__ import annotations

from collections.abc import Mapping

from dashboard.server.login_settings import OidcSettings


def app_roles_in(claims: Mapping, claim: str) -> tuple[str, ...]:
    """The app roles in the claim: a list of strings (as Entra ID sends it) or one string with
    the roles separated by spaces (as some providers do); anything else counts as none."""
    value = claims.get(claim)
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, (list, tuple)):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def role_from_claims(claims: Mapping, settings: OidcSettings) -> str | None:
    """The highest of the product's roles whose app role the claims carry; None without any."""
    have = set(app_roles_in(claims, settings.role_claim))
    return next((rol for rol, app_role in settings.app_roles if app_role in have), None)


def missing_role_text(settings: OidcSettings) -> str:
    """What the user without a role is told (Dutch): which app roles give access."""
    names = [app_role for _, app_role in settings.app_roles]
    return (f"Uw account heeft bij de inlogdienst geen app-rol voor de Jeugdmonitor. Een van de app-rollen "
            f"{', '.join(names[:-1])} of {names[-1]} (in de claim '{settings.role_claim}') is nodig. Vraag de "
            "beheerder van de inlogdienst (bijvoorbeeld Microsoft Entra ID) om u er een toe te wijzen, en log "
            "daarna opnieuw in.")
