"""CBV 2.0 event hash: foodtrace against the reference implementation (PyPI 1.9.3).

Both contenders take the document text and return one ``ni:///sha-256;…?ver=CBV2.0`` per event:

* reference: ``json_to_py.event_list_from_epcis_document_str`` (json.loads, JSON-LD expansion with
  PyLD and its bundled context, conversion) then ``hash_generator.epcis_hashes_from_events``;
* foodtrace: ``orjson.loads`` then ``foodtrace.epcis.hash.document_hash_ids``.

Documents are EPCISDocuments of 1 and of 100 events, each event the first ObjectEvent of GS1's
Example_9.6.1-ObjectEvent.jsonld (eventID removed) with 4 SGTINs. Every foodtrace document carries
serial numbers never seen before in the run, so the identifier cache does not flatter it (locations
and transactions repeat, as in real traffic). Before timing, the script checks that both give the
same hashes on a sample of these documents. Cases are interleaved round by round; the table shows
the median, min and max events/s over the rounds.

    .venv/bin/python bench/event_hash.py [--rounds 5] [--seconds 1.0] [--events 10000]
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import platform
import statistics
import time
import warnings
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import orjson
from epcis_event_hash_generator import hash_generator, json_to_py

from foodtrace.epcis.hash import document_hash_ids

EXAMPLE = (
    Path(__file__).resolve().parents[1] / "tests/data/epcis-hash/Example_9.6.1-ObjectEvent.jsonld"
)


def reference_hashes(text: str) -> list[str]:
    events = json_to_py.event_list_from_epcis_document_str(text)
    result: list[str] = hash_generator.epcis_hashes_from_events(events)
    return result


def foodtrace_hashes(data: bytes) -> list[str]:
    return document_hash_ids(orjson.loads(data))


class Documents:
    """EPCISDocuments of ``per_doc`` events with 4 fresh SGTIN serials per event."""

    def __init__(self, per_doc: int, first_serial: int) -> None:
        base = json.loads(EXAMPLE.read_text())
        self.base = base
        self.event = copy.deepcopy(base["epcisBody"]["eventList"][0])
        del self.event["eventID"]
        self.per_doc = per_doc
        self.serial = first_serial

    def text(self) -> str:
        events = []
        for _ in range(self.per_doc):
            event = dict(self.event)
            event["epcList"] = [
                f"urn:epc:id:sgtin:0614141.107346.{self.serial + i}" for i in range(4)
            ]
            self.serial += 4
            events.append(event)
        doc = dict(self.base)
        doc["epcisBody"] = {"eventList": events}
        return json.dumps(doc)

    def texts(self, count: int) -> list[str]:
        return [self.text() for _ in range(count)]


def timed(
    fn: Callable[[Any], object], items: list[Any], per_doc: int, seconds: float, once: bool
) -> tuple[float, float]:
    """Events/s by wall clock and by process CPU time: run ``fn`` over ``items`` (cycling) for
    about ``seconds``, or exactly once through them when ``once``."""
    done = 0
    start, cpu = time.perf_counter(), time.process_time()
    for i in cycle_index(len(items)):
        fn(items[i])
        done += 1
        if (once and done >= len(items)) or (not once and time.perf_counter() - start >= seconds):
            break
    events = done * per_doc
    return (
        events / (time.perf_counter() - start),
        events / max(time.process_time() - cpu, 1e-9),
    )


def cycle_index(n: int) -> Iterator[int]:
    while True:
        yield from range(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=1.0, help="reference time per round")
    parser.add_argument("--events", type=int, default=10_000, help="foodtrace events per round")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    warnings.simplefilter("ignore", DeprecationWarning)  # the reference's bundled-context loader

    # correctness: both agree on documents built the same way
    sample = Documents(1, 1).texts(20) + Documents(100, 900_000).texts(2)
    for text in sample:
        if reference_hashes(text) != foodtrace_hashes(text.encode()):
            raise SystemExit("foodtrace and the reference disagree on a benchmark document")
    print(f"agreement: {len(sample)} documents ({20 + 200} events) hash identically")

    # inputs: the reference cycles over a few documents; foodtrace never sees a serial twice
    ref_1 = Documents(1, 10_000_000).texts(200)
    ref_100 = Documents(100, 20_000_000).texts(3)
    ours_1 = Documents(1, 100_000_000)
    ours_100 = Documents(100, 200_000_000)
    fresh_1 = [[t.encode() for t in ours_1.texts(args.events)] for _ in range(args.rounds + 1)]
    fresh_100 = [
        [t.encode() for t in ours_100.texts(args.events // 100)] for _ in range(args.rounds + 1)
    ]

    Case = tuple[Callable[[Any], object], list[list[Any]], int, bool]
    cases: dict[str, Case] = {
        "reference 1.9.3, 1-event documents": (
            reference_hashes,
            [ref_1] * (args.rounds + 1),
            1,
            False,
        ),
        "foodtrace, 1-event documents": (foodtrace_hashes, fresh_1, 1, True),
        "reference 1.9.3, 100-event documents": (
            reference_hashes,
            [ref_100] * (args.rounds + 1),
            100,
            False,
        ),
        "foodtrace, 100-event documents": (foodtrace_hashes, fresh_100, 100, True),
    }
    for fn, items, per_doc, once in cases.values():  # warm-up on round 0's inputs
        timed(fn, items[0], per_doc, 0.2, once)
    wall: dict[str, list[float]] = {name: [] for name in cases}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    for r in range(1, args.rounds + 1):
        for name, (fn, items, per_doc, once) in cases.items():
            by_wall, by_cpu = timed(fn, items[r], per_doc, args.seconds, once)
            wall[name].append(by_wall)
            cpu[name].append(by_cpu)

    print(
        f"\nPython {platform.python_version()}, epcis-event-hash-generator "
        f"{version('epcis-event-hash-generator')}, PyLD {version('PyLD')}, orjson "
        f"{version('orjson')}; {args.rounds} rounds\n"
    )
    print(
        f"| {'case (text → hash IDs)':38} | {'events/s (wall)':>15} | {'min':>7} | {'max':>7} "
        f"| {'events/s (CPU)':>14} |"
    )
    print(f"|{'-' * 40}|{'-' * 16}:|{'-' * 8}:|{'-' * 8}:|{'-' * 15}:|")
    medians = {}
    for name, values in wall.items():
        medians[name] = statistics.median(values)
        print(
            f"| {name:38} | {medians[name]:>15,.0f} | {min(values):>7,.0f} | "
            f"{max(values):>7,.0f} | {statistics.median(cpu[name]):>14,.0f} |"
        )
    for size in ("1-event", "100-event"):
        ours, theirs = f"foodtrace, {size} documents", f"reference 1.9.3, {size} documents"
        print(
            f"speed-up, {size} documents: {medians[ours] / medians[theirs]:,.1f}× (wall), "
            f"{statistics.median(cpu[ours]) / statistics.median(cpu[theirs]):,.1f}× (CPU)"
        )


if __name__ == "__main__":
    main()
