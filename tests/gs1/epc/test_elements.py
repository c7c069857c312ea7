"""EPC ↔ GS1 element strings (AI pairs), both directions, with check digits."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.epc_crosscheck import random_case
from foodtrace.exceptions import ApplicationIdentifierError, CheckDigitError, EPCURIError
from foodtrace.gs1.epc import (
    decode_hex,
    encode,
    from_ai,
    from_digital_link,
    parse_element_string,
    parse_uri,
)
from foodtrace.gs1.epc.elements import ai_pairs

KEYED_FAMILIES = ["sgtin", "sscc", "sgln", "grai", "giai", "gsrn", "gsrnp", "gdti", "sgcn", "cpi",
                  "itip"]  # fmt: skip


@pytest.mark.parametrize(
    ("uri", "pairs"),
    [
        ("urn:epc:id:sgtin:0614141.812345.6789", (("01", "80614141123458"), ("21", "6789"))),
        ("urn:epc:id:sscc:0614141.1234567890", (("00", "106141412345678908"),)),
        ("urn:epc:id:sgln:0614141.12345.5678", (("414", "0614141123452"), ("254", "5678"))),
        ("urn:epc:id:sgln:0012345.11111.0", (("414", "0012345111112"),)),
        ("urn:epc:id:grai:0614141.12345.5678", (("8003", "006141411234525678"),)),
        ("urn:epc:id:giai:0614141.32a%2Fb", (("8004", "061414132a/b"),)),
        ("urn:epc:id:gsrn:0614141.1234567890", (("8018", "061414112345678902"),)),
        ("urn:epc:id:gsrnp:0614141.1234567890", (("8017", "061414112345678902"),)),
        ("urn:epc:id:gdti:0614141.12345.5678", (("253", "06141411234525678"),)),
        ("urn:epc:id:sgcn:4012345.67890.04711", (("255", "401234567890104711"),)),
        ("urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345",
         (("8010", "06141415PQ7/Z43"), ("8011", "12345"))),
        ("urn:epc:id:itip:4012345.012345.01.02.981",
         (("8006", "040123451234560102"), ("21", "981"))),
        ("urn:epc:id:gid:31415.271828.1414", ()),
        ("urn:epc:id:usdod:CAGEY.5678", ()),
    ],
)  # fmt: skip
def test_ai_pairs(uri: str, pairs: tuple[tuple[str, str], ...]) -> None:
    assert parse_uri(uri).ai == pairs


def test_element_string_parse_and_gtin_padding() -> None:
    pairs = parse_element_string("(01)80614141123458(21)6789")
    assert pairs == (("01", "80614141123458"), ("21", "6789"))
    assert from_ai(pairs, 7).uri == "urn:epc:id:sgtin:0614141.812345.6789"
    # a serial may contain parentheses: only "(<known AI>)" starts a new element
    assert parse_element_string("(01)80614141123458(21)a(b)c") == (
        ("01", "80614141123458"), ("21", "a(b)c"),
    )  # fmt: skip
    # GTIN-13 is padded to 14 digits (indicator 0)
    assert from_ai([("01", "0614141123452"), ("21", "1")], 7).uri == (
        "urn:epc:id:sgtin:0614141.012345.1"
    )
    # a GLN without (254) is the SGLN with extension 0
    assert from_ai([("414", "0012345111112")], 7).uri == "urn:epc:id:sgln:0012345.11111.0"


def test_from_ai_scheme_and_filter() -> None:
    epc = from_ai([("01", "80614141123458"), ("21", "6789")], 7, scheme="sgtin-198", filter=3)
    assert epc.tag_uri == "urn:epc:tag:sgtin-198:3.0614141.812345.6789"
    assert from_ai([("01", "80614141123458"), ("21", "6789")], 7).tag_uri == (
        "urn:epc:tag:sgtin-96:0.0614141.812345.6789"
    )


@pytest.mark.parametrize(
    ("pairs", "cp_length", "error", "message"),
    [
        ([("01", "80614141123458")], 7, ApplicationIdentifierError, r"AI \(21\) is required"),
        ([("01", "8061414112345")], 7, CheckDigitError, "expected"),
        ([("01", "80614141123458"), ("21", "1")], 5, ApplicationIdentifierError, "6 to 12"),
        ([("10", "LOT")], 7, ApplicationIdentifierError, "no AI that an EPC is made from"),
        ([("8003", "00614141123452")], 7, ApplicationIdentifierError, "'0', the 13-digit"),
        ([("253", "0614141123452")], 7, ApplicationIdentifierError, "no serial component"),
        ([("8006", "0401234512345601")], 7, ApplicationIdentifierError, "must be 18 digits"),
        ([("00", "10614141234567890")], 7, ApplicationIdentifierError, "must be 18 digits"),
    ],
)
def test_from_ai_errors(
    pairs: list[tuple[str, str]], cp_length: int, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        from_ai(pairs, cp_length)


def test_element_string_parse_errors() -> None:
    with pytest.raises(ApplicationIdentifierError, match="starts with"):
        parse_element_string("01)123")
    with pytest.raises(ApplicationIdentifierError, match="unknown or unsupported AI '99'"):
        parse_element_string("(99)123")


@settings(max_examples=200, deadline=None)
@given(family=st.sampled_from(KEYED_FAMILIES), rnd=st.randoms(use_true_random=False))
def test_ai_round_trip(family: str, rnd: random.Random) -> None:
    case = random_case(rnd, family)
    epc = decode_hex(encode(case.tag_uri))
    cp_length = len(epc.values[0])
    back = from_ai(epc.ai, cp_length, scheme=epc.scheme, filter=epc.filter)
    assert back == epc
    assert parse_element_string(epc.element_string) == epc.ai or "(" in "".join(epc.values[1:])
    assert ai_pairs(family, epc.values) == epc.ai


def test_from_digital_link() -> None:
    link = "https://id.gs1.org/01/80614141123458/21/6789"
    assert from_digital_link(link, 7) == parse_uri("urn:epc:id:sgtin:0614141.812345.6789")
    assert from_digital_link(link, 7, scheme="sgtin-198", filter=3).tag_uri == (
        "urn:epc:tag:sgtin-198:3.0614141.812345.6789"
    )
    assert from_digital_link("https://example.com/414/0012345111112", 7).uri == (
        "urn:epc:id:sgln:0012345.11111.0"
    )
    assert decode_hex(encode("urn:epc:id:sgtin:0614141.812345.6789")).digital_link() == link
    with pytest.raises(CheckDigitError, match="check digit 9, expected 8"):
        from_digital_link("https://id.gs1.org/01/80614141123459/21/6789", 7)
    with pytest.raises(EPCURIError, match="not a single EPC"):
        from_digital_link("https://id.gs1.org/01/80614141123458", 7)


@settings(max_examples=200, deadline=None)
@given(family=st.sampled_from(KEYED_FAMILIES), rnd=st.randoms(use_true_random=False))
def test_digital_link_round_trip(family: str, rnd: random.Random) -> None:
    epc = decode_hex(encode(random_case(rnd, family).tag_uri))
    if family == "itip" and not 1 <= int(epc.values[2]) <= int(epc.values[3]):
        # TDS encodes any two digits; GS1 AI (8006) needs 1 <= piece <= total.
        with pytest.raises(EPCURIError, match="piece"):
            epc.digital_link()
        assert epc.to_dict()["digital_link"] is None
        return
    link = epc.digital_link()
    assert epc.to_dict()["digital_link"] == link
    assert from_digital_link(link, len(epc.values[0]), scheme=epc.scheme, filter=epc.filter) == epc
