"""What pages need at request time (dashboard/server/runtime.py): the data status is read once per
request, and the next request after a load reads the new one."""
from __future__ import annotations

import datetime as dt

import flask
from sqlalchemy import insert

from dashboard.server import runtime
from data import schema as s


def test_a_request_reads_the_data_status_once_and_the_next_one_sees_a_new_load(warehouse, monkeypatch):
    runtime.configure(warehouse)
    try:
        service = runtime.service()
        service.generation_ttl = 0  # a load is seen at once
        asked = []
        read = service.data_status
        monkeypatch.setattr(service, "data_status", lambda: asked.append(1) or read())
        app = flask.Flask(__name__)
        with app.test_request_context("/verkenner"):  # a filter change asks the years three times
            assert runtime.years_available() == runtime.years_available() == runtime.years_available()
            assert runtime.data_status().data_tot is None
        assert len(asked) == 1
        with warehouse.begin() as conn:
            conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2026, 10, 5), bron="test",
                                                  bestanden=[], data_tot=dt.date(2026, 9, 30)))
        with app.test_request_context("/verkenner"):
            assert runtime.years_available() == (range(2019, 2027), 2025)
            assert runtime.data_status().data_tot == dt.date(2026, 9, 30)
        assert len(asked) == 2
        assert runtime.years_available() == (range(2019, 2027), 2025)  # outside a request: asked each time
        assert len(asked) == 3
    finally:
        runtime.reset()
