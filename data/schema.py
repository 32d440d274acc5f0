"""Every table together — the warehouse's, the programme's and the accounts' — on one metadata:
what the Alembic migrations describe (data/migrations/env.py) and what the tests fill and read.
Product code imports the tables from the room they belong to."""
from data.accounts.schema import *  # noqa: F403
from data.base import NAMING_CONVENTION, Base  # noqa: F401
from data.programme.schema import *  # noqa: F403
from data.warehouse.ijw.schema import *  # noqa: F403
from data.warehouse.schema import *  # noqa: F403
