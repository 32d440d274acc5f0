"""Another programme plan than Huizen's, for the tests that show that a plan's name, gemeente and
years are read from the programme, not from the code: the Huizen file renamed and moved two years
earlier — "Jeugdplan Eemnes 2023–2027", streefwaarden 2023–2026 (2027 has none yet), nulmeting 2022."""
from __future__ import annotations

import copy
import json
from pathlib import Path

from data.programme.plan import Plan, load_programme, read_programme

NAAM = "Jeugdplan Eemnes 2023–2027"
GEMEENTE = "Eemnes"
PLAN = Plan(NAAM, GEMEENTE, 2023, 2027, 2022)
SHIFT = -2


def other_plan(doc: dict | None = None) -> dict:
    doc = copy.deepcopy(doc or read_programme())
    doc["programma"].update(naam=NAAM, gemeente=GEMEENTE, periode=[PLAN.eerste_jaar, PLAN.laatste_jaar],
                            nulmeting_jaar=PLAN.nulmeting_jaar)
    for indicator in doc["indicatoren"]:
        for value in indicator.get("streefwaarden", []):
            value["jaar"] += SHIFT
        for value in indicator.get("realisaties", []):
            value["periode"] = str(int(value["periode"][:4]) + SHIFT) + value["periode"][4:]
    return doc


def write_plan(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def load_other_plan(engine, folder: Path, doc: dict | None = None) -> None:
    load_programme(engine, write_plan(folder / "eemnes.json", doc or other_plan()))
