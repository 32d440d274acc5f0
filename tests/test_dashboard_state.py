"""URL state ⇄ request for the explorer (pure functions)."""
from urllib.parse import parse_qs

from dashboard.server.params import query as parse_query
from dashboard.ui.state import ExplorerState, from_query


def roundtrip(state: ExplorerState) -> ExplorerState:
    return from_query(parse_query(state.to_search()), default_year=2025)


def test_defaults_for_an_empty_url():
    state = from_query({}, default_year=2025)
    assert (state.kpi, state.jaar, state.by, state.per, state.filters) == (
        "jeugdigen_met_jeugdhulp", 2025, "wijk", "jaar", ())


def test_url_roundtrip_keeps_the_drill_path_in_order():
    state = ExplorerState("gem_trajectduur", 2024, "school", "kwartaal",
                          (("verwijzer", "huisarts"), ("wijk", "WK040601"), ("aanbieder", None)), "GM0406")
    assert roundtrip(state) == state
    assert parse_qs(state.to_search()[1:])["f"] == ["verwijzer:huisarts", "wijk:WK040601", "aanbieder:"]


def test_no_breakdown_survives_the_url():
    state = from_query({"kpi": "gem_wachttijd", "by": "", "per": "kwartaal"}, default_year=2025)
    assert state.by is None
    assert state.to_search() == "?kpi=gem_wachttijd&jaar=2025&by=&per=kwartaal"
    assert roundtrip(state) == state


def test_drill_and_step_back():
    state = from_query({"kpi": "instroom", "by": "verwijzer"}, default_year=2025)
    drilled = state.drill("huisarts", "school")
    assert drilled.filters == (("verwijzer", "huisarts"),) and drilled.by == "school"
    deeper = drilled.drill(None, "wijk")
    assert deeper.filters == (("verwijzer", "huisarts"), ("school", None))
    assert deeper.back_to(1) == drilled.__class__(**{**drilled.__dict__, "by": "school"})
    assert deeper.back_to(0).filters == () and deeper.back_to(0).by == "verwijzer"
    req = deeper.breakdown_request()
    assert req.where == {"verwijzer": "huisarts", "school": ""} and req.by == "wijk"


def test_bad_url_parts_are_dropped_with_a_message():
    state = from_query({"kpi": "bestaat_niet", "jaar": "20x5", "f": ["verwijzer:bakker", "onzin"],
                        "per": "week"}, default_year=2025, years=range(2019, 2027))
    assert state.kpi == "jeugdigen_met_jeugdhulp" and state.jaar == 2025
    assert state.filters == () and state.per == "jaar"
    assert len(state.messages) == 5


def test_a_breakdown_or_a_second_filter_on_a_filtered_dimension_says_why_it_is_dropped():
    """by=wijk beside a filter on one wijk said "Uitsplitsing 'wijk' past niet bij deze KPI", of a KPI
    that is broken down by wijk on every other view; a second filter on wijk said the same."""
    state = from_query({"kpi": "jeugdigen_met_verblijf", "by": "wijk", "f": ["wijk:WK040601", "wijk:WK040602"]},
                       default_year=2025)
    assert state.by is None and state.filters == (("wijk", "WK040601"),)
    assert state.messages == ("Filter 'wijk:WK040602' is weggelaten: er is al een filter op wijk.",
                              "Uitsplitsing naar wijk is weggelaten: er is al een filter op wijk.")
    assert from_query({"kpi": "pct_budget_besteed", "by": "wijk"}, default_year=2025).messages == (
        "Uitsplitsing 'wijk' past niet bij deze KPI.",)   # only per gemeente: that one does not fit the KPI


def test_tevredenheid_trend_is_per_year_only_and_budget_needs_a_calendar_year():
    state = from_query({"kpi": "pct_tevreden", "per": "maand"}, default_year=2025)
    assert state.per == "jaar" and state.by == "wijk"
    assert state.trend_request().per == "jaar"
    budget = from_query({"kpi": "pct_budget_besteed"}, default_year=2025)
    request = budget.trend_request()
    assert (request.van.isoformat(), request.tot.isoformat()) == ("2025-01-01", "2025-12-31")


def test_a_per_the_kpi_does_not_have_is_said_not_silently_replaced():
    """/verkenner?kpi=gem_tevredenheid&per=kwartaal and ?kpi=pct_budget_besteed&per=maand showed
    "per jaar" without a word, where per=week says why; the notice says this KPI has figures per jaar
    only, and why (kpi-definitions.md: survey years; a budget of a whole calendar year)."""
    survey = from_query({"kpi": "gem_tevredenheid", "per": "kwartaal"}, default_year=2025)
    assert survey.per == "jaar" and survey.messages == (
        "Onderverdeling 'kwartaal' kan niet bij deze KPI: er zijn alleen cijfers per jaar (de enquêtejaren van het "
        "cliëntervaringsonderzoek); per jaar wordt getoond.",)
    budget = from_query({"kpi": "pct_budget_besteed", "per": "maand"}, default_year=2025)
    assert budget.per == "jaar" and budget.messages == (
        "Onderverdeling 'maand' kan niet bij deze KPI: er zijn alleen cijfers per jaar (de begroting geldt voor een "
        "heel kalenderjaar); per jaar wordt getoond.",)
    assert from_query({"kpi": "pct_tevreden", "per": "maand"}, default_year=2025).messages[0].startswith(
        "Onderverdeling 'maand' kan niet bij deze KPI")
    # what the KPI has, or no per at all, says nothing; a per that does not exist says that, once
    assert from_query({"kpi": "pct_budget_besteed", "per": "jaar"}, default_year=2025).messages == ()
    assert from_query({"kpi": "gem_tevredenheid"}, default_year=2025).messages == ()
    assert from_query({"kpi": "gem_tevredenheid", "per": "week"}, default_year=2025).messages == (
        "Onderverdeling 'week' bestaat niet; per jaar wordt getoond.",)
    assert from_query({"kpi": "instroom", "per": "maand"}, default_year=2025).messages == ()


def test_gemeente_narrows_every_request_that_accepts_it():
    state = from_query({"kpi": "pct_budget_besteed", "gemeente": "GM0406"}, default_year=2025)
    assert state.breakdown_request().where == {"gemeente": "GM0406"}
    assert state.trend_request().where == {"gemeente": "GM0406"}
    assert from_query({"kpi": "instroom"}, default_year=2025).where() == {}


def test_a_group_the_figures_do_not_hold_is_dropped_with_a_message():
    """A user's sweep: `f=wijk:WK999999` showed 'Wijk: WK999999' as if it were a wijk. Codes of a
    wijk, school, aanbieder or gemeente come with the data: the page asks the figures (`known`)."""
    held = {("wijk", "WK040601"), ("school", "S1"), ("gemeente", "GM0406")}

    def known(dimension, key):
        return (dimension, key) in held

    state = from_query({"kpi": "instroom", "f": ["wijk:WK999999", "school:S1", "aanbieder:A9"],
                        "gemeente": "GM9999"}, default_year=2025, known=known)
    assert state.filters == (("school", "S1"),) and state.gemeente is None
    assert state.by == "wijk"  # the dropped wijk is free to break down by again
    assert state.messages == ("Onbekende waarde 'WK999999' voor wijk; filter weggelaten.",
                              "Onbekende waarde 'A9' voor aanbieder; filter weggelaten.",
                              "Gemeente 'GM9999' staat niet in de gegevens; alle gemeenten worden getoond.")
    kept = from_query({"kpi": "instroom", "f": ["wijk:WK040601", "school:"], "gemeente": "GM0406"},
                      default_year=2025, known=known)
    assert kept.filters == (("wijk", "WK040601"), ("school", None)) and kept.gemeente == "GM0406"
    assert kept.messages == ()
    # an unknown dimension is no filter at all; a stored view (no `known`) keeps its codes
    assert from_query({"kpi": "instroom", "f": "buurt:BU1"}, default_year=2025, known=known).filters == ()
    assert from_query({"kpi": "instroom", "f": "wijk:WK999999"}, default_year=2025).filters == (("wijk", "WK999999"),)
