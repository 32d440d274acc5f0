"""The programme at a glance, and the programme page's filters ("a view is its URL": `toon=`).

Pure functions over the programme and its indicators' series: counts of indicator statuses and
maatregel statuses for the summary at the top of /programma, and which lijnen, maatregelen and
indicators a filter keeps — everything (`alles`), only what needs attention (`aandacht`: indicators
achter or aandacht, maatregelen vertraagd) or the viewer's own maatregelen (`mijn`).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dashboard.programme.progress import IndicatorYear, LijnView, MaatregelStand, MaatregelView, stand_counts_text

FILTERS = {"alles": "Alles", "aandacht": "Alleen aandacht en achter", "mijn": "Mijn maatregelen"}
NEEDS_ATTENTION = ("aandacht", "achter")


@dataclass(frozen=True)
class Summary:
    indicators: Counter   # status code (op_koers/aandacht/achter) or the reason without one → count
    maatregelen: list[MaatregelStand]  # each maatregel's status of the year

    def indicator_text(self, jaar: int) -> str:
        judged = [(code, label) for code, label in (("op_koers", "op koers"), ("aandacht", "aandacht"),
                                                    ("achter", "achter"))]
        parts = [f"{self.indicators.get(code, 0)} {label}" for code, label in judged]
        unjudged = sum(n for key, n in self.indicators.items() if key not in dict(judged))
        if unjudged:
            parts.append(f"{unjudged} zonder oordeel")
        return f"Indicatoren {jaar}: " + " · ".join(parts)

    def reasons_text(self) -> str:
        """Why indicators have no status, e.g. "3 geen streefwaarde, 2 nog niet vastgesteld"."""
        return ", ".join(f"{n} {key}" for key, n in sorted(self.indicators.items())
                         if key not in ("op_koers", "aandacht", "achter"))

    def maatregel_text(self, jaar: int, provisional: bool = False) -> str:
        """The maatregelen per status of `jaar`, and which reports those statuses come from: the
        raad sees the vastgestelde quarters only, the programme's staff also the quarter still open,
        so their counts may differ and each says why."""
        source = (f"naar hun laatste kwartaalrapportage over {jaar}, ook als die nog niet is vastgesteld"
                  if provisional else f"naar de laatste vastgestelde kwartaalrapportage over {jaar}")
        return f"Maatregelen ({source}): " + stand_counts_text(self.maatregelen).replace(", ", " · ")


def judgement(current: IndicatorYear) -> str:
    return current.status.code if current.status else (current.reden or "geen streefwaarde")


def summary(lijnen: list[LijnView], series_of: dict[str, list[IndicatorYear]], jaar: int) -> Summary:
    indicators = Counter(judgement(series_of[ind.code][-1]) for lijn in lijnen for ind in lijn.all_indicators()
                         if ind.code in series_of)
    return Summary(indicators, [m.stand(jaar) for lijn in lijnen for m in lijn.maatregelen])


def keeps_indicator(toon: str, current: IndicatorYear) -> bool:
    return toon != "aandacht" or judgement(current) in NEEDS_ATTENTION


def keeps_maatregel(toon: str, m: MaatregelView, mine: frozenset[str], series_of: dict, jaar: int) -> bool:
    if toon == "mijn":
        return m.code in mine
    if toon == "aandacht":
        return m.stand(jaar).status == "vertraagd" or any(keeps_indicator(toon, series_of[i.code][-1])
                                              for i in m.indicatoren if i.code in series_of)
    return True


def filtered_lijn(toon: str, lijn: LijnView, mine: frozenset[str], series_of: dict,
                  jaar: int) -> tuple[list, list]:
    """(maatregelen, indicators) of a lijn that the filter keeps; a maatregel's status is `jaar`'s."""
    maatregelen = [m for m in lijn.maatregelen if keeps_maatregel(toon, m, mine, series_of, jaar)]
    if toon == "mijn":
        indicators = [i for m in maatregelen for i in m.indicatoren]
    else:
        indicators = [i for i in lijn.all_indicators()
                      if i.code in series_of and keeps_indicator(toon, series_of[i.code][-1])]
    return maatregelen, indicators
