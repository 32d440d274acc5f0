"""`python -m kpi kostengroei`: the decomposition of kpi/cost_growth.py on the command line.

    python -m kpi kostengroei --jaar 2026 [--vergelijk 2025] [--tot-maand [MAAND]]
                              [--by hulpvorm|aanbieder|verwijzer|wijk|gemeente] [--where DIMENSIE=CODE ...]
                              [--json] [--no-suppress] [--db URL]

kpi/cli.py adds the subcommand (`add_parser`) and calls `run`; values are checked here, in Dutch
(argparse's int type would answer in English).
"""
from __future__ import annotations

import argparse
import json
from typing import Mapping

from data.cli_errors import url_argument
from kpi import format as fmt
from kpi.cost_growth import BREAKDOWNS, LAATSTE_MAAND, CostGrowth, GrowthRequest, GrowthRequestError, check
from kpi.dimensions import DIMENSIONS

COMMAND = "kostengroei"


def add_parser(sub) -> argparse.ArgumentParser:
    parser = sub.add_parser(COMMAND, help="de verandering van de totale kosten verklaren: volume, mix en intensiteit")
    parser.add_argument("--jaar", required=True, metavar="JJJJ", help="het jaar om te verklaren")
    parser.add_argument("--vergelijk", metavar="JJJJ", help="het jaar om mee te vergelijken (standaard het jaar ervoor)")
    parser.add_argument("--tot-maand", nargs="?", const=LAATSTE_MAAND, metavar="MAAND",
                        help="januari tot en met deze maand (1–12 of de naam) van beide jaren; zonder maand: t/m de "
                             "laatste volledige maand met gegevens. Standaard hele jaren, of dezelfde maanden als "
                             "het jaar nog loopt")
    parser.add_argument("--by", metavar="DIMENSIE",
                        help=f"de groepen ({', '.join(BREAKDOWNS)}; standaard hulpvorm)")
    parser.add_argument("--where", action="append", default=[], metavar="DIMENSIE=CODE",
                        help="binnen deze groep (herhaalbaar; DIMENSIE= kiest de lege groep)")
    parser.add_argument("--json", action="store_true", help="als JSON")
    parser.add_argument("--no-suppress", action="store_true",
                        help="kleine aantallen niet afschermen (alleen met directe databasetoegang)")
    parser.add_argument("--db", metavar="URL", type=url_argument, help="database-URL (standaard: DATABASE_URL of de ingebouwde SQLite)")
    return parser


def _int(raw: str | None, name: str) -> int | None:
    if raw is None:
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise GrowthRequestError(f"--{name}: ongeldig jaar {raw!r}; geef een jaar als 2026")
    return int(text)


def _month(raw: str | None) -> int | str | None:
    if raw is None or raw == LAATSTE_MAAND:
        return raw
    text = raw.strip().lower()
    if text in fmt.MAANDEN:
        return fmt.MAANDEN.index(text) + 1
    if text.isascii() and text.isdigit() and len(text) <= 2 and 1 <= int(text) <= 12:
        return int(text)
    raise GrowthRequestError(f"--tot-maand: ongeldige maand {raw!r}; geef 1 tot en met 12 of de naam (september)")


def request_of(args, where: Mapping[str, str]) -> GrowthRequest:
    request = GrowthRequest(jaar=_int(args.jaar, "jaar"), vergelijk=_int(args.vergelijk, "vergelijk"),
                            tot_maand=_month(args.tot_maand), by=args.by, where=dict(where),
                            suppress=not args.no_suppress)
    check(request)  # refuse a bad request before touching the database
    return request


def run(args, where: Mapping[str, str]) -> None:
    request = request_of(args, where)
    from data.bootstrap import ensure_warehouse
    from kpi import totals
    from kpi.cost_growth import decompose

    engine = ensure_warehouse(args.db, derive=totals.after_load, reads_only=True)
    try:
        with engine.connect() as conn:
            _refuse_years_without_data(conn, request)
        result = decompose(engine, request)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(text(result))


def _refuse_years_without_data(conn, request: GrowthRequest) -> None:
    """A year compared before the first kosten month is a year without data, as the page says ("De
    gegevens beginnen in 2019"), not a decomposition of hidden figures ("<10 (afgeschermd)", exit
    0). A year after the data the request's own resolution refuses ("nog geen gegevens over …")."""
    from kpi.forecast.reads import first_month

    first = first_month(conn)
    vergelijk = request.jaar - 1 if request.vergelijk is None else request.vergelijk
    if first is not None and vergelijk < first.year:
        raise GrowthRequestError(f"de kosten beginnen in {fmt.periode_label(f'{first:%Y-%m}')}: er zijn geen "
                                 f"kosten over {vergelijk} om mee te vergelijken; de kostengroei is er vanaf "
                                 f"{first.year + 1}")


def euro(cents: int) -> str:
    return fmt.value(cents / 100, "€", decimals=2)


def _table(lines: list[tuple[str, ...]], left: int = 1) -> list[str]:
    """Columns padded to their widest cell; the first `left` columns left-aligned."""
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return ["  ".join(cell.ljust(w) if i < left else cell.rjust(w)
                      for i, (cell, w) in enumerate(zip(line, widths, strict=True))).rstrip()
            for line in lines]


def text(result: CostGrowth) -> str:
    """The decomposition as a plain Dutch text table."""
    groepen = DIMENSIONS[result.by].meervoud
    # the columns name the years; the title says which months
    eerder, later = str(result.eerder.van.year), str(result.later.van.year)
    compared = (f"{result.later.label} tegenover {result.eerder.label}" if result.later.label == later
                else f"{result.later.label} tegenover dezelfde maanden van {eerder}")
    out = [f"Kostengroei verklaard: totale kosten jeugdhulp, {compared}, per {DIMENSIONS[result.by].naam.lower()}"]
    if result.where:
        out.append("Filter: " + ", ".join(f"{d}={v or '(leeg)'}" for d, v in result.where))
    out.append("")
    if result.afgeschermd:
        out.append(f"Totale kosten: <{result.min_cell_size} (afgeschermd)")
        out += ["", *result.toelichting]
        return "\n".join(out)
    a, b = result.totaal_eerder, result.totaal_later
    out += _table([("", eerder, later),
                   ("Totale kosten", euro(a.kosten_cent), euro(b.kosten_cent)),
                   ("Jeugdigen met kosten", fmt.number(a.jeugdigen), fmt.number(b.jeugdigen))])
    out.append("")
    effects = [(e.label, euro(e.bedrag_cent)) for e in result.effecten]
    out += _table(effects + [("Verandering", euro(result.verandering_cent))])
    out.append("")
    rows = [(f"Per {DIMENSIONS[result.by].naam.lower()}", f"kosten {eerder}", f"kosten {later}", "verandering",
             "volume", "mix", "intensiteit", f"jeugdigen {eerder}", f"jeugdigen {later}")]
    for g in result.groepen:
        rows.append((g.label, euro(g.eerder.kosten_cent), euro(g.later.kosten_cent), euro(g.verandering_cent),
                     *(euro(c) for c in g.effecten_cent), fmt.number(g.eerder.jeugdigen), fmt.number(g.later.jeugdigen)))
    if len(result.groepen) == 0:
        rows.append((f"(geen {groepen} met kosten)",) + ("",) * 8)
    out += _table(rows)
    if result.toelichting:
        out += ["", "Toelichting:"] + [f"- {note}" for note in result.toelichting]
    return "\n".join(out)
