"""Every KPI of the contract (kpi-definitions.md, version 1) is in the catalogue exactly as the
contract defines it. The catalogue may hold more ("The product may add KPIs"): adding one touches
only the catalogue."""
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
# The count KPIs, whose value rule 4 of the small numbers rounds: "eenheid `aantal`" (version 2).
# The contract's other KPIs are percentages, means, euros and days, never rounded.
CONTRACT_COUNTS = {"jeugdigen_met_jeugdhulp", "instroom", "uitstroom", "jeugdigen_met_verblijf"}


def differences_from_the_contract(kpi_id: str) -> list[str]:
    """How the catalogue's entry of a contract KPI differs from the contract (empty: not at all)."""
    entry = CATALOGUE.get(kpi_id)
    if entry is None:
        return ["not in the catalogue"]
    naam, axis, richting, breakdowns = CONTRACT[kpi_id]
    out = []
    if (entry.id, entry.naam, entry.as_, entry.richting) != (kpi_id, naam, axis, richting):
        out.append(f"id, naam, as, richting {(entry.id, entry.naam, entry.as_, entry.richting)}")
    if set(entry.breakdowns) != set(breakdowns):
        out.append(f"breakdowns {entry.breakdowns}")
    if not set(ALL_BUT_RESPONDENT) <= set(entry.filters):
        out.append(f"filters {entry.filters}")
    if not (entry.definitie and entry.eenheid):
        out.append("no definitie or eenheid")
    if (entry.eenheid == "aantal") != (kpi_id in CONTRACT_COUNTS):
        out.append(f"eenheid {entry.eenheid!r}")
    return out


def test_every_contract_kpi_is_in_the_catalogue():
    assert set(CONTRACT) - set(CATALOGUE) == set()


@pytest.mark.parametrize("kpi_id", sorted(CONTRACT))
def test_entry_matches_the_contract(kpi_id):
    assert differences_from_the_contract(kpi_id) == []


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
