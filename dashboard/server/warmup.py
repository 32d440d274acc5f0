"""Warm the shared KPI cache after a load or an edit, so the first visitor is served from it.

At national scale a view's first computation takes up to a few seconds (a trend over seven years
of millions of trajecten); a cached one milliseconds. `warm_views` computes what the dashboard's
first screens ask for: per KPI the overview card's yearly totals (which are also the explorer's
default trend) and the explorer's view of the default year for every breakdown — the requests the
pages themselves build (dashboard.ui.state), so the keys match.

In the app, `start_warmer` runs a daemon thread in each worker that watches the warehouse
generation; with Redis one worker (a lock per generation) warms the cache all workers share. With
a cache in each process nothing is warmed: every worker would have to compute everything itself.

    python -m dashboard.server.warmup            # once, e.g. after `python -m data load` (DATABASE_URL, REDIS_URL)
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Iterator

from sqlalchemy import exc as sa_exc

from dashboard.server import outage
from dashboard.ui.state import DEFAULT_KPI, ExplorerState, from_query
from kpi import CATALOGUE, KpiRequest, KpiRequestError, kpis_shown, totals

log = logging.getLogger("jeugdmonitor.warmup")
POLL_SECONDS = 5.0
LOCK_SECONDS = 15 * 60


def warm_states(jaar: int, years: range, berichtenverkeer: bool = True,
                leeg: frozenset[str] = frozenset()) -> Iterator[ExplorerState]:
    """The explorer's views of `jaar`: per KPI the pages list (kpis_shown) its default view, then
    one per breakdown; the default KPI first of all (when shown)."""
    shown = [k.id for k in kpis_shown(berichtenverkeer, leeg)]
    order = [DEFAULT_KPI] * (DEFAULT_KPI in shown) + [k for k in shown if k != DEFAULT_KPI]
    for kpi_id in order:
        yield from_query({"kpi": kpi_id, "jaar": str(jaar), "by": ""}, jaar, years)
        for by in CATALOGUE[kpi_id].breakdowns:
            yield from_query({"kpi": kpi_id, "jaar": str(jaar), "by": by}, jaar, years)


def warm_requests(jaar: int, years: range, berichtenverkeer: bool = True,
                  leeg: frozenset[str] = frozenset()) -> Iterator[KpiRequest]:
    """The KPI requests of the views `warm_states` lists: trends and breakdowns."""
    for state in warm_states(jaar, years, berichtenverkeer, leeg):
        yield from state.trend_requests() if state.by is None else [state.breakdown_request()]


def warm_views(service) -> tuple[int, float]:
    """Compute (and so cache) the requests of `warm_requests` for the default year, each
    breakdown through the explorer's own `breakdown_view`, so its first page, ready to show, is
    cached as well. Returns (requests, seconds). A request the data cannot answer is skipped.
    First the KPIs' yearly totals are stored if the newest load has none (kpi/totals.py)."""
    from dashboard.server.runtime import years_available
    from dashboard.ui.explorer_view import breakdown_view

    started = time.perf_counter()
    stored = totals.ensure(service.engine)
    if stored:
        log.info("KPI-totalen opgeslagen: %d rijen", stored)
    years, jaar = years_available(service)
    done = 0
    drills = []
    status = service.data_status()
    for state in warm_states(jaar, years, status.berichtenverkeer, status.leeg):
        try:
            if state.by is None:
                for request in state.trend_requests():
                    service.compute(request)
                    done += 1
            else:
                drills.append((state, breakdown_view(service, state).rows))
                done += 1
        except KpiRequestError:  # this view cannot be computed (e.g. no data for its year)
            continue
    for state, rows in drills:  # then the first drill-down of every breakdown
        done += warm_first_drill(service, state, rows)
    return done, time.perf_counter() - started


def warm_first_drill(service, state: ExplorerState, rows) -> int:
    """The view after a click on a group of `state`'s breakdown, for one shown group. Its cost is
    the small-number rules' linked breakdown (kpi/privacy.py, rule 3: a count per pair of groups,
    a pass over the year's facts at national scale); the service caches that verdict by the
    filter's dimension, not its value, so one drill warms the click on every group."""
    from dashboard.ui.explorer_view import next_breakdown

    shown = next((row for row in rows if not row.suppressed), None)
    if shown is None:
        return 0
    clicked = state.drill(shown.key, None)
    drilled = clicked.__class__(**{**clicked.__dict__, "by": next_breakdown(clicked)})
    if drilled.by is None:
        return 0
    try:
        service.compute(drilled.breakdown_request())
    except KpiRequestError:
        return 0
    return 1


def warm_forecast(service) -> int:
    """The running year's kosten forecast and its backtest (kpi/forecast/cached.py), which the
    overview's kosten band and /prognose show: seconds to compute, milliseconds cached. Returns
    how many were computed (0 when the newest data close a year, or the data cannot forecast)."""
    from dashboard.ui.forecast_view import running_year
    from kpi.forecast import cached
    from kpi.forecast.errors import ForecastError

    data_tot = service.data_status().data_tot
    if data_tot is None or not running_year(data_tot, data_tot.year):
        return 0
    try:
        cached.prognose(service, data_tot.year)
        cached.backtest(service)
    except ForecastError:
        return 0
    return 2


class Warmer:
    """Watches the generation; warms once per generation, if this worker wins the lock
    (`forecast`: also the running year's kosten forecast)."""

    def __init__(self, service, poll_seconds: float = POLL_SECONDS, forecast: bool = True):
        self.forecast = forecast
        self.service = service
        self.poll_seconds = poll_seconds
        self.warmed: tuple | None = None
        self.thread: threading.Thread | None = None
        self._stop = threading.Event()

    def step(self) -> bool:
        """One look at the generation; True when this call warmed the cache."""
        generation = self.service.generation()
        if generation == self.warmed:
            return False
        self.warmed = generation
        if not self.service.store.claim(("warm", str(self.service.engine.url), generation), LOCK_SECONDS):
            return False  # another worker warms this generation
        count, seconds = warm_views(self.service)
        log.info("KPI-cache opgewarmd: %d resultaten in %.1f s", count, seconds)
        if self.forecast:
            started = time.perf_counter()
            done = warm_forecast(self.service)
            log.info("Prognose opgewarmd: %d resultaten in %.1f s", done, time.perf_counter() - started)
        return True

    def attempt(self) -> None:
        """One step that never raises: a database or Redis hiccup must not end the thread."""
        try:
            self.step()
        except Exception as exc:  # noqa: BLE001
            if outage.is_outage(exc):  # an ordinary wait: one line, no traceback in the log
                log.warning("opwarmen van de KPI-cache wacht: %s antwoordt niet; volgende poging over %s s",
                            outage.what_does_not_answer(exc), self.poll_seconds)
            else:
                log.exception("opwarmen van de KPI-cache mislukt; volgende poging over %s s", self.poll_seconds)
            self.warmed = None

    def run(self) -> None:
        while not self._stop.is_set():
            self.attempt()
            self._stop.wait(self.poll_seconds)

    def stop(self) -> None:
        self._stop.set()


def start_warmer(service) -> Warmer | None:
    """A daemon thread warming the shared cache; None when the cache is not shared."""
    if not getattr(service.store, "shared", False):
        return None
    warmer = Warmer(service)
    warmer.thread = threading.Thread(target=warmer.run, name="kpi-cache-warmer", daemon=True)
    warmer.thread.start()
    return warmer


def main(argv: list[str] | None = None) -> int:
    import os

    from data.cli_errors import CommandError, describe, run_command
    from data.db import make_engine
    from kpi.cache_store import CacheSettingError, store_from_env
    from kpi.service import KpiService

    def unexpected(exc: BaseException) -> str:
        if outage.is_outage(exc) and not isinstance(exc, sa_exc.DBAPIError):  # the database: describe() words it
            return f"opwarmen mislukt: {outage.what_does_not_answer(exc)} antwoordt niet; controleer REDIS_URL en of Redis draait"
        return f"opwarmen mislukt: {describe(exc)}"

    def work() -> int:
        url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
        if not url or not redis_url:
            raise CommandError("zet DATABASE_URL en REDIS_URL; alleen een gedeelde cache (Redis) blijft na "
                               "het opwarmen bestaan", code=2)
        service = KpiService(make_engine(url), store=store_from_env(redis_url))
        count, seconds = warm_views(service)
        count += warm_forecast(service)
        print(f"{count} KPI-resultaten berekend en in Redis bewaard in {seconds:.1f} s")
        return 0
    return run_command(work, bad_input=(CacheSettingError,), unexpected=unexpected)


if __name__ == "__main__":
    raise SystemExit(main())
