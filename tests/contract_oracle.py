"""A plain-Python reading of kpi-definitions.md: slow, obvious, independent of kpi/.

`oracle_rows(ds, kpi, van, tot, by, per, where, threshold)` returns the contract's rows as dicts
(periode, key, label, value, n, suppressed). `ds` holds the tables as lists of dicts with the
schema's field names (dates as datetime.date, money in cents).
"""
from __future__ import annotations

import datetime as dt

from data.warehouse import codes

TRAJECT_DIMS = ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")
LICHT = ("lokaal_team", "poh_jeugd")


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


class Oracle:
    def __init__(self, ds):
        self.ds = ds
        self.wijk = {w["wijk_code"]: w for w in ds["wijken"]}
        self.traject = {t["traject_id"]: t for t in ds["trajecten"]}

    def attrs(self, t):
        return {"wijk": t["wijk_code"], "gemeente": self.wijk[t["wijk_code"]]["gemeente_code"],
                "school": t["school_code"], "verwijzer": t["verwijzer"], "hulpvorm": t["hulpvorm"],
                "aanbieder": t["aanbieder_code"]}

    # records: (attrs, jeugdige or answer id, payload)
    def records(self, kpi, a, b):
        ds, out = self.ds, []
        T = ds["trajecten"]
        if kpi in ("jeugdigen_met_jeugdhulp", "pct_jeugdigen_met_jeugdhulp"):
            for t in T:
                if active(t["startdatum"], t["einddatum"], a, b):
                    if kpi == "pct_jeugdigen_met_jeugdhulp" and not 0 <= b.year - t["geboortejaar"] <= 17:
                        continue
                    out.append((self.attrs(t), t["jeugdige_id"], t))
        elif kpi in ("instroom", "pct_lichte_hulp", "pct_verwijzing_huisarts", "gem_wachttijd"):
            for t in T:
                if within(t["startdatum"], a, b):
                    if kpi == "gem_wachttijd" and t["aanmelddatum"] is None:
                        continue
                    out.append((self.attrs(t), t["jeugdige_id"], t))
        elif kpi in ("uitstroom", "gem_trajectduur", "pct_uitval", "pct_volgens_plan", "pct_doel_bereikt",
                     "pct_herinstroom"):
            for t in T:
                if not within(t["einddatum"], a, b):
                    continue
                if kpi in ("pct_uitval", "pct_volgens_plan") and t["reden_einde"] == "onbekend":
                    continue
                if kpi == "pct_doel_bereikt" and t["doelrealisatie"] not in ("volledig", "gedeeltelijk", "niet"):
                    continue
                if kpi == "pct_herinstroom" and t["reden_einde"] != "volgens_plan":
                    continue
                out.append((self.attrs(t), t["jeugdige_id"], t))
        elif kpi in ("jeugdigen_met_verblijf", "pct_verblijf_gezinsgericht", "gem_verblijfsduur"):
            for v in ds["verblijf"]:
                ok = (within(v["einddatum"], a, b) if kpi == "gem_verblijfsduur"
                      else active(v["startdatum"], v["einddatum"], a, b))
                if ok:
                    t = self.traject[v["traject_id"]]
                    out.append((self.attrs(t), t["jeugdige_id"], v))
        elif kpi in ("totale_kosten", "kosten_per_jeugdige", "pct_budget_besteed"):
            for k in ds["kosten"]:
                if within(k["maand"], a, b):
                    t = self.traject[k["traject_id"]]
                    out.append((self.attrs(t), t["jeugdige_id"], k))
        else:  # tevredenheid
            for r in ds["tevredenheid"]:
                if a.year <= r["jaar"] <= b.year:
                    t = self.traject.get(r["traject_id"]) if r["traject_id"] else None
                    at = self.attrs(t) if t else {d: "<geen traject>" for d in TRAJECT_DIMS}
                    at = {**at, "gemeente": r["gemeente_code"], "respondent": r["respondent"],
                          "_linked": t is not None}
                    out.append((at, r["respons_id"], r))
        return out

    def value(self, kpi, recs, a, b, group_key, by, where):
        n_jeugdigen = len({j for _, j, _ in recs})
        payload = [p for _, _, p in recs]
        count = len(recs)

        def pct(pred):
            return None if count == 0 else 100 * sum(1 for p in payload if pred(p)) / count

        def mean(values):
            values = list(values)
            return None if not values else sum(values) / len(values)

        if kpi in ("jeugdigen_met_jeugdhulp", "jeugdigen_met_verblijf"):
            return n_jeugdigen, n_jeugdigen
        if kpi == "pct_jeugdigen_met_jeugdhulp":
            wijken = [w for w in self.ds["wijken"]
                      if (by != "wijk" or w["wijk_code"] == group_key)
                      and (by != "gemeente" or w["gemeente_code"] == group_key)
                      and all(w["wijk_code" if d == "wijk" else "gemeente_code"] == v
                              for d, v in where.items() if d in ("wijk", "gemeente"))]
            codes_ = {w["wijk_code"] for w in wijken}
            rows = [p for p in self.ds["bevolking"] if p["jaar"] == b.year and p["wijk_code"] in codes_]
            total = sum(p["aantal_0_17"] for p in rows)
            return (None if not rows or total == 0 else 100 * n_jeugdigen / total), n_jeugdigen
        if kpi in ("instroom", "uitstroom"):
            return count, n_jeugdigen
        if kpi == "pct_lichte_hulp":
            return pct(lambda t: t["hulpvorm"] in LICHT), n_jeugdigen
        if kpi == "pct_verwijzing_huisarts":
            return pct(lambda t: t["verwijzer"] == "huisarts"), n_jeugdigen
        if kpi == "gem_trajectduur":
            return mean(days(t["startdatum"], t["einddatum"]) for t in payload), n_jeugdigen
        if kpi == "pct_uitval":
            return pct(lambda t: t["reden_einde"] == "voortijdig_client"), n_jeugdigen
        if kpi == "pct_volgens_plan":
            return pct(lambda t: t["reden_einde"] == "volgens_plan"), n_jeugdigen
        if kpi == "pct_doel_bereikt":
            return pct(lambda t: t["doelrealisatie"] == "volledig"), n_jeugdigen
        if kpi == "gem_wachttijd":
            return mean(days(t["aanmelddatum"], t["startdatum"]) for t in payload), n_jeugdigen
        if kpi == "pct_herinstroom":
            def again(t):
                return any(o["jeugdige_id"] == t["jeugdige_id"]
                           and t["einddatum"] < o["startdatum"] <= t["einddatum"] + dt.timedelta(days=365)
                           for o in self.ds["trajecten"])
            return pct(again), n_jeugdigen
        if kpi == "gem_verblijfsduur":
            return mean(days(v["startdatum"], v["einddatum"]) for v in payload), n_jeugdigen
        if kpi == "pct_verblijf_gezinsgericht":
            def in_p(v):
                end = min(v["einddatum"] or b, b)
                return max(0, days(max(v["startdatum"], a), end) + 1)
            all_days = sum(in_p(v) for v in payload)
            family = sum(in_p(v) for v in payload if v["verblijfsvorm"] in ("pleegzorg", "gezinshuis"))
            return (None if all_days == 0 else 100 * family / all_days), n_jeugdigen
        if kpi == "totale_kosten":
            return sum(k["bedrag_cent"] for k in payload) / 100, n_jeugdigen
        if kpi == "kosten_per_jeugdige":
            return (None if n_jeugdigen == 0 else sum(k["bedrag_cent"] for k in payload) / 100 / n_jeugdigen), n_jeugdigen
        if kpi == "pct_budget_besteed":
            if by == "gemeente":
                gemeenten = {group_key}
            elif "gemeente" in where:
                gemeenten = {where["gemeente"]}
            else:
                gemeenten = None
            rows = [x for x in self.ds["budget"] if x["jaar"] == b.year
                    and (gemeenten is None or x["gemeente_code"] in gemeenten)]
            budget = sum(x["bedrag_cent"] for x in rows)
            kosten = sum(k["bedrag_cent"] for k in payload)
            return (None if not rows or budget == 0 else 100 * kosten / budget), n_jeugdigen
        if kpi == "gem_tevredenheid":
            return mean(r["score"] for r in payload), count
        if kpi == "pct_tevreden":
            return pct(lambda r: r["score"] >= 7), count
        raise KeyError(kpi)

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


COUNT_KPIS = ("jeugdigen_met_jeugdhulp", "instroom", "uitstroom", "jeugdigen_met_verblijf")


def _exact(oracle, kpi, label, a, b, by, where):
    """The exact rows of one sub-period (before disclosure control)."""
    traject_dims_used = any(d in ("wijk", "school", "verwijzer", "hulpvorm", "aanbieder")
                            for d in list(where) + ([by] if by else []))
    recs = oracle.records(kpi, a, b)
    if kpi in ("gem_tevredenheid", "pct_tevreden") and traject_dims_used:
        recs = [r for r in recs if r[0]["_linked"]]
    recs = [r for r in recs if all(r[0][d] == v for d, v in where.items())]
    groups = {}
    if by is None:
        groups[None] = recs
    else:
        for r in recs:
            groups.setdefault(r[0][by], []).append(r)
    rows = []
    for key in sorted(groups, key=lambda k: (k is not None, k or "")):
        value, n = oracle.value(kpi, groups[key], a, b, key, by, where)
        rows.append({"periode": label, "key": key, "label": "Totaal" if by is None else oracle.label(by, key),
                     "value": value, "n": n, "suppressed": False})
    return rows


def oracle_rows(ds, kpi, van, tot, by=None, per=None, where=None, threshold=None, afronding=None):
    """The contract's rows; with a threshold, the small-number rules of version 2 (rules 1–4, with
    `afronding` as the base B; None or 1: no rounding), written out plainly: every linked breakdown
    is computed on its own, per row."""
    where = {d: (v if v != "" else None) for d, v in (where or {}).items()}
    oracle = Oracle(ds)
    detailed = by is not None or any(d != "gemeente" for d in where)
    out = []
    for label, a, b in sub_periods(van, tot, per):
        rows = _exact(oracle, kpi, label, a, b, by, where)
        if threshold is not None:
            hidden = _hidden_1_2(rows, threshold, by is not None)
            for dim, v in where.items():  # rule 3
                for i, row in enumerate(rows):
                    linked_where = {d: x for d, x in where.items() if d != dim}
                    if by is not None:
                        linked_where[by] = row["key"]
                    linked = _exact(oracle, kpi, label, a, b, dim, linked_where)
                    flags = _hidden_1_2(linked, threshold, True)
                    if any(f and r["key"] == v for r, f in zip(linked, flags, strict=True)):
                        hidden[i] = True
            shown = []
            for row, h in zip(rows, hidden, strict=True):
                if h:
                    row = {**row, "value": None, "n": None, "suppressed": True}
                elif detailed and afronding:
                    row = {**row, "n": _round(row["n"], afronding),
                           "value": _round(row["value"], afronding) if kpi in COUNT_KPIS else row["value"]}
                shown.append(row)
            rows = shown
        out.extend(rows)
    return out
