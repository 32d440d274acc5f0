"""The Alembic migrations produce exactly the models' schema, on both backends."""
import os
import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from data.db import current_revision, make_engine, migrate
from data.schema import Base
from data.warehouse.schema import IMPORT_TABLES
from tests.conftest import PG_SKIP_REASON, _create_schema, _drop_schema, pg_test_url


def test_migrated_schema_matches_models(warehouse):
    with warehouse.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(warehouse) is not None


def test_every_import_table_exists(warehouse):
    names = set(inspect(warehouse).get_table_names())
    assert set(IMPORT_TABLES) <= names
    assert {"laadlog", "strategische_lijn", "maatregel", "indicator", "streefwaarde",
            "realisatie", "wijziging"} <= names


def test_backend_url_migrates_from_empty(backend_url):
    from data.db import make_engine, migrate

    engine = make_engine(backend_url)
    migrate(engine)
    assert current_revision(engine) is not None
    assert "trajecten" in inspect(engine).get_table_names()
    engine.dispose()


def described(engine) -> dict:
    """Everything the database says of each table: columns (type, nullability, default), primary
    key, foreign keys, indexes, unique and check constraints (their text with spaces and quotes
    taken out, as each backend prints it back in its own way)."""
    def text(value) -> str | None:
        return None if value is None else re.sub(r"[\s\"'`()]", "", str(value)).lower()

    inspector = inspect(engine)
    out = {}
    for table in sorted(inspector.get_table_names()):
        out[table] = {
            "columns": [(c["name"], str(c["type"]), c["nullable"], text(c.get("default")))
                        for c in inspector.get_columns(table)],
            "primary key": inspector.get_pk_constraint(table)["constrained_columns"],
            "foreign keys": sorted((fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"]), text(fk.get("options")))
                                   for fk in inspector.get_foreign_keys(table)),
            "indexes": sorted((i["name"], tuple(i["column_names"]), bool(i["unique"]))
                              for i in inspector.get_indexes(table)),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)),
            "checks": sorted((c["name"], text(c["sqltext"])) for c in inspector.get_check_constraints(table)),
        }
    return out


@pytest.mark.parametrize("backend_name", ["sqlite", "postgresql"])
def test_a_new_database_gets_exactly_the_schema_every_migration_builds(backend_name, tmp_path):
    """migrate() creates an empty database's schema from the models in one pass: it must be what
    running every migration from the first builds, down to each column's default and check."""
    if backend_name == "sqlite":
        engines = [make_engine(f"sqlite:///{tmp_path / name}.db") for name in ("models", "steps")]
    else:
        if not pg_test_url():
            pytest.skip(PG_SKIP_REASON)
        engines = []
        for name in ("models", "steps"):
            schema = f"jeugdmonitor_schema_{name}_{os.getpid()}"
            _create_schema(schema)
            engines.append(make_engine(pg_test_url(), connect_args={"options": f"-csearch_path={schema}"}))
    from_models, steps = engines
    try:
        migrate(from_models)
        migrate(steps, from_models=False)
        assert current_revision(from_models) == current_revision(steps) is not None
        assert described(from_models) == described(steps)
    finally:
        for engine in engines:
            engine.dispose()
        if backend_name == "postgresql":
            for name in ("models", "steps"):
                _drop_schema(f"jeugdmonitor_schema_{name}_{os.getpid()}")
