"""Property tests with epcpy 0.1.8 as a dev-only oracle: random valid EPCs of every family.

For each random EPC (random scheme of the family, filter, partition, company prefix,
references, serials with URI-escaped characters) the tag URI, the hex, both decodes and the
element string must equal epcpy's - except where epcpy has a documented defect
(``bench/epc_crosscheck.py`` KNOWN_EPCPY_ISSUES, evidence in docs/epc-crosscheck.md). Our own
round trips (URN -> hex -> URN) are checked for every case, defects or not.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.epc_crosscheck import KNOWN_EPCPY_ISSUES, Case, compare, random_case
from foodtrace.gs1.epc import decode_hex, encode, parse_uri
from foodtrace.gs1.epc.schemes import FAMILIES


@settings(max_examples=400, deadline=None)
@given(family=st.sampled_from(sorted(FAMILIES)), rnd=st.randoms(use_true_random=False))
def test_same_as_epcpy_in_every_representation(family: str, rnd: random.Random) -> None:
    case = random_case(rnd, family)
    outcome = compare(case)
    assert outcome.mismatches == []
    assert outcome.known <= set(KNOWN_EPCPY_ISSUES)


@settings(max_examples=300, deadline=None)
@given(family=st.sampled_from(sorted(FAMILIES)), rnd=st.randoms(use_true_random=False))
def test_round_trips(family: str, rnd: random.Random) -> None:
    case = random_case(rnd, family)
    hex_text = encode(case.tag_uri)
    assert len(hex_text) % 4 == 0
    epc = decode_hex(hex_text)
    assert epc.uri == case.uri
    assert epc.tag_uri == case.tag_uri
    assert encode(epc.uri, scheme=epc.scheme, filter=epc.filter) == hex_text
    assert parse_uri(epc.tag_uri) == epc


def test_documented_epcpy_defects_are_real() -> None:
    """One case per documented defect, showing epcpy disagrees and we follow the standard."""
    sgln0 = compare(Case("sgln-96", 0, "urn:epc:id:sgln:0012345.11111.0"))
    assert sgln0.known == {"sgln-extension-0-element-string"}
    escape = compare(Case("sgtin-198", 0, "urn:epc:id:sgtin:0614141.812345.%3Fk"))
    assert escape.known == {"gs3a3-escape-parsing"}
    itip = compare(Case("itip-110", 0, "urn:epc:id:itip:4012345.012345.99.99.1"))
    assert itip.known == {"itip-piece-total-99"}
    colon = compare(Case("giai-202", 0, "urn:epc:id:giai:0614141.a:b"))
    assert colon.known == {"giai-colon-truncated"}
    length = compare(Case("grai-170", 0, "urn:epc:id:grai:0614141.12345.abcdefghijklmn%2F"))
    assert length.known == {"length-checked-on-escaped-text"}
    adi = compare(Case("adi-var", 3, "urn:epc:id:adi:35962.PQ7VZ4.M37GXB92"))
    assert adi.known == {"adi-unaligned-terminator"}
    for outcome in (sgln0, escape, itip, colon, length, adi):
        assert outcome.mismatches == []
