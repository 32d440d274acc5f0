"""Changing the programme's values: targets, realisaties, per-kwartaal voortgang, annotations,
and locking reporting periods. The only write path for what trekkers and the programmamanager
enter — the screens, the targets import and the tests all come through here.

Every save:
- checks the user's right on the server (data.accounts.permissions) — whatever the screen showed;
- validates the value (number, range for the unit, year, period) with a Dutch message;
- is one transaction that changes the row *and* writes its audit record (who, when, old, new,
  why) in `wijziging`: nothing is ever overwritten without a record;
- is optimistic about concurrency: the caller passes the version it showed; when somebody else
  saved in between, the save is refused with StaleEdit, which carries the newer value.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from data.accounts.permissions import PermissionDenied, require_edit, require_manager
from data.accounts.users import User
from data.programme.plan import DEFAULT_DOOR as PLAN_DOOR
from data.programme.plan import Plan, period_end, read_plan
from data.programme.schema import (
    MAATREGEL_STATUS_LABELS,
    MAATREGEL_STATUSSEN,
    Annotatie,
    Indicator,
    Maatregel,
    MaatregelVoortgang,
    Rapportageperiode,
    Realisatie,
    Streefwaarde,
    Wijziging,
)

log = logging.getLogger("jeugdmonitor.security")

EERSTE_NULMETING = 2015  # a nulmeting may be of any year from here to the plan's last
KWARTAAL = re.compile(r"^(\d{4})-Q([1-4])$")
PERIODE = re.compile(r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$")
# What a Dutch user types as a number: digits 0-9 only, "1.234,5", "-12,5" or "12.5". float() would
# also take "1e5", "1_000", "inf", "nan", "٣" or full-width "１２"; nobody here types those as a
# number (a typo, or pasted from elsewhere), and a value saved from them would surprise its reader.
DUTCH_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?", re.ASCII)
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
# "1e5", "2,5E3": scientific notation, named in the refusal so the user knows what to change
SCIENTIFIC = re.compile(r"-?\d+([.,]\d+)?[eE][-+]?\d+", re.ASCII)
MAX_TOELICHTING = 2000
PERIOD_FORMS = "gebruik JJJJ (jaar), Kn JJJJ (kwartaal) of JJJJ-MM (maand)"
MAX_REDEN = 500
MAX_ANNOTATIE = 300
# The range a value may take, per unit (the unit of the indicator, or of its KPI).
BEREIK = {"%": (0.0, 100.0), "cijfer": (1.0, 10.0), "aantal": (0.0, 1e12), "dagen": (0.0, 36500.0),
          "€": (0.0, 1e12), "per 1.000": (0.0, 1000.0), "aantal per 1.000": (0.0, 1000.0)}


class EditError(ValueError):
    """A value that cannot be saved; the message (Dutch) says what is wrong."""


class StaleEdit(EditError):
    """Somebody else saved this value after it was shown; nothing was saved."""

    def __init__(self, what: str, waarde: Any, door: str | None, op: dt.datetime | None, version: int | None):
        self.waarde, self.door, self.op, self.version = waarde, door, op, version
        when = f" op {op.day} {MAANDEN[op.month - 1]} {op.year} om {op:%H:%M}" if op else ""  # as the history says it
        shown = "verwijderd" if waarde is None else f"gewijzigd in {format_plain(waarde)}"
        super().__init__(self._message(what, when, shown))

    def _message(self, what: str, when: str, shown: str) -> str:
        return (f"{what} is intussen door {self.door or 'iemand anders'}{when} {shown}. "
                "Uw wijziging is niet opgeslagen; bekijk de nieuwe waarde en probeer het opnieuw.")


class AlreadyExists(StaleEdit):
    """A value entered as new (no version shown) that was already there, maybe long ago: nothing
    was saved. Not worded as a race ("intussen … gewijzigd"), since nobody need have changed it."""

    def _message(self, what: str, when: str, shown: str) -> str:
        origin = ("uit het programmaplan" if self.door == PLAN_DOOR
                  else f"vastgelegd door {self.door or 'iemand anders'}{when}")
        return (f"{what} bestaat al: {format_plain(self.waarde)} ({origin}). Uw waarde is niet "
                "opgeslagen; wijzig de bestaande waarde als die anders moet.")


def format_plain(value: Any) -> str:
    """A number the Dutch way without units (for messages and the audit trail's display)."""
    if isinstance(value, float):
        if value.is_integer():
            return f"{int(value):,}".replace(",", ".")
        return f"{value:,.4f}".rstrip("0").rstrip(".").replace(",", "_").replace(".", ",").replace("_", ".")
    return str(value)


def too_long(what: str, length: int, limit: int, pronoun: str = "haar") -> str:
    """The refusal of a typed text over its limit. The page's field no longer cuts a paste at the
    limit, so the user learns here how long the text is, the limit, and that nothing was saved:
    "de reden is te lang: 612 tekens, ten hoogste 500. Maak haar korter; er is niets opgeslagen"."""
    return (f"{what} is te lang: {format_plain(float(length))} tekens, ten hoogste "
            f"{format_plain(float(limit))}. Maak {pronoun} korter; er is niets opgeslagen")


def _audit_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_number(text: Any) -> float:
    """A number typed the Dutch way ("12,5", "1.234", "1.234,5") or plainly ("12.5"); anything
    else float() would read ("1e5", "inf", "1_000", "٣") is refused with a Dutch message."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        try:
            value = float(text)
        except OverflowError:  # an int beyond any float
            raise EditError("vul een gewoon getal in") from None
    elif not isinstance(text, str) and text is not None:
        raise EditError("vul een getal in")
    else:
        raw = str(text or "").strip().replace("\u00a0", "").replace(" ", "")
        raw = raw.removeprefix("€").removesuffix("%")
        if not raw:
            raise EditError("vul een getal in")
        if SCIENTIFIC.fullmatch(raw):
            raise EditError(f"{text[:40]!r} is geen getal: schrijf het voluit in cijfers, zonder e "
                            "(bijvoorbeeld 100000 in plaats van 1e5)")
        if not DUTCH_NUMBER.fullmatch(raw) and not PLAIN_NUMBER.fullmatch(raw):
            raise EditError(f"{text[:40]!r} is geen getal (gebruik bijvoorbeeld 12,5)")
        if "," in raw:
            raw = raw.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+", raw):
            raw = raw.replace(".", "")
        value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise EditError("vul een gewoon getal in")
    return value


def years_for(soort: str, plan: Plan) -> range:
    """The years a streefwaarde may be set for (the plan's), or a nulmeting (up to its last)."""
    return plan.jaren if soort == "streefwaarde" else range(EERSTE_NULMETING, plan.laatste_jaar + 1)


def check_range(value: float, eenheid: str | None, bovengrens: float | None = None) -> None:
    """A value within its unit's range; `bovengrens`: the indicator's own upper bound, where the
    plan declares one (data/programme/plan.py: a budget share may pass 100%)."""
    low, high = BEREIK.get(eenheid or "aantal", (-1e12, 1e12))
    if bovengrens is not None:
        high = bovengrens
    if not low <= value <= high:
        # the kind of value, never "dit getal": "-5 kan niet: dit getal ligt tussen 0 en …" says -5 does
        unit = {"%": "een percentage", "cijfer": "een rapportcijfer", "€": "een bedrag",
                "dagen": "een aantal dagen", "aantal": "een aantal", "per 1.000": "een aantal per 1.000",
                "aantal per 1.000": "een aantal per 1.000"}.get(eenheid or "aantal", "de waarde")
        # 1e308 written out has 309 digits: name such a number instead of printing it
        shown = (format_plain(value) if abs(value) < 1e15
                 else f"een {'negatief ' if value < 0 else ''}getal van meer dan 15 cijfers")
        raise EditError(f"{shown} kan niet: {unit} ligt tussen {format_plain(low)} "
                        f"en {format_plain(high)}")


# a quarter as every screen writes it ("K4 2026"), or with the year first ("2026-K4", "2026 K4")
TYPED_QUARTER = re.compile(r"[Kk]([1-4])\s*[-/ ]?\s*(\d{4})|(\d{4})\s*[-/ ]?\s*[Kk]([1-4])", re.ASCII)


def typed_period(periode):
    """A period as a user may type it, as the programme stores it: "K4 2026" and "2026-K4" are
    "2026-Q4"; anything else as it was given, for quarter_of to accept or refuse."""
    if isinstance(periode, str) and (m := TYPED_QUARTER.fullmatch(periode.strip())):
        quarter, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return f"{year}-Q{quarter}"
    return periode


def quarter_of(periode: str) -> str:
    """The reporting quarter a period falls in (a year: its last quarter)."""
    m = PERIODE.fullmatch(_period_text(periode))  # fullmatch: "$" alone lets "2025\n" through
    if not m and (periode is None or isinstance(periode, str) and not periode.strip()):
        raise EditError(f"vul een periode in ({PERIOD_FORMS})")   # not "periode '': …"
    if not m:
        raise EditError(f"periode {str(periode)[:20]!r}: {PERIOD_FORMS}")
    year, q, month = m.groups()
    if q:
        return f"{year}-Q{q}"
    if month:
        return f"{year}-Q{(int(month) - 1) // 3 + 1}"
    return f"{year}-Q4"


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
           "oktober", "november", "december")


def periode_label(periode: str) -> str:
    """For messages: "2026-Q3" → "K3 2026", "2026-12" → "december 2026"; a year as it is."""
    m = PERIODE.fullmatch(periode or "")
    if not m:
        return periode
    year, q, month = m.groups()
    return f"K{q} {year}" if q else f"{MAANDEN[int(month) - 1]} {year}" if month else year


def period_start(periode: str) -> dt.date:
    """The first day of a period (JJJJ, JJJJ-Qn or JJJJ-MM; checked by quarter_of first)."""
    year, q, month = PERIODE.fullmatch(_period_text(periode)).groups()
    return dt.date(int(year), int(month) if month else (int(q) - 1) * 3 + 1 if q else 1, 1)


def period_order(periode: str) -> tuple[int, int, int]:
    """A period's place in time as a list of reports reads: by the month it ends in, a month
    before the quarter and the quarter before the year that end with it ("2026-11" after
    "2026-Q3", not between "2025" and "2026-Q1" as text sorts them)."""
    _year, q, month = PERIODE.fullmatch(_period_text(periode)).groups()
    return (*period_end(periode), 0 if month else 1 if q else 2)


def current_quarter(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


#: the moment writes are recorded at; set only by `recorded_at` (the demonstration's history)
_clock: ContextVar[dt.datetime | None] = ContextVar("programme_edits_clock", default=None)


@contextmanager
def recorded_at(moment: dt.datetime):
    """Writes inside this block carry `moment` as their time: the demonstration programme
    (data/programme/demo_programme.py) replays a year of reporting that happened before it was loaded,
    through the same write path, so its history reads as it would have."""
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


@contextmanager
def one_moment():
    """Writes inside this block carry one time, the block's start: one action that writes many
    values (an import of streefwaarden) is one moment in the audit trail, even when it runs across
    a second's boundary. Inside `recorded_at`, that block's moment."""
    with recorded_at(_now()):
        yield


def _now() -> dt.datetime:
    return (_clock.get() or dt.datetime.now()).replace(microsecond=0)


def _typed_text(value, what: str) -> str:
    """Free text as typed, stripped ("" for nothing); a number, list or object sent instead of
    text (a forged request) is refused in Dutch rather than crashing on .strip()."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EditError(f"{what} moet tekst zijn")
    return value.strip()


def _period_text(periode) -> str:
    return periode if isinstance(periode, str) else ""


def _reason(reden: str | None, required: bool, what: str) -> str | None:
    """`what`: what the reason is for, e.g. "het wijzigen van een streefwaarde"."""
    reden = _typed_text(reden, "de reden")
    if required and not reden:
        raise EditError(f"geef een reden voor {what}")
    if len(reden) > MAX_REDEN:
        raise EditError(too_long("de reden", len(reden), MAX_REDEN))
    return reden or None


def _audit(conn: Connection, user: User, tabel: str, sleutel: str, veld: str, oud, nieuw,
           reden: str | None, op: dt.datetime) -> None:
    conn.execute(insert(Wijziging).values(tabel=tabel, sleutel=sleutel, veld=veld,
                                          oude_waarde=_audit_text(oud), nieuwe_waarde=_audit_text(nieuw),
                                          door=user.gebruikersnaam, op=op, reden=reden))


def _indicator(conn: Connection, code: str):
    row = conn.execute(select(Indicator.id, Indicator.code, Indicator.kpi_id, Indicator.eenheid,
                              Indicator.bovengrens, Maatregel.code.label("maatregel"))
                       .outerjoin(Maatregel, Maatregel.id == Indicator.maatregel_id)
                       .where(Indicator.code == code)).first()
    if row is None:
        raise EditError(f"indicator {code!r} bestaat niet")
    return row


def _insert_new(conn: Connection, model, **values) -> bool:
    """Insert a row unless one with the same unique key exists (somebody saved it at the same
    moment): True when inserted. INSERT … ON CONFLICT DO NOTHING instead of a SAVEPOINT, because on
    SQLite (pysqlite) a SAVEPOINT opens the transaction and its RELEASE commits it — the value
    would be committed before its audit record."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    key = list(model.__table__.primary_key.columns)[0]
    statement = dialect_insert(model).values(**values).on_conflict_do_nothing().returning(key)
    return conn.execute(statement).first() is not None  # (rowcount is -1 here on psycopg)


def is_locked(conn: Connection, quarter: str) -> bool:
    return bool(conn.scalar(select(Rapportageperiode.vastgesteld)
                            .where(Rapportageperiode.periode == quarter)))


def _still_open(conn: Connection, user: User, maatregel: str | None, quarter: str) -> None:
    """After the write, before the commit: the quarter may have been locked since the first check.
    Now that this transaction has written, a lock_period cannot slip in unseen: on SQLite we hold
    the write lock; on PostgreSQL lock_period takes a SHARE lock on the tables first, so it either
    committed before our write (and we see it here) or waits for our commit."""
    if is_locked(conn, quarter):
        require_edit(user, maatregel, locked=True)


def _guarded(user: User | None, action: str, fn):
    """Run a write; a refused one is logged (who, what) before the refusal goes back."""
    try:
        return fn()
    except PermissionDenied as exc:
        log.warning("geweigerd: %s door %s: %s", action,
                    user.gebruikersnaam if user else "(niet ingelogd)", exc)
        raise


@dataclass(frozen=True)
class Saved:
    version: int
    message: str


# --- targets ------------------------------------------------------------------------------------

def set_streefwaarde(engine: Engine, user: User | None, indicator_code: str, jaar: int, waarde: Any,
                     expected_version: int | None, reden: str | None = None, *,
                     soort: str = "streefwaarde", eenheid: str | None = None) -> Saved:
    """Set a target (or the nulmeting) of an indicator for one year.

    `expected_version`: the version shown to the user (None: there was no value yet). Changing an
    existing target needs a reason; the plan's original target is kept beside the new one."""
    def run() -> Saved:
        with engine.begin() as conn:
            return set_streefwaarde_in(conn, user, indicator_code, jaar, waarde, expected_version,
                                       reden, soort=soort, eenheid=eenheid)
    return _guarded(user, f"streefwaarde {indicator_code}/{jaar}", run)


def set_streefwaarde_in(conn: Connection, user: User | None, indicator_code: str, jaar: int, waarde: Any,
                        expected_version: int | None, reden: str | None = None, *,
                        soort: str = "streefwaarde", eenheid: str | None = None) -> Saved:
    """set_streefwaarde on a connection inside the caller's transaction (the targets import applies
    many values in one transaction this way): the same checks, audit and version rules; the caller
    commits or rolls back. Refusals are not logged here; the caller does that (see _guarded)."""
    ind = _indicator(conn, indicator_code)
    require_edit(user, ind.maatregel)
    if soort not in ("streefwaarde", "nulmeting"):
        raise EditError("soort moet streefwaarde of nulmeting zijn")
    try:
        year = int(jaar)
    except (TypeError, ValueError, OverflowError):  # OverflowError: int(float("inf"))
        raise EditError(f"jaar {str(jaar)[:20]!r} is geen jaartal") from None
    allowed = years_for(soort, read_plan(conn))
    if year not in allowed:
        raise EditError(f"jaar {year}: een {soort} hoort bij {allowed.start}–{allowed.stop - 1}")
    value = parse_number(waarde)
    check_range(value, eenheid or ind.eenheid, ind.bovengrens)
    what = f"De {soort} {year} van {indicator_code}"
    row = conn.execute(select(Streefwaarde).where(
        Streefwaarde.indicator_id == ind.id, Streefwaarde.jaar == year,
        Streefwaarde.soort == soort)).first()
    now = _now()
    # Once the year's last quarter is vastgesteld, its targets are too (an unchanged value, as in
    # an import of every year, passes).
    year_closed = f"{year}-Q4"
    unchanged = row is not None and row.waarde == value and expected_version == row.version
    if not unchanged and is_locked(conn, year_closed):
        require_edit(user, ind.maatregel, locked=True)
    if row is None:
        if expected_version is not None:
            raise StaleEdit(what, None, None, None, None)
        why = _reason(reden, False, "het vastleggen van een streefwaarde")
        if not _insert_new(conn, Streefwaarde, indicator_id=ind.id, jaar=year, soort=soort,
                           waarde=value, version=1, gewijzigd_door=user.gebruikersnaam,
                           gewijzigd_op=now):  # somebody inserted it at the same moment
            newer = conn.execute(select(Streefwaarde).where(
                Streefwaarde.indicator_id == ind.id, Streefwaarde.jaar == year,
                Streefwaarde.soort == soort)).first()
            raise StaleEdit(what, newer.waarde, newer.gewijzigd_door, newer.gewijzigd_op,
                            newer.version)
        _audit(conn, user, "streefwaarde", f"{indicator_code}/{year}/{soort}", "waarde",
               None, value, why, now)
        _still_open(conn, user, ind.maatregel, year_closed)
        return Saved(1, f"{what} is vastgelegd: {format_plain(value)}.")
    if row.waarde == value:  # also after another save (a double click): no change to lose
        return Saved(row.version, f"{what} was al {format_plain(value)}; niets gewijzigd.")
    if expected_version != row.version:
        stale = AlreadyExists if expected_version is None else StaleEdit
        raise stale(what, row.waarde, row.gewijzigd_door, row.gewijzigd_op, row.version)
    why = _reason(reden, soort == "streefwaarde", "het wijzigen van een streefwaarde")
    original = row.oorspronkelijke_waarde if row.oorspronkelijke_waarde is not None else row.waarde
    done = conn.execute(update(Streefwaarde).where(
        Streefwaarde.id == row.id, Streefwaarde.version == row.version).values(
        waarde=value, version=row.version + 1, oorspronkelijke_waarde=original,
        gewijzigd_door=user.gebruikersnaam, gewijzigd_op=now))
    if done.rowcount != 1:  # changed between our read and our write
        newer = conn.execute(select(Streefwaarde).where(Streefwaarde.id == row.id)).first()
        raise StaleEdit(what, newer.waarde, newer.gewijzigd_door, newer.gewijzigd_op, newer.version)
    _audit(conn, user, "streefwaarde", f"{indicator_code}/{year}/{soort}", "waarde",
           row.waarde, value, why, now)
    _still_open(conn, user, ind.maatregel, year_closed)
    return Saved(row.version + 1, f"{what} is gewijzigd van {format_plain(row.waarde)} "
                                  f"in {format_plain(value)}.")


# --- realisaties of manual indicators -----------------------------------------------------------

def set_realisatie(engine: Engine, user: User | None, indicator_code: str, periode: str, waarde: Any,
                   expected_version: int | None, reden: str | None = None, *,
                   eenheid: str | None = None) -> Saved:
    periode = typed_period(periode)

    def run() -> Saved:
        with engine.begin() as conn:
            ind = _indicator(conn, indicator_code)
            require_edit(user, ind.maatregel)
            if ind.kpi_id:
                raise EditError(f"{indicator_code} wordt berekend uit de KPI {ind.kpi_id}; "
                                "alleen handmatige indicatoren krijgen een realisatie")
            quarter = quarter_of(periode)
            year = int(periode[:4])
            last = read_plan(conn).laatste_jaar
            if not EERSTE_NULMETING <= year <= last:
                raise EditError(f"periode {periode}: het jaar ligt buiten {EERSTE_NULMETING}–{last}")
            if period_start(periode) > _now().date():
                raise EditError(f"periode {periode_label(periode)} is nog niet begonnen; een realisatie "
                                "kan vanaf het begin van de periode worden ingevuld")
            if is_locked(conn, quarter):
                require_edit(user, ind.maatregel, locked=True)
            value = parse_number(waarde)
            check_range(value, eenheid or ind.eenheid, ind.bovengrens)
            why = _reason(reden, False, "een realisatie")
            what = f"De realisatie {periode_label(periode)} van {indicator_code}"
            row = conn.execute(select(Realisatie).where(Realisatie.indicator_id == ind.id,
                                                        Realisatie.periode == periode)).first()
            now = _now()
            if row is None:
                if expected_version is not None:
                    raise StaleEdit(what, None, None, None, None)
                if not _insert_new(conn, Realisatie, indicator_id=ind.id, periode=periode, waarde=value,
                                   version=1, gewijzigd_door=user.gebruikersnaam, gewijzigd_op=now):
                    newer = conn.execute(select(Realisatie).where(
                        Realisatie.indicator_id == ind.id, Realisatie.periode == periode)).first()
                    raise StaleEdit(what, newer.waarde, newer.gewijzigd_door, newer.gewijzigd_op,
                                    newer.version)
                _audit(conn, user, "realisatie", f"{indicator_code}/{periode}", "waarde", None, value, why, now)
                _still_open(conn, user, ind.maatregel, quarter)
                return Saved(1, f"{what} is vastgelegd: {format_plain(value)}.")
            if row.waarde == value:  # also after another save (a double click): no change to lose
                return Saved(row.version, f"{what} was al {format_plain(value)}; niets gewijzigd.")
            if expected_version != row.version:
                stale = AlreadyExists if expected_version is None else StaleEdit
                raise stale(what, row.waarde, row.gewijzigd_door, row.gewijzigd_op, row.version)
            done = conn.execute(update(Realisatie).where(
                Realisatie.id == row.id, Realisatie.version == row.version).values(
                waarde=value, version=row.version + 1, gewijzigd_door=user.gebruikersnaam, gewijzigd_op=now))
            if done.rowcount != 1:
                newer = conn.execute(select(Realisatie).where(Realisatie.id == row.id)).first()
                raise StaleEdit(what, newer.waarde, newer.gewijzigd_door, newer.gewijzigd_op, newer.version)
            _audit(conn, user, "realisatie", f"{indicator_code}/{periode}", "waarde", row.waarde, value, why, now)
            _still_open(conn, user, ind.maatregel, quarter)
            return Saved(row.version + 1, f"{what} is gewijzigd van {format_plain(row.waarde)} "
                                          f"in {format_plain(value)}.")
    return _guarded(user, f"realisatie {indicator_code}/{periode}", run)


# --- voortgang per maatregel per kwartaal -------------------------------------------------------

def set_voortgang(engine: Engine, user: User | None, maatregel_code: str, periode: str, status: str,
                  toelichting: str | None, expected_version: int | None) -> Saved:
    """A maatregel's status and short toelichting for a reporting quarter. (A maatregel's status of
    a year is that of the year's last reported quarter: dashboard.programme.progress.maatregel_stand.)"""
    def run() -> Saved:
        with engine.begin() as conn:
            maatregel = conn.execute(select(Maatregel.id, Maatregel.status)
                                     .where(Maatregel.code == maatregel_code)).first()
            if maatregel is None:
                raise EditError(f"maatregel {maatregel_code!r} bestaat niet")
            require_edit(user, maatregel_code)
            if not KWARTAAL.fullmatch(_period_text(periode)):
                raise EditError(f"periode {str(periode)[:20]!r}: gebruik JJJJ-Qn, bijvoorbeeld 2026-Q3")
            if not 2015 <= int(periode[:4]) <= 2030:
                raise EditError(f"periode {periode}: het jaar ligt buiten 2015–2030")
            if is_locked(conn, periode):
                require_edit(user, maatregel_code, locked=True)
            if status not in MAATREGEL_STATUSSEN:
                raise EditError("kies een status: nog niet gestart, op schema, vertraagd of afgerond")
            text = _typed_text(toelichting, "de toelichting") or None
            if text and len(text) > MAX_TOELICHTING:
                raise EditError(too_long(f"de toelichting bij maatregel {maatregel_code}", len(text),
                                         MAX_TOELICHTING))
            what = f"De voortgang {periode_label(periode)} van maatregel {maatregel_code}"

            def stored(row) -> str:  # what a refused save names: in words, with the toelichting
                label = MAATREGEL_STATUS_LABELS.get(row.status, row.status).lower()
                text = row.toelichting or ""
                text = text if len(text) <= 80 else text[:79].rstrip() + "…"
                return f"{label}, toelichting ‘{text}’" if text else label
            row = conn.execute(select(MaatregelVoortgang).where(
                MaatregelVoortgang.maatregel_id == maatregel.id, MaatregelVoortgang.periode == periode)).first()
            now = _now()
            key = f"{maatregel_code}/{periode}"
            if row is None:
                if expected_version is not None:
                    raise StaleEdit(what, None, None, None, None)
                if not _insert_new(conn, MaatregelVoortgang, maatregel_id=maatregel.id, periode=periode,
                                   status=status, toelichting=text, version=1,
                                   gewijzigd_door=user.gebruikersnaam, gewijzigd_op=now):
                    newer = conn.execute(select(MaatregelVoortgang).where(
                        MaatregelVoortgang.maatregel_id == maatregel.id,
                        MaatregelVoortgang.periode == periode)).first()
                    raise StaleEdit(what, stored(newer), newer.gewijzigd_door, newer.gewijzigd_op,
                                    newer.version)
                version, old_status, old_text = 1, None, None
            else:
                if expected_version != row.version:
                    stale = AlreadyExists if expected_version is None else StaleEdit
                    raise stale(what, stored(row), row.gewijzigd_door, row.gewijzigd_op, row.version)
                if (row.status, row.toelichting) == (status, text):
                    return Saved(row.version, f"{what} was al zo; niets gewijzigd.")
                done = conn.execute(update(MaatregelVoortgang).where(
                    MaatregelVoortgang.id == row.id, MaatregelVoortgang.version == row.version).values(
                    status=status, toelichting=text, version=row.version + 1,
                    gewijzigd_door=user.gebruikersnaam, gewijzigd_op=now))
                if done.rowcount != 1:
                    newer = conn.execute(select(MaatregelVoortgang).where(MaatregelVoortgang.id == row.id)).first()
                    raise StaleEdit(what, stored(newer), newer.gewijzigd_door, newer.gewijzigd_op, newer.version)
                version, old_status, old_text = row.version + 1, row.status, row.toelichting
            if old_status != status:
                _audit(conn, user, "maatregel_voortgang", key, "status", old_status, status, None, now)
            if old_text != text:
                _audit(conn, user, "maatregel_voortgang", key, "toelichting", old_text, text, None, now)
            _still_open(conn, user, maatregel_code, periode)
            return Saved(version, f"{what} is opgeslagen.")
    return _guarded(user, f"voortgang {maatregel_code}/{periode}", run)


# --- locking reporting periods ------------------------------------------------------------------

def lock_period(engine: Engine, user: User | None, periode: str) -> Saved:
    """Vaststellen: after review, no more edits to this quarter (until unlocked with a reason)."""
    return _set_lock(engine, user, periode, True, None)


def unlock_period(engine: Engine, user: User | None, periode: str, reden: str | None) -> Saved:
    return _set_lock(engine, user, periode, False, reden)


def _set_lock(engine: Engine, user: User | None, periode: str, vastgesteld: bool, reden: str | None) -> Saved:
    def run() -> Saved:
        require_manager(user)
        if not KWARTAAL.fullmatch(_period_text(periode)):
            raise EditError(f"periode {str(periode)[:20]!r}: gebruik JJJJ-Qn, bijvoorbeeld 2026-Q3")
        if not 2015 <= int(periode[:4]) <= 2030:
            raise EditError(f"periode {periode}: het jaar ligt buiten 2015–2030")
        why = _reason(reden, not vastgesteld, "het ontgrendelen van een vastgestelde periode")
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Wait for saves in flight and hold new ones until this commits (see _still_open).
                conn.exec_driver_sql("LOCK TABLE realisatie, maatregel_voortgang IN SHARE MODE")
            row = conn.execute(select(Rapportageperiode).where(Rapportageperiode.periode == periode)
                               .with_for_update()).first()
            now = _now()
            if (row.vastgesteld if row else False) == vastgesteld:
                return Saved(row.version if row else 0,
                             f"{periode_label(periode)} was al {'vastgesteld' if vastgesteld else 'open'}.")
            values = dict(vastgesteld=vastgesteld, vastgesteld_door=user.gebruikersnaam if vastgesteld else None,
                          vastgesteld_op=now if vastgesteld else None)
            if row is None and _insert_new(conn, Rapportageperiode, periode=periode, version=1, **values):
                version = 1
            else:
                if row is None:  # another manager created it at the same moment
                    row = conn.execute(select(Rapportageperiode).where(Rapportageperiode.periode == periode)
                                       .with_for_update()).first()
                    if row.vastgesteld == vastgesteld:
                        return Saved(row.version, f"{periode_label(periode)} was al {'vastgesteld' if vastgesteld else 'open'}.")
                conn.execute(update(Rapportageperiode).where(Rapportageperiode.periode == periode)
                             .values(version=row.version + 1, **values))
                version = row.version + 1
            _audit(conn, user, "rapportageperiode", periode, "vastgesteld",
                   "ja" if not vastgesteld else "nee", "ja" if vastgesteld else "nee", why, now)
            return Saved(version, f"{periode_label(periode)} is {'vastgesteld' if vastgesteld else 'ontgrendeld'}.")
    return _guarded(user, f"{'vaststellen' if vastgesteld else 'ontgrendelen'} {periode}", run)


def locked_quarters(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(select(Rapportageperiode.periode).where(Rapportageperiode.vastgesteld.is_(True))))


# --- annotations --------------------------------------------------------------------------------

def add_annotatie(engine: Engine, user: User | None, indicator_code: str, datum: Any, tekst: str) -> Saved:
    def run() -> Saved:
        with engine.begin() as conn:
            ind = _indicator(conn, indicator_code)
            require_edit(user, ind.maatregel)
            try:
                day = datum if isinstance(datum, dt.date) else dt.date.fromisoformat(str(datum).strip())
            except ValueError:
                if datum is None or not str(datum).strip():
                    raise EditError("vul een datum in (JJJJ-MM-DD)") from None
                raise EditError(f"datum {str(datum)[:20]!r}: gebruik JJJJ-MM-DD") from None
            if not dt.date(2015, 1, 1) <= day <= dt.date(2030, 12, 31):
                raise EditError(f"datum {day:%d-%m-%Y} ligt buiten 2015–2030")
            text = _typed_text(tekst, "de notitie")
            if not text:
                raise EditError("schrijf een korte notitie")
            if len(text) > MAX_ANNOTATIE:
                raise EditError(too_long("de notitie", len(text), MAX_ANNOTATIE))
            # the same note twice (a double click, a form sent again) is one note
            if conn.scalar(select(Annotatie.id).where(Annotatie.indicator_id == ind.id, Annotatie.datum == day,
                                                      Annotatie.tekst == text).limit(1)) is not None:
                return Saved(1, f"Deze notitie staat er al ({day.day} {MAANDEN[day.month - 1]} {day.year}); "
                                "niets gewijzigd.")
            now = _now()
            new_id = conn.execute(insert(Annotatie).values(indicator_id=ind.id, datum=day, tekst=text,
                                                           door=user.gebruikersnaam, op=now)
                                  .returning(Annotatie.id)).scalar_one()
            _audit(conn, user, "annotatie", f"{indicator_code}/{new_id}", "tekst", None,
                   f"{day.isoformat()}: {text}", None, now)
            return Saved(1, "De notitie is toegevoegd.")
    return _guarded(user, f"notitie bij {indicator_code}", run)


def delete_annotatie(engine: Engine, user: User | None, annotatie_id: int) -> Saved:
    def run() -> Saved:
        if isinstance(annotatie_id, bool) or not isinstance(annotatie_id, int) or not 0 < annotatie_id < 2 ** 63:
            raise EditError("deze notitie bestaat niet (meer)")  # no id the database can hold
        with engine.begin() as conn:
            row = conn.execute(select(Annotatie.id, Annotatie.datum, Annotatie.tekst, Annotatie.door,
                                      Indicator.code).join(Indicator, Indicator.id == Annotatie.indicator_id)
                               .where(Annotatie.id == annotatie_id)).first()
            if row is None:
                raise EditError("deze notitie bestaat niet (meer)")
            ind = _indicator(conn, row.code)
            require_edit(user, ind.maatregel)
            conn.execute(Annotatie.__table__.delete().where(Annotatie.id == annotatie_id))
            _audit(conn, user, "annotatie", f"{row.code}/{row.id}", "tekst",
                   f"{row.datum.isoformat()}: {row.tekst}", None, None, _now())
            return Saved(0, "De notitie is verwijderd.")
    return _guarded(user, f"notitie {annotatie_id} verwijderen", run)
