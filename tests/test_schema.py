"""The Alembic migrations produce exactly the models' schema, on both backends."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from data.db import current_revision
from data.schema import Base
from data.warehouse.schema import IMPORT_TABLES


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
