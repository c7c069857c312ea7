"""Our scheme tables against GS1 Tag Data Translation 2.2 (SGTIN-96/198, SSCC-96, SGLN-96, GRAI-96).

The TDT files give, per GS1 Company Prefix length, the binary pattern (header, partition bits,
field widths), digit lengths and maxima, and the URI regular expressions. Besides comparing the
numbers, random EPCs of these schemes must match the TDT patterns at every level.
"""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from bench.epc_crosscheck import random_case
from foodtrace.gs1.epc import decode_hex, encode
from foodtrace.gs1.epc.schemes import Kind, scheme_named
from tests.gs1.epc.data import load_json

TDT_FILES = ["SGTIN-96", "SGTIN-198", "SSCC-96", "SGLN-96", "GRAI-96"]


def _scheme(name: str) -> dict[str, Any]:
    doc: dict[str, Any] = load_json(f"tdt-2.2/{name}.json")
    return dict(doc["tdt:epcTagDataTranslation"]["scheme"])


def _level(tdt: dict[str, Any], kind: str) -> dict[str, Any]:
    (level,) = [lv for lv in tdt["level"] if lv["type"] == kind]
    return dict(level)


@pytest.mark.parametrize("name", TDT_FILES)
def test_header_length_and_partition_layouts_match_tdt(name: str) -> None:
    tdt = _scheme(name)
    ours = scheme_named(name)
    assert ours is not None
    assert tdt["tagLength"] == ours.bits
    binary = _level(tdt, "BINARY")
    assert binary["prefixMatch"] == f"{ours.header:08b}"
    assert len(binary["option"]) == 7
    for option in binary["option"]:
        digits = int(option["optionKey"])
        partition = 12 - digits
        # grammar: "'00110000' filter '101' gs1companyprefix itemref serial"
        assert f"filter '{partition:03b}'" in option["grammar"]
        tdt_fields = [f for f in option["field"] if f["name"] != "filter"]
        layout = [f for f in ours.layouts[partition] if f.kind is not Kind.ZERO]
        assert len(tdt_fields) == len(layout)
        for theirs, mine in zip(tdt_fields, layout, strict=True):
            assert theirs["bitLength"] == mine.bits, (name, digits, theirs["name"])
            if mine.kind is Kind.PADDED:
                assert theirs["length"] == mine.digits
                assert int(theirs["decimalMaximum"]) == mine.limit - 1
            elif mine.kind is Kind.INTEGER:
                assert int(theirs["decimalMaximum"]) == mine.limit - 1
            else:
                assert mine.kind is Kind.STRING7
                assert theirs["compaction"] == "7-bit"
                assert mine.digits == theirs["bitLength"] // 7
        # Reserved bits (SSCC-96): the pattern's widths must add up to the tag length.
        widths = sum(int(w) for w in re.findall(r"\{(\d+)\}", option["pattern"]))
        assert (
            8 + 3 + widths + sum(f.bits for f in ours.layouts[partition] if f.kind is Kind.ZERO)
            == ours.bits
        )


@pytest.mark.parametrize("name", TDT_FILES)
def test_random_epcs_match_tdt_patterns_at_every_level(name: str) -> None:
    tdt = _scheme(name)
    patterns = {
        kind: {int(o["optionKey"]): re.compile(o["pattern"]) for o in _level(tdt, kind)["option"]}
        for kind in ("BINARY", "TAG_ENCODING", "PURE_IDENTITY")
    }
    family = name.split("-")[0].lower()
    rnd = random.Random(f"tdt:{name}")
    seen = 0
    while seen < 300:
        case = random_case(rnd, family)
        if case.scheme != name.lower():
            continue
        seen += 1
        epc = decode_hex(encode(case.tag_uri))
        digits = len(dict(epc.fields)["company_prefix"])
        value, nbits = epc.binary
        bits = f"{value:0{nbits}b}"
        assert patterns["BINARY"][digits].match(bits), (case, bits)
        assert patterns["TAG_ENCODING"][digits].fullmatch(epc.tag_uri), epc.tag_uri
        assert patterns["PURE_IDENTITY"][digits].fullmatch(epc.uri), epc.uri
