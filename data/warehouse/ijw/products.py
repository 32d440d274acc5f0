"""The gemeente's product codes: `load-ijw --producten FILE` (docs/ijw.md, "Product codes").

A CSV file in the import format's general rules with the columns `productcategorie`, `productcode`,
`hulpvorm` and `verblijfsvorm` (the last two may be empty; codes as in the import format). A row
says what a regional product is where its JZ020 category alone does not: above all which stay a
43 or 44 ("jeugdhulp verblijf") is. The file replaces the stored table (`ijw_product`); a load
without it keeps the stored one. Read by the loader's one CSV reader.
"""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select

from data.warehouse import codes as contract
from data.warehouse.csv_input import side_file_records
from data.warehouse.ijw import codes
from data.warehouse.ijw.schema import IjwProduct

COLUMNS = ("productcategorie", "productcode", "hulpvorm", "verblijfsvorm")


def read_products(path: Path, report) -> list[dict]:
    """The valid rows; `report(line, column, message)` gets every problem."""
    rows: list[dict] = []
    seen: dict[tuple[str, str], int] = {}
    for line, value in side_file_records(path, COLUMNS, report):
        ok = True
        categorie = value["productcategorie"].zfill(2)
        if categorie not in codes.PRODUCTCATEGORIE:
            report(line, "productcategorie", f"{value['productcategorie'][:10]!r} is geen productcategorie (JZ020)")
            ok = False
        code = value["productcode"]
        if not code or len(code) > 5:
            report(line, "productcode", "verplicht, ten hoogste 5 tekens")
            ok = False
        parsed = {}
        for column, code_list in (("hulpvorm", contract.HULPVORM), ("verblijfsvorm", contract.VERBLIJFSVORM)):
            raw = value[column]
            parsed[column] = code_list.normalise(raw) if raw else None
            if raw and parsed[column] is None:
                report(line, column, f"{raw[:30]!r} is geen geldige code; kies uit {code_list.describe()}")
                ok = False
        if parsed["verblijfsvorm"] and (parsed["hulpvorm"] or codes.PRODUCTCATEGORIE.get(categorie, ("",))[0]) != "verblijf":
            report(line, "verblijfsvorm", "alleen bij een product met hulpvorm verblijf")
            ok = False
        if ok and (categorie, code) in seen:
            report(line, "productcode", f"{categorie} {code} komt al voor op regel {seen[(categorie, code)]}")
            ok = False
        if ok:
            seen[(categorie, code)] = line
            rows.append({"categorie": categorie, "productcode": code, **parsed})
    return rows


def replace_products(conn: Connection, rows: list[dict]) -> None:
    conn.execute(IjwProduct.__table__.delete())
    if rows:
        conn.execute(IjwProduct.__table__.insert(), rows)


def product_forms(conn: Connection) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(categorie, productcode) → (hulpvorm, verblijfsvorm) as stored; None where the category decides."""
    return {(r.categorie, r.productcode): (r.hulpvorm, r.verblijfsvorm)
            for r in conn.execute(select(IjwProduct))}


def forms(categorie: str, productcode: str | None, stored: dict) -> tuple[str, str | None]:
    """The hulpvorm and verblijfsvorm of a product: the gemeente's row where it has one, else the
    category's (data/warehouse/ijw/codes.py)."""
    hulpvorm, verblijfsvorm = codes.PRODUCTCATEGORIE[categorie]
    own = stored.get((categorie, productcode or ""))
    if own is not None:
        hulpvorm = own[0] or hulpvorm
        if hulpvorm != "verblijf":
            verblijfsvorm = None
        else:
            verblijfsvorm = own[1] or verblijfsvorm or "overig"
    return hulpvorm, verblijfsvorm
