"""The frame's footer names the plan, and calls the figures synthetic only when they are."""
from __future__ import annotations

from dashboard.ui.shell import footer_text
from data.programme.plan import default_plan


def test_the_footer_calls_only_the_demonstration_data_synthetic():
    plan = default_plan()
    demo, own = footer_text(plan, synthetic=True), footer_text(plan, synthetic=False)
    assert demo == (f"Jeugdmonitor · {plan.naam}, gemeente {plan.gemeente} · demonstratiegegevens (synthetisch) · "
                    "kleine aantallen in de KPI's afgeschermd")
    assert own == f"Jeugdmonitor · {plan.naam}, gemeente {plan.gemeente} · kleine aantallen in de KPI's afgeschermd"
