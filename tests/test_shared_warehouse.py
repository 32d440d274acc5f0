"""The shared loaded warehouses of conftest.loaded_warehouse: a test that writes to one does not
change what the next test is handed (the loaded state is put back), and one that only reads keeps
the same warehouse without a new load."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select, update

from data import schema as s
from data.schema import Base
from tests import handmade_warehouse
from tests.conftest import loaded_warehouse

LOADS: list[str] = []


def _load(engine) -> None:
    LOADS.append(engine.dialect.name)
    handmade_warehouse.fill(engine)


def content(engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
                for t in Base.metadata.sorted_tables}


def test_a_write_is_undone_before_the_next_test_and_a_read_needs_no_new_load(request, backend):
    engine = loaded_warehouse(request, "gedeeld_proef", _load)
    loaded = content(engine)
    assert loaded["trajecten"] and LOADS.count(backend) == 1
    assert loaded_warehouse(request, "gedeeld_proef", _load) is engine  # only read: kept as it is
    writes = [
        lambda conn: conn.execute(update(s.Traject).where(s.Traject.traject_id == "T1").values(geboortejaar=1999)),
        lambda conn: conn.execute(delete(s.Kosten)),  # a child table: its parent stays
        lambda conn: conn.execute(delete(s.Verblijf)),
        lambda conn: conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2030, 1, 1), bron="x",
                                                           bestanden=[])),  # and a sequence moves
    ]
    for write in writes:
        with engine.begin() as conn:
            write(conn)
        assert content(engine) != loaded
        again = loaded_warehouse(request, "gedeeld_proef", _load)
        assert content(again) == loaded
    assert LOADS.count(backend) == 1  # put back from the copy, not loaded again
    with engine.begin() as conn:  # the id a new row gets is the one it got after the load
        conn.execute(insert(s.LoadLog).values(geladen_op=dt.datetime(2030, 1, 1), bron="y", bestanden=[]))
        newest = conn.scalar(select(s.LoadLog.id).where(s.LoadLog.bron == "y"))
    assert newest == max((row[0] for row in loaded["laadlog"]), default=0) + 1
