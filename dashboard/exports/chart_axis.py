"""The y axis of the report's plain-SVG charts (the lijnen's panels, report_charts.py, and the
forecast's, forecast_report.py): round steps and Dutch labels ("€ 5 mln", "7,5%", "1.000"). Its
own module because report_content imports the forecast's section, and report_charts the content."""
from __future__ import annotations

import math

from kpi import format as fmt

TICKS = 4


def nice_ticks(low: float, high: float, count: int = TICKS) -> list[float]:
    """Round tick values (steps of 1, 2, 2,5 or 5 × 10ⁿ) covering low…high with about `count` steps."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def decimals_for(step: float) -> int:
    """As few decimals as the step needs: 5 → 0, 2,5 → 1, 0,25 → 2."""
    return next((d for d in range(3) if math.isclose(step * 10 ** d, round(step * 10 ** d), abs_tol=1e-6)), 3)


def tick_label(value: float, eenheid: str, scale: float, step: float) -> str:
    # "€ 0", not "€ 0 mln"
    return fmt.axis_label(value, eenheid, decimals_for(step), millions=scale != 1 and value != 0)
