"""Code lists of the import format (contract: import-format.md) with Dutch labels.

One place for every code-typed column: the loader validates against it, the KPI layer labels
groups with it, and the dashboard shows the same words. A code is stored as its lowercase name;
where the national standard (CBS Beleidsinformatie Jeugd, iJw) has a numeric code, that number is
accepted on input too, with or without its leading zero.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    nummer: int | None = None  # national numeric code, where one exists


@dataclass(frozen=True)
class CodeList:
    name: str
    codes: tuple[Code, ...]

    def __post_init__(self) -> None:
        by_name = {c.code: c for c in self.codes}
        by_number = {c.nummer: c for c in self.codes if c.nummer is not None}
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_by_number", by_number)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    def normalise(self, raw: str) -> str | None:
        """The stored code for a delivered value, or None when it is not in the list.

        Case-insensitive after trimming; a national number (`02`, `2`) maps to its name.
        """
        value = raw.strip().lower()
        if value in self._by_name:  # type: ignore[attr-defined]
            return value
        if value.isdigit() and value.isascii():
            code = self._by_number.get(int(value))  # type: ignore[attr-defined]
            if code is not None:
                return code.code
        return None

    def label(self, code: str | None) -> str:
        if code is None:
            return ""
        found = self._by_name.get(code)  # type: ignore[attr-defined]
        return found.label if found else code

    def describe(self) -> str:
        """The accepted values, for error messages."""
        parts = []
        for c in self.codes:
            parts.append(f"{c.code} ({c.nummer:02d})" if c.nummer is not None else c.code)
        return ", ".join(parts)


SCHOOL_SOORT = CodeList("school_soort", (
    Code("bao", "Basisonderwijs"),
    Code("sbo", "Speciaal basisonderwijs"),
    Code("so", "Speciaal onderwijs"),
    Code("vso", "Voortgezet speciaal onderwijs"),
    Code("vo", "Voortgezet onderwijs"),
    Code("mbo", "Middelbaar beroepsonderwijs"),
    Code("overig", "Overig onderwijs"),
))

VERWIJZER = CodeList("verwijzer", (
    Code("gemeente", "Gemeentelijke toegang (lokaal team)", 1),
    Code("huisarts", "Huisarts", 2),
    Code("jeugdarts", "Jeugdarts", 3),
    Code("gecertificeerde_instelling", "Gecertificeerde instelling", 4),
    Code("medisch_specialist", "Medisch specialist", 5),
    Code("geen", "Geen verwijzer (zelf aangemeld)", 6),
    Code("rechter", "Rechter, officier van justitie of JJI", 8),
))

# The contract lists hulpvorm without national numbers (CBS's hulpvorm numbers do not map one to
# one onto these classes), so only the names are accepted.
HULPVORM = CodeList("hulpvorm", (
    Code("lokaal_team", "Lokaal team"),
    Code("poh_jeugd", "Praktijkondersteuner jeugd (POH)"),
    Code("ambulant", "Specialistische ambulante hulp"),
    Code("dagbehandeling", "Dagbehandeling"),
    Code("verblijf", "Jeugdhulp met verblijf"),
    Code("crisis", "Crisishulp"),
    Code("jeugdbescherming", "Jeugdbescherming"),
    Code("jeugdreclassering", "Jeugdreclassering"),
))

# Class of each hulpvorm (import-format.md): used by the lichte-hulp KPI and the dashboard.
HULPVORM_KLASSE = {
    "lokaal_team": "licht",
    "poh_jeugd": "licht",
    "ambulant": "specialistisch",
    "dagbehandeling": "specialistisch",
    "verblijf": "verblijf",
    "crisis": "specialistisch",
    "jeugdbescherming": "gedwongen kader",
    "jeugdreclassering": "gedwongen kader",
}
LICHTE_HULPVORMEN = tuple(k for k, v in HULPVORM_KLASSE.items() if v == "licht")

REDEN_EINDE = CodeList("reden_einde", (
    Code("volgens_plan", "Volgens plan beëindigd", 1),
    Code("voortijdig_overeenstemming", "Voortijdig, in overeenstemming", 2),
    Code("voortijdig_client", "Voortijdig, eenzijdig door cliënt", 3),
    Code("voortijdig_aanbieder", "Voortijdig, eenzijdig door aanbieder", 4),
    Code("externe_omstandigheden", "Externe omstandigheden", 5),
    Code("onbekend", "Onbekend"),
))

DOELREALISATIE = CodeList("doelrealisatie", (
    Code("volledig", "Doelen volledig bereikt"),
    Code("gedeeltelijk", "Doelen gedeeltelijk bereikt"),
    Code("niet", "Doelen niet bereikt"),
    Code("onbekend", "Onbekend"),
))

FINANCIERING = CodeList("financiering", (
    Code("zin", "Zorg in natura"),
    Code("pgb", "Persoonsgebonden budget"),
))

VERBLIJFSVORM = CodeList("verblijfsvorm", (
    Code("pleegzorg", "Pleegzorg", 11),
    Code("gezinshuis", "Gezinshuis (gezinsgericht)", 12),
    Code("jeugdzorgplus", "JeugdzorgPlus (gesloten plaatsing)", 13),
    Code("residentieel", "Residentieel verblijf bij aanbieder", 14),
    Code("overig", "Overig verblijf"),
))
GEZINSGERICHTE_VERBLIJFSVORMEN = ("pleegzorg", "gezinshuis")

RESPONDENT = CodeList("respondent", (
    Code("ouder", "Ouder"),
    Code("jongere", "Jongere"),
))

CODE_LISTS: dict[str, CodeList] = {
    cl.name: cl
    for cl in (SCHOOL_SOORT, VERWIJZER, HULPVORM, REDEN_EINDE, DOELREALISATIE, FINANCIERING,
               VERBLIJFSVORM, RESPONDENT)
}
