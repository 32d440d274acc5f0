"""The files of the import format as data: columns, keys, references and row rules.

Contract: import-format.md, "Files and columns". The loader (data/warehouse/loader.py) is generic over these
specs; everything table-specific lives here.

Decisions:
- Every column listed in the format must be present in the header, also the optional (`?`) ones;
  `?` means the cell may be empty. A misspelt header is then an error, not a silently empty column.
  The exception are columns the format calls optional *columns*, added in a later version
  (`Column.may_be_absent`; so far kosten.ontvangen, version 1.1): a file of the older version lacks
  them and stays valid. Absent, the column is NULL in every row and no warning is given; present,
  it is checked like any other (`required=False`: an empty cell is NULL).
- kosten.ontvangen is a date like the others and may not lie before the first day of its row's
  maand.
- Text values (keys and names) are trimmed; their maximum length is the schema's.
- financiering left empty is stored as 'zin' (zorg in natura, the contract's default), so the
  warehouse never holds a NULL there.
- bevolking counts and jaar columns have sane ranges (0..10,000,000; 1990..2100); geboortejaar runs
  from 1990 to the current year.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from data.schema import Base
from data.warehouse import codes, validation

BAD = object()  # marks a cell that failed its parser; row rules skip it (already reported)

MIN_JAAR, MAX_JAAR = 1990, 2100
MAX_AANTAL = 10_000_000


@dataclass(frozen=True)
class Column:
    name: str
    make_parser: Callable[[bool], validation.Parser]  # argument: decimal comma allowed
    required: bool = True
    default: Any = None  # stored when the cell is empty (only for optional columns)
    db_name: str | None = None  # when the warehouse column is named differently
    # The column may be missing from the header (an optional column added in a later format
    # version): then it is not inserted (NULL in every row). Distinct from required=False, which
    # only lets a cell of a present column be empty.
    may_be_absent: bool = False
    # An amount (decimal): in a `,` file a decimal comma splits it in two fields, which the loader
    # names as the likely cause of a row with too many fields (data/warehouse/decimal_commas.py).
    amount: bool = False

    @property
    def stored_as(self) -> str:
        return self.db_name or self.name


@dataclass(frozen=True)
class Reference:
    column: str
    parent: str  # table
    parent_column: str
    #: what a value of parent_column is, singular and plural, for messages; None: the parent's noun
    #: (its key). tevredenheid.gemeente_code refers to a gemeente of wijken, not to a wijk.
    noun: tuple[str, str] | None = None


@dataclass(frozen=True)
class RowRule:
    """A check across the columns of one row: `check` gets the parsed values of the columns it
    `reads`, in that order (BAD for a cell its parser refused), and returns the problems as
    (column, message) pairs, none as an empty tuple. It is called per row with the values alone
    (no mapping built per row: a load checks millions of kosten rows). A file without one of the
    columns it reads (a column that may be absent) is not checked by it: it has nothing to check."""
    reads: tuple[str, ...]
    check: Callable[..., Sequence[tuple[str, str]]]


@dataclass(frozen=True)
class TableSpec:
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    row_rule: RowRule | None = None
    line_column: str | None = None  # warehouse column that stores the file's line number
    noun: tuple[str, str] = ("rij", "rijen")  # singular, plural: for messages about its rows

    def __post_init__(self) -> None:
        fixed = set(self.key) | {r.column for r in self.references}
        for column in self.columns:
            if column.may_be_absent and (column.required or column.name in fixed):
                raise ValueError(f"{self.table}.{column.name}: a column that may be absent must be "
                                 "optional and neither a key nor a reference")

    @property
    def file(self) -> str:
        return f"{self.table}.csv"

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def db_columns_of(self, columns: tuple[Column, ...]) -> tuple[str, ...]:
        """The warehouse columns a file with these (present) columns fills, in insert order."""
        stored = tuple(c.stored_as for c in columns)
        return ((self.line_column,) if self.line_column else ()) + stored

    def present_columns(self, header: Any) -> tuple[Column, ...]:
        """The spec's columns that a file with this header delivers (`header`: names, a container)."""
        return tuple(c for c in self.columns if not c.may_be_absent or c.name in header)


# --- column constructors -----------------------------------------------------------------------

def _text(table: str, name: str, required: bool = True) -> Column:
    length = Base.metadata.tables[table].c[name].type.length
    parser = validation.text(length)
    return Column(name, lambda _comma: parser, required)


def _code(name: str, required: bool = True, default: str | None = None) -> Column:
    parser = validation.code(codes.CODE_LISTS[name])
    return Column(name, lambda _comma: parser, required, default)


def _date(name: str, required: bool = True, may_be_absent: bool = False) -> Column:
    return Column(name, lambda _comma: validation.date(), required, may_be_absent=may_be_absent)


def _integer(name: str, low: int, high: int, required: bool = True) -> Column:
    parser = validation.integer(low, high)
    return Column(name, lambda _comma: parser, required)


def _jaar(name: str = "jaar") -> Column:
    return _integer(name, MIN_JAAR, MAX_JAAR)


def _geboortejaar() -> Column:
    # The upper bound is the current year, evaluated per load (a long-running app crosses years).
    return Column("geboortejaar",
                  lambda _comma: validation.integer(MIN_JAAR, dt.date.today().year))


def _money(minimum_cents: int | None = None) -> Column:
    return Column("bedrag", lambda comma: validation.money(comma, minimum_cents),
                  db_name="bedrag_cent", amount=True)


# --- row rules ---------------------------------------------------------------------------------

NO_PROBLEMS: tuple[tuple[str, str], ...] = ()


def _end_before_start(start, end) -> tuple[str, str] | None:
    if start is not BAD and end is not BAD and end is not None and end < start:
        return "einddatum", f"einddatum {end} ligt voor startdatum {start}"
    return None


def _ends_after_start(start, end) -> Sequence[tuple[str, str]]:
    problem = _end_before_start(start, end)
    return NO_PROBLEMS if problem is None else (problem,)


def _traject_rules(start, end, aanmeld, reden, doel) -> Sequence[tuple[str, str]]:
    problems = []
    if (problem := _end_before_start(start, end)) is not None:
        problems.append(problem)
    if aanmeld is not BAD and aanmeld is not None and start is not BAD and aanmeld > start:
        problems.append(("aanmelddatum", f"aanmelddatum {aanmeld} ligt na startdatum {start}"))
    if end is BAD:
        return problems
    if end is not None and reden is None:
        problems.append(("reden_einde", f"verplicht als einddatum is ingevuld (einddatum {end})"))
    if end is None and reden is not None and reden is not BAD:
        problems.append(("reden_einde", f"{reden!r} is ingevuld maar einddatum is leeg; "
                                        "laat reden_einde leeg zolang het traject loopt"))
    if end is None and doel is not None and doel is not BAD:
        problems.append(("doelrealisatie", f"{doel!r} is ingevuld maar einddatum is leeg; "
                                           "doelrealisatie hoort alleen bij een beëindigd traject"))
    return problems


def _received_in_or_after_month(maand, ontvangen) -> Sequence[tuple[str, str]]:
    # ISO text: "YYYY-MM-01", "YYYY-MM-DD"
    if maand is not BAD and ontvangen is not BAD and ontvangen is not None and ontvangen < maand:
        return (("ontvangen", f"ontvangen {ontvangen} ligt voor de eerste dag van maand {maand[:7]} ({maand})"),)
    return NO_PROBLEMS


# --- the files ---------------------------------------------------------------------------------

_WIJK = Reference("wijk_code", "wijken", "wijk_code")
_TRAJECT = Reference("traject_id", "trajecten", "traject_id")

SPECS: dict[str, TableSpec] = {spec.table: spec for spec in (
    TableSpec("wijken", (
        _text("wijken", "wijk_code"), _text("wijken", "wijk_naam"),
        _text("wijken", "gemeente_code"), _text("wijken", "gemeente_naam"),
    ), key=("wijk_code",), noun=("wijk", "wijken")),
    TableSpec("scholen", (
        _text("scholen", "school_code"), _text("scholen", "school_naam"), _code("school_soort"),
        _text("scholen", "wijk_code", required=False),
    ), key=("school_code",), references=(_WIJK,), noun=("school", "scholen")),
    TableSpec("aanbieders", (
        _text("aanbieders", "aanbieder_code"), _text("aanbieders", "aanbieder_naam"),
    ), key=("aanbieder_code",), noun=("aanbieder", "aanbieders")),
    TableSpec("trajecten", (
        _text("trajecten", "traject_id"), _text("trajecten", "jeugdige_id"), _geboortejaar(),
        _text("trajecten", "wijk_code"), _text("trajecten", "school_code", required=False),
        _code("verwijzer"), _code("hulpvorm"),
        _text("trajecten", "aanbieder_code", required=False),
        _date("aanmelddatum", required=False), _date("startdatum"),
        _date("einddatum", required=False), _code("reden_einde", required=False),
        _code("doelrealisatie", required=False), _code("financiering", required=False, default="zin"),
    ), key=("traject_id",), references=(
        _WIJK, Reference("school_code", "scholen", "school_code"),
        Reference("aanbieder_code", "aanbieders", "aanbieder_code"),
    ), row_rule=RowRule(("startdatum", "einddatum", "aanmelddatum", "reden_einde", "doelrealisatie"), _traject_rules),
        noun=("traject", "trajecten")),
    TableSpec("verblijf", (
        _text("verblijf", "verblijf_id"), _text("verblijf", "traject_id"), _code("verblijfsvorm"),
        _date("startdatum"), _date("einddatum", required=False),
    ), key=("verblijf_id",), references=(_TRAJECT,), row_rule=RowRule(("startdatum", "einddatum"), _ends_after_start),
        noun=("verblijf", "verblijven")),
    TableSpec("kosten", (
        _text("kosten", "traject_id"), Column("maand", lambda _comma: validation.month()),
        _money(), _date("ontvangen", required=False, may_be_absent=True),
    ), references=(_TRAJECT,), row_rule=RowRule(("maand", "ontvangen"), _received_in_or_after_month),
        line_column="regel", noun=("kostenregel", "kostenregels")),
    TableSpec("budget", (
        _jaar(), _text("budget", "gemeente_code"), _money(minimum_cents=0),
    ), key=("jaar", "gemeente_code"), noun=("budgetregel", "budgetregels")),
    TableSpec("tevredenheid", (
        _text("tevredenheid", "respons_id"), _text("tevredenheid", "traject_id", required=False),
        _text("tevredenheid", "gemeente_code"), _jaar(), _code("respondent"),
        _integer("score", 1, 10),
    ), key=("respons_id",), references=(
        _TRAJECT, Reference("gemeente_code", "wijken", "gemeente_code", noun=("gemeente", "gemeenten")),
    ), noun=("antwoord", "antwoorden")),
    TableSpec("bevolking", (
        _jaar(), _text("bevolking", "wijk_code"), _integer("aantal_0_17", 0, MAX_AANTAL),
        _integer("aantal_18_22", 0, MAX_AANTAL, required=False),
    ), key=("jaar", "wijk_code"), references=(_WIJK,), noun=("bevolkingsrij", "bevolkingsrijen")),
)}
