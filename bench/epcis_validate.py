"""EPCIS 2.0 validation: foodtrace against jsonschema[format] and fastjsonschema (official schema).

Contenders, each validating an ``EPCISDocument`` (a parsed dict) per call:

* ``foodtrace validate_document`` — the production path: the schema compiled with jsonschema-rs
  (strict mode, uri/date-time formats enforced), then the EPCIS/CBV rules on every event;
* ``foodtrace schema layer`` — ``schema_problems(doc)``, the compiled schema alone;
* ``jsonschema Draft7Validator+format`` — the reference (``FORMAT_CHECKER`` on, rfc3987);
* ``fastjsonschema`` — compiled once; its own format checks (not the reference's).

Documents: 1 and 100 events, each event the first ObjectEvent of GS1's
``Example_9.6.1-ObjectEvent.jsonld`` with 4 SGTINs differing per event, as in the reference
measurement (``shared/notes/limits/epcis_validate.py``). One change: every event gets its own
eventID of the same length (``ni:///sha-256;<64 hex>?ver=CBV2.0``), because a document repeating
one eventID breaks the rule ``epcis:eventID-unique`` and would not be a valid document.

Before timing, the script checks the verdicts of all contenders on the 37 fixture files (22 GS1
examples valid, 15 OpenEPCIS invalid documents refused) and on the timed documents. Cases are
interleaved round by round; the table shows the median, min and max events/s (wall clock) over
the rounds, and the median events per CPU second of the process (steadier on a shared machine).

    .venv/bin/python bench/epcis_validate.py [--rounds 5] [--seconds 0.6] [--json out.json]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import platform
import statistics
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema  # type: ignore[import-untyped]
import orjson

from foodtrace.epcis.document import parse_document
from foodtrace.epcis.schema import load_schema
from foodtrace.epcis.validate import schema_problems, validate_document

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "epcis"
EXAMPLE = DATA / "examples" / "Example_9.6.1-ObjectEvent.jsonld"

Check = Callable[[Any], bool]


def make_docs(events_per_doc: int, n_docs: int, serial: int) -> list[dict[str, Any]]:
    base = orjson.loads(EXAMPLE.read_bytes())
    first = base["epcisBody"]["eventList"][0]
    docs = []
    for _ in range(n_docs):
        doc = copy.deepcopy(base)
        events = []
        for _ in range(events_per_doc):
            event = copy.deepcopy(first)
            digest = hashlib.sha256(str(serial).encode()).hexdigest()
            event["eventID"] = f"ni:///sha-256;{digest}?ver=CBV2.0"
            event["epcList"] = [f"urn:epc:id:sgtin:0614141.107346.{serial + i}" for i in range(4)]
            serial += 4
            events.append(event)
        doc["epcisBody"]["eventList"] = events
        docs.append(doc)
    return docs


def contenders() -> dict[str, Check]:
    schema = load_schema()
    reference = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    compiled = fastjsonschema.compile(schema)

    def fast(doc: Any) -> bool:
        try:
            compiled(doc)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return {
        "foodtrace validate_document": lambda doc: not validate_document(doc),
        "foodtrace schema layer": lambda doc: not schema_problems(doc),
        "jsonschema Draft7Validator+format": reference.is_valid,
        "fastjsonschema": fast,
    }


def check_verdicts(checks: dict[str, Check]) -> None:
    valid = sorted((DATA / "examples").glob("*.jsonld"))
    invalid = sorted((DATA / "invalid").glob("*.json"))
    assert (len(valid), len(invalid)) == (22, 15)
    # The five *_all_possible_fields.jsonld pass the schema but break EPCIS rules (min > mean,
    # sensor times after the eventTime, ...): the full validator refuses them on purpose.
    coverage = {p for p in valid if p.name.endswith("_all_possible_fields.jsonld")}
    for name, check in checks.items():
        for path in valid + invalid:
            expected = path in valid and not (
                name.endswith("validate_document") and path in coverage
            )
            got = check(orjson.loads(path.read_bytes()))
            assert got == expected, f"{name} says {got} for {path.name}"
    print("verdicts: all contenders accept the 22 GS1 examples and refuse the 15 invalid files")
    print("          (validate_document also refuses the 5 field-coverage examples, by rule)")


def run_for(check: Check, docs: list[dict[str, Any]], seconds: float) -> tuple[int, float, float]:
    """Validate round-robin for ``seconds``: (documents, wall seconds, CPU seconds)."""
    n, i, start, cpu = 0, 0, time.perf_counter(), time.process_time()
    while True:
        check(docs[i])
        n += 1
        i = (i + 1) % len(docs)
        if n % 4 == 0 and time.perf_counter() - start >= seconds:
            return n, time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=0.6, help="time per case per round")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    start = time.perf_counter()
    checks = contenders()
    print(f"built validators in {(time.perf_counter() - start) * 1000:.0f} ms")
    check_verdicts(checks)

    docs = {1: make_docs(1, 400, 10**6), 100: make_docs(100, 5, 10**8)}
    for per_doc, sample in docs.items():
        for name, check in checks.items():
            assert all(check(doc) for doc in sample[:5]), (name, per_doc)
    size = {k: len(orjson.dumps(v[0])) for k, v in docs.items()}
    print(f"documents: 1 event = {size[1]:,} B, 100 events = {size[100]:,} B")

    cases = [(name, per_doc) for per_doc in docs for name in checks]
    cases.append(("(model) parse_document", 100))
    funcs: dict[str, Check] = {
        **checks,
        "(model) parse_document": lambda d: bool(parse_document(d)),
    }
    for name, per_doc in cases:  # warm-up
        run_for(funcs[name], docs[per_doc], 0.1)
    samples: dict[tuple[str, int], list[float]] = {case: [] for case in cases}
    cpu_samples: dict[tuple[str, int], list[float]] = {case: [] for case in cases}
    for _ in range(args.rounds):
        for name, per_doc in cases:
            n, elapsed, cpu = run_for(funcs[name], docs[per_doc], args.seconds)
            samples[(name, per_doc)].append(n * per_doc / elapsed)
            cpu_samples[(name, per_doc)].append(n * per_doc / cpu)

    print(
        f"\nPython {platform.python_version()}, jsonschema {version('jsonschema')}, "
        f"fastjsonschema {version('fastjsonschema')}, jsonschema-rs {version('jsonschema-rs')}, "
        f"{args.rounds} rounds × {args.seconds} s per case"
    )
    header = ("contender", "events/doc", "median events/s", "min", "max", "per CPU-s")
    print("{:36s} {:>10s} {:>16s} {:>9s} {:>9s} {:>10s}".format(*header))
    results = []
    for (name, per_doc), values in samples.items():
        median = statistics.median(values)
        cpu = statistics.median(cpu_samples[(name, per_doc)])
        row = (name, per_doc, median, min(values), max(values), cpu)
        print("{:36s} {:>10d} {:>16,.0f} {:>9,.0f} {:>9,.0f} {:>10,.0f}".format(*row))
        results.append(
            dict(
                zip(
                    ("contender", "events_per_doc", "median", "min", "max", "per_cpu_second"),
                    row,
                    strict=True,
                )
            )
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
