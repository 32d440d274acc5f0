"""Component ids in one place, so pages, callbacks and browser tests agree."""
NAV = "nav-location"           # dcc.Location that callbacks write to (refresh="callback-nav")
JAAR = "jaar-select"
VK_JAAR = "verkenner-jaar-select"
VK_GEMEENTE = "verkenner-gemeente-select"
GEMEENTE = "gemeente-select"
KPI = "kpi-select"
BY = "by-select"
PER = "per-select"
BAR = "breakdown-graph"
TREND = "trend-graph"
CRUMB = "crumb"                # pattern: {"type": CRUMB, "index": i}
DATA_STATUS = "data-status"
NOTHING_LOADED = "nog-geen-gegevens"
DOWNLOAD = "download"
DOWNLOAD_CSV = "download-csv"
DOWNLOAD_XLSX = "download-xlsx"
DOWNLOAD_MSG = "download-melding"
TREND_DOWNLOAD = "download-trend"            # the explorer's trend (its "Tabel bij de trend") as a file
TREND_DOWNLOAD_CSV = "download-trend-csv"
TREND_DOWNLOAD_XLSX = "download-trend-xlsx"
TREND_DOWNLOAD_MSG = "download-trend-melding"
ADD_SLIDE = "toevoegen-aan-presentatie"
ADD_SLIDE_MSG = "toevoegen-aan-presentatie-melding"
STAND_PEILDATUM = "stand-peildatum"
STAND_TITEL = "stand-titel"
STAND_JAAR = "stand-jaar"
STAND_FREEZE = "stand-vastleggen"
STAND_MSG = "stand-melding"
STAND_LIST = "standen-lijst"
STAND_DELETE = "stand-verwijderen"   # pattern: {"type": STAND_DELETE, "id": n}
DIA_MSG = "dia-melding"
DIA_LIST = "dias-lijst"
KG_JAAR = "kostengroei-jaar"          # /kostengroei: the year to explain
KG_VERGELIJK = "kostengroei-vergelijk"  # … the year to compare with
KG_BY = "kostengroei-verdeling"        # … the groups
KG_GRAPH = "kostengroei-grafiek"       # … the waterfall
DIA_ACTION = "dia-actie"             # pattern: {"type": DIA_ACTION, "id": n, "actie": "omhoog"|"omlaag"|"verwijderen"}

# Option values for "no choice" in a select: dbc.Select puts a hidden placeholder option with the
# value "" first, so an option whose value is "" would show as an empty box instead of its label.
ALLE = "alle"   # "Alle gemeenten"
GEEN = "geen"   # "Geen uitsplitsing"


def chosen(value: str | None, none_value: str) -> str | None:
    """A select's value, with its "no choice" option (and an empty value) as None."""
    return None if value in (None, "", none_value) else value
