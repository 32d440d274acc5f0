"""The Programmaplan Jeugd as data: load a programme file into the programme tables.

The file (default: data/programme/programma/huizen_2025_2028.json) holds the strategische lijnen, the
doelstellingen, the maatregelen and the indicatoren with their nulmeting, streefwaarden and (for
manual indicators) a few realisaties:

    {"programma": {"naam", "gemeente", "periode": [2025, 2028], "nulmeting_jaar": 2024, ...},
     "lijnen":         [{"code", "nummer", "naam", "omschrijving"}],
     "doelstellingen": [{"code", "nummer", "naam", "omschrijving"}],
     "maatregelen":    [{"code", "lijn", "nummer", "naam", "omschrijving", "regionaal",
                         "trekker", "status"}],
     "indicatoren":    [{"code", "naam", "soort", "kpi_id" | null, "eenheid", "richting",
                         "lijn", "maatregel", "doelstellingen": [codes], "omschrijving",
                         "bovengrens" (optional: a value may pass its unit's range up to here),
                         "streefwaarden": [{"jaar", "soort", "waarde"}],
                         "realisaties": [{"periode", "waarde"}]}]}

The header (`programma`) is the plan itself: its name, gemeente, the years of its streefwaarden
(`periode`) and its nulmeting year. It is stored in the table `programma` and read back with
`read_plan` — by every screen, export and year check — so another plan with other years and another
name needs no change to the code. Before any programme is loaded, the default file's header counts.

The file is the *initial* state of the programme. Loading is idempotent and never destroys what
users did afterwards:
- lijnen, doelstellingen, maatregelen and indicatoren are matched by code: new ones are inserted,
  existing ones get the file's definition (naam, omschrijving, nummer, lijn …); a maatregel's
  `status` and `trekker` are only set when it is inserted (users change them later);
- links indicator → doelstelling are added when missing;
- streefwaarden (per indicator, jaar, soort) and realisaties (per indicator, periode) are only
  inserted when they do not exist yet; a value a trekker changed is never overwritten;
- nothing is ever deleted.
Every inserted streefwaarde, realisatie and maatregel status, and every definition field a reload
changes, is written to `wijziging` (door = the `door` argument).

data/ does not depend on kpi/: whether a `kpi_id` exists in the KPI catalogue is checked by the
tests (tests/test_programme.py), not here.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select
from sqlalchemy.orm import Session

from data.programme.schema import (
    MAATREGEL_STATUSSEN,
    Doelstelling,
    Indicator,
    IndicatorDoelstelling,
    Maatregel,
    Programma,
    Realisatie,
    StrategischeLijn,
    Streefwaarde,
    Wijziging,
)

DEFAULT_PATH = Path(__file__).resolve().parent / "programma" / "huizen_2025_2028.json"
DEFAULT_DOOR = "systeem (programmaplan)"
REDEN = "initiële vulling uit het programmabestand"

SOORTEN_INDICATOR = ("proces", "effect")
RICHTINGEN = ("lager_beter", "hoger_beter")
SOORTEN_WAARDE = ("nulmeting", "streefwaarde")
PERIODE = re.compile(r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$")

# Column widths of data/schema.py, so a too-long value is reported here, not by the database.
_MAX = {"code": 32, "naam": 300, "trekker": 200, "eenheid": 32, "kpi_id": 64, "gemeente": 200}

# Table names as keys of the returned counts, in load order.
TABLES = ("programma", "strategische_lijn", "doelstelling", "maatregel", "indicator",
          "indicator_doelstelling", "streefwaarde", "realisatie", "wijziging")
PLAN_ID = 1  # the one row of `programma`


@dataclass(frozen=True)
class Plan:
    """The programme plan itself: its name ("Programmaplan Jeugd 2025–2028"), its gemeente, the
    years of its streefwaarden and the year it measures from (the nulmeting)."""
    naam: str
    gemeente: str
    eerste_jaar: int
    laatste_jaar: int
    nulmeting_jaar: int

    @property
    def jaren(self) -> range:
        """The years with streefwaarden: 2025–2028."""
        return range(self.eerste_jaar, self.laatste_jaar + 1)

    @property
    def jaren_met_nulmeting(self) -> range:
        """From the nulmeting to the last year: what the programme's tables and charts show."""
        return range(min(self.nulmeting_jaar, self.eerste_jaar), self.laatste_jaar + 1)


def plan_of(doc: dict) -> Plan:
    """The plan of a (validated) programme file."""
    header = doc["programma"]
    first, last = header["periode"]
    return Plan(header["naam"], header["gemeente"], first, last, header["nulmeting_jaar"])


@functools.lru_cache(maxsize=1)
def default_plan() -> Plan:
    """The plan of the default programme file: what counts before any programme is loaded."""
    return plan_of(read_programme())


def period_end(periode: str) -> tuple[int, int]:
    """(year, last month) of a programme period: "2026" (12), "2026-Q3" (9) or "2026-07" (7)."""
    year, _, part = periode.partition("-")
    return int(year), 12 if not part else 3 * int(part[1:]) if part.startswith("Q") else int(part)


def read_plan(bind: Connection | Engine) -> Plan:
    """The plan of the programme in the warehouse; the default file's before one is loaded (or
    after the restore of a back-up made before plans were stored)."""
    statement = select(Programma).where(Programma.id == PLAN_ID)
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            row = conn.execute(statement).first()
    else:
        row = bind.execute(statement).first()
    if row is None:
        return default_plan()
    return Plan(row.naam, row.gemeente, row.eerste_jaar, row.laatste_jaar, row.nulmeting_jaar)


class ProgrammeError(ValueError):
    """A programme file that cannot be loaded; the message (Dutch) names the bad entry."""


# --- reading and validating ----------------------------------------------------------------------

def read_programme(path: Path | str | None = None) -> dict[str, Any]:
    """The parsed and validated programme file."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ProgrammeError(f"programmabestand {path} kan niet worden gelezen: {exc}") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProgrammeError(f"programmabestand {path} is geen geldige JSON "
                             f"(regel {exc.lineno}, kolom {exc.colno}): {exc.msg}") from exc
    validate_programme(doc)
    return doc


def _where(kind: str, entry: Any, index: int) -> str:
    code = entry.get("code") if isinstance(entry, dict) else None
    return f"{kind} {code!r}" if code else f"{kind} nr. {index + 1} in de lijst"


def _text(entry: dict, key: str, where: str, required: bool = True) -> None:
    value = entry.get(key)
    if value is None:
        if required:
            raise ProgrammeError(f"{where}: veld '{key}' ontbreekt")
        return
    if not isinstance(value, str) or (required and not value.strip()):
        raise ProgrammeError(f"{where}: veld '{key}' moet tekst zijn (niet leeg)")
    limit = _MAX.get(key)
    if limit and len(value) > limit:
        raise ProgrammeError(f"{where}: veld '{key}' is langer dan {limit} tekens")


def _int(entry: dict, key: str, where: str) -> None:
    value = entry.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProgrammeError(f"{where}: veld '{key}' moet een geheel getal zijn, niet {value!r}")


def _number(value: Any, where: str) -> None:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value != value:
        raise ProgrammeError(f"{where}: waarde moet een getal zijn, niet {value!r}")


def _list(doc: dict, key: str) -> list:
    value = doc.get(key)
    if not isinstance(value, list):
        raise ProgrammeError(f"programmabestand: '{key}' ontbreekt of is geen lijst")
    return value


def _unique_codes(kind: str, entries: list) -> set[str]:
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise ProgrammeError(f"{kind} nr. {i + 1} in de lijst is geen object")
        _text(entry, "code", _where(kind, entry, i))
        if entry["code"] in seen:
            raise ProgrammeError(f"{kind} {entry['code']!r} komt meer dan één keer voor")
        seen.add(entry["code"])
    return seen


def _validate_header(doc: dict) -> range:
    """Check the plan's header; its years of streefwaarden."""
    header = doc.get("programma")
    if not isinstance(header, dict):
        raise ProgrammeError("programmabestand: 'programma' (naam, gemeente, periode, nulmeting_jaar) "
                             "ontbreekt of is geen object")
    where = "programma"
    _text(header, "naam", where)
    _text(header, "gemeente", where)
    _int(header, "nulmeting_jaar", where)
    periode = header.get("periode")
    if not (isinstance(periode, list) and len(periode) == 2
            and all(isinstance(j, int) and not isinstance(j, bool) for j in periode) and periode[0] <= periode[1]):
        raise ProgrammeError(f"programma: 'periode' moet [eerste jaar, laatste jaar] zijn, niet {periode!r}")
    if header["nulmeting_jaar"] > periode[1]:
        raise ProgrammeError(f"programma: het nulmeting_jaar {header['nulmeting_jaar']} ligt na de periode "
                             f"{periode[0]}–{periode[1]}")
    return range(periode[0], periode[1] + 1)


def validate_programme(doc: Any) -> None:
    """Raise ProgrammeError (naming the entry) unless `doc` is a consistent programme."""
    if not isinstance(doc, dict):
        raise ProgrammeError("programmabestand: verwacht een JSON-object met 'programma', 'lijnen', "
                             "'doelstellingen', 'maatregelen' en 'indicatoren'")
    jaren = _validate_header(doc)
    lijnen, doelen = _list(doc, "lijnen"), _list(doc, "doelstellingen")
    maatregelen, indicatoren = _list(doc, "maatregelen"), _list(doc, "indicatoren")
    lijn_codes = _unique_codes("strategische lijn", lijnen)
    doel_codes = _unique_codes("doelstelling", doelen)
    maatregel_codes = _unique_codes("maatregel", maatregelen)
    _unique_codes("indicator", indicatoren)

    for kind, entries in (("strategische lijn", lijnen), ("doelstelling", doelen)):
        for i, entry in enumerate(entries):
            where = _where(kind, entry, i)
            _int(entry, "nummer", where)
            _text(entry, "naam", where)
            _text(entry, "omschrijving", where, required=False)

    lijn_van: dict[str, str] = {}
    for i, entry in enumerate(maatregelen):
        where = _where("maatregel", entry, i)
        _int(entry, "nummer", where)
        _text(entry, "naam", where)
        _text(entry, "omschrijving", where, required=False)
        _text(entry, "trekker", where, required=False)
        if entry.get("lijn") not in lijn_codes:
            raise ProgrammeError(f"{where}: onbekende strategische lijn {entry.get('lijn')!r}")
        if not isinstance(entry.get("regionaal", False), bool):
            raise ProgrammeError(f"{where}: 'regionaal' moet true of false zijn")
        if entry.get("status", "nog_niet_gestart") not in MAATREGEL_STATUSSEN:
            raise ProgrammeError(f"{where}: onbekende status {entry.get('status')!r} "
                                 f"(toegestaan: {', '.join(MAATREGEL_STATUSSEN)})")
        lijn_van[entry["code"]] = entry["lijn"]

    for i, entry in enumerate(indicatoren):
        where = _where("indicator", entry, i)
        _text(entry, "naam", where)
        _text(entry, "omschrijving", where, required=False)
        _text(entry, "kpi_id", where, required=False)
        _text(entry, "eenheid", where, required=entry.get("kpi_id") is None)
        if entry.get("bovengrens") is not None:
            _number(entry["bovengrens"], f"{where}, bovengrens")
        if entry.get("soort") not in SOORTEN_INDICATOR:
            raise ProgrammeError(f"{where}: 'soort' moet 'proces' of 'effect' zijn, "
                                 f"niet {entry.get('soort')!r}")
        if entry.get("richting") not in RICHTINGEN:
            raise ProgrammeError(f"{where}: 'richting' moet 'lager_beter' of 'hoger_beter' zijn, "
                                 f"niet {entry.get('richting')!r}")
        lijn, maatregel = entry.get("lijn"), entry.get("maatregel")
        if lijn is None and maatregel is None:
            raise ProgrammeError(f"{where}: hoort bij geen strategische lijn en geen maatregel")
        if lijn is not None and lijn not in lijn_codes:
            raise ProgrammeError(f"{where}: onbekende strategische lijn {lijn!r}")
        if maatregel is not None:
            if maatregel not in maatregel_codes:
                raise ProgrammeError(f"{where}: onbekende maatregel {maatregel!r}")
            if lijn is not None and lijn_van[maatregel] != lijn:
                raise ProgrammeError(f"{where}: maatregel {maatregel!r} hoort bij lijn "
                                     f"{lijn_van[maatregel]!r}, niet bij {lijn!r}")
        links = entry.get("doelstellingen", [])
        if not isinstance(links, list):
            raise ProgrammeError(f"{where}: 'doelstellingen' moet een lijst van codes zijn")
        for code in links:
            if code not in doel_codes:
                raise ProgrammeError(f"{where}: onbekende doelstelling {code!r}")
        if len(set(links)) != len(links):
            raise ProgrammeError(f"{where}: een doelstelling staat dubbel in 'doelstellingen'")

        seen: set[tuple] = set()
        for s in entry.get("streefwaarden", []):
            if not isinstance(s, dict):
                raise ProgrammeError(f"{where}: streefwaarde {s!r} is geen object")
            soort = s.get("soort", "streefwaarde")
            swhere = f"{where}, {soort} {s.get('jaar')!r}"
            _int(s, "jaar", swhere)
            if soort not in SOORTEN_WAARDE:
                raise ProgrammeError(f"{swhere}: 'soort' moet 'nulmeting' of 'streefwaarde' zijn")
            if soort == "streefwaarde" and s["jaar"] not in jaren:
                raise ProgrammeError(f"{swhere}: ligt buiten de periode {jaren.start}–{jaren.stop - 1} "
                                     "van het programma")
            _number(s.get("waarde"), swhere)
            if (s["jaar"], soort) in seen:
                raise ProgrammeError(f"{swhere}: staat meer dan één keer in het bestand")
            seen.add((s["jaar"], soort))

        realisaties = entry.get("realisaties", [])
        if realisaties and entry.get("kpi_id") is not None:
            raise ProgrammeError(f"{where}: realisaties horen alleen bij handmatige indicatoren "
                                 f"(deze wordt berekend uit KPI {entry['kpi_id']!r})")
        periodes: set[str] = set()
        for r in realisaties:
            if not isinstance(r, dict):
                raise ProgrammeError(f"{where}: realisatie {r!r} is geen object")
            rwhere = f"{where}, realisatie {r.get('periode')!r}"
            if not isinstance(r.get("periode"), str) or not PERIODE.match(r["periode"]):
                raise ProgrammeError(f"{rwhere}: periode moet 'JJJJ', 'JJJJ-Qn' of 'JJJJ-MM' zijn")
            _number(r.get("waarde"), rwhere)
            if r["periode"] in periodes:
                raise ProgrammeError(f"{rwhere}: staat meer dan één keer in het bestand")
            periodes.add(r["periode"])


# --- loading ------------------------------------------------------------------------------------

def _fmt(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Loader:
    """One load of a validated file. What the tables hold is read once per table and the new rows
    go in per table, not row by row: a programme is ~500 rows, and looking each one up and
    flushing it on its own took ~1,100 statements per load."""

    def __init__(self, session: Session, door: str, op: dt.datetime | None = None) -> None:
        self.session = session
        self.door = door
        self.now = (op or dt.datetime.now()).replace(microsecond=0)
        self.counts = dict.fromkeys(TABLES, 0)
        self.counts["bijgewerkt"] = 0
        self.audits: list[dict[str, Any]] = []  # `wijziging` rows, inserted last in this order

    def audit(self, tabel: str, sleutel: str, veld: str, oud: Any, nieuw: Any,
              reden: str = REDEN, op: dt.datetime | None = None) -> None:
        self.audits.append({"tabel": tabel, "sleutel": sleutel, "veld": veld, "oude_waarde": _fmt(oud),
                            "nieuwe_waarde": _fmt(nieuw), "door": self.door, "op": op or self.now, "reden": reden})
        self.counts["wijziging"] += 1

    def known_at(self, periode: str) -> dt.datetime:
        """When a realisatie of the file is recorded: the load's moment, or, for a load dated back
        (the demonstration's plan start) before its period ended, the first day after that period
        (never after the real present): the history said "6 januari 2025: realisatie K2 2026"."""
        year, last_month = period_end(periode)
        after = dt.datetime(year + (last_month == 12), last_month % 12 + 1, 1, self.now.hour, self.now.minute)
        return min(max(self.now, after), max(self.now, dt.datetime.now().replace(microsecond=0)))

    def by_code(self, model) -> dict[str, Any]:
        return {row.code: row for row in self.session.scalars(select(model))}

    def upsert(self, model, existing: dict[str, Any], entry: dict, fields: dict[str, Any],
               insert_only: dict[str, Any] | None = None):
        """The row with entry's code: inserted, or its definition fields brought up to date."""
        table = model.__tablename__
        row = existing.get(entry["code"])
        if row is None:
            row = model(code=entry["code"], **fields, **(insert_only or {}))
            self.session.add(row)
            self.counts[table] += 1
            return row, True
        for name, value in fields.items():
            if getattr(row, name) != value:
                self.audit(table, entry["code"], name, getattr(row, name), value,
                           reden="bijgewerkt uit het programmabestand")
                setattr(row, name, value)
                self.counts["bijgewerkt"] += 1
        return row, False

    def load(self, doc: dict) -> dict[str, int]:
        s = self.session
        self.plan(plan_of(doc))
        existing = {model: self.by_code(model) for model in (StrategischeLijn, Doelstelling, Maatregel, Indicator)}
        lijnen = {}
        for e in doc["lijnen"]:
            lijnen[e["code"]], _ = self.upsert(StrategischeLijn, existing[StrategischeLijn], e, {
                "nummer": e["nummer"], "naam": e["naam"], "omschrijving": e.get("omschrijving")})
        doelen = {}
        for e in doc["doelstellingen"]:
            doelen[e["code"]], _ = self.upsert(Doelstelling, existing[Doelstelling], e, {
                "nummer": e["nummer"], "naam": e["naam"], "omschrijving": e.get("omschrijving")})
        s.flush()

        maatregelen = {}
        lijn_van = {e["code"]: e["lijn"] for e in doc["maatregelen"]}
        for e in doc["maatregelen"]:
            status = e.get("status", "nog_niet_gestart")
            row, new = self.upsert(Maatregel, existing[Maatregel], e, {
                "lijn_id": lijnen[e["lijn"]].id, "nummer": e["nummer"], "naam": e["naam"],
                "omschrijving": e.get("omschrijving"), "regionaal": e.get("regionaal", False),
            }, insert_only={"trekker": e.get("trekker"), "status": status, "version": 1})
            if new:
                self.audit("maatregel", e["code"], "status", None, status)
            maatregelen[e["code"]] = row
        s.flush()

        indicatoren = []
        for e in doc["indicatoren"]:
            maatregel = maatregelen[e["maatregel"]] if e.get("maatregel") else None
            lijn_code = e.get("lijn") or lijn_van[e["maatregel"]]
            row, _ = self.upsert(Indicator, existing[Indicator], e, {
                "naam": e["naam"], "soort": e["soort"], "kpi_id": e.get("kpi_id"),
                "eenheid": e.get("eenheid"), "richting": e["richting"],
                "lijn_id": lijnen[lijn_code].id, "maatregel_id": maatregel.id if maatregel else None,
                "omschrijving": e.get("omschrijving"),
                "bovengrens": float(e["bovengrens"]) if e.get("bovengrens") is not None else None})
            indicatoren.append((row, e))
        s.flush()
        self.links_and_values(indicatoren, doelen)
        if self.audits:
            s.execute(insert(Wijziging), self.audits)
        return self.counts

    def plan(self, plan: Plan) -> None:
        """The plan's header: inserted, or brought up to date (each changed field audited)."""
        fields = {"naam": plan.naam, "gemeente": plan.gemeente, "eerste_jaar": plan.eerste_jaar,
                  "laatste_jaar": plan.laatste_jaar, "nulmeting_jaar": plan.nulmeting_jaar}
        row = self.session.get(Programma, PLAN_ID)
        if row is None:
            self.session.add(Programma(id=PLAN_ID, **fields))
            self.counts["programma"] += 1
            return
        for name, value in fields.items():
            if getattr(row, name) != value:
                self.audit("programma", "programma", name, getattr(row, name), value,
                           reden="bijgewerkt uit het programmabestand")
                setattr(row, name, value)
                self.counts["bijgewerkt"] += 1

    def links_and_values(self, indicatoren: list[tuple[Indicator, dict]], doelen: dict[str, Doelstelling]) -> None:
        """Each indicator's missing links to its doelstellingen, streefwaarden and realisaties;
        what is there is never overwritten (a trekker may have changed a value)."""
        s = self.session
        linked = set(s.execute(select(IndicatorDoelstelling.indicator_id, IndicatorDoelstelling.doelstelling_id)).all())
        targets = set(s.execute(select(Streefwaarde.indicator_id, Streefwaarde.jaar, Streefwaarde.soort)).all())
        reported = set(s.execute(select(Realisatie.indicator_id, Realisatie.periode)).all())
        links, streefwaarden, realisaties = [], [], []
        for indicator, entry in indicatoren:
            for code in entry.get("doelstellingen", []):
                if (indicator.id, doelen[code].id) not in linked:
                    links.append({"indicator_id": indicator.id, "doelstelling_id": doelen[code].id})
            for v in entry.get("streefwaarden", []):
                soort = v.get("soort", "streefwaarde")
                if (indicator.id, v["jaar"], soort) in targets:
                    continue
                streefwaarden.append({"indicator_id": indicator.id, "jaar": v["jaar"], "soort": soort,
                                      "waarde": float(v["waarde"]), "version": 1,
                                      "gewijzigd_door": self.door, "gewijzigd_op": self.now})
                self.audit("streefwaarde", f"{indicator.code}/{v['jaar']}/{soort}", "waarde", None, v["waarde"])
            for v in entry.get("realisaties", []):
                if (indicator.id, v["periode"]) in reported:
                    continue
                when = self.known_at(v["periode"])
                realisaties.append({"indicator_id": indicator.id, "periode": v["periode"],
                                    "waarde": float(v["waarde"]), "version": 1,
                                    "gewijzigd_door": self.door, "gewijzigd_op": when})
                self.audit("realisatie", f"{indicator.code}/{v['periode']}", "waarde", None, v["waarde"], op=when)
        for model, rows in ((IndicatorDoelstelling, links), (Streefwaarde, streefwaarden), (Realisatie, realisaties)):
            if rows:
                s.execute(insert(model), rows)
            self.counts[model.__tablename__] += len(rows)


def load_programme(engine: Engine, path: Path | str | None = None,
                   door: str = DEFAULT_DOOR, op: dt.datetime | None = None) -> dict[str, int]:
    """Load a programme file (default: the Huizen Programmaplan) in one transaction. `op`: the
    moment its history records (now by default; the demonstration records the plan's start).

    Returns the number of rows inserted per table (keys: TABLES) plus "bijgewerkt", the number of
    definition fields an existing row got from the file. Loading the same file again returns zeros.
    Raises ProgrammeError, before anything is written, when the file is not consistent.
    """
    doc = read_programme(path)
    with Session(engine) as session, session.begin():
        return _Loader(session, door, op).load(doc)


def programme_is_loaded(engine: Engine) -> bool:
    """True when the warehouse holds a programme (at least one strategische lijn)."""
    with engine.connect() as conn:
        return bool(conn.scalar(select(func.count()).select_from(StrategischeLijn)))
