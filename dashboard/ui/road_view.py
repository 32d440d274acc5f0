"""De weg naar het laatste planjaar on the screens: the indicator page's section (chart, table,
what the line says), the short line on the lijn page and the overview card, the chance beside a
year's streefwaarde, and the "Hoe berekend?" text. Pure builders given a Road
(dashboard/programme/road.py)."""
from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard.programme.road import (
    TE_ONZEKER,
    TE_WEINIG_JAREN,
    VENSTER,
    Road,
    explained,
    interval_text,
    likely,
)
from dashboard.programme.status import Status
from dashboard.ui import components, figures
from kpi import format as fmt
from kpi.trajectory import MAX_BREEDTE, MIN_PUNTEN, NIVEAU

SECTION_ID = "weg-naar-eindjaar"
HELP_ID = "hoe-berekend-weg"
PERCENT = f"{round(NIVEAU * 100)}%"


def chance_label(road: Road, jaar: int) -> str | None:
    """"kans 2028: 35%" beside a year's streefwaarde; None where the road has nothing to say for
    that year (a year with data, no line, no streefwaarde)."""
    found = road.year(jaar)
    if not road.has_line or found is None or found.streefwaarde is None:
        return None
    return f"kans {jaar}: {road.verdict(jaar, compact=True)}"


def road_line(road: Road, link: str | None = None, compact: bool = False, name: str | None = None) -> html.P:
    """The short line for the lijn page and the overview card (`compact`): "Op weg naar 2028:
    kans 35%", and what the line rests on; `link` to the full road of the indicator `name`."""
    icon = html.I(className="bi bi-signpost-2", **{"aria-hidden": "true"})
    parts = [icon, " ", road.short if compact else html.Strong(road.short)]
    if road.has_line:
        parts.append(html.Span(f" ({road.span if compact else road.basis})", className="text-body-secondary"))
    if link:
        label = f"toelichting: de weg naar {road.eindjaar}" + (f" van {name}" if name else "")
        parts += [" ", html.A("toelichting", href=link, className="road-link", **{"aria-label": label})]
    return html.P(parts, className="small mb-1 road-line")


def road_help(eindjaar: int, summary: str = "Hoe berekend?") -> html.Details:
    """What the line, the margin and the chance are, and how they differ from the status."""
    items = [
        html.P(f"De lijn is de rechte lijn die het best past bij de jaarcijfers van de indicator "
               f"(kleinste kwadraten): alleen volledige jaren, hoogstens de laatste {VENSTER}. Een lopend "
               "jaar telt niet mee (zijn cijfer is nog niet compleet), een jaar waarvan de volgperiode nog "
               "loopt ook niet, en een afgeschermd jaar (<10) evenmin. Bij een handmatige indicator telt de "
               "nulmeting als het cijfer van haar jaar. Wie alleen vastgestelde cijfers ziet, krijgt een lijn "
               "door alleen vastgestelde cijfers."),
        html.P(f"De {PERCENT}-marge: als de komende jaren net zo rond de lijn schommelen als de afgelopen "
               "jaren, valt het cijfer van een jaar in 8 van de 10 gevallen binnen de marge. Hoe verder "
               "vooruit en hoe minder jaren, hoe breder de marge."),
        html.P("De kans is de kans dat het cijfer van dat jaar de streefwaarde haalt (hoger of lager, naar "
               "de richting van de indicator) als de lijn zich voortzet. Hij is afgerond op 5% en nooit 0% "
               "of 100%: een lijn door een paar jaarcijfers maakt niets zeker (\"<\u00a05%\", \">\u00a095%\")."),
        html.P(f"Met minder dan {MIN_PUNTEN} jaren is er geen lijn ({TE_WEINIG_JAREN}). Is de marge breder "
               f"dan {fmt.number(MAX_BREEDTE)} keer het bereik van het plan (van de nulmeting tot de verste "
               f"streefwaarde), dan staat er geen precies percentage maar \"{TE_ONZEKER}\"; ligt de "
               "streefwaarde zelfs dan buiten de marge, dan staat er \"<\u00a010%\" of \">\u00a090%\" met \"grote "
               "onzekerheid\"."),
        html.P(["Status en kans beantwoorden verschillende vragen. De ", html.Strong("status"),
                " (op koers, aandacht, achter) gaat over de stand van dit jaar: haalt het cijfer de "
                "streefwaarde van dit jaar? De ", html.Strong("kans"),
                f" gaat over later, tot en met {eindjaar}: waar komt de lijn van de afgelopen jaren uit? Een "
                "indicator kan dit jaar op koers zijn en toch een kleine kans hebben (de streefwaarden "
                "lopen sneller op dan de lijn), of achter liggen met een grote kans."]),
        html.P("De lijn is geen voorspelling van het effect van het programma: ze laat zien waar de koers "
               "van de afgelopen jaren heen leidt als er niets verandert."),
    ]
    return html.Details([html.Summary(summary), html.Div(items, className="mt-2")],
                        className="how-computed mb-3", id=HELP_ID)


def contrast_note(road: Road, latest: tuple[int, Status] | None) -> dbc.Alert | None:
    """When this year's status and the chance for the last year point different ways, one
    sentence that says what each is about."""
    if latest is None or not road.has_line:
        return None
    jaar, found = latest
    end = road.year(road.eindjaar)
    leaning = likely(end, road.richting)
    if found.code == "op_koers" and leaning is False:
        text = (f"{jaar}: op koers, maar de lijn van de afgelopen jaren haalt de streefwaarde van "
                f"{road.eindjaar} waarschijnlijk niet. De status gaat over de stand van {jaar}, de kans over "
                f"{road.eindjaar}.")
    elif found.code == "achter" and leaning is True:
        text = (f"{jaar}: achter, maar de lijn van de afgelopen jaren haalt de streefwaarde van "
                f"{road.eindjaar} waarschijnlijk wel. De status gaat over de stand van {jaar}, de kans over "
                f"{road.eindjaar}.")
    else:
        return None
    return dbc.Alert(text, color="info", className="py-2 small road-contrast")


def _interval_cell(text: str) -> list:
    """"€ 13.759 – € 17.460" that may wrap after its dash, each amount whole: on one line the
    80%-marge of a euro KPI pushed the table past its column at 1280 pixels wide, cutting off
    "Kans op de streefwaarde" at the box's edge."""
    lower, dash, upper = text.partition(" – ")
    if not dash:
        return [text]
    return [html.Span(f"{lower} –", className="text-nowrap"), " ", html.Span(upper, className="text-nowrap")]


def road_table(road: Road, caption: str) -> html.Table:
    rows = []
    for year in road.trajectory.jaren:
        rows.append(html.Tr([
            html.Th(str(year.jaar), scope="row"),
            html.Td(fmt.value(year.verwachting, road.eenheid), className="text-end text-nowrap"),
            html.Td(_interval_cell(interval_text(year, road.eenheid)), className="text-end"),
            html.Td("–" if year.streefwaarde is None else fmt.value(year.streefwaarde, road.eenheid),
                    className="text-end text-nowrap"),
            html.Td(chance_label(road, year.jaar) or "–"),
        ]))
    head = html.Thead(html.Tr([html.Th("Jaar", scope="col"),
                               html.Th("Verwacht", scope="col", className="text-end"),
                               html.Th(f"{PERCENT}-marge", scope="col", className="text-end"),
                               html.Th("Streefwaarde", scope="col", className="text-end"),
                               # may break as "streef-waarde" (a soft hyphen): the longest word set the column's width
                               html.Th("Kans op de streef\u00adwaarde", scope="col")]))
    return html.Table([html.Caption(caption), head, html.Tbody(rows)], className="table table-sm kpi-table")


def road_section(name: str, road: Road, streefwaarden: dict[int, float], nulmeting: tuple[int, float] | None,
                 latest: tuple[int, Status] | None = None) -> html.Section:
    """The indicator page's "De weg naar 2028": what the line says, the chart with its table, a
    note where the status and the chance point different ways, and "Hoe berekend?"."""
    title = f"{name}: de weg naar {road.eindjaar}"
    parts = [html.H2(f"De weg naar {road.eindjaar}", className="h5"),
             html.P([html.Strong(road.short), ". ", explained(road)], className="mb-2")]
    if road.has_line and any(y.buiten_bereik for y in road.trajectory.jaren):
        parts.append(html.P("De rechte lijn loopt buiten wat deze eenheid kan; getekend is de grens. Zo kan "
                            "de lijn niet lang doorgaan: lees de kans als een richting, niet als een getal.",
                            className="small"))
    note = contrast_note(road, latest)
    if note is not None:
        parts.append(note)
    if road.has_line:
        chart = components.chart(figures.road_chart(road.trajectory, road.eenheid, title, streefwaarden, nulmeting),
                                 title)
        table = road_table(road, f"{title}: lijn, {PERCENT}-marge en kans per jaar")
        # half and half: the table of a KPI in millions of euros ("€ 12.481.649 – € 17.001.963") did not
        # fit in five twelfths at 1280 pixels wide
        parts.append(dbc.Row([dbc.Col(chart, lg=6), dbc.Col(components.scrolling(table), lg=6)]))
    parts.append(road_help(road.eindjaar))
    return html.Section(parts, className="axis-band", id=SECTION_ID)
