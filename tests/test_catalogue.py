"""The catalogue holds exactly the KPIs of the contract (kpi-definitions.md, version 1)."""
import pytest

from kpi import CATALOGUE

ALL_BUT_RESPONDENT = ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")
ALL = ALL_BUT_RESPONDENT + ("respondent",)

# id: (naam, as, richting, breakdowns) — copied from the contract's tables.
CONTRACT = {
    "jeugdigen_met_jeugdhulp": ("Jeugdigen met jeugdhulp", "kwantiteit", "lager_beter", ALL_BUT_RESPONDENT),
    "pct_jeugdigen_met_jeugdhulp": ("% jeugdigen (0–17) met jeugdhulp", "kwantiteit", "lager_beter", ("wijk", "gemeente")),
    "instroom": ("Instroom (gestarte trajecten)", "kwantiteit", "lager_beter", ALL_BUT_RESPONDENT),
    "uitstroom": ("Uitstroom (beëindigde trajecten)", "kwantiteit", "hoger_beter", ALL_BUT_RESPONDENT),
    "jeugdigen_met_verblijf": ("Jeugdigen met verblijf", "kwantiteit", "lager_beter", ALL_BUT_RESPONDENT),
    "pct_lichte_hulp": ("% lichte hulp bij instroom", "kwantiteit", "hoger_beter", ALL_BUT_RESPONDENT),
    "pct_verwijzing_huisarts": ("% verwijzingen door huisarts", "kwantiteit", "lager_beter", ALL_BUT_RESPONDENT),
    "gem_trajectduur": ("Gemiddelde trajectduur (dagen)", "kwaliteit", "lager_beter", ALL_BUT_RESPONDENT),
    "pct_uitval": ("% uitval (eenzijdig beëindigd door cliënt)", "kwaliteit", "lager_beter", ALL_BUT_RESPONDENT),
    "pct_volgens_plan": ("% beëindigd volgens plan", "kwaliteit", "hoger_beter", ALL_BUT_RESPONDENT),
    "pct_doel_bereikt": ("% doelen volledig bereikt", "kwaliteit", "hoger_beter", ALL_BUT_RESPONDENT),
    "gem_wachttijd": ("Gemiddelde wachttijd (dagen)", "kwaliteit", "lager_beter", ALL_BUT_RESPONDENT),
    "pct_herinstroom": ("% herinstroom binnen 12 maanden", "kwaliteit", "lager_beter", ALL_BUT_RESPONDENT),
    "gem_verblijfsduur": ("Gemiddelde verblijfsduur (dagen)", "kwaliteit", "lager_beter", ALL_BUT_RESPONDENT),
    "pct_verblijf_gezinsgericht": ("% verblijfsdagen gezinsgericht", "kwaliteit", "hoger_beter", ALL_BUT_RESPONDENT),
    "totale_kosten": ("Totale kosten jeugdhulp (€)", "kosten", "lager_beter", ALL_BUT_RESPONDENT),
    "kosten_per_jeugdige": ("Kosten per jeugdige (€)", "kosten", "lager_beter", ALL_BUT_RESPONDENT),
    "pct_budget_besteed": ("% van begroting besteed", "kosten", "lager_beter", ("gemeente",)),
    "gem_tevredenheid": ("Gemiddeld rapportcijfer cliënten", "tevredenheid", "hoger_beter", ALL),
    "pct_tevreden": ("% cliënten tevreden (cijfer ≥ 7)", "tevredenheid", "hoger_beter", ALL),
}


def test_catalogue_has_exactly_the_contract_kpis():
    assert set(CATALOGUE) == set(CONTRACT) and len(CATALOGUE) == len(CONTRACT)


@pytest.mark.parametrize("kpi_id", sorted(CONTRACT))
def test_entry_matches_the_contract(kpi_id):
    naam, axis, richting, breakdowns = CONTRACT[kpi_id]
    entry = CATALOGUE[kpi_id]
    assert (entry.naam, entry.as_, entry.richting) == (naam, axis, richting)
    assert set(entry.breakdowns) == set(breakdowns)
    assert set(ALL_BUT_RESPONDENT) <= set(entry.filters)
    assert entry.definitie and entry.eenheid


def test_trajectduur_carries_the_national_benchmark():
    assert [(b.jaar, b.waarde) for b in CATALOGUE["gem_trajectduur"].benchmarks] == [(2019, 361), (2023, 406)]


@pytest.mark.parametrize("kpi_id", sorted(CONTRACT))
def test_every_kpi_compiles_to_one_grouped_aggregate(warehouse, kpi_id):
    """The fact table is aggregated in the database: the statement groups, it never lists rows."""
    import datetime as dt

    from kpi import KpiRequest
    from kpi.query import compiled_sql

    by = CATALOGUE[kpi_id].breakdowns[0]
    sql = compiled_sql(warehouse, KpiRequest(kpi_id, dt.date(2025, 1, 1), dt.date(2025, 12, 31), by=by, per="jaar"))
    assert "GROUP BY" in sql
    assert "count(" in sql.lower()
