"""The overview's "Signalen" block for the programmamanager: each KPI whose latest complete month
lies outside its expected band (kpi/forecast/signals.py), in one Dutch sentence with a link to the
explorer's monthly view of that KPI, or "Geen signalen"; with a "Hoe berekend?" text.

The raad (lezers), trekkers and visitors do not get it: a signal is a cue to look closer before
anything is concluded, and it rests on a month the reporting cycle has not vastgesteld
(`permissions.sees_signals`; docs/prognose.md, "Signalen")."""
from __future__ import annotations

from dash import html

from dashboard.ui.explorer_links import href
from dashboard.ui.state import ExplorerState
from kpi import format as fmt
from kpi.forecast import signals as sg

BLOCK_ID = "signalen"


def signal_href(b: sg.Beoordeling, gemeente: str | None = None) -> str:
    """The explorer's view of the KPI per maand in the signal's year, without a breakdown."""
    return href(ExplorerState(kpi=b.kpi, jaar=b.jaar, by=None, per="maand", gemeente=gemeente))


def _signal_item(b: sg.Beoordeling, gemeente: str | None) -> html.Li:
    tone = "gunstig" if b.gunstig else "ongunstig"
    icon = "bi-arrow-up-right" if b.signaal == sg.HOGER else "bi-arrow-down-right"
    return html.Li([
        html.I(className=f"bi {icon} me-1", **{"aria-hidden": "true"}),
        html.Span(sg.sentence(b), className=f"signaal-{tone}"),
        html.Span(" · "),
        html.A("Bekijk per maand", href=signal_href(b, gemeente),
               **{"aria-label": f"Bekijk per maand in de verkenner: {b.naam}"}),
    ], className="mb-1")


def judged_months(result: sg.Signalen) -> str:
    """'september 2026 (12 KPI's), mei 2026 (Totale kosten)': the months judged, newest first, each
    with the KPIs judged on it (named when they are few), so that three months do not read as a
    contradiction (a KPI's last complete month depends on how late its figures come in)."""
    per_month: dict[str, list[str]] = {}
    for b in result.beoordelingen:
        if b.band is not None:
            per_month.setdefault(b.periode, []).append(b.naam)
    if len(per_month) == 1:
        return sg.month_name(next(iter(per_month)))
    return ", ".join(f"{sg.month_name(month)} ({', '.join(names) if len(names) <= 3 else f'{len(names)} KPI' + chr(39) + 's'})"
                     for month, names in sorted(per_month.items(), reverse=True))


def judged_intro(result: sg.Signalen) -> str:
    """The sentence above the signals: which months were judged."""
    judged = judged_months(result)
    if not judged:
        return "Er is nog geen complete maand om te beoordelen."
    if "(" not in judged:
        return f"Beoordeeld is de laatste complete maand: {judged}."
    return f"Beoordeeld is per KPI de laatste complete maand: {judged}."


#: the sentence that says there is none (the block and the digest e-mail)
NO_SIGNALS = "Geen signalen: elke beoordeelde KPI ligt binnen de verwachting."


def signals_help(result: sg.Signalen | None = None) -> html.Details:
    percent = fmt.number(100 * (result.band if result else sg.BAND))
    parts = [
        html.P(f"Per KPI die per maand te berekenen is, vergelijken we de laatste complete maand met wat "
               "de maanden ervoor lieten verwachten. Het verwachte cijfer en de bandbreedte komen uit "
               "hetzelfde model als de jaarprognose (exponentiële afvlakking met seizoenspatroon) op de "
               f"hoogstens 60 maanden ervoor. Ligt de maand buiten de {percent}%-band, dan is het "
               "een signaal: hoger of lager dan verwacht, gunstig of ongunstig naar de richting van de KPI."),
        html.P("Een maand die nog loopt telt niet mee. Kostenmaanden tellen pas mee als naar het "
               f"declaratiepatroon minstens {fmt.number(100 * sg.KOSTEN_COMPLETE)}% van de kosten binnen "
               "is, herinstroom pas na de volgperiode van een jaar. Een afgeschermde waarde (<10) geeft "
               f"nooit een signaal, en er is minstens {sg.MIN_HISTORY} maanden historie nodig."),
        html.P(f"Op de eigen geschiedenis van de demonstratiegegevens gaf de {percent}%-band in ongeveer 3 "
               "van de 100 KPI-maanden een signaal, de 95%-band in bijna 9 van de 100: daarom de "
               f"{percent}%-band. Een signaal is een reden om te kijken, geen conclusie; één maand kan "
               "toeval zijn."),
    ]
    if result is not None and result.beoordelingen:
        quiet = [b for b in result.beoordelingen if b.band is None]
        if quiet:
            parts.append(html.P("Niet beoordeeld: " + "; ".join(
                f"{b.naam} ({b.reden})" for b in quiet) + "."))
    return html.Details([html.Summary("Signalen: hoe berekend?"), *parts], className="small mt-2")


def signals_block(result: sg.Signalen, gemeente: str | None = None) -> html.Section:
    """The block itself, from the computed signals."""
    title = html.H2("Signalen", id=f"{BLOCK_ID}-kop")
    intro = html.P(judged_intro(result), className="small text-body-secondary mb-2")
    found = result.signalen
    if found:
        body = html.Ul([_signal_item(b, gemeente) for b in found], className="list-unstyled mb-0",
                       id=f"{BLOCK_ID}-lijst")
    else:
        body = html.P(NO_SIGNALS, className="mb-0", id=f"{BLOCK_ID}-geen")
    return html.Section([title, intro, body, signals_help(result)], id=BLOCK_ID,
                        className="signals-band mb-4", **{"aria-labelledby": f"{BLOCK_ID}-kop"})


def overview_signals(may_see: bool, service, gemeente: str | None = None) -> list:
    """What the overview shows: the block for a viewer who may see it, else nothing."""
    if not may_see:
        return []
    return [signals_block(sg.cached(service, gemeente), gemeente)]
