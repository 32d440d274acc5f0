"""Breakdown and filter dimensions (contract: kpi-definitions.md, "Breakdowns and filters").

Declarative: the name, the Dutch word for the screen, its code list (for validating and labelling
code-typed values) and the label of its empty group. How each dimension maps onto SQL for a given
fact source lives in kpi/query.py.
"""
from __future__ import annotations

from dataclasses import dataclass

from data.warehouse import codes


@dataclass(frozen=True)
class Dimension:
    name: str
    naam: str                         # "Wijk", for the screen
    meervoud: str                     # "wijken", for counts on the screen ("1–40 van 5.600 wijken")
    code_list: codes.CodeList | None  # code-typed dimensions: values validated and labelled
    empty_label: str | None = None    # label of the group with no value, where one can exist
    of_traject: bool = True           # an attribute of the traject (vs of the survey answer)
    #: many groups, each a small part of the facts that an index on the trajecten finds: a request
    #: filtered on one reads the facts, not a summary or a stored breakdown (kpi/sources.py, kpi/totals.py)
    small_groups: bool = False


DIMENSIONS: dict[str, Dimension] = {d.name: d for d in (
    Dimension("wijk", "Wijk", "wijken", None, small_groups=True),
    Dimension("gemeente", "Gemeente", "gemeenten", None),
    Dimension("school", "School", "scholen", None, empty_label="Geen school bekend", small_groups=True),
    Dimension("verwijzer", "Verwijzer", "verwijzers", codes.VERWIJZER),
    Dimension("hulpvorm", "Hulpvorm", "hulpvormen", codes.HULPVORM),
    Dimension("aanbieder", "Aanbieder", "aanbieders", None, empty_label="Geen aanbieder"),
    Dimension("respondent", "Respondent", "respondenten", codes.RESPONDENT, of_traject=False),
)}

TRAJECT_DIMENSIONS = ("wijk", "gemeente", "school", "verwijzer", "hulpvorm", "aanbieder")
ALL_DIMENSIONS = TRAJECT_DIMENSIONS + ("respondent",)
