"""What the beheer screens read: editable values with their versions, the reporting cycle's
state, an indicator's history and annotations — from the rows data.programme.reporting_rows reads.
(Writes go through data.programme.edits.)"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dashboard.programme.progress import reporting_quarter
from data.programme import reporting_rows
from kpi.format import periode_label


@dataclass(frozen=True)
class EditableValue:
    waarde: float | None
    version: int | None  # None: no value yet
    oorspronkelijk: float | None = None
    door: str | None = None
    op: dt.datetime | None = None


@dataclass(frozen=True)
class IndicatorEdit:
    code: str
    nulmeting: tuple[int, EditableValue] | None
    streefwaarden: dict[int, EditableValue]
    realisaties: dict[str, EditableValue]


def indicator_edit(engine, code: str) -> IndicatorEdit | None:
    found = reporting_rows.indicator_value_rows(engine, code)
    if found is None:
        return None
    targets, realised = found
    nul, streef = None, {}
    for t in targets:
        value = EditableValue(t.waarde, t.version, t.oorspronkelijke_waarde, t.gewijzigd_door, t.gewijzigd_op)
        if t.soort == "nulmeting":
            nul = (t.jaar, value)
        else:
            streef[t.jaar] = value
    return IndicatorEdit(code, nul, streef, {
        r.periode: EditableValue(r.waarde, r.version, None, r.gewijzigd_door, r.gewijzigd_op) for r in realised})


@dataclass(frozen=True)
class Voortgang:
    status: str
    toelichting: str | None
    version: int
    door: str | None
    op: dt.datetime | None


def voortgang(engine, periode: str) -> dict[str, Voortgang]:
    """maatregel code → its reported voortgang for this quarter."""
    return {r.code: Voortgang(r.status, r.toelichting, r.version, r.gewijzigd_door, r.gewijzigd_op)
            for r in reporting_rows.voortgang_rows(engine, periode)}


@dataclass(frozen=True)
class PeriodState:
    periode: str
    vastgesteld: bool
    door: str | None
    op: dt.datetime | None


def period_state(engine, periode: str) -> PeriodState:
    row = reporting_rows.period_row(engine, periode)
    if row is None:
        return PeriodState(periode, False, None, None)
    return PeriodState(periode, bool(row.vastgesteld), row.vastgesteld_door, row.vastgesteld_op)


@dataclass(frozen=True)
class ReportingStatus:
    """How far the trekkers are with reporting on one quarter."""
    periode: str
    trekkers: tuple[str, ...]              # names of trekkers with maatregelen
    bijgewerkt: tuple[str, ...]            # … of whom every maatregel has voortgang
    niet_bijgewerkt: tuple[tuple[str, str], ...]  # (code, naam) of maatregelen without voortgang
    #: (trekker, codes of their maatregelen without voortgang) of each trekker not bijgewerkt
    open_per_trekker: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def summary(self) -> str:
        # "met een account": the plan names a trekker (a function) per maatregel; only those with an
        # account can report, and the count must not read as a contradiction of the names listed
        return (f"Trekkers met een account die alles hebben bijgewerkt: {len(self.bijgewerkt)} van "
                f"{len(self.trekkers)}; maatregelen nog niet bijgewerkt: {len(self.niet_bijgewerkt)}")


def reporting_status(engine, periode: str) -> ReportingStatus:
    rows = reporting_rows.quarter_rows(engine, periode)
    done = rows.reported
    per_trekker: dict[str, set[int]] = {}
    for naam, maatregel_id in rows.trekkers:
        per_trekker.setdefault(naam, set()).add(maatregel_id)
    trekkers = tuple(sorted(per_trekker))
    bijgewerkt = tuple(n for n in trekkers if per_trekker[n] <= done)
    open_per_trekker = tuple((n, tuple(m.code for m in rows.maatregelen if m.id in per_trekker[n] - done))
                             for n in trekkers if n not in bijgewerkt)
    return ReportingStatus(periode, trekkers, bijgewerkt,
                           tuple((m.code, m.naam) for m in rows.maatregelen if m.id not in done), open_per_trekker)


@dataclass(frozen=True)
class HistoryEntry:
    op: dt.datetime
    door: str
    wat: str          # what changed, in words ("streefwaarde 2026")
    oud: str | None
    nieuw: str | None
    reden: str | None
    #: for a realisatie or a status of a period: whether that period is vastgesteld (its quarter
    #: locked); None for what belongs to no reporting period (streefwaarden, notes)
    vastgesteld: bool | None = None
    #: of a maatregel's voortgang: its quarter ("2026-Q2") and field ("status", "toelichting"),
    #: so a screen can word the values (a status is a code, "op_schema"); None otherwise
    periode: str | None = None
    veld: str | None = None

    @property
    def stand(self) -> str:
        return "" if self.vastgesteld is None else "vastgesteld" if self.vastgesteld else "voorlopig"


#: audit tables whose entries are figures of a reporting period: the raad sees them only once vastgesteld
PERIOD_TABLES = ("realisatie", "maatregel_voortgang")


def _entries(rows, locked: set[str], vastgesteld_only: bool) -> list[HistoryEntry]:
    """History entries, each marked vastgesteld/voorlopig where it concerns a period (`locked`: the
    vastgestelde quarters); with `vastgesteld_only` (lezers, visitors) the entries of periods not
    yet vastgesteld are left out, exactly as the figures themselves are
    (dashboard.programme.progress.read_programme)."""
    out = []
    for r in rows:
        parts = r.sleutel.split("/")
        state = None
        if r.tabel in PERIOD_TABLES:
            state = len(parts) == 2 and reporting_quarter(parts[1]) in locked
            if vastgesteld_only and not state:
                continue
        voortgang = r.tabel == "maatregel_voortgang" and len(parts) == 2
        out.append(HistoryEntry(r.op, r.door, _describe(r.tabel, r.sleutel, r.veld), r.oude_waarde,
                                r.nieuwe_waarde, r.reden, state,
                                parts[1] if voortgang else None, r.veld if voortgang else None))
    return out


def _describe(tabel: str, sleutel: str, veld: str) -> str:
    parts = sleutel.split("/")
    if tabel == "streefwaarde" and len(parts) == 3:
        return f"{parts[2]} {parts[1]}"
    if tabel == "realisatie" and len(parts) == 2:
        return f"realisatie {periode_label(parts[1])}"
    if tabel == "annotatie":
        return "notitie"
    if tabel == "maatregel_voortgang" and len(parts) == 2:
        return f"{veld} {periode_label(parts[1])}"
    return f"{tabel} {veld}"


def _history(engine, tables: tuple[str, ...], code: str, limit: int, vastgesteld_only: bool):
    rows, locked = reporting_rows.change_rows(engine, tables, code)
    return _entries(rows, locked, vastgesteld_only)[:limit]


def indicator_history(engine, code: str, limit: int = 200, vastgesteld_only: bool = False) -> list[HistoryEntry]:
    """Every recorded change to this indicator's targets, realisaties and notes, newest first;
    `vastgesteld_only` for the raad and visitors (realisaties of vastgestelde periods only)."""
    return _history(engine, ("streefwaarde", "realisatie", "annotatie"), code, limit, vastgesteld_only)


def maatregel_histories(engine, codes, vastgesteld_only: bool = False, limit: int = 100) -> dict[str, list[HistoryEntry]]:
    """The changes to each of `codes`' reported status and toelichting (a page of many maatregelen),
    read in one query, newest first; `vastgesteld_only` for the raad and visitors (changes of
    vastgestelde quarters only). The values are as stored: a status is its code
    (dashboard.ui.maatregel_history_view words it)."""
    rows, locked = reporting_rows.table_change_rows(engine, "maatregel_voortgang")
    by_code: dict[str, list] = {code: [] for code in codes}
    for r in rows:
        code = r.sleutel.split("/")[0]
        if code in by_code:
            by_code[code].append(r)
    return {code: _entries(found, locked, vastgesteld_only)[:limit] for code, found in by_code.items()}


@dataclass(frozen=True)
class LockChange:
    """A quarter vastgesteld or ontgrendeld: who, when, and the reason (unlocking needs one)."""
    op: dt.datetime
    door: str
    vastgesteld: bool
    reden: str | None


def period_lock_history(engine, periode: str) -> list[LockChange]:
    """Every time quarter `periode` was vastgesteld or ontgrendeld, newest first."""
    return [LockChange(r.op, r.door, r.nieuwe_waarde == "ja", r.reden)
            for r in reporting_rows.lock_change_rows(engine, periode)]


@dataclass(frozen=True)
class Note:
    id: int
    datum: dt.date
    tekst: str
    door: str


def annotations(engine, code: str) -> list[Note]:
    return annotations_by_indicator(engine, [code]).get(code, [])


def annotations_by_indicator(engine, codes) -> dict[str, list[Note]]:
    """The notes of several indicators in one query (a lijn page shows many), by date."""
    out: dict[str, list[Note]] = {}
    for r in reporting_rows.annotation_rows(engine, codes):
        out.setdefault(r.code, []).append(Note(r.id, r.datum, r.tekst, r.door))
    return out
