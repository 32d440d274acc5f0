"""Alembic environment: run migrations on the connection handed in by data.db.migrate()."""
from alembic import context

from data.schema import Base

config = context.config
target_metadata = Base.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # `alembic` command line with -x url=...
    url = context.get_x_argument(as_dictionary=True).get("url")
    from data.db import make_engine

    with make_engine(url).begin() as conn:
        _run(conn)
