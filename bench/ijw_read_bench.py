"""How the time to read one iJw message grows with its size (data/warehouse/ijw/messages.read_message).

    python bench/ijw_read_bench.py [--clients 500,1000,2000,4000] [--repeat 3]

Builds one JW323 declaration per size with the tests' builder (tests/ijw_builder.large_declaration:
one prestatie per client) and prints, per size, the file's size, the time lxml needs to parse it and
the time read_message needs for all of it (parsing included; best of --repeat). Reading should grow
like the parse: linearly with the number of clients.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data.warehouse.ijw.messages import read_message  # noqa: E402
from data.warehouse.ijw.xml_reading import parse  # noqa: E402
from tests import ijw_builder  # noqa: E402


def best_of(repeat: int, work, content: bytes) -> float:
    """The shortest of `repeat` runs, in seconds: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work(content)
        times.append(time.perf_counter() - started)
    return min(times)


def read(content: bytes) -> None:
    problems: list = []
    message = read_message("bench.xml", content, ijw_builder.KEY, None, problems, [])
    if message is None or problems:  # a benchmark of a message that does not read measures nothing
        raise SystemExit(f"het bericht is niet gelezen: {problems[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", default="500,1000,2000,4000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'cliënten':>9} {'bestand':>9} {'parse':>10} {'read_message':>13} {'per cliënt':>11}")
    for clients in (int(n) for n in args.clients.split(",")):
        content = ijw_builder.large_declaration(clients)
        parse_s = best_of(args.repeat, parse, content)
        read_s = best_of(args.repeat, read, content)
        print(f"{clients:>9,} {len(content) / 1e6:>7.2f} MB {parse_s * 1e3:>7.1f} ms {read_s * 1e3:>10.1f} ms "
              f"{read_s / clients * 1e6:>8.0f} µs")


if __name__ == "__main__":
    main()
