"""Every load run, successful or not, in the table `laadrun`, and what the monitoring reads of it.

Loads run in their own process (`python -m data load`, `load-ijw`, `demo`), so the dashboard's
/metrics cannot count them in memory: it reads this table when it is scraped (`summary`).
`recorded(engine, soort)` wraps one run: its kind, start (UTC), duration and outcome are written
after the run, in a transaction of their own — a refused load still leaves the warehouse as it
was (its rollback comes first) and only adds this row. The number of a refused load's problems
is kept, never their text (it may quote a value from the file).

`laadlog` stays what it was: one row per *successful* load, whose id is the data's generation.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import SQLAlchemyError

from data.warehouse.schema import LoadRun

log = logging.getLogger("jeugdmonitor.laden")

KINDS = ("csv", "ijw", "demo")


@dataclass(frozen=True)
class RunSummary:
    """The runs of one kind and outcome: how many, and the latest one's duration and end."""
    soort: str
    geslaagd: bool
    runs: int
    last_duration: float
    last_end: dt.datetime  # UTC, naive as stored


@contextmanager
def recorded(engine: Engine, soort: str):
    """Record the run inside this block: successful when it ends normally, failed when it raises
    (the exception goes on unchanged). A load's LoadError gives its number of problems."""
    if soort not in KINDS:
        raise ValueError(f"unknown load kind {soort!r}")
    started_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    started = time.perf_counter()
    try:
        yield
    except Exception as exc:
        problems = getattr(exc, "total", 0)  # data.warehouse.loader.LoadError
        _write(engine, soort, started_at, time.perf_counter() - started, False,
               problems if isinstance(problems, int) else 0)
        raise
    _write(engine, soort, started_at, time.perf_counter() - started, True, 0)


def _write(engine: Engine, soort: str, started_at: dt.datetime, seconds: float, succeeded: bool,
           problems: int) -> None:
    """The row, in its own transaction. When the database cannot take it (it went away during
    the run) the run's own outcome stands: the load is committed or the caller gets its error;
    the missing row is only logged."""
    try:
        with engine.begin() as conn:
            conn.execute(insert(LoadRun).values(soort=soort, gestart_op=started_at, duur_seconden=seconds,
                                                geslaagd=succeeded, problemen=problems))
    except SQLAlchemyError as exc:
        log.warning("laadrun niet vastgelegd (%s): de monitoring mist deze run", type(exc).__name__)


def summary(engine: Engine) -> list[RunSummary]:
    """Per kind and outcome: the number of runs and the latest run's duration and end."""
    with engine.connect() as conn:
        latest = (select(LoadRun.soort, LoadRun.geslaagd, func.count().label("runs"),
                         func.max(LoadRun.id).label("latest"))
                  .group_by(LoadRun.soort, LoadRun.geslaagd).subquery())
        rows = conn.execute(select(latest.c.soort, latest.c.geslaagd, latest.c.runs, LoadRun.duur_seconden,
                                   LoadRun.gestart_op)
                            .join(LoadRun, LoadRun.id == latest.c.latest)
                            .order_by(latest.c.soort, latest.c.geslaagd)).all()
    return [RunSummary(soort, bool(geslaagd), runs, duration, started + dt.timedelta(seconds=duration))
            for soort, geslaagd, runs, duration, started in rows]
