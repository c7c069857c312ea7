"""Tests for foodtrace.gs1.digital_link.epc: EPC URI ↔ Digital Link and canonical identifiers."""

from __future__ import annotations

from typing import Any

import pytest
from epcpy.utils.parsers import epc_pure_identity_to_scheme
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.exceptions import DigitalLinkError, EPCURIError
from foodtrace.gs1.digital_link import (
    canonical_identifier,
    digital_link_to_epc,
    epc_to_digital_link,
    epc_to_digital_link_value,
    parse_digital_link,
)

# GS1 Tag Data Standard 1.13, §E.3 (every scheme with a GS1 key): EPC URI → element string.
TDS_E3 = [
    ("urn:epc:id:sgtin:0614141.812345.6789", "(01)80614141123458(21)6789"),
    ("urn:epc:id:sgtin:0614141.712345.32a%2Fb", "(01)70614141123451(21)32a/b"),
    ("urn:epc:id:sscc:0614141.1234567890", "(00)106141412345678908"),
    ("urn:epc:id:sgln:0614141.12345.5678", "(414)0614141123452(254)5678"),
    ("urn:epc:id:sgln:0614141.12345.32a%2Fb", "(414)0614141123452(254)32a/b"),
    ("urn:epc:id:grai:0614141.12345.5678", "(8003)006141411234525678"),
    ("urn:epc:id:grai:0614141.12345.32a%2Fb", "(8003)0061414112345232a/b"),
    ("urn:epc:id:giai:0614141.5678", "(8004)06141415678"),
    ("urn:epc:id:giai:0614141.32a%2Fb", "(8004)061414132a/b"),
    ("urn:epc:id:gsrn:0614141.1234567890", "(8018)061414112345678902"),
    ("urn:epc:id:gsrnp:0614141.1234567890", "(8017)061414112345678902"),
    ("urn:epc:id:gdti:0614141.12345.5678", "(253)06141411234525678"),
    ("urn:epc:id:gdti:4012345.98765.ABCDefgh012345678", "(253)4012345987652ABCDefgh012345678"),
    ("urn:epc:id:cpi:0614141.98765.12345", "(8010)061414198765(8011)12345"),
    ("urn:epc:id:cpi:0614141.5PQ7%2FZ43.12345", "(8010)06141415PQ7/Z43(8011)12345"),
    ("urn:epc:id:sgcn:4012345.67890.04711", "(255)401234567890104711"),
    ("urn:epc:id:itip:4012345.012345.01.02.981", "(8006)040123451234560102(21)981"),
    ("urn:epc:id:itip:4012345.012345.01.02.mw133", "(8006)040123451234560102(21)mw133"),
]


@pytest.mark.parametrize(("urn", "elements"), TDS_E3)
def test_tds_annex_e3(urn: str, elements: str) -> None:
    link = epc_to_digital_link_value(urn)
    assert link.element_string() == elements
    uri = epc_to_digital_link(urn)
    assert parse_digital_link(uri) == link
    assert digital_link_to_epc(uri, len(urn.split(":")[4].split(".")[0])) == urn


@pytest.mark.parametrize(
    ("urn", "words"),
    [
        ("urn:epc:id:gid:31415.271828.1414", "not an EPC URI of a scheme that carries a GS1 key"),
        ("urn:epc:id:sgtin:4012345.01111.1", "must have 13 digits together, got 12"),
        ("urn:epc:id:sgtin:12345.0111111.1", "Company Prefix '12345' must be 6 to 12 digits"),
        ("urn:epc:id:sgtin:4012345.011111", "expected 3 dot-separated fields"),
        ("urn:epc:id:sgtin:4012345.011111.", "serial is empty"),
        ("urn:epc:id:sgtin:4012345.011111.a/b", "contains '/'"),
        ("urn:epc:id:sgtin:4012345.011111.a%2", "malformed percent-escape"),
        ("urn:epc:id:sgtin:4012345.011111." + "1" * 21, "length 21"),
        ("urn:epc:id:cpi:0614141.abc.1", "contains 'a'"),
        ("urn:epc:id:cpi:0614141.ABC.x", "serial 'x' must be digits"),
        ("urn:epc:id:sscc:0614141.123456789", "17 digits together"),
        ("urn:epc:idpat:sgtin:0614141.812345.6789", "last field is '*'"),
        ("urn:epc:id:itip:4012345.012345.1.02.1", "2 digits each"),
    ],
)
def test_bad_epc_uris(urn: str, words: str) -> None:
    with pytest.raises(EPCURIError) as info:
        epc_to_digital_link(urn)
    assert words in str(info.value)
    assert repr(urn) in str(info.value)


@pytest.mark.parametrize(
    ("uri", "n", "urn"),
    [
        ("https://id.gs1.org/01/80614141123458/21/6789", 7, "urn:epc:id:sgtin:0614141.812345.6789"),
        (
            "https://id.gs1.org/01/80614141123458/10/L1/21/6789",
            7,
            "urn:epc:id:sgtin:0614141.812345.6789",
        ),
        (
            "https://id.gs1.org/01/04012345123456/10/Lot987",
            7,
            "urn:epc:class:lgtin:4012345.012345.Lot987",
        ),
        ("https://id.gs1.org/01/04054739999148", 7, "urn:epc:idpat:sgtin:4054739.099914.*"),
        (
            "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
            7,
            "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
        ),
        ("https://id.gs1.org/414/4012345000054", 7, "urn:epc:id:sgln:4012345.00005.0"),
        (
            "https://id.gs1.org/414/4012345000054/254/a%2Fb",
            7,
            "urn:epc:id:sgln:4012345.00005.a%2Fb",
        ),
        ("https://id.gs1.org/417/9999999999994", 12, "urn:epc:id:pgln:999999999999."),
        ("https://id.gs1.org/253/98765999999929", 12, "urn:epc:id:gdti:987659999999..9"),
        ("https://id.gs1.org/253/4012345555554", 7, "urn:epc:idpat:gdti:4012345.55555.*"),
        ("https://id.gs1.org/255/4012345999990", 7, "urn:epc:idpat:sgcn:4012345.99999.*"),
        ("https://id.gs1.org/8003/04012345666663", 7, "urn:epc:idpat:grai:4012345.66666.*"),
        ("https://id.gs1.org/8010/4012345ABC", 7, "urn:epc:idpat:cpi:4012345.ABC.*"),
        (
            "https://id.gs1.org/8006/040123451234560102",
            7,
            "urn:epc:idpat:itip:4012345.012345.01.02.*",
        ),
        ("https://id.gs1.org/401/0614141xyz47%2F11", 7, "urn:epc:id:ginc:0614141.xyz47%2F11"),
        ("https://id.gs1.org/402/40123452223334442", 7, "urn:epc:id:gsin:4012345.222333444"),
        (
            "https://brand.example/p/gtin/09521234543213/ser/1?17=261231",
            7,
            "urn:epc:id:sgtin:9521234.054321.1",
        ),
    ],
)
def test_digital_link_to_epc(uri: str, n: int, urn: str) -> None:
    assert digital_link_to_epc(uri, n) == urn
    assert digital_link_to_epc(parse_digital_link(uri), n) == urn


@pytest.mark.parametrize(
    ("uri", "n", "words"),
    [
        ("https://id.gs1.org/8004/4012345ABC345", 5, "must be 6 to 12, got 5"),
        ("https://id.gs1.org/8004/4012345", 7, "does not fit"),
        ("https://id.gs1.org/8004/40123AB", 6, "does not fit"),
        ("https://id.gs1.org/401/0614141", 7, "does not fit"),
        ("https://id.gs1.org/8013/ABC123", 7, "no EPC URI form"),
        ("https://id.gs1.org/8006/040123451234560102/10/L", 7, "8006 + 10"),
        ("https://id.gs1.org/417/4000001000005/7040/1AB-", 7, "key qualifier (7040)"),
        ("https://id.gs1.org/8018/401234500000067657/8019/12", 7, "key qualifier (8019)"),
    ],
)
def test_digital_link_to_epc_errors(uri: str, n: int, words: str) -> None:
    with pytest.raises(DigitalLinkError) as info:
        digital_link_to_epc(uri, n)
    assert words in str(info.value)


def _epcpy_element_string(urn: str) -> str:
    scheme: Any = epc_pure_identity_to_scheme(urn)
    return str(scheme.gs1_element_string())


def test_epcpy_agrees_on_element_strings() -> None:
    for urn, elements in TDS_E3:
        if urn.startswith("urn:epc:id:sgln:") and urn.endswith(".0"):
            continue  # epcpy writes (254)0; TDS says no extension
        assert _epcpy_element_string(urn) == elements


# --- round trips: EPC URI → Digital Link → EPC URI ------------------------------------------------

_CP_LEN = st.integers(min_value=6, max_value=12)
_URN_RAW = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!'()*+,-.:;=_"
_URN_SAFE = st.text(alphabet=_URN_RAW, max_size=6)
_ESCAPES = st.sampled_from(["%22", "%25", "%26", "%2F", "%3C", "%3E", "%3F"])


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


@st.composite
def _component(draw: st.DrawFn, max_chars: int) -> str:
    """An EPC URI component in canonical escaping with 1..max_chars decoded characters."""
    pieces = draw(st.lists(_URN_SAFE | _ESCAPES, min_size=1, max_size=max_chars))
    text, count = "", 0
    for piece in pieces:
        size = 1 if piece.startswith("%") else len(piece)
        if count + size > max_chars:
            break
        text, count = text + piece, count + size
    return text or "0"


@st.composite
def epc_uris(draw: st.DrawFn) -> tuple[str, int]:
    n = draw(_CP_LEN)
    cp = draw(_digits(n))
    scheme = draw(
        st.sampled_from(
            [
                "sgtin",
                "sscc",
                "sgln",
                "grai",
                "giai",
                "gsrn",
                "gsrnp",
                "gdti",
                "cpi",
                "sgcn",
                "ginc",
                "gsin",
                "itip",
                "upui",
                "pgln",
                "lgtin",
                "idpat-sgtin",
                "idpat-grai",
                "idpat-itip",
            ]
        )
    )
    ref12 = draw(_digits(12 - n))
    ir = draw(_digits(13 - n))
    if scheme == "sgtin":
        return f"urn:epc:id:sgtin:{cp}.{ir}.{draw(_component(20))}", n
    if scheme == "lgtin":
        return f"urn:epc:class:lgtin:{cp}.{ir}.{draw(_component(20))}", n
    if scheme == "upui":
        return f"urn:epc:id:upui:{cp}.{ir}.{draw(_component(28))}", n
    if scheme == "idpat-sgtin":
        return f"urn:epc:idpat:sgtin:{cp}.{ir}.*", n
    if scheme in ("sscc", "gsrn", "gsrnp"):
        return f"urn:epc:id:{scheme}:{cp}.{draw(_digits(17 - n))}", n
    if scheme == "gsin":
        return f"urn:epc:id:gsin:{cp}.{draw(_digits(16 - n))}", n
    if scheme == "pgln":
        return f"urn:epc:id:pgln:{cp}.{ref12}", n
    if scheme == "sgln":
        return f"urn:epc:id:sgln:{cp}.{ref12}.{draw(_component(20))}", n
    if scheme == "grai":
        return f"urn:epc:id:grai:{cp}.{ref12}.{draw(_component(16))}", n
    if scheme == "idpat-grai":
        return f"urn:epc:idpat:grai:{cp}.{ref12}.*", n
    if scheme == "gdti":
        return f"urn:epc:id:gdti:{cp}.{ref12}.{draw(_component(17))}", n
    if scheme == "sgcn":
        serial = draw(st.text("0123456789", min_size=1, max_size=12))
        return f"urn:epc:id:sgcn:{cp}.{ref12}.{serial}", n
    if scheme in ("giai", "ginc"):
        return f"urn:epc:id:{scheme}:{cp}.{draw(_component(30 - n))}", n
    if scheme == "cpi":
        ref = draw(st.text(alphabet="ABCXYZ0189-", min_size=1, max_size=30 - n - 6)) + "%23%2F"
        number = draw(st.integers(min_value=0, max_value=10**12 - 1))
        return f"urn:epc:id:cpi:{cp}.{ref}.{number}", n
    piece, total = draw(st.sampled_from([("01", "01"), ("01", "02"), ("02", "02"), ("05", "99")]))
    if scheme == "itip":
        return f"urn:epc:id:itip:{cp}.{ir}.{piece}.{total}.{draw(_component(20))}", n
    return f"urn:epc:idpat:itip:{cp}.{ir}.{piece}.{total}.*", n


@settings(deadline=None, max_examples=300)
@given(epc_uris())
def test_epc_uri_digital_link_round_trip(case: tuple[str, int]) -> None:
    urn, n = case
    uri = epc_to_digital_link(urn)
    if urn.startswith("urn:epc:id:sgln:") and urn.endswith(".0"):
        assert "/254/" not in uri
    assert digital_link_to_epc(uri, n) == urn
    assert canonical_identifier(urn) == uri
    assert canonical_identifier(uri) == uri
    assert digital_link_to_epc(epc_to_digital_link(urn, "https://brand.example/x"), n) == urn


@settings(deadline=None, max_examples=100)
@given(epc_uris())
def test_epcpy_agrees_on_random_pure_identities(case: tuple[str, int]) -> None:
    urn, _ = case
    # epcpy writes (254)0 for SGLN, and mis-decodes escapes ('%2F0' fails, '%22%22' counts as
    # 6 characters): compare only where it is right.
    if (
        not urn.startswith("urn:epc:id:")
        or urn.startswith(("urn:epc:id:sgln:", "urn:epc:id:upui:"))
        or "%" in urn
    ):
        return
    assert epc_to_digital_link_value(urn).element_string() == _epcpy_element_string(urn)
