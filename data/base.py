"""The one declarative base of every table (warehouse, programme, accounts) and its conventions.

The schema is owned by the Alembic migrations in data/migrations; the models are their source.
Money is stored in whole cents (exact sums on SQLite and PostgreSQL alike); dates as SQL DATE
(ISO text on SQLite, which compares correctly); a kosten month as the date of its first day.
"""
from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from data.warehouse import codes

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def check_in(column: str, code_list: codes.CodeList) -> str:
    values = ", ".join(f"'{v}'" for v in code_list.values)
    return f"{column} IN ({values})"
