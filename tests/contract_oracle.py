"""A plain-Python reading of kpi-definitions.md: slow, obvious, independent of kpi/'s SQL.

`oracle_rows(ds, kpi, van, tot, by, per, where, threshold)` returns the contract's rows as dicts
(periode, key, label, value, n, suppressed). `ds` holds the tables as lists of dicts with the
schema's field names (dates as datetime.date, money in cents).

The oracle follows the KPI's declaration in the catalogue, never its id:

- which records count: the declared source's fact (FACTS) and moment (MOMENTS), read as the
  contract's "Periods" defines them;
- what value they make: the declared measure's class (CALCULATIONS);
- whether rule 4 rounds the value: the declared eenheid (the contract's count KPIs are `aantal`).

What the contract says of each of its KPIs beyond that — the population and the per-record
condition or amount — is one table, CONTRACT, transcribed from kpi-definitions.md. The oracle never
evaluates the catalogue's SQL expressions: a KPI outside the contract is read only when it needs
none of them (no population, a measure without per-record expressions); `unreadable(kpi)` says why
not otherwise.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

from data.warehouse import codes
from kpi import CATALOGUE, Kpi
from kpi import measures as m

TRAJECT_DIMS = ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")
#: the dimensions only a traject has: an answer without a traject drops out of a request using them
TRAJECT_ONLY_DIMS = ("wijk", "school", "verwijzer", "hulpvorm", "aanbieder")
#: the contract's unit of a count KPI, whose value rule 4 rounds
COUNT_EENHEID = "aantal"


# --- periods ----------------------------------------------------------------------------------

def sub_periods(van, tot, per):
    """Walk day by day and cut where the calendar unit changes."""
    if per is None:
        return [(None, van, tot)]

    def unit(d):
        if per == "jaar":
            return str(d.year)
        if per == "kwartaal":
            return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
        return f"{d.year}-{d.month:02d}"

    out, day = [], van
    while day <= tot:
        label, start = unit(day), day
        while day + dt.timedelta(days=1) <= tot and unit(day + dt.timedelta(days=1)) == label:
            day += dt.timedelta(days=1)
        out.append((label, start, day))
        day += dt.timedelta(days=1)
    return out


def active(s, e, a, b):
    return s <= b and (e is None or e >= a)


def within(d, a, b):
    return d is not None and a <= d <= b


def days(d1, d2):
    return (d2 - d1).days


@dataclass(frozen=True)
class Period:
    """One (sub-)period, with the whole warehouse: some rules look beyond the qualifying records
    (a return within 365 days, the population, the budget)."""
    van: dt.date
    tot: dt.date
    ds: dict


#: "Periods": when a fact row belongs to P, per declared moment
MOMENTS: dict[str, Callable[[dict, Period], bool]] = {
    "actief": lambda row, p: active(row["startdatum"], row["einddatum"], p.van, p.tot),
    "gestart": lambda row, p: within(row["startdatum"], p.van, p.tot),
    "beeindigd": lambda row, p: within(row["einddatum"], p.van, p.tot),
    "maand": lambda row, p: within(row["maand"], p.van, p.tot),
    "jaar": lambda row, p: p.van.year <= row["jaar"] <= p.tot.year,
}


# --- facts and their records --------------------------------------------------------------------

@dataclass(frozen=True)
class Fact:
    """A fact table as "Breakdowns and filters" and "The KPIs" (`n`) describe it."""
    table: str
    #: the traject a row belongs to (None: an answer without one), from the trajecten by id
    traject: Callable[[dict, dict], dict | None]
    #: what n counts distinct: the jeugdige of the traject, or for answers the answer itself
    unit: Callable[[dict, dict | None], str]
    #: dimensions the row has of its own, over its traject's (an answer's gemeente and respondent)
    own_attrs: Callable[[dict], dict] = lambda row: {}


def _owning_traject(row, trajecten):
    return trajecten[row["traject_id"]]


def _jeugdige(row, traject):
    return traject["jeugdige_id"]


FACTS: dict[str, Fact] = {
    "traject": Fact("trajecten", traject=lambda row, trajecten: row, unit=_jeugdige),
    "verblijf": Fact("verblijf", traject=_owning_traject, unit=_jeugdige),
    "kosten": Fact("kosten", traject=_owning_traject, unit=_jeugdige),
    "tevredenheid": Fact("tevredenheid", traject=lambda row, trajecten: trajecten.get(row["traject_id"]),
                         unit=lambda row, traject: row["respons_id"],
                         own_attrs=lambda row: {"gemeente": row["gemeente_code"], "respondent": row["respondent"]}),
}


@dataclass(frozen=True)
class Record:
    """A fact row that belongs to the period, with the traject it belongs to (None: an answer
    without one), its dimensions, and what n counts of it."""
    row: dict
    traject: dict | None
    attrs: dict
    unit: str


# --- what the contract says per KPI -------------------------------------------------------------

RecordTest = Callable[[Record, Period], bool]
RecordAmount = Callable[[Record, Period], int]


@dataclass(frozen=True)
class Reading:
    """The contract's formula of one KPI, in the terms of a catalogue declaration."""
    fact: str                 # the records the formula counts over ...
    moment: str               # ... and when one belongs to P
    measure: type             # the kind of value the formula makes
    population: RecordTest | None = None   # narrows the records (the population of n)
    meets: RecordTest | None = None        # a percentage's numerator
    amount: RecordAmount | None = None     # a mean's per-record number; a sum's cents; a ratio's numerator
    out_of: RecordAmount | None = None     # a ratio of sums' per-record denominator


def _known_reason(r, p):
    return r.traject["reden_einde"] != "onbekend"


def _starts_again_within_365_days(r, p):
    """Any traject of the same jeugdige in the warehouse, whatever its attributes, starting in
    (einddatum, einddatum + 365 days]."""
    end = r.traject["einddatum"]
    return any(o["jeugdige_id"] == r.traject["jeugdige_id"]
               and end < o["startdatum"] <= end + dt.timedelta(days=365)
               for o in p.ds["trajecten"])


def _verblijfsdagen(r, p):
    """max(0, min(einde, tot) − max(start, van) + 1), an open stay ending at tot."""
    end = min(r.row["einddatum"] or p.tot, p.tot)
    return max(0, days(max(r.row["startdatum"], p.van), end) + 1)


def _duration(r, p):
    return days(r.row["startdatum"], r.row["einddatum"])


def _cents(r, p):
    return r.row["bedrag_cent"]


#: kpi-definitions.md, "The KPIs", one entry per contract KPI
CONTRACT: dict[str, Reading] = {
    # --- kwantiteit ---
    "jeugdigen_met_jeugdhulp": Reading("traject", "actief", m.DistinctJeugdigen),
    "pct_jeugdigen_met_jeugdhulp": Reading(
        "traject", "actief", m.ShareOfPopulation,
        population=lambda r, p: 0 <= p.tot.year - r.traject["geboortejaar"] <= 17),
    "instroom": Reading("traject", "gestart", m.CountRecords),
    "uitstroom": Reading("traject", "beeindigd", m.CountRecords),
    "jeugdigen_met_verblijf": Reading("verblijf", "actief", m.DistinctJeugdigen),
    "pct_lichte_hulp": Reading("traject", "gestart", m.Percentage,
                               meets=lambda r, p: r.traject["hulpvorm"] in ("lokaal_team", "poh_jeugd")),
    "pct_verwijzing_huisarts": Reading("traject", "gestart", m.Percentage,
                                       meets=lambda r, p: r.traject["verwijzer"] == "huisarts"),
    # --- kwaliteit ---
    "gem_trajectduur": Reading("traject", "beeindigd", m.Mean, amount=_duration),
    "pct_uitval": Reading("traject", "beeindigd", m.Percentage, population=_known_reason,
                          meets=lambda r, p: r.traject["reden_einde"] == "voortijdig_client"),
    "pct_volgens_plan": Reading("traject", "beeindigd", m.Percentage, population=_known_reason,
                                meets=lambda r, p: r.traject["reden_einde"] == "volgens_plan"),
    "pct_doel_bereikt": Reading(
        "traject", "beeindigd", m.Percentage,
        population=lambda r, p: r.traject["doelrealisatie"] in ("volledig", "gedeeltelijk", "niet"),
        meets=lambda r, p: r.traject["doelrealisatie"] == "volledig"),
    "gem_wachttijd": Reading("traject", "gestart", m.Mean,
                             population=lambda r, p: r.traject["aanmelddatum"] is not None,
                             amount=lambda r, p: days(r.traject["aanmelddatum"], r.traject["startdatum"])),
    "pct_herinstroom": Reading("traject", "beeindigd", m.Percentage,
                               population=lambda r, p: r.traject["reden_einde"] == "volgens_plan",
                               meets=_starts_again_within_365_days),
    "gem_verblijfsduur": Reading("verblijf", "beeindigd", m.Mean, amount=_duration),
    "pct_verblijf_gezinsgericht": Reading(
        "verblijf", "actief", m.RatioOfSums,
        amount=lambda r, p: _verblijfsdagen(r, p) if r.row["verblijfsvorm"] in ("pleegzorg", "gezinshuis") else 0,
        out_of=_verblijfsdagen),
    # --- kosten ---
    "totale_kosten": Reading("kosten", "maand", m.SumEuros, amount=_cents),
    "kosten_per_jeugdige": Reading("kosten", "maand", m.EurosPerJeugdige, amount=_cents),
    "pct_budget_besteed": Reading("kosten", "maand", m.ShareOfBudget, amount=_cents),
    # --- tevredenheid ---
    "gem_tevredenheid": Reading("tevredenheid", "jaar", m.MeanScore),
    "pct_tevreden": Reading("tevredenheid", "jaar", m.Percentage, meets=lambda r, p: r.row["score"] >= 7),
}


# --- the kinds of value, per measure class ------------------------------------------------------

@dataclass(frozen=True)
class Group:
    """The records of one group in one (sub-)period, and where the group sits in the request."""
    records: list[Record]
    period: Period
    by: str | None
    key: str | None
    where: dict

    @property
    def n(self) -> int:
        return len({r.unit for r in self.records})


def _ratio(part, whole, factor=1):
    return None if not whole else factor * part / whole


def _percentage(reading, g):
    return _ratio(sum(1 for r in g.records if reading.meets(r, g.period)), len(g.records), 100)


def _mean(values):
    values = list(values)
    return _ratio(sum(values), len(values))


def _cents_sum(reading, g):
    return sum(reading.amount(r, g.period) for r in g.records)


def _share_of_population(reading, g):
    """Σ bevolking.aantal_0_17 of year(tot) over the wijken of the group and of any wijk/gemeente
    filter, using the rows that exist; other filters narrow only the numerator."""
    narrowing = list(g.where.items()) + ([(g.by, g.key)] if g.by is not None else [])
    fields = {"wijk": "wijk_code", "gemeente": "gemeente_code"}
    wijken = {w["wijk_code"] for w in g.period.ds["wijken"]
              if all(w[fields[d]] == v for d, v in narrowing if d in fields)}
    rows = [x for x in g.period.ds["bevolking"] if x["jaar"] == g.period.tot.year and x["wijk_code"] in wijken]
    return _ratio(g.n, sum(x["aantal_0_17"] for x in rows), 100)


def _share_of_budget(reading, g):
    """Σ budget of year(tot) over the gemeente of the group, else of the gemeente filter, else all
    budget rows of that year; null when there is no budget."""
    if g.by == "gemeente":
        gemeenten = {g.key}
    elif "gemeente" in g.where:
        gemeenten = {g.where["gemeente"]}
    else:
        gemeenten = None
    rows = [x for x in g.period.ds["budget"]
            if x["jaar"] == g.period.tot.year and (gemeenten is None or x["gemeente_code"] in gemeenten)]
    return _ratio(_cents_sum(reading, g), sum(x["bedrag_cent"] for x in rows), 100)


@dataclass(frozen=True)
class Calculation:
    needs: tuple[str, ...]    # the Reading fields it reads: a KPI outside the contract has none
    value: Callable[[Reading, Group], float | int | None]


CALCULATIONS: dict[type, Calculation] = {
    m.DistinctJeugdigen: Calculation((), lambda reading, g: g.n),
    m.CountRecords: Calculation((), lambda reading, g: len(g.records)),
    m.Percentage: Calculation(("meets",), _percentage),
    m.Mean: Calculation(("amount",), lambda reading, g: _mean(reading.amount(r, g.period) for r in g.records)),
    m.RatioOfSums: Calculation(("amount", "out_of"), lambda reading, g: _ratio(
        sum(reading.amount(r, g.period) for r in g.records),
        sum(reading.out_of(r, g.period) for r in g.records), 100)),
    m.SumEuros: Calculation(("amount",), lambda reading, g: _cents_sum(reading, g) / 100),
    m.EurosPerJeugdige: Calculation(("amount",), lambda reading, g: _ratio(_cents_sum(reading, g) / 100, g.n)),
    m.ShareOfPopulation: Calculation((), _share_of_population),
    m.ShareOfBudget: Calculation(("amount",), _share_of_budget),
    m.MeanScore: Calculation((), lambda reading, g: _mean(r.row["score"] for r in g.records)),
}


# --- from a declaration to its reading ----------------------------------------------------------

OUTSIDE_THE_CONTRACT = "not in the contract; its sources are proven against the facts by tests/test_sources.py"


class Unreadable(Exception):
    """A catalogue KPI the oracle cannot read without the catalogue's own expressions."""


def reading_of(kpi: Kpi) -> Reading:
    """The contract's reading of a contract KPI, checked against its declaration (a catalogue that
    counts other records or makes another kind of value than the contract fails here); for a KPI
    outside the contract, the reading its declaration alone gives."""
    declared = (kpi.bron.fact, kpi.bron.moment, type(kpi.maat))
    reading = CONTRACT.get(kpi.id)
    if reading is None:
        calculation = CALCULATIONS.get(type(kpi.maat))
        if kpi.populatie is not None or calculation is None or calculation.needs:
            raise Unreadable(f"{kpi.id}: {OUTSIDE_THE_CONTRACT}")
        return Reading(*declared)
    contract = (reading.fact, reading.moment, reading.measure)
    if declared != contract:
        raise AssertionError(f"{kpi.id} is declared as {declared}, the contract reads {contract}")
    missing = [name for name in CALCULATIONS[reading.measure].needs if getattr(reading, name) is None]
    if missing:
        raise AssertionError(f"CONTRACT[{kpi.id!r}] lacks {missing} for {reading.measure.__name__}")
    return reading


def unreadable(kpi: Kpi) -> str | None:
    """Why the oracle cannot read `kpi` (a test skips it with this reason), or None."""
    try:
        reading_of(kpi)
    except Unreadable as why:
        return str(why)
    return None


class Oracle:
    def __init__(self, ds):
        self.ds = ds
        self.wijk = {w["wijk_code"]: w for w in ds["wijken"]}
        self.traject = {t["traject_id"]: t for t in ds["trajecten"]}

    def attrs(self, t):
        if t is None:
            return {d: "<geen traject>" for d in TRAJECT_DIMS}
        return {"wijk": t["wijk_code"], "gemeente": self.wijk[t["wijk_code"]]["gemeente_code"],
                "school": t["school_code"], "verwijzer": t["verwijzer"], "hulpvorm": t["hulpvorm"],
                "aanbieder": t["aanbieder_code"]}

    def records(self, reading: Reading, period: Period) -> list[Record]:
        """The records of the reading's fact that belong to the period by its moment and are in
        its population."""
        fact, belongs = FACTS[reading.fact], MOMENTS[reading.moment]
        out = []
        for row in self.ds[fact.table]:
            if belongs(row, period):
                traject = fact.traject(row, self.traject)
                record = Record(row, traject, {**self.attrs(traject), **fact.own_attrs(row)}, fact.unit(row, traject))
                if reading.population is None or reading.population(record, period):
                    out.append(record)
        return out

    def label(self, by, key):
        if key is None:
            return {"school": "Geen school bekend", "aanbieder": "Geen aanbieder"}.get(by, "Onbekend")
        if by == "wijk":
            return self.wijk[key]["wijk_naam"]
        if by == "gemeente":
            names = sorted(w["gemeente_naam"] for w in self.ds["wijken"] if w["gemeente_code"] == key)
            return names[0] if names else key
        if by == "school":
            return next((s["school_naam"] for s in self.ds["scholen"] if s["school_code"] == key), key)
        if by == "aanbieder":
            return next((x["aanbieder_naam"] for x in self.ds["aanbieders"] if x["aanbieder_code"] == key), key)
        return {"verwijzer": codes.VERWIJZER, "hulpvorm": codes.HULPVORM, "respondent": codes.RESPONDENT}[by].label(key)


# --- the small-number rules, version 2 ----------------------------------------------------------

def _hidden_1_2(rows, threshold, breakdown):
    """Rules 1–2 (primary, secondary) on exact rows: a list of flags."""
    hidden = [r["n"] < threshold for r in rows]
    if breakdown and hidden.count(True) == 1 and not all(hidden):
        order = sorted((r["n"], (r["key"] is not None, r["key"] or ""), i)
                       for i, r in enumerate(rows) if not hidden[i])
        hidden[order[0][2]] = True
    return hidden


def _round(x, base):
    r = x % base
    return x - r + (base if 2 * r >= base else 0)


def _exact(oracle, reading, label, period, by, where):
    """The exact rows of one sub-period (before disclosure control)."""
    recs = oracle.records(reading, period)
    if any(d in TRAJECT_ONLY_DIMS for d in list(where) + ([by] if by else [])):
        recs = [r for r in recs if r.traject is not None]
    recs = [r for r in recs if all(r.attrs[d] == v for d, v in where.items())]
    groups = {}
    if by is None:
        groups[None] = recs
    else:
        for r in recs:
            groups.setdefault(r.attrs[by], []).append(r)
    calculation = CALCULATIONS[reading.measure]
    rows = []
    for key in sorted(groups, key=lambda k: (k is not None, k or "")):
        group = Group(groups[key], period, by, key, where)
        rows.append({"periode": label, "key": key, "label": "Totaal" if by is None else oracle.label(by, key),
                     "value": calculation.value(reading, group), "n": group.n, "suppressed": False})
    return rows


def oracle_rows(ds, kpi, van, tot, by=None, per=None, where=None, threshold=None, afronding=None):
    """The contract's rows of the catalogue's KPI `kpi` (an id); with a threshold, the small-number
    rules of version 2 (rules 1–4, with `afronding` as the base B; None or 1: no rounding), written
    out plainly: every linked breakdown is computed on its own, per row."""
    declaration = CATALOGUE[kpi]
    reading = reading_of(declaration)
    counts = declaration.eenheid == COUNT_EENHEID
    where = {d: (v if v != "" else None) for d, v in (where or {}).items()}
    oracle = Oracle(ds)
    detailed = by is not None or any(d != "gemeente" for d in where)
    out = []
    for label, a, b in sub_periods(van, tot, per):
        period = Period(a, b, ds)
        rows = _exact(oracle, reading, label, period, by, where)
        if threshold is not None:
            hidden = _hidden_1_2(rows, threshold, by is not None)
            for dim, v in where.items():  # rule 3
                for i, row in enumerate(rows):
                    linked_where = {d: x for d, x in where.items() if d != dim}
                    if by is not None:
                        linked_where[by] = row["key"]
                    linked = _exact(oracle, reading, label, period, dim, linked_where)
                    flags = _hidden_1_2(linked, threshold, True)
                    if any(f and r["key"] == v for r, f in zip(linked, flags, strict=True)):
                        hidden[i] = True
            shown = []
            for row, h in zip(rows, hidden, strict=True):
                if h:
                    row = {**row, "value": None, "n": None, "suppressed": True}
                elif detailed and afronding:
                    row = {**row, "n": _round(row["n"], afronding),
                           "value": _round(row["value"], afronding) if counts else row["value"]}
                shown.append(row)
            rows = shown
        out.extend(rows)
    return out
