"""``uri`` and ``date-time``: the verdicts of the reference checkers (rfc3987, rfc3339)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import rfc3339_validator  # type: ignore[import-untyped]
import rfc3987  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.epcis.schema.formats import (
    _PLAIN_URI,
    _URI,
    date_time_key,
    is_date_time,
    is_uri,
    python_compatible,
)


def reference_uri(value: str) -> bool:
    """What jsonschema's FORMAT_CHECKER does for "uri" when rfc3987 is installed."""
    try:
        rfc3987.parse(value, rule="URI")
    except ValueError:
        return False
    return True


def reference_date_time(value: str) -> bool:
    """What jsonschema's FORMAT_CHECKER does for "date-time" (rfc3339-validator)."""
    return bool(rfc3339_validator.validate_rfc3339(value.upper()))


URI_PIECES = [
    "http://",
    "https://",
    "urn:epc:id:sgtin:",
    "urn:",
    "ni:///sha-256;",
    "example:",
    "a:",
    "//",
    "/",
    "?",
    "#",
    "[",
    "]",
    "::",
    "ffff:",
    "1.2.3.4",
    "01.2.3.4",
    "v1.x",
    "V1.x",
    "%41",
    "%4",
    "%zz",
    "@",
    ":80",
    ":",
    "user:pw@",
    "[::1]",
    "[1:2:3:4:5:6:7:8]",
    "[1::2:3.4.5.6]",
    "[::1.2.3.4]",
    "[fe80::1%25en0]",
    "id.gs1.org",
    "/01/09521141012345/21/2017",
    "0614141.",
    " ",
    "\n",
    "é",
    "٢",
    "\t",
    "|",
    "{",
    "}",
    "^",
    "`",
    '"',
    "<",
    ">",
    "\\",
]

uri_like = st.lists(
    st.sampled_from(URI_PIECES) | st.characters(codec="utf-8", max_codepoint=0x2FF),
    max_size=10,
).map("".join)


@pytest.mark.parametrize(
    "value",
    [
        "urn:epc:id:sgtin:0614141.107346.2017",
        "https://id.gs1.org/01/09521141012345/21/2017",
        "ni:///sha-256;df7bb3c352fef0555?ver=CBV2.0",
        "urn:uuid:404d95fc-9457-4a51-bd6a-0bba133845a8",
        "example:myField",
        "http://[::1]:8080/a?b#c",
        "http://[v1.x]/",
        "http://[::01.2.3.4]/",  # a leading zero the reference (unlike jsonschema-rs) accepts
        "a:",
    ],
)
def test_uris(value: str) -> None:
    assert is_uri(value) and reference_uri(value)


@pytest.mark.parametrize(
    "value",
    [
        "transforming",
        "materialType",
        "",
        ":",
        "1a:b",
        "a:b c",
        "http://a b",
        "http://a%2",
        "http://[1::2::3]/",
        "http://例え.jp",
        "a:b\n\n",
        "http://a/#f#g",
        "x:/\\",
    ],
)
def test_not_uris(value: str) -> None:
    assert not is_uri(value) and not reference_uri(value)


def test_trailing_newline_is_the_one_difference() -> None:
    assert reference_uri("urn:x\n") and not is_uri("urn:x\n")
    assert python_compatible(is_uri)("urn:x\n")
    assert reference_date_time("2026-01-01T00:00:00Z\n")
    assert not is_date_time("2026-01-01T00:00:00Z\n")
    assert python_compatible(is_date_time)("2026-01-01T00:00:00Z\n")


@settings(max_examples=1500, deadline=None)
@given(uri_like, st.booleans())
def test_uri_matches_reference(value: str, with_scheme: bool) -> None:
    value = ("urn:" if with_scheme else "") + value
    expected = reference_uri(value)
    assert python_compatible(is_uri)(value) == expected
    if not value.endswith("\n"):
        assert is_uri(value) == expected


@settings(max_examples=1500, deadline=None)
@given(uri_like, st.booleans())
def test_plain_uri_shortcut_accepts_only_what_the_full_grammar_accepts(
    value: str, with_scheme: bool
) -> None:
    value = ("urn:" if with_scheme else "") + value
    if _PLAIN_URI.fullmatch(value) is not None:
        assert _URI.fullmatch(value) is not None


@pytest.mark.parametrize(
    "value",
    [
        "urn:epc:id:sgtin:0614141.107346.2017",
        "https://id.gs1.org/01/09506000134352/21/12345?x=1#f",
        "http://example.com:8080",
        "ni:///sha-256;abc?ver=CBV2.0",
        "urn:",
    ],
)
def test_plain_uri_shortcut_takes_the_common_uris(value: str) -> None:
    assert _PLAIN_URI.fullmatch(value) is not None


@st.composite
def date_time_like(draw: st.DrawFn) -> str:
    """A valid timestamp with a few characters replaced, inserted or removed."""
    chars = list(
        draw(
            st.sampled_from(
                [
                    "2020-02-29T23:59:59.5+05:30",
                    "2026-07-22T06:45:00Z",
                    "2005-04-03T20:33:31.116000-06:00",
                    "2021-02-29T00:00:00-14:00",
                    "0000-01-01T00:00:00Z",
                    "2016-12-31T23:59:60Z",
                ]
            )
        )
    )
    alphabet = st.sampled_from(list("0123456789-T:Z+.tz \n٣"))
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(chars)))
        match draw(st.integers(0, 2)):
            case 0 if chars:
                chars[min(position, len(chars) - 1)] = draw(alphabet)
            case 1:
                chars.insert(position, draw(alphabet))
            case _ if chars:
                del chars[min(position, len(chars) - 1)]
    return "".join(chars)


@settings(max_examples=1500, deadline=None)
@given(date_time_like())
def test_date_time_matches_reference(value: str) -> None:
    expected = reference_date_time(value)
    assert python_compatible(is_date_time)(value) == expected
    if not value.endswith("\n"):
        assert is_date_time(value) == expected


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2026-07-22T06:45:00+02:00", True),
        ("2026-07-22t06:45:00z", True),  # RFC 3339 §5.6 allows lower case
        ("2024-02-29T00:00:00Z", True),
        ("2023-02-29T00:00:00Z", False),
        ("2026-07-22T06:45:00", False),  # no offset
        ("2026-07-22 06:45:00Z", False),
        ("22-07-2026", False),
        ("2016-12-31T23:59:60Z", False),  # the reference refuses leap seconds
        ("0000-01-01T00:00:00Z", False),  # and the year 0
        ("2026-07-22T06:45:00+24:00", False),
    ],
)
def test_date_times(value: str, valid: bool) -> None:
    assert is_date_time(value) is valid
    assert reference_date_time(value) is valid


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(1, 1, 2),
        max_value=datetime(9999, 12, 30),
        timezones=st.builds(
            timezone, st.integers(-14 * 60, 14 * 60).map(lambda m: timedelta(minutes=m))
        ),
    )
)
def test_date_time_key_orders_like_datetime(moment: datetime) -> None:
    text = moment.isoformat(timespec="microseconds")
    key = date_time_key(text)
    assert key is not None
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    whole = moment.replace(microsecond=0)
    assert key[0] == (whole - epoch) // timedelta(seconds=1)
    assert key[1] * 1_000_000 == moment.microsecond


def test_date_time_key_beyond_microseconds() -> None:
    earlier = date_time_key("2026-01-01T00:00:00.0000001Z")
    later = date_time_key("2026-01-01T00:00:00.0000002Z")
    same = date_time_key("2026-01-01T01:00:00.0000002+01:00")
    assert earlier is not None and later is not None
    assert earlier < later == same
    assert date_time_key("not a time") is None
