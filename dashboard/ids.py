"""Component ids in one place, so pages, callbacks and browser tests agree."""
NAV = "nav-location"           # dcc.Location that callbacks write to (refresh="callback-nav")
JAAR = "jaar-select"
VK_JAAR = "verkenner-jaar-select"
LIJN_JAAR = "lijn-jaar-select"
GEMEENTE = "gemeente-select"
KPI = "kpi-select"
BY = "by-select"
PER = "per-select"
BAR = "breakdown-graph"
TREND = "trend-graph"
CRUMB = "crumb"                # pattern: {"type": CRUMB, "index": i}
PROGRAMMA_VIEW = "programma-view"
DATA_STATUS = "data-status"
