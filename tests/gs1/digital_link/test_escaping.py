"""Tests for foodtrace.gs1.digital_link.escaping: Digital Link vs EPC URI escaping."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.gs1.ai import CSET39, CSET82
from foodtrace.gs1.digital_link.escaping import (
    dl_decode,
    dl_encode,
    urn_escape,
    urn_escape_cpi,
    urn_unescape,
    urn_unescape_cpi,
)


def test_digital_link_encoding_of_every_set82_character() -> None:
    kept = "".join(ch for ch in sorted(CSET82) if dl_encode(ch) == ch)
    assert kept == "'-.0123456789;=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
    assert dl_encode('!"%&()*+,/:<>?') == "%21%22%25%26%28%29%2A%2B%2C%2F%3A%3C%3E%3F"
    assert dl_encode("é #") == "%C3%A9%20%23"


def test_epc_uri_escaping_follows_tds_table_a1() -> None:
    escaped = {ch: urn_escape(ch) for ch in sorted(CSET82) if urn_escape(ch) != ch}
    assert escaped == {
        '"': "%22",
        "%": "%25",
        "&": "%26",
        "/": "%2F",
        "<": "%3C",
        ">": "%3E",
        "?": "%3F",
    }
    assert urn_escape_cpi("11-A#/") == "11-A%23%2F"


def test_decoders() -> None:
    assert dl_decode("6789%2F%26%25%22%21%3F%28%29") == '6789/&%"!?()'
    assert urn_unescape("32a%2fb") == "32a/b"  # lower-case hex accepted on input
    assert urn_unescape_cpi("5PQ7%2FZ43") == "5PQ7/Z43"


@pytest.mark.parametrize(
    ("function", "text", "words"),
    [
        (dl_decode, "a%2", "malformed percent-escape"),
        (dl_decode, "a%G1", "malformed percent-escape"),
        (dl_decode, "%FF", "not UTF-8"),
        (urn_unescape, "a/b", "contains '/'"),
        (urn_unescape, 'a"b', "contains '\"'"),
        (urn_unescape, "a%7Eb", "decodes to '~'"),
        (urn_unescape_cpi, "abc", "contains 'a'"),
        (urn_unescape_cpi, "A%21", "decodes to '!'"),
    ],
)
def test_decoding_errors(function: Callable[[str], str], text: str, words: str) -> None:
    with pytest.raises(ValueError) as info:
        function(text)
    assert words in str(info.value)


_SET82 = st.text(alphabet=sorted(CSET82), max_size=30)


@settings(deadline=None, max_examples=100)
@given(value=_SET82)
def test_round_trips(value: str) -> None:
    assert dl_decode(dl_encode(value)) == value
    assert urllib.parse.unquote(dl_encode(value)) == value
    assert urn_unescape(urn_escape(value)) == value
    assert "/" not in dl_encode(value)
    assert "?" not in dl_encode(value)


@settings(deadline=None, max_examples=50)
@given(value=st.text(alphabet=sorted(CSET39), min_size=1, max_size=30))
def test_cpi_round_trip(value: str) -> None:
    assert urn_unescape_cpi(urn_escape_cpi(value)) == value


@settings(deadline=None, max_examples=50)
@given(value=st.text(max_size=20))
def test_any_text_survives_digital_link_encoding(value: str) -> None:
    assert dl_decode(dl_encode(value)) == value
