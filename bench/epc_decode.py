"""Benchmark: EPC decode/encode rates of foodtrace.gs1.epc beside epcpy 0.1.8 and pyepc 0.5.0.

Contenders, each over the same N distinct random valid values (no caching anywhere):

  SGTIN-96 hex -> pure-identity URN (the reader-feed hot path; values as in
  shared/notes/limits/epc_decode.py: random partition 0-6, company prefix, item reference,
  38-bit serial, filter):
    ours   decode_hex(h).uri
    epcpy  hex_to_tag_encodable(h).epc_uri            (generic, dispatches on the header)
    epcpy  SGTIN.from_hex(h).epc_uri                  (scheme known in advance)
    pyepc  decode(h).pure_identity_uri
  SGTIN-198 hex (52 digits) -> URN, serials of 1-20 letters/digits (pyepc does not escape
  URI characters and epcpy mis-parses some escapes, so the serials avoid them):
    ours / epcpy hex_to_tag_encodable / pyepc decode
  SGTIN-96 tag URI -> hex:
    ours   encode(tag_uri)
    epcpy  SGTIN(urn).hex(binary_coding_scheme=SGTIN_96, filter_value=…)
    pyepc  SGTIN(cp, indicator, item_ref, serial).encode()  (filter fixed by the class default)

Every contender's output is first checked against the expected value for all N inputs. Then the
contenders run interleaved, one pass each per round, and the table shows median, min and max
over the rounds, and each figure as a multiple of the epcpy generic decoder (decodes) or epcpy
encoder (encodes) measured in the same run.

    .venv/bin/python bench/epc_decode.py               # N = 100,000, 5 rounds (~40 s)
    .venv/bin/python bench/epc_decode.py --n 20000 --rounds 3
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import string
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyepc
from epcpy.epc_schemes.sgtin import SGTIN, SGTINFilterValue
from epcpy.utils.parsers import hex_to_tag_encodable

from foodtrace.gs1.epc import decode_hex, encode

_SGTIN_CP_BITS = (40, 37, 34, 30, 27, 24, 20)


@dataclass(frozen=True, slots=True)
class Value:
    hex: str
    urn: str
    tag_uri: str
    cp: str
    item: str
    serial: str
    filter: int


def sgtin96_values(n: int, seed: int) -> list[Value]:
    """Distinct random valid SGTIN-96 EPCs, built from the TDS layout directly."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    out: list[Value] = []
    while len(out) < n:
        partition = rnd.randint(0, 6)
        digits = 12 - partition
        cp = rnd.randrange(10**digits)
        item = rnd.randrange(10 ** (13 - digits))
        serial = rnd.randrange(1 << 38)
        filt = rnd.randint(0, 7)
        value = (0x30 << 88) | (filt << 85) | (partition << 82)
        value |= (cp << (82 - _SGTIN_CP_BITS[partition])) | (item << 38) | serial
        hex_text = f"{value:024X}"
        if hex_text in seen:
            continue
        seen.add(hex_text)
        cp_s, item_s = f"{cp:0{digits}d}", f"{item:0{13 - digits}d}"
        urn = f"urn:epc:id:sgtin:{cp_s}.{item_s}.{serial}"
        tag = f"urn:epc:tag:sgtin-96:{filt}.{cp_s}.{item_s}.{serial}"
        out.append(Value(hex_text, urn, tag, cp_s, item_s, str(serial), filt))
    return out


def sgtin198_values(n: int, seed: int) -> list[Value]:
    """Distinct random SGTIN-198 EPCs with 1-20 character alphanumeric serials (52 hex digits)."""
    rnd = random.Random(seed + 1)
    alphabet = string.ascii_letters + string.digits
    out: list[Value] = []
    seen: set[str] = set()
    while len(out) < n:
        partition = rnd.randint(0, 6)
        digits = 12 - partition
        cp_s = "".join(rnd.choice(string.digits) for _ in range(digits))
        item_s = "".join(rnd.choice(string.digits) for _ in range(13 - digits))
        serial = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 20)))
        filt = rnd.randint(0, 7)
        tag = f"urn:epc:tag:sgtin-198:{filt}.{cp_s}.{item_s}.{serial}"
        hex_text = encode(tag)
        if hex_text in seen:
            continue
        seen.add(hex_text)
        urn = f"urn:epc:id:sgtin:{cp_s}.{item_s}.{serial}"
        out.append(Value(hex_text, urn, tag, cp_s, item_s, serial, filt))
    return out


_FILTERS = {int(f.value): f for f in SGTINFilterValue}


def _epcpy_encode(v: Value) -> str:
    return str(
        SGTIN(v.urn).hex(
            binary_coding_scheme=SGTIN.BinaryCodingScheme.SGTIN_96, filter_value=_FILTERS[v.filter]
        )
    )


def _pyepc_encode(v: Value) -> str:
    return str(pyepc.SGTIN(v.cp, v.item[0], v.item[1:], v.serial).encode())


Contender = tuple[str, Callable[[Value], str], Callable[[Value], str]]  # name, run, expected

DECODE_96: list[Contender] = [
    ("ours decode_hex(h).uri", lambda v: decode_hex(v.hex).uri, lambda v: v.urn),
    ("epcpy hex_to_tag_encodable(h).epc_uri", lambda v: hex_to_tag_encodable(v.hex).epc_uri,
     lambda v: v.urn),
    ("epcpy SGTIN.from_hex(h).epc_uri", lambda v: SGTIN.from_hex(v.hex).epc_uri, lambda v: v.urn),
    ("pyepc decode(h).pure_identity_uri", lambda v: pyepc.decode(v.hex).pure_identity_uri,
     lambda v: v.urn),
]  # fmt: skip
DECODE_198: list[Contender] = [
    ("ours decode_hex(h).uri [198]", lambda v: decode_hex(v.hex).uri, lambda v: v.urn),
    ("epcpy hex_to_tag_encodable(h).epc_uri [198]",
     lambda v: hex_to_tag_encodable(v.hex).epc_uri, lambda v: v.urn),
    ("pyepc decode(h).pure_identity_uri [198]", lambda v: pyepc.decode(v.hex).pure_identity_uri,
     lambda v: v.urn),
]  # fmt: skip
ENCODE_96: list[Contender] = [
    ("ours encode(tag_uri)", lambda v: encode(v.tag_uri), lambda v: v.hex),
    ("epcpy SGTIN(urn).hex(SGTIN_96, filter)", _epcpy_encode, lambda v: v.hex),
    # pyepc's class default filter is 1 (POS item); compare its hex with the filter bits set to 1
    ("pyepc SGTIN(...).encode() [filter 1]", _pyepc_encode,
     lambda v: f"{(int(v.hex, 16) & ~(7 << 85)) | (1 << 85):024X}"),
]  # fmt: skip


def check(contenders: list[Contender], values: list[Value]) -> None:
    for name, run, expected in contenders:
        bad = [(v.hex, run(v), expected(v)) for v in values if run(v) != expected(v)]
        status = "OK" if not bad else f"{len(bad)} WRONG, first {bad[0]}"
        print(f"check {name}: {len(values) - len(bad)}/{len(values)} {status}")
        if bad:
            raise SystemExit(f"{name} gives wrong results; not timing it")


def measure(
    groups: list[tuple[list[Contender], list[Value]]], rounds: int
) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {
        name: [] for contenders, _ in groups for name, _, _ in contenders
    }
    for _ in range(rounds):  # interleave so machine noise hits every contender alike
        for contenders, values in groups:
            for name, run, _ in contenders:
                t0 = time.perf_counter()
                for v in values:
                    run(v)
                rates[name].append(len(values) / (time.perf_counter() - t0))
    return rates


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    args = ap.parse_args()

    v96 = sgtin96_values(args.n, args.seed)
    v198 = sgtin198_values(args.n, args.seed)
    groups = [(DECODE_96, v96), (DECODE_198, v198), (ENCODE_96, v96)]
    for contenders, values in groups:
        check(contenders, values)
    rates = measure(groups, args.rounds)

    versions = {"python": platform.python_version(), "epcpy": version("epcpy"),
                "pyepc": version("pyepc")}  # fmt: skip
    print(f"\n{args.n:,} distinct values per set, {args.rounds} interleaved rounds; {versions}")
    print(f"{'contender':46s} {'median/s':>11s} {'min/s':>11s} {'max/s':>11s} {'vs epcpy':>9s}")
    results: list[dict[str, Any]] = []
    for contenders, _ in groups:
        baseline = statistics.median(rates[contenders[1][0]])
        for name, _, _ in contenders:
            r = rates[name]
            med = statistics.median(r)
            print(f"{name:46s} {med:11,.0f} {min(r):11,.0f} {max(r):11,.0f} {med / baseline:8.1f}x")
            results.append({"name": name, "median": med, "min": min(r), "max": max(r),
                            "runs": len(r), "vs_epcpy": med / baseline})  # fmt: skip
        print()
    if args.json:
        args.json.write_text(json.dumps({"n": args.n, "versions": versions, "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
