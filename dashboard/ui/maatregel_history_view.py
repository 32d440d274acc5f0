"""A maatregel's history in words: who changed its reported status or toelichting, when, and from
what to what (the lijn page), and who vastgesteld or ontgrendeld a quarter, with the reason (/beheer).

The audit trail stores a status as its code ("op_schema"): it is worded here with the programme's
own labels (MAATREGEL_STATUS_LABELS), and dates are Dutch ("3 april 2026, 14:05"). Which entries a
viewer may see is decided before (dashboard.programme.history: the raad's hold vastgestelde
quarters only); these builders only draw them. Pure functions of their arguments.
"""
from __future__ import annotations

from dash import html

from dashboard.programme.history import HistoryEntry, LockChange
from data.programme.schema import MAATREGEL_STATUS_LABELS
from kpi import format as fmt

FIELD_WORDS = {"status": "Status", "toelichting": "Toelichting"}


def value_text(entry: HistoryEntry, value: str | None) -> str:
    """A stored value in words: a status by its label, an empty value as a dash."""
    if value is None or value == "":
        return "–"
    if entry.veld == "status":
        return MAATREGEL_STATUS_LABELS.get(value, value)
    return value


def change_row(entry: HistoryEntry, provisional: bool) -> html.Tr:
    cells = [html.Td(fmt.moment(entry.op)), html.Td(entry.door),
             html.Td(fmt.periode_label(entry.periode) if entry.periode else "–"),
             html.Td(FIELD_WORDS.get(entry.veld or "", entry.wat)),
             html.Td(value_text(entry, entry.oud), className="user-text"),
             html.Td(value_text(entry, entry.nieuw), className="user-text")]
    if provisional:
        cells.append(html.Td(entry.stand, className="small"))
    return html.Tr(cells)


def maatregel_history_block(code: str, entries: list[HistoryEntry], provisional: bool) -> html.Details | None:
    """The changes to maatregel `code`'s status and toelichting, newest first, folded; None when
    there are none to show. `provisional`: the viewer also sees quarters not vastgesteld (trekkers,
    the programmamanager), so each change says whether its quarter is vastgesteld or voorlopig."""
    if not entries:
        return None
    heads = ["Wanneer", "Door", "Kwartaal", "Wat", "Van", "Naar"] + (["Stand"] if provisional else [])
    caption = f"Wijzigingen in status en toelichting van maatregel {code}, nieuwste eerst"
    if not provisional:
        caption += " (alleen van vastgestelde kwartalen)"
    return html.Details([
        html.Summary(f"Wijzigingen in status en toelichting ({len(entries)})", className="small"),
        html.Table([html.Caption(caption),
                    html.Thead(html.Tr([html.Th(h, scope="col") for h in heads])),
                    html.Tbody([change_row(e, provisional) for e in entries])],
                   className="table table-sm small kpi-table maatregel-history"),
    ], className="mb-2")


def lock_change_text(change: LockChange) -> str:
    """'3 april 2026, 14:05: vastgesteld door pm' or '…: ontgrendeld door pm. Reden: …'."""
    done = "vastgesteld" if change.vastgesteld else "ontgrendeld"
    text = f"{fmt.moment(change.op)}: {done} door {change.door}"
    return text + (f". Reden: {change.reden}" if change.reden else "")


def lock_history_block(periode: str, changes: list[LockChange]) -> html.Details | None:
    """Who vastgesteld and ontgrendeld quarter `periode`, when and why, newest first; None when it
    never was."""
    if not changes:
        return None
    return html.Details([
        html.Summary(f"Vastgesteld en ontgrendeld ({len(changes)})", className="small"),
        html.Ul([html.Li(lock_change_text(c), className="user-text") for c in changes],
                className="small mb-0", **{"aria-label": f"Vaststellen en ontgrendelen van "
                                                          f"{fmt.periode_label(periode)}, nieuwste eerst"}),
    ], className="mb-2")
