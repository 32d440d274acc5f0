"""GET /toegankelijkheid: the toegankelijkheidsverklaring (accessibility statement), open to everyone.

It follows the Dutch government's model statement (digitoegankelijk.nl, the invulassistent of
toegankelijkheidsverklaring.nl): the statement and its scope, the compliance status (A–E), what
was tested, how and when, what is known not to meet WCAG 2.1 AA with its cause, consequence,
measure and planned date, feedback and contact, the enforcement procedure, and who approved it.

It claims only what the product's own tests check (tests/test_browser*.py with axe-core,
tests/test_theme_browser.py, dashboard/theming/build.py's contrast check); what no test checks
is listed as not researched. A plain Flask page, not a Dash page: a visitor without an account
reads it without the app's callbacks, which need a login.

TOEGANKELIJKHEID_CONTACT (an e-mail address or an https:// address) is where feedback goes; without
it the statement names the gemeente's functioneel beheerder of the Jeugdmonitor.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from flask import Response, current_app, request
from sqlalchemy.exc import SQLAlchemyError

from dashboard.server import plain_page, runtime

CONTACT_SETTING = "TOEGANKELIJKHEID_CONTACT"
STATEMENT_DATE = "5 december 2026"
STATUS = "C"
STATUS_TEXT = "eerste maatregelen genomen"
AUDIT_PLANNED = "1 juni 2027"
AXE_VERSION = "4.14.1"  # tests/browser_assets/axe.min.js

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63})+")
_URL = re.compile(r"https://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[A-Za-z0-9._~%/?&=#+-]*)?")

# (page, path) the browser tests open and check with axe-core; the tests keep this list true
TESTED_PAGES = (
    ("Overzicht", "/"),
    ("Programma, per strategische lijn en per doelstelling", "/programma"),
    ("Een strategische lijn", "/programma/L3"),
    ("Een indicator met de weg naar 2028", "/indicator/K06"),
    ("Verkenner, met uitsplitsingen, filters en bladeren", "/verkenner"),
    ("Prognose", "/prognose"),
    ("Kostengroei", "/kostengroei"),
    ("Presentatie", "/presentatie"),
    ("Standen", "/standen"),
    ("Beheer", "/beheer"),
    ("Inloggen", "/inloggen"),
    ("Deze toegankelijkheidsverklaring", "/toegankelijkheid"),
    ("De foutpagina (pagina niet gevonden)", "/bestaat-niet"),
)

# (what, cause, consequence, measure, planned date): known not to meet WCAG 2.1 AA
KNOWN_ISSUES = (
    ("Extra informatie in grafieken (WCAG 2.1.1 Toetsenbord)",
     "De getallen die verschijnen als de muisaanwijzer op een staaf of punt staat, zijn alleen met de muis "
     "op te roepen.",
     "Wie met het toetsenbord of een schermlezer werkt, krijgt die informatie niet bij de grafiek.",
     "Elke grafiek heeft dezelfde cijfers in een tabel eronder. De grafieken krijgen een bediening met het "
     "toetsenbord, of de informatie komt zonder muis in beeld.",
     "1 juli 2027"),
    ("Tekst in grafieken (WCAG 1.4.3 Contrast)",
     "De automatische controle leest de tekst in grafieken (assen, labels) niet betrouwbaar; het contrast "
     "daarvan is niet aangetoond.",
     "Mogelijk is een label in een grafiek slecht leesbaar voor slechtzienden.",
     "Handmatige controle van alle grafiektypen bij het onderzoek volgens WCAG-EM; wat tekortschiet, wordt "
     "aangepast.",
     "1 juli 2027"),
)

NOT_RESEARCHED = (
    "Een volledig onderzoek volgens de onderzoeksmethode WCAG-EM door een onafhankelijke onderzoeker.",
    "Gebruik met een schermlezer (zoals NVDA of VoiceOver).",
    "Vergroten tot 400% en een scherm van 320 pixels breed (WCAG 1.4.10 Reflow).",
    "De PowerPoint-presentatie die u kunt downloaden.",
)


class ContactSettingError(ValueError):
    """A TOEGANKELIJKHEID_CONTACT the app refuses; the message is Dutch."""


@dataclass(frozen=True)
class Contact:
    href: str
    text: str


def contact_from_setting(value: str | None) -> Contact | None:
    text = (value or "").strip()
    if not text:
        return None
    if _EMAIL.fullmatch(text) and len(text) <= 254:
        return Contact(f"mailto:{text}", text)
    if _URL.fullmatch(text):
        return Contact(text, text)
    raise ContactSettingError(f"{CONTACT_SETTING}={value!r}: geef een e-mailadres of een adres dat met "
                              "https:// begint")


def _gemeente() -> str:
    try:
        return runtime.plan().gemeente
    except SQLAlchemyError:  # readable while the database is away, like the frame's footer
        from data.programme.plan import default_plan

        return default_plan().gemeente


def statement_html(gemeente: str, site: str, contact: Contact | None) -> str:
    """The statement's content (inside <main>); every value escaped."""
    g, e = html.escape(gemeente), html.escape
    pages = "".join(f"<li>{e(name)}: {e(path)}</li>" for name, path in TESTED_PAGES)
    issues = "".join(
        f"<li><strong>{e(what)}</strong><dl class='row mb-2'>"
        f"<dt class='col-sm-3'>Oorzaak</dt><dd class='col-sm-9'>{e(cause)}</dd>"
        f"<dt class='col-sm-3'>Gevolg</dt><dd class='col-sm-9'>{e(effect)}</dd>"
        f"<dt class='col-sm-3'>Maatregel</dt><dd class='col-sm-9'>{e(measure)}</dd>"
        f"<dt class='col-sm-3'>Opgelost vóór</dt><dd class='col-sm-9'>{e(date)}</dd></dl></li>"
        for what, cause, effect, measure, date in KNOWN_ISSUES)
    not_researched = "".join(f"<li>{e(item)}</li>" for item in NOT_RESEARCHED)
    reach = (f'via <a href="{e(contact.href)}">{e(contact.text)}</a>' if contact
             else "via de functioneel beheerder van de Jeugdmonitor bij de gemeente")
    return f"""<h1 class="mb-3">Toegankelijkheidsverklaring</h1>
<p class="lead">Gemeente {g} streeft ernaar om haar online informatie en dienstverlening toegankelijk te maken,
overeenkomstig het Besluit digitale toegankelijkheid overheid.</p>
<p>Deze toegankelijkheidsverklaring is van toepassing op de Jeugdmonitor van gemeente {g}
({e(site)}): het stuurdashboard van het jeugdhulpprogramma, met alle pagina's achter
het inloggen en de bestanden die u er kunt downloaden.</p>

<h2>Nalevingsstatus</h2>
<p><strong>Status {STATUS}: {STATUS_TEXT}.</strong> De Jeugdmonitor is nog niet volledig onderzocht volgens
de onderzoeksmethode WCAG-EM. Wat de eigen tests controleren, staat hieronder. Een volledig onderzoek
naar alle eisen van WCAG 2.1 niveau AA is gepland vóór {AUDIT_PLANNED}.</p>

<h2>Wat is onderzocht, en hoe</h2>
<p>Bij elke wijziging van de software draait een automatische testsuite. Een wijziging wordt pas
opgenomen als alle tests slagen. Daarin:</p>
<ul>
<li><strong>Automatische controle met axe-core {AXE_VERSION}</strong> in de browser Chromium, op een
scherm van 1440 bij 900 pixels. Op de pagina's hieronder meldt axe geen ernstige of kritieke
overtredingen (minder ernstige meldingen worden niet getoetst):<ul>{pages}</ul></li>
<li><strong>Kleurcontrast van het thema.</strong> Bij het maken van een gemeentelijk thema uit
NL Design System-tokens worden alle kleurparen die de Jeugdmonitor toont gecontroleerd op de
contrasteisen van WCAG 2.1 AA (4,5:1 voor tekst, 3:1 voor de focusrand); een thema dat daar niet aan
voldoet, wordt niet gemaakt. De pagina's Overzicht, Programma, Verkenner, Inloggen, deze verklaring en
de foutpagina worden met axe gecontroleerd onder beide meegeleverde thema's (Huizen en Den Haag).</li>
<li><strong>Bediening met het toetsenbord</strong> voor de presentatie (pijltjes, Page Down, Escape)
en de keuze van het jaar. Inzoomen in de verkenner kan behalve in de grafiek ook met een knop per
groep in de tabel. Elke pagina begint met de link ‘Direct naar de inhoud’.</li>
<li><strong>Het PDF-rapport</strong> wordt gecontroleerd op PDF/UA-1 (een getagde, toegankelijke PDF).</li>
<li>De geteste pagina's hebben één hoofdkop, de taal Nederlands en geen foutmeldingen in de browser.
Een status staat nooit alleen in kleur: er staat altijd een woord en een pictogram bij.</li>
</ul>
<p>Niet onderzocht:</p>
<ul>{not_researched}</ul>

<h2>Wat nog niet voldoet</h2>
<p>Deze onderdelen voldoen (mogelijk) niet aan WCAG 2.1 niveau AA:</p>
<ol>{issues}</ol>

<h2>Feedback en contactgegevens</h2>
<p>Loopt u tegen een toegankelijkheidsprobleem aan? Of heeft u een vraag of opmerking over
toegankelijkheid? Neem dan contact op {reach}. U krijgt binnen 5 werkdagen een
ontvangstbevestiging, en binnen 2 weken hoort u wat er met uw melding gebeurt.</p>

<h2>Handhavingsprocedure</h2>
<p>Bent u niet tevreden met de manier waarop uw klacht is behandeld of met de uitkomst? Dan kunt u
zich wenden tot de ombudsman die voor gemeente {g} klachten behandelt (de Nationale ombudsman of een
gemeentelijke ombudsman).</p>

<h2>Over deze verklaring</h2>
<p>Deze verklaring is opgesteld op {STATEMENT_DATE}, bij de software, op basis van de tests hierboven.
Gemeente {g} stelt haar vast en neemt haar op in het register van toegankelijkheidsverklaringen.</p>"""


def statement_response() -> Response:
    body = plain_page.page("Toegankelijkheidsverklaring",
                           statement_html(_gemeente(), request.host_url.rstrip("/"),
                                          current_app.config.get(CONTACT_SETTING)))
    return Response(body, mimetype="text/html")


def register(server, contact: Contact | None) -> None:
    server.config[CONTACT_SETTING] = contact
    server.add_url_rule(plain_page.STATEMENT_PATH, "toegankelijkheid", statement_response, methods=["GET"])
