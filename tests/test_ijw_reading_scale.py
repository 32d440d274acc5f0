"""Reading an iJw message costs the same per client however many clients it holds.

A gemeente's monthly JW323 of a large provider holds thousands of clients. The reader once
rebuilt the list of an element's siblings for every XPath it wrote (one per prestatie), so a message
with n clients cost n² steps (28 s for 3,000 clients; docs/performance.md). Wall time is no test on a
shared machine: the number of function calls (cProfile's count, deterministic for the same input)
is. Linear reading adds the same number of calls for every further client.
"""
import cProfile
import gc
import pstats

from data.warehouse.ijw.messages import read_message
from data.warehouse.ijw.xml_reading import Reader, find_message, parse
from tests import ijw_builder as b


def calls_to_read(clients: int) -> int:
    """The reader's calls only: with the collector running, a collection during the read would add
    the calls of its callbacks (Hypothesis registers one) and of the finalizers of whatever garbage
    earlier tests in this process left, a different number each time."""
    content = b.large_declaration(clients)
    problems: list = []
    profiler = cProfile.Profile()
    gc.collect()
    gc.disable()
    try:
        message = profiler.runcall(read_message, "groot.xml", content, b.KEY, None, problems, [])
    finally:
        gc.enable()
    assert problems == [] and len(message.rows["ijw_prestatie"]) == clients
    return pstats.Stats(profiler).total_calls


class _Finalised:
    """Garbage in a reference cycle whose finalizer makes calls, as earlier tests leave behind."""

    def __init__(self):
        self.cycle = self

    def __del__(self):
        sum(abs(i) for i in range(50))


def test_the_count_is_the_readers_alone_whatever_garbage_the_process_holds():
    calls_to_read(1)
    clean = calls_to_read(100)
    thresholds = gc.get_threshold()
    gc.set_threshold(100)  # a collection falls within the read, as one may in a busy test process
    gc.callbacks.append(_ignore)
    try:
        for _ in range(50):
            _Finalised()
        assert calls_to_read(100) == clean
    finally:
        gc.callbacks.remove(_ignore)
        gc.set_threshold(*thresholds)


def _ignore(_phase, _info) -> None:
    """A collector callback, as Hypothesis registers one."""


def test_every_further_client_costs_the_same_number_of_calls():
    calls_to_read(1)  # the first read fills Python's own caches (isinstance of abstract classes)
    n = 100
    first, second, third = calls_to_read(n), calls_to_read(2 * n), calls_to_read(3 * n)
    per_client_from_n, per_client_from_2n = (second - first) / n, (third - second) / n
    # the sibling list rebuilt per XPath made the clients 201 to 300 cost 1198 calls each, the clients
    # 101 to 200 798 (and 400 more for every further 100); linear reading: 185 and 185
    assert abs(per_client_from_2n - per_client_from_n) <= 0.01 * per_client_from_n, (
        per_client_from_n, per_client_from_2n)


def test_the_xpaths_of_a_large_message_number_the_clients():
    message = read_message("groot.xml", b.large_declaration(1200), b.KEY, None, [], [])
    xpaths = [row["xpath"] for row in message.rows["ijw_prestatie"]]
    assert xpaths[0] == "/Bericht/Declaratie/Clienten/Client[1]/Prestaties/Prestatie"
    assert xpaths[1199] == "/Bericht/Declaratie/Clienten/Client[1200]/Prestaties/Prestatie"
    assert len(set(xpaths)) == 1200


def test_an_xpath_numbers_siblings_by_local_name_in_any_namespace():
    content = (b'<e:Envelop xmlns:e="urn:envelop"><e:Inhoud/><e:Inhoud>'
               b'<m:Bericht xmlns:m="http://www.istandaarden.nl/ijw/3_2/jw323/schema"'
               b' xmlns:ijw="http://www.istandaarden.nl/ijw/3_2/basisschema/schema">'
               b'<m:Header/><m:Client/><ijw:Client/><m:Client><m:Bsn/></m:Client></m:Bericht>'
               b'</e:Inhoud></e:Envelop>')
    message = find_message(parse(content))
    reader = Reader(message)
    clients = list(message)[1:]
    assert [reader.xpath(c) for c in clients] == ["/Bericht/Client[1]", "/Bericht/Client[2]", "/Bericht/Client[3]"]
    assert reader.xpath(message) == "/Bericht"  # the envelope is no part of the path
    assert reader.xpath(message[0]) == "/Bericht/Header"
    assert reader.xpath(clients[2][0]) == "/Bericht/Client[3]/Bsn"
    assert reader.child_xpath(clients[1], "Bsn") == "/Bericht/Client[2]/Bsn"


def test_a_missing_amount_is_reported_at_its_place():
    """The amount's XPath is written only for a problem now; it must still name the right client."""
    content = b.large_declaration(3)
    second = content.index(b"<m:IngediendBedrag>", content.index(b"<m:Client>", content.index(b"<m:Client>") + 1))
    end = content.index(b"</m:IngediendBedrag>", second) + len(b"</m:IngediendBedrag>")
    problems: list = []
    assert read_message("groot.xml", content[:second] + content[end:], b.KEY, None, problems, []) is None
    assert [str(p) for p in problems] == [
        "groot.xml:/Bericht/Declaratie/Clienten/Client[2]/Prestaties/Prestatie/IngediendBedrag: verplicht element ontbreekt"]
