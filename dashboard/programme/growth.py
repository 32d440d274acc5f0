"""Kostengroei verklaard as the screens, the slides and the report read it: the decomposition of
kpi/cost_growth.py through whatever service they are given, and its figures as Dutch text.

`cost_growth(service, request)` asks the live service's cache (`decompose_cached`), or — when the
service is a stand's recorder or a stand's frozen service (dashboard/programme/frozen.py) — that
service's own `cost_growth`, so a freeze records the decomposition and a stand answers it from its
record, never from today's data. Everything that is shown (the sentence on top, the table's cells,
the waterfall's steps) is formatted here once, so page, slide, PowerPoint and PDF say the same.

Amounts are shown in whole euros (the unit "€" of kpi/format.py); the engine splits them to the
cent. A change carries its sign: "€ +289.269", "€ -288.908".
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from kpi import format as fmt
from kpi.cost_growth import EFFECTS, OVERIG, CostGrowth, GrowthRequest, decompose_cached
from kpi.dimensions import DIMENSIONS

#: the effects' short names (the engine's labels say what they measure: `Effect.label`)
EFFECT_NAMES = {"volume": "Volume", "mix": "Mix", "intensiteit": "Intensiteit"}
ROUNDING_NOTE = ("Bedragen zijn afgerond op hele euro's; de verdeling zelf klopt tot op de cent, zodat een "
                 "optelling van afgeronde bedragen hooguit een paar euro kan afwijken.")


def cost_growth(service, request: GrowthRequest) -> CostGrowth:
    """The decomposition by `service`: live (cached per generation), recorded, or a stand's.
    Raises KpiRequestError (Dutch) for a request that cannot be answered — a bad year, or for a
    stand a view it did not record (NotInSnapshot)."""
    own = getattr(service, "cost_growth", None)
    return own(request) if own is not None else decompose_cached(service, request)


# --- numbers as text ---------------------------------------------------------------------------

def euro(cents: int) -> str:
    """€ 9.570.715 (whole euros); an amount that rounds to nothing is "€ 0", never "€ -0"."""
    text = fmt.value(cents / 100, "€")
    return "€ 0" if text == "€ -0" else text


def signed_euro(cents: int) -> str:
    """A change with its sign: € +289.269, € -288.908, € 0."""
    text = euro(cents)
    return text.replace("€ ", "€ +", 1) if cents > 0 and text != "€ 0" else text


def thousands(cents: int, signed: bool = False) -> str:
    """An amount in thousands of euros, where there is little room (a slide: "bedragen × € 1.000"):
    13.794, -484; `signed`: a change, +185."""
    text = fmt.number(cents / 100 / 1000, 0)
    if text in ("0", "-0"):
        return "0"
    return f"+{text}" if signed and cents > 0 else text


def percentage(before_cents: int, after_cents: int) -> str | None:
    """The change in percent (+3,5%, -3,5%), None without a base to compare with."""
    if before_cents <= 0:
        return None
    change = 100 * (after_cents - before_cents) / before_cents
    text = fmt.number(abs(change), 1)
    if text == "0,0":
        return "0,0%"
    return f"{'+' if change > 0 else '-'}{text}%"


def year_words(result: CostGrowth) -> tuple[str, str, str]:
    """(earlier, later, months): "2025", "2026", "t/m september" — months "" for whole years."""
    eerder, later = str(result.eerder.van.year), str(result.later.van.year)
    months = "" if result.later.label == later else "t/m " + fmt.MAANDEN[result.later.tot.month - 1]
    return eerder, later, months


def period_words(result: CostGrowth) -> tuple[str, str]:
    """The two periods as a label says them: ("2025 (t/m mei)", "2026 (t/m mei)") for the same
    months of two years — as the screens say "2026 (t/m september)" — and ("2025", "2026") for
    whole years. Every label of a total (a bar, a column, a category) uses these, so part of a
    year is never called by the year alone."""
    eerder, later, months = year_words(result)
    return (f"{eerder} ({months})", f"{later} ({months})") if months else (eerder, later)


def versus(result: CostGrowth) -> str:
    """"2026 tegenover 2025" or "2026 tegenover 2025, telkens januari t/m mei": a table's caption."""
    eerder, later, months = year_words(result)
    return f"{later} tegenover {eerder}" + (f", telkens januari {months}" if months else "")


def chart_title(result: CostGrowth) -> str:
    """The waterfall's title, short (plotly does not wrap it): "Van de kosten van 2025 naar die van
    2026 (januari t/m mei)"."""
    eerder, later, months = year_words(result)
    return f"Van de kosten van {eerder} naar die van {later}" + (f" (januari {months})" if months else "")


def comparison(result: CostGrowth) -> str:
    """"van 2025 naar 2026" or "van 2025 naar 2026, telkens januari t/m september"."""
    eerder, later, months = year_words(result)
    return f"van {eerder} naar {later}" + (f", telkens januari {months}" if months else "")


def direction(result: CostGrowth) -> int:
    """+1 when the costs rose, -1 when they fell, 0 when equal or not shown."""
    change = result.verandering_cent
    if not change:
        return 0
    return 1 if change > 0 else -1


def question(change_cents: int | None) -> str:
    """The page's and the slide's title: the question the numbers answer, in the direction they went."""
    if change_cents is None or change_cents == 0:
        return "Waarom veranderen de kosten?"
    return "Waarom stijgen de kosten?" if change_cents > 0 else "Waarom dalen de kosten?"


def scope_words(where, labels: dict) -> str:
    """' binnen hulpvorm Crisishulp en aanbieder Zorg 1' — the filters in words, or ''."""
    parts = []
    for dimension, value in where:
        dim = DIMENSIONS[dimension]
        name = (dim.empty_label or "leeg") if value is None else labels.get((dimension, value), value)
        parts.append(f"{dim.naam.lower()} {name}")
    return " binnen " + " en ".join(parts) if parts else ""


def headline(result: CostGrowth, labels: dict | None = None) -> str:
    """"De kosten stegen met € 345.081 (+3,5%) van 2025 naar 2026: volume € -288.908, mix € -345.441,
    intensiteit € +289.269." — what the waterfall shows, in one sentence."""
    scope = scope_words(result.where, labels or {})
    if result.afgeschermd:
        return f"De verandering van de kosten{scope} {comparison(result)} kan niet worden getoond (kleine aantallen)."
    change = result.verandering_cent
    pct = percentage(result.totaal_eerder.kosten_cent, result.totaal_later.kosten_cent)
    amount = euro(abs(change)) + (f" ({pct})" if pct else "")
    verb = {1: f"stegen met {amount}", -1: f"daalden met {amount}",
            0: f"bleven gelijk ({euro(result.totaal_later.kosten_cent)})"}[direction(result)]
    effects = ", ".join(f"{EFFECT_NAMES[e.effect].lower()} {signed_euro(e.bedrag_cent)}" for e in result.effecten)
    return f"De kosten{scope} {verb} {comparison(result)}: {effects}."


def effect_explanations(result: CostGrowth) -> list[tuple[str, str, str]]:
    """(label, amount, what it means here) per effect, for the chart's text alternative and the notes."""
    if result.afgeschermd:
        return []
    eerder, later = period_words(result)
    n0, n1 = result.totaal_eerder.jeugdigen, result.totaal_later.jeugdigen
    groepen = DIMENSIONS[result.by].meervoud
    meaning = {
        "volume": f"{fmt.number(n1)} jeugdigen met kosten in {later} tegen {fmt.number(n0)} in {eerder}",
        "mix": f"verschuiving tussen {groepen} met hogere en lagere kosten per jeugdige",
        "intensiteit": f"hogere of lagere kosten per jeugdige binnen de {groepen}",
    }
    return [(e.label, signed_euro(e.bedrag_cent), meaning[e.effect]) for e in result.effecten]


# --- the waterfall ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Step:
    """One bar of the waterfall: a total (from zero) or an effect (from the level before it)."""
    name: str                # "Kosten 2025", "Kosten 2026 (t/m mei)", "Volume", …
    label: str               # the long name: "Volume (aantal jeugdigen)"
    cents: int               # the total, or the effect (signed)
    total: bool
    text: str                # as shown: "€ 9.915.796", "€ -288.908"

    @property
    def euros(self) -> float:
        return self.cents / 100


def waterfall_steps(result: CostGrowth) -> list[Step]:
    """Start total → volume → mix → intensity → end total; [] when the decomposition is hidden."""
    if result.afgeschermd:
        return []
    eerder, later = period_words(result)
    steps = [Step(f"Kosten {eerder}", f"Kosten {eerder}", result.totaal_eerder.kosten_cent, True,
                  euro(result.totaal_eerder.kosten_cent))]
    steps += [Step(EFFECT_NAMES[e.effect], e.label, e.bedrag_cent, False, signed_euro(e.bedrag_cent))
              for e in result.effecten]
    steps.append(Step(f"Kosten {later}", f"Kosten {later}", result.totaal_later.kosten_cent, True,
                      euro(result.totaal_later.kosten_cent)))
    return steps


def levels(steps: list[Step]) -> list[tuple[float, float]]:
    """(bottom, top) in euros of each bar: a total from zero, an effect between the level before
    it and the level after it."""
    bars, level = [], 0.0
    for step in steps:
        if step.total:
            level = step.euros
            bars.append((0.0, level))
        else:
            after = level + step.euros
            bars.append((min(level, after), max(level, after)))
            level = after
    return bars


@dataclass(frozen=True)
class Axis:
    """The waterfall's value axis: its range, its ticks as shown, and whether it starts above zero."""
    low: float
    high: float
    ticks: tuple[float, ...]
    texts: tuple[str, ...]
    truncated: bool


def _step(raw: float) -> float:
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def value_axis(bars: list[tuple[float, float]]) -> Axis:
    """The axis for bars (bottom, top) in euros. When the effects are small beside the totals, the
    axis starts at a round amount below the lowest level, so the effects can be seen; the chart
    then says where it starts (`truncated`)."""
    tops = [top for _, top in bars]
    high = max(tops + [0.0])
    lowest = min([low for low, _ in bars if low != 0.0] + tops + [high])
    span = high - lowest
    truncated = lowest > 0 and span < 0.5 * lowest
    low = max(0.0, lowest - 0.8 * span) if truncated else min(0.0, lowest * 1.1)
    top = high + 0.35 * span if truncated else (high * 1.12 if high > 0 else 1.0)
    step = _step((top - low) / 5)
    low = math.floor(low / step) * step
    ticks = [low + i * step for i in range(int(math.floor((top - low) / step + 1e-9)) + 1)]
    millions = fmt.in_millions("€", ticks)
    scale = fmt.MILLION if millions else 1.0
    decimals = next((d for d in range(3) if math.isclose(round(step / scale, d), step / scale)), 2)
    texts = [fmt.axis_label(v / scale, "€", decimals, millions=millions and v != 0) for v in ticks]
    return Axis(low, top, tuple(ticks), tuple(texts), truncated and low > 0)


def waterfall_text(result: CostGrowth, title: str) -> str:
    """The waterfall in words: its text alternative."""
    steps = waterfall_steps(result)
    if not steps:
        return f"{title}: niet getoond (kleine aantallen)."
    parts = [f"{steps[0].label}: {steps[0].text}"]
    parts += [f"{label}: {amount} ({meaning})" for label, amount, meaning in effect_explanations(result)]
    parts.append(f"{steps[-1].label}: {steps[-1].text}")
    return f"{title}. " + "; ".join(parts) + "."


# --- the table ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    """One row of the table as shown, with the numbers behind it (cents; jeugdigen as shown)."""
    soort: str               # "groep", "overig", "groep_en_overig", "totaal"
    key: str | None          # the group to drill into (None: overig and the total)
    label: str
    bevat: tuple[str, ...]   # the small groups in "overig"
    kosten_cent: tuple[int, int]
    jeugdigen: tuple[int, int]
    verandering_cent: int
    effecten_cent: tuple[int, int, int]

    @property
    def drillable(self) -> bool:
        return self.soort in ("groep", "groep_en_overig")

    @property
    def kosten_text(self) -> tuple[str, str]:
        return euro(self.kosten_cent[0]), euro(self.kosten_cent[1])

    @property
    def verandering_text(self) -> str:
        return signed_euro(self.verandering_cent)

    @property
    def effecten_text(self) -> tuple[str, str, str]:
        return tuple(signed_euro(c) for c in self.effecten_cent)

    @property
    def jeugdigen_text(self) -> tuple[str, str]:
        return fmt.number(self.jeugdigen[0]), fmt.number(self.jeugdigen[1])

    @property
    def name(self) -> str:
        """The row's name with what "overig" holds: "Overig (Crisishulp, Dagbehandeling)"."""
        return f"{self.label} ({', '.join(self.bevat)})" if self.bevat and self.soort == OVERIG else self.label


def lines(result: CostGrowth) -> list[Line]:
    """The groups, largest change first, then "overig" (the engine's order)."""
    return [Line(g.soort, g.key if g.drillable else None, g.label, g.bevat,
                 (g.eerder.kosten_cent, g.later.kosten_cent), (g.eerder.jeugdigen, g.later.jeugdigen),
                 g.verandering_cent, g.effecten_cent)
            for g in result.groepen]


def total_line(result: CostGrowth) -> Line | None:
    if result.afgeschermd:
        return None
    a, b = result.totaal_eerder, result.totaal_later
    return Line("totaal", None, "Totaal", (), (a.kosten_cent, b.kosten_cent), (a.jeugdigen, b.jeugdigen),
                result.verandering_cent, tuple(e.bedrag_cent for e in result.effecten))


def effect_headers() -> tuple[str, ...]:
    return tuple(EFFECT_NAMES[e] for e in EFFECTS)
