"""URI escaping of EPC components: TDS Table A-1 (set 82) and the 6-bit set (CPI, ADI)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.exceptions import EPCURIError
from foodtrace.gs1.epc.escape import (
    AI82,
    SIX_BIT,
    escape_6bit,
    escape_82,
    unescape_6bit,
    unescape_82,
)

TABLE_A1_ESCAPES = {
    '"': "%22",
    "%": "%25",
    "&": "%26",
    "/": "%2F",
    "<": "%3C",
    ">": "%3E",
    "?": "%3F",
}


def test_set_82_has_82_characters() -> None:
    assert len(AI82) == 82
    assert set(string.ascii_letters + string.digits) <= AI82
    assert set("!\"%&'()*+,-./:;<=>?_") <= AI82


@pytest.mark.parametrize("char", sorted(AI82))
def test_table_a1_uri_form_of_every_character(char: str) -> None:
    expected = TABLE_A1_ESCAPES.get(char, char)
    assert escape_82(char) == expected
    assert unescape_82(expected, "serial") == char


def test_escape_examples_from_the_standard() -> None:
    assert escape_82("32a/b") == "32a%2Fb"
    assert escape_82("%:.13&") == "%25:.13%26"
    assert escape_6bit("5PQ7/Z43") == "5PQ7%2FZ43"
    assert escape_6bit("#2WM/A52") == "%232WM%2FA52"


def test_lower_case_escape_digits_are_accepted() -> None:
    assert unescape_82("a%2fb%3c", "serial") == "a/b<"
    assert unescape_6bit("A%2fB%23", "part") == "A/B#"


@pytest.mark.parametrize(
    ("component", "message"),
    [
        ("a%41", "invalid percent-escape '%41'"),
        ("a%2", "invalid percent-escape '%2'"),
        ("a%ZZb", "invalid percent-escape '%ZZ'"),
        ("a/b", "invalid character '/'"),
        ("a b", "invalid character ' '"),
        ("a#b", "invalid character '#'"),
        ("ab\u00e9", "invalid character 'é'"),
    ],
)
def test_bad_set_82_components_are_rejected_naming_the_problem(
    component: str, message: str
) -> None:
    with pytest.raises(EPCURIError, match=message):
        unescape_82(component, "SGTIN serial")


@pytest.mark.parametrize(
    ("component", "message"), [("a1", "'a'"), ("A/B", "'/'"), ("A%25", "'%25'")]
)
def test_bad_6bit_components_are_rejected(component: str, message: str) -> None:
    with pytest.raises(EPCURIError, match=message):
        unescape_6bit(component, "CPI part reference")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=sorted(AI82), min_size=1, max_size=30))
def test_set_82_round_trip(text: str) -> None:
    uri_form = escape_82(text)
    assert set(uri_form) <= AI82 - set(TABLE_A1_ESCAPES) | {"%"}
    assert unescape_82(uri_form, "serial") == text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=sorted(SIX_BIT), min_size=1, max_size=30))
def test_6bit_round_trip(text: str) -> None:
    assert unescape_6bit(escape_6bit(text), "part") == text
