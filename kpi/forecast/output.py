"""The forecast and the backtest for the command line: readable Dutch text, or one JSON object
(fields documented in docs/prognose.md)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import math

from kpi import format as fmt
from kpi.forecast import texts
from kpi.forecast.results import Backtest, Prognose, PrognoseResultaat

SOORT_LABEL = {"gerealiseerd": "gerealiseerd", "aangevuld": "aangevuld", "prognose": "prognose"}


def as_json(result: PrognoseResultaat, backtest: Backtest | None = None) -> dict:
    """One JSON-ready object: the result's fields, dates as ISO text, plus `backtest` when given."""
    data = _plain(dataclasses.asdict(result))
    if backtest is not None:
        data["backtest"] = _plain(dataclasses.asdict(backtest))
    return data


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _pct(value: float | None, decimals: int = 1) -> str:
    return "–" if value is None else f"{fmt.number(value, decimals)}%"


def _table(rows: list[tuple[str, ...]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.rjust(w) if i in right else cell.ljust(w)
                             for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in rows]


def text(result: PrognoseResultaat, backtest: Backtest | None = None) -> str:
    lines = [f"Prognose totale kosten jeugdhulp {result.jaar} — peildatum {fmt.datum(result.peildatum)}"]
    if result.mogelijk_onvolledig:
        lines += ["", f"Let op ({texts.MOGELIJK_ONVOLLEDIG}): {texts.GEEN_ONTVANGSTDATUM}"]
    else:
        lines.append("Laat binnenkomende declaraties zijn aangevuld (chain-ladder).")
    lines += ["", *_series_block(result.totaal, result.drempel)]
    if not result.totaal.afgeschermd:
        lines += ["", "Per maand (totaal)"]
        rows = [("maand", "soort", "gedeclareerd", "verwacht", "80%-interval")]
        for m in result.totaal.maanden:
            interval = "" if m.hoog - m.laag < 1 else f"{texts.euro(m.laag)} – {texts.euro(m.hoog)}"
            declared = f"<{result.drempel}" if m.gerealiseerd is None else texts.euro(m.gerealiseerd)
            rows.append((fmt.periode_label(f"{m.maand.year}-{m.maand.month:02d}"), SOORT_LABEL[m.soort],
                         declared, texts.euro(m.verwacht), interval))
        lines += _table(rows, {2, 3, 4})
    for title, series in (("Per gemeente", result.per_gemeente), ("Per hulpvorm", result.per_hulpvorm)):
        if not series:
            continue
        lines += ["", title]
        budgets = any(p.budget is not None for p in series if not p.afgeschermd)  # a hulpvorm has none
        rows = [("", "verwacht", "80%-interval") + (("begroting", "overschrijding") if budgets else ())]
        for p in series:
            if p.afgeschermd:
                rows.append((p.naam, f"<{result.drempel}", "") + (("", "") if budgets else ()))
                continue
            rows.append((p.naam, texts.euro(p.verwacht_totaal), f"{texts.euro(p.totaal_laag)} – {texts.euro(p.totaal_hoog)}")
                        + (("" if p.budget is None else texts.euro(p.budget),
                            "" if p.overschrijding is None else texts.euro(p.overschrijding)) if budgets else ()))
        lines += _table(rows, {1, 2, 3, 4} if budgets else {1, 2})
        note = texts.parts_note(series, result.totaal, "gemeente" if series is result.per_gemeente else "hulpvorm")
        if note:
            lines.append(note)
    withheld = any(m.gerealiseerd is None for m in result.totaal.maanden)
    if (withheld or any(p.afgeschermd for p in result.per_gemeente + result.per_hulpvorm)) and result.drempel:
        lines.append(f"<{result.drempel}: afgeschermd, gebaseerd op minder dan {result.drempel} jeugdigen "
                     "(of af te leiden uit andere groepen).")
    if backtest is not None:
        lines += ["", *backtest_text(backtest)]
    return "\n".join(lines)


def _series_block(p: Prognose, drempel: int | None) -> list[str]:
    if p.afgeschermd:
        return [f"{p.naam}: afgeschermd (minder dan {drempel} jeugdigen)"]
    rows = [
        ("Gerealiseerd (gedeclareerd t/m peildatum)", texts.euro(p.gerealiseerd)),
        ("Nog te verwachten declaraties", texts.euro(p.nog_te_verwachten)),
        ("Prognose rest van het jaar", texts.euro(p.prognose_rest)),
        ("Verwachte jaarkosten", f"{texts.euro(p.verwacht_totaal)}  (80%: {texts.euro(p.totaal_laag)} – "
                                 f"{texts.euro(p.totaal_hoog)})"),
    ]
    if p.budget is not None:
        rows.append(("Begroting", texts.euro(p.budget)))
        rows.append(("Bij deze koers", texts.budget_op_zin(p)))
        rows.append(("Afwijking van de begroting", texts.overschrijding_zin(p)))
    out = [p.naam, *_table(rows, set())]
    out.append(f"  Model: {p.model}" + (f" (terugval: {p.terugval})" if p.terugval else ""))
    if p.kalibratie != 1.0:
        out.append(f"  Interval gekalibreerd op eerdere prognoses: factor {fmt.number(p.kalibratie, 2)}")
    return out


def backtest_text(b: Backtest) -> list[str]:
    years = ", ".join(str(y) for y in b.jaren)
    lines = [f"Hoe betrouwbaar is deze prognose? Backtest over {years} (peildatum {fmt.datum(b.peildatum)})",
             "Gemiddelde absolute fout van de jaarprognose (MAPE) per maandeinde, en de dekking van het 80%-interval:"]
    rows = [("eind", "prognose", "doortrekken", "aandeel vorig jaar", "dekking 80%")]
    for m in b.per_maand:
        rows.append((fmt.MAANDEN[m.maand - 1], _pct(m.mape), _pct(m.mape_runrate), _pct(m.mape_vorig_jaar),
                     _pct(m.dekking, 0)))
    rows.append(("alle maanden", _pct(b.mape), _pct(b.mape_runrate), _pct(b.mape_vorig_jaar), _pct(b.dekking, 0)))
    lines += _table(rows, {1, 2, 3, 4})
    lines += ["", "Doelen:"]
    for doel in b.doelen:
        lines.append(f"  {'gehaald    ' if doel.gehaald else 'niet gehaald'}  {doel.omschrijving}: "
                     f"{_pct(doel.waarde)}")
    if not b.gecorrigeerd:
        lines.append(f"Let op: zonder ontvangstdatums is de backtest {texts.MOGELIJK_ONVOLLEDIG}: "
                     "elke oorsprong ziet de maanden zoals ze nu zijn geleverd.")
    return lines
