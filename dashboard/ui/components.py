"""Reusable pieces of the screens: status badge, KPI table, breadcrumb, notices. Pure builders."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Sequence

import dash_bootstrap_components as dbc
from dash import html

from dashboard.exports.report_links import report_filename, report_href
from dashboard.programme.progress import year_text
from dashboard.programme.status import Status
from dashboard.ui import ids
from kpi import format as fmt
from kpi import privacy
from kpi.result import KpiRow


def status_badge(found: Status | None, reden: str | None = None) -> html.Span:
    """Status with an icon and a word, never colour alone; without one, why not (`reden`:
    dashboard.programme.status.reason — "geen streefwaarde", "nog niet vastgesteld", "afgeschermd (<10)" …)."""
    if found is None:
        return html.Span(reden or "geen streefwaarde", className="status status-geen")
    return html.Span([html.I(className=f"bi {found.icon}", **{"aria-hidden": "true"}), " ", found.label],
                     className=f"status status-{found.code}")


def year_options(years: Iterable[int], data_tot: dt.date | None) -> list[dict]:
    """A year control's options, newest first: the year the data end inside reads "2026 (t/m
    september)", as the page's titles and tables say it, so the control never offers a whole 2026
    the figures do not have. The value stays the year ("2026"), as the URL's `?jaar=`."""
    return [{"label": year_text(y, data_tot), "value": str(y)} for y in sorted(years, reverse=True)]


# An amount with its euro sign ("€ 13.021.000") and a span of years ("2025–2028") read as one
# word: a line must not break inside them ("€" alone at the end of a line).
_KEPT_TOGETHER = re.compile(r"€ [-+]?[\d.,]+|\d{4}–\d{4}")


def kept_together(text: str) -> list:
    """`text` with its amounts and year spans in spans that do not break (Bootstrap's
    `text-nowrap`); the text itself is unchanged."""
    parts: list = []
    at = 0
    for match in _KEPT_TOGETHER.finditer(text):
        if match.start() > at:
            parts.append(text[at:match.start()])
        parts.append(html.Span(match.group(), className="text-nowrap"))
        at = match.end()
    if at < len(text):
        parts.append(text[at:])
    return parts


def report_link(jaar: int) -> html.Span:
    """The download of the programme's progress report (PDF) for `jaar`, and beside it a status
    that assets/50_rapport.js fills while the report is being made (that takes seconds). The live
    region is there from the start, so a screen reader announces what is put in it."""
    link = html.A([html.I(className="bi bi-file-earmark-pdf", **{"aria-hidden": "true"}), " Rapport (PDF)"],
                  href=report_href(jaar), download=report_filename(jaar),
                  className="btn btn-outline-primary btn-sm report-link",
                  title=f"Voortgangsrapportage {jaar} als PDF downloaden",
                  **{"aria-label": f"Rapport (PDF) over {jaar} downloaden"})
    status = html.Span(className="report-status small ms-2", role="status", **{"aria-live": "polite"})
    return html.Span([link, status], className="report-download")


def shown_value(text: str, suppressed: bool, threshold: int | None):
    """A value as the screens show it; a suppressed one (`<10`) says on hover and to a screen reader
    what it means (fewer than 10 jeugdigen or answers), beside a mean or a rapportcijfer too."""
    if not suppressed or not threshold:
        return text
    return html.Abbr(text, title=privacy.suppressed_meaning(threshold), className="suppressed-value")


def suppression_note(threshold: int | None, rounding: int | None = None, with_manual: bool = False) -> html.P:
    """The `<T` explanation; with `rounding` (the base of a detailed view) also the sentence that
    its counts are rounded, and why; `with_manual`: the page shows manual figures too (which are
    shown as entered)."""
    text = [html.I(className="bi bi-shield-lock", **{"aria-hidden": "true"}),
            " " + privacy.explain_suppression(threshold, with_manual)]
    if rounding and rounding > 1:
        text.append(" " + privacy.explain_rounding(rounding))
    return html.P(text, className="small text-body-secondary suppression-note")


def kpi_table(rows: Sequence[KpiRow], eenheid: str, threshold: int | None, caption: str,
              group_header: str, table_id: str | None = None, partial: dict[str, str] | None = None) -> html.Table:
    """The table alternative of a chart: group, value, n — formatted the Dutch way. `partial`
    (periode → "t/m september"), as figures.trend_chart takes it: "2026 (t/m september)"."""
    partial = partial or {}

    def period(periode: str) -> str:
        return fmt.periode_label(periode) + (f" ({partial[periode]})" if periode in partial else "")
    head = html.Thead(html.Tr([html.Th(group_header, scope="col"),
                               html.Th("Waarde", scope="col", className="text-end"),
                               html.Th("Aantal (n)", scope="col", className="text-end")]))
    body = html.Tbody([
        html.Tr([html.Th(row.label if row.periode is None or group_header != "Periode"
                         else period(row.periode), scope="row"),
                 html.Td(shown_value(fmt.value(row.value, eenheid, suppressed=row.suppressed, threshold=threshold),
                                     row.suppressed, threshold), className="text-end"),
                 html.Td("" if row.n is None else fmt.number(row.n), className="text-end")])
        for row in rows])
    kwargs = {"id": table_id} if table_id else {}
    return html.Table([html.Caption(caption), head, body],
                      className="table table-sm table-striped kpi-table", **kwargs)


def scrolling(table) -> html.Div:
    """`table` in a box that scrolls sideways by itself when it is wider than its column (a year
    table beside its chart at 1280×720): the table scrolls, never the page."""
    return html.Div(table, className="table-responsive")


def as_sentence(message: str) -> str:
    """A refusal worded for the command line ("het datawarehouse bevat geen kosten; …", after
    "fout: ") as a sentence on a page: a capital first and a full stop last."""
    message = message.strip()
    return message[:1].upper() + message[1:] + ("" if message.endswith((".", "!", "?")) else ".")


def nothing_loaded_notice() -> dbc.Alert:
    """For a warehouse nothing has been loaded into yet (a new production database): its figures
    read "<10" and "afgeschermd" as if there were a few jeugdigen."""
    return dbc.Alert([html.Strong("Er zijn nog geen gegevens geladen. "),
                      "De cijfers verschijnen hier zodra de gegevens uit de jeugdhulpregistratie van de gemeente zijn "
                      "geladen (voor de beheerder: python -m data load MAP, zie de README)."],
                     color="info", id=ids.NOTHING_LOADED)


def nothing_loaded(service) -> list:
    """The notice, on a page of live figures when nothing has been loaded yet; else nothing."""
    return [] if service.data_status().geladen_op is not None else [nothing_loaded_notice()]


def notices(messages: Sequence[str]) -> list:
    return [dbc.Alert(message, color="warning", className="py-2") for message in messages]


def text_sparkline(values: Sequence[float | None]) -> str:
    """A tiny trend in block characters (paired with an aria-label giving the numbers)."""
    blocks = "▁▂▃▄▅▆▇█"
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1
    return "".join(" " if v is None else blocks[int((v - low) / span * (len(blocks) - 1))] for v in values)


def sparkline(values: Sequence[float | None], last_partial: bool = False) -> html.Span:
    """The trend's blocks, hidden from screen readers (a label beside it gives the numbers);
    `last_partial`: the last period's data are not complete, so its block is drawn faint, as the
    charts draw that period apart from the line."""
    text = text_sparkline(values)
    children = [text[:-1], html.Span(text[-1], className="sparkline-partial")] if last_partial and text else text
    return html.Span(children, className="sparkline", **{"aria-hidden": "true"})


def chart(figure, title: str, graph_id: str | None = None) -> html.Figure:
    """A plotly chart inside <figure> with a caption naming what it shows (a chart's SVG has no
    accessible name of its own); the table alternative sits next to it."""
    from dash import dcc

    from dashboard.ui.theme import graph_config

    graph_kwargs = {"id": graph_id} if graph_id else {}
    return html.Figure([dcc.Graph(figure=figure, config=graph_config(), **graph_kwargs),
                        html.Figcaption(title, className="visually-hidden")],
                       className="chart mb-2", **{"aria-label": title})


def dom_id(component_id) -> str:
    """The id Dash gives an element in the page: a pattern-matching (dict) id becomes its JSON
    with sorted keys, so a <label for=…> can point at it."""
    if isinstance(component_id, dict):
        import json

        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return str(component_id)


def clicked_row(clicks, *row_fields: str) -> tuple[str, int]:
    """In a callback on a list of pattern-matched buttons whose States hold the matching lists of
    the rows' fields: the clicked button's key and its position in those lists. Nothing clicked, or a key
    the page does not have (a forged request), stops the callback without a change; pattern-matched
    lists that do not hold the same rows (a truncated request) are refused (BadInput).
    `row_fields`: the kinds of the States that are the buttons' rows, when the callback also
    reads other pattern-matched lists (the indicator page sends every field it has, so a field
    keeps what was typed); without them every list is one of the rows."""
    from dash import ctx
    from dash.exceptions import PreventUpdate

    from dashboard.server.params import BadInput

    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not any(isinstance(c, int) and c > 0 for c in clicks or []):
        raise PreventUpdate
    lists = [entries for entries in ctx.states_list if isinstance(entries, list)]
    if row_fields:
        lists = [entries for entries in lists if entries and entries[0]["id"].get("type") in row_fields]
        if {entries[0]["id"].get("type") for entries in lists} != set(row_fields):
            raise BadInput("De pagina stuurde onvolledige gegevens; laad haar opnieuw.")
    rows = [[entry["id"].get("key") for entry in entries]
            for entries in (*ctx.inputs_list, *lists) if isinstance(entries, list)]
    if not rows or any(keys != rows[0] for keys in rows):
        raise BadInput("De pagina stuurde onvolledige gegevens; laad haar opnieuw.")
    keys = rows[0]
    if trigger.get("key") not in keys:
        raise PreventUpdate
    return trigger["key"], keys.index(trigger["key"])


def typed_in_rows(kind: str, values, check) -> dict:
    """What every row of the pattern-matched field `kind` ({"type": kind, "key": …}) holds, by the
    field's id in the page, each value through `check` (BadInput for one of the wrong kind). In a
    callback of `clicked_row`, after it: it checked that the lists hold the same rows."""
    from dash import ctx

    keys = [entry["id"].get("key") for entry in ctx.inputs_list[0]]
    return {dom_id({"type": kind, "key": key}): check(value) for key, value in zip(keys, values, strict=True)}
