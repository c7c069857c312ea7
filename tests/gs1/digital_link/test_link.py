"""Tests for foodtrace.gs1.digital_link.link: parsing, building and the canonical form."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.exceptions import ApplicationIdentifierError, CheckDigitError, DigitalLinkError
from foodtrace.gs1.ai import CSET82, AIValue
from foodtrace.gs1.checkdigit import with_check_digit
from foodtrace.gs1.digital_link import DigitalLink, parse_digital_link

GTIN = "09521234543213"


def test_full_gtin_link() -> None:
    link = parse_digital_link(f"https://id.gs1.org/01/{GTIN}/10/ABC123/21/12345")
    assert link.primary == AIValue("01", GTIN)
    assert link.qualifiers == (AIValue("10", "ABC123"), AIValue("21", "12345"))
    assert link.attributes == ()
    assert link.other_params == ()
    assert link.domain == "https://id.gs1.org"
    assert link.path_prefix == ""
    assert link.element_string() == f"(01){GTIN}(10)ABC123(21)12345"
    assert link.to_uri() == f"https://id.gs1.org/01/{GTIN}/10/ABC123/21/12345"


def test_query_attributes_and_other_params() -> None:
    uri = f"https://brand.example.com/products/01/{GTIN}/10/ABC123?17=261231&linkType=gs1:pip&3103=001250"
    link = parse_digital_link(uri)
    assert link.domain == "https://brand.example.com"
    assert link.path_prefix == "/products"
    assert link.attributes == (AIValue("17", "261231"), AIValue("3103", "001250"))
    assert link.other_params == (("linkType", "gs1:pip"),)
    assert link.element_string() == f"(01){GTIN}(10)ABC123(17)261231(3103)001250"
    assert link.to_uri() == (
        f"https://brand.example.com/products/01/{GTIN}/10/ABC123"
        "?17=261231&3103=001250&linkType=gs1%3Apip"
    )
    assert link.to_uri(domain="https://example.org/") == (
        f"https://example.org/01/{GTIN}/10/ABC123?17=261231&3103=001250&linkType=gs1%3Apip"
    )
    assert (
        link.to_uri(with_query=False) == f"https://brand.example.com/products/01/{GTIN}/10/ABC123"
    )
    assert link.canonical().to_uri() == f"https://id.gs1.org/01/{GTIN}/10/ABC123"


@pytest.mark.parametrize(
    ("uri", "elements"),
    [
        ("https://id.gs1.org/00/106141412345678908", "(00)106141412345678908"),
        ("https://id.gs1.org/414/4012345000054/254/122", "(414)4012345000054(254)122"),
        ("https://id.gs1.org/417/4000001000005", "(417)4000001000005"),
        ("https://id.gs1.org/8003/0401234566666387", "(8003)0401234566666387"),
        ("https://id.gs1.org/8004/4012345ABC345", "(8004)4012345ABC345"),
        ("https://id.gs1.org/8006/040123451234560102/21/981", "(8006)040123451234560102(21)981"),
        (
            "https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234",
            "(8010)061414111111111111111-A#/(8011)1234",
        ),
        ("https://id.gs1.org/8017/401234500000000074", "(8017)401234500000000074"),
        ("https://id.gs1.org/8018/401234500000067657", "(8018)401234500000067657"),
        ("https://id.gs1.org/253/4012345000092PO-4711", "(253)4012345000092PO-4711"),
        ("https://id.gs1.org/255/401234599999044", "(255)401234599999044"),
        ("https://id.gs1.org/401/0614141xyz47%2F11", "(401)0614141xyz47/11"),
        ("https://id.gs1.org/402/40123452223334442", "(402)40123452223334442"),
        (
            f"https://id.gs1.org/01/{GTIN}/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
            f"(01){GTIN}(235)51qIgY)<&Jp3*j7'SDB",
        ),
        (
            f"https://id.gs1.org/01/{GTIN}/21/6789%2F%26%25%22%21%3F%28%29",
            f'(01){GTIN}(21)6789/&%"!?()',
        ),
    ],
)
def test_every_key_parses_and_round_trips(uri: str, elements: str) -> None:
    link = parse_digital_link(uri)
    assert link.element_string() == elements
    assert link.to_uri() == uri
    assert link.canonical() is link


@pytest.mark.parametrize(
    ("short", "padded"),
    [
        ("95012346", "00000095012346"),  # GTIN-8
        ("614141123452", "00614141123452"),  # GTIN-12
        ("9521234543213", GTIN),  # GTIN-13
    ],
)
def test_short_gtins_are_padded(short: str, padded: str) -> None:
    link = parse_digital_link(f"https://id.gs1.org/01/{short}")
    assert link.primary == AIValue("01", padded)
    assert DigitalLink.build("01", short).primary.value == padded


def test_aliases_are_accepted_on_input() -> None:
    link = parse_digital_link(f"https://example.com/gtin/{GTIN}/lot/ABC/ser/1")
    assert link.to_uri() == f"https://example.com/01/{GTIN}/10/ABC/21/1"
    assert parse_digital_link("https://example.com/sscc/106141412345678908").primary.ai == "00"
    assert parse_digital_link("https://example.com/gln/4012345000054/glnx/1").qualifiers == (
        AIValue("254", "1"),
    )


def test_canonical_keeps_the_finest_level() -> None:
    cases = {
        f"/01/{GTIN}/22/CPV/10/L/21/S": f"/01/{GTIN}/21/S",
        f"/01/{GTIN}/10/L/21/S": f"/01/{GTIN}/21/S",
        f"/01/{GTIN}/22/CPV/10/L": f"/01/{GTIN}/10/L",
        f"/01/{GTIN}/22/CPV": f"/01/{GTIN}",
        f"/01/{GTIN}/235/T": f"/01/{GTIN}/235/T",
        "/8006/040123451234560102/22/C/10/L": "/8006/040123451234560102/10/L",
        "/8006/040123451234560102/10/L/21/S": "/8006/040123451234560102/21/S",
        "/414/4012345000054/254/7": "/414/4012345000054/254/7",
        "/8010/4012345ABC/8011/123": "/8010/4012345ABC/8011/123",
    }
    for path, canonical in cases.items():
        link = parse_digital_link(f"http://shop.example/x/y{path}?15=240101&linkType=all#frag")
        assert link.canonical().to_uri() == "https://id.gs1.org" + canonical
        assert link.canonical_uri() == "https://id.gs1.org" + canonical


def test_trailing_slash_is_tolerated() -> None:
    assert parse_digital_link(f"https://id.gs1.org/01/{GTIN}/").primary.value == GTIN


@pytest.mark.parametrize(
    ("uri", "error", "words"),
    [
        ("ftp://id.gs1.org/01/09521234543213", DigitalLinkError, "must start with https://"),
        ("https:///01/09521234543213", DigitalLinkError, "no host"),
        ("https://id.gs1.org", DigitalLinkError, "no host or no path"),
        ("https://id.gs1.org/", DigitalLinkError, "no primary key"),
        ("https://example.com/po/12345678", DigitalLinkError, "'po' is not a primary key"),
        ("https://id.gs1.org/01/09521234543214", CheckDigitError, "expected 3"),
        ("https://id.gs1.org/01/0952123454321X", ApplicationIdentifierError, "contains 'X'"),
        ("https://id.gs1.org/01/095212345432131", ApplicationIdentifierError, "length 15"),
        ("https://id.gs1.org/01/09521234543213/21/1/10/L", DigitalLinkError, "22→10→21 or 235"),
        ("https://id.gs1.org/01/09521234543213/10/L/235/T", DigitalLinkError, "order"),
        ("https://id.gs1.org/01/09521234543213/21/1/21/2", DigitalLinkError, "order"),
        ("https://id.gs1.org/00/106141412345678908/21/1", DigitalLinkError, "takes no key qual"),
        ("https://id.gs1.org/414/4012345000054/7040/1AB-/254/1", DigitalLinkError, "254 or 7040"),
        ("https://id.gs1.org/01/09521234543213/17/261231", DigitalLinkError, "'17' is not"),
        (
            "https://id.gs1.org/01/09521234543213/999/x",
            ApplicationIdentifierError,
            "unknown application identifier '999'",
        ),
        (
            "https://id.gs1.org/01/09521234543213?999=1",
            ApplicationIdentifierError,
            "unknown application identifier '999'",
        ),
        ("https://id.gs1.org/01/09521234543213?17=261331", ApplicationIdentifierError, "month 13"),
        ("https://id.gs1.org/01/09521234543213?21=1", DigitalLinkError, "must be in the path"),
        ("https://id.gs1.org/01/09521234543213?17=261231&17=261230", DigitalLinkError, "twice"),
        ("https://id.gs1.org/01/09521234543213/10/A%2", DigitalLinkError, "malformed percent"),
        ("https://id.gs1.org/01/09521234543213/10/A%FF", DigitalLinkError, "not UTF-8"),
        (
            "https://id.gs1.org/01/09521234543213/10/caf%C3%A9",
            ApplicationIdentifierError,
            "contains 'é'",
        ),
    ],
)
def test_errors(uri: str, error: type[Exception], words: str) -> None:
    with pytest.raises(error) as info:
        parse_digital_link(uri)
    assert words in str(info.value)


def test_direct_construction_validates() -> None:
    with pytest.raises(DigitalLinkError, match="not a GS1 Digital Link primary key"):
        DigitalLink(AIValue("10", "ABC"))
    with pytest.raises(ApplicationIdentifierError, match="unknown"):
        DigitalLink(AIValue("998", "ABC"))
    with pytest.raises(DigitalLinkError, match="trailing slash"):
        DigitalLink(AIValue("01", GTIN), domain="https://id.gs1.org/")
    with pytest.raises(DigitalLinkError, match="path prefix"):
        DigitalLink(AIValue("01", GTIN), path_prefix="x")


def test_build() -> None:
    link = DigitalLink.build(
        "01",
        GTIN,
        [("10", "ABC/1")],
        {"17": "261231"},
        {"linkType": "gs1:traceability"},
        domain="https://brand.example/p/",
    )
    assert link.path_prefix == "/p"
    assert link.to_uri() == (
        f"https://brand.example/p/01/{GTIN}/10/ABC%2F1?17=261231&linkType=gs1%3Atraceability"
    )
    assert parse_digital_link(link.to_uri()) == link
    assert str(link) == link.to_uri()


_SERIALS = st.text(alphabet=sorted(CSET82), min_size=1, max_size=20)


@settings(deadline=None, max_examples=80)
@given(
    body=st.text(alphabet="0123456789", min_size=13, max_size=13),
    lot=st.none() | _SERIALS,
    serial=st.none() | _SERIALS,
    expiry=st.none() | st.dates().map(lambda d: d.strftime("%y%m%d")),
    link_type=st.none() | st.text(min_size=1, max_size=12),
)
def test_build_parse_round_trip(
    body: str, lot: str | None, serial: str | None, expiry: str | None, link_type: str | None
) -> None:
    qualifiers = [(ai, v) for ai, v in (("10", lot), ("21", serial)) if v is not None]
    link = DigitalLink.build(
        "01",
        with_check_digit(body),
        qualifiers,
        {"17": expiry} if expiry else {},
        {"linkType": link_type} if link_type else {},
    )
    uri = link.to_uri()
    assert parse_digital_link(uri) == link
    assert parse_digital_link(link.canonical().to_uri()) == link.canonical()
    assert "?" not in link.canonical().to_uri()
