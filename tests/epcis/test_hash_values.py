"""Tests for foodtrace.epcis.hash_values: timestamps, numbers, vocabulary URNs, identifiers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.epcis.hash_values import canonical_timestamp, canonical_value, scalar_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-02-02T11:04:03.1415Z", "2023-02-02T11:04:03.142Z"),  # CBV rule 9 example
        ("2023-02-02T11:04:03.1414Z", "2023-02-02T11:04:03.141Z"),
        ("2023-02-02T11:04:03.1425Z", "2023-02-02T11:04:03.143Z"),  # half-up, not half-even
        ("2023-02-02T11:04:03.14249999Z", "2023-02-02T11:04:03.142Z"),  # only the 4th decimal
        ("2019-10-21T14:45:00Z", "2019-10-21T14:45:00.000Z"),
        ("2023-03-27T11:30:00.0Z", "2023-03-27T11:30:00.000Z"),
        ("2005-04-03T20:33:31.116000-06:00", "2005-04-04T02:33:31.116Z"),
        ("2019-04-02T15:00:00.000+01:00", "2019-04-02T14:00:00.000Z"),
        ("2020-03-01T00:10:00+05:30", "2020-02-29T18:40:00.000Z"),  # leap day, half-hour offset
        ("2020-03-01T00:10:00+0530", "2020-02-29T18:40:00.000Z"),
        ("2020-03-01T00:10:00+05", "2020-02-29T19:10:00.000Z"),
        ("2020-01-01T00:00:00", "2020-01-01T00:00:00.000Z"),  # no offset: taken as UTC
        ("2020-12-31T23:59:59.9996+00:00", "2021-01-01T00:00:00.000Z"),  # rounding carries
        ("2020-12-31T23:59:59.9996-01:00", "2021-01-01T01:00:00.000Z"),
        ("  2019-10-21T14:45:00Z ", "2019-10-21T14:45:00.000Z"),
    ],
)
def test_canonical_timestamp(text: str, expected: str) -> None:
    assert canonical_timestamp(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "yesterday",
        "2019-10-21",
        "2019-13-21T14:45:00Z",
        "2019-10-21T14:45:61Z",
        "2019-10-21T14:45:00+25:00",
        "2019-10-21T14:45:00.Z",
        "2019-10-21T14:45:00 UTC",
    ],
)
def test_values_that_are_not_timestamps_are_kept(text: str) -> None:
    assert canonical_timestamp(text) == text


@settings(deadline=None, max_examples=100)
@given(
    moment=st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2099, 12, 31)),
    offset_minutes=st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_timestamps_agree_with_datetime(moment: datetime, offset_minutes: int) -> None:
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + f"{sign}{hours:02d}:{minutes:02d}"
    utc = moment.replace(tzinfo=UTC) - timedelta(minutes=offset_minutes)
    fourth = (moment.microsecond // 100) % 10
    utc = utc.replace(microsecond=(moment.microsecond // 1000) * 1000)
    if fourth >= 5:
        utc += timedelta(milliseconds=1)
    expected = utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
    assert canonical_timestamp(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("452.0", "452"),
        ("1.50", "1.5"),
        ("0.3434", "0.3434"),
        ("+5", "5"),
        ("-0", "0"),
        ("1e3", "1000"),
        ("0042", "42"),  # as in the reference implementation: any numeric string
        ("12.1", "12.1"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),  # the reference crashes here; we keep the text
        ("in_transit", "in_transit"),
        ("  OBSERVE ", "OBSERVE"),
        ("", ""),
    ],
)
def test_canonical_value_numbers_and_text(text: str, expected: str) -> None:
    assert canonical_value(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("urn:epcglobal:cbv:bizstep:receiving", "https://ref.gs1.org/cbv/BizStep-receiving"),
        ("urn:epcglobal:cbv:disp:in_progress", "https://ref.gs1.org/cbv/Disp-in_progress"),
        ("urn:epcglobal:cbv:btt:po", "https://ref.gs1.org/cbv/BTT-po"),
        ("urn:epcglobal:cbv:sdt:location", "https://ref.gs1.org/cbv/SDT-location"),
        ("urn:epcglobal:cbv:er:incorrect_data", "https://ref.gs1.org/cbv/ER-incorrect_data"),
        ("urn:epcglobal:cbv:bt:0614141073467:1152", "urn:epcglobal:cbv:bt:0614141073467:1152"),
        ("urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"),
        (
            "https://example.com/gtin/09780345418913/21/765tz?abc=211121",
            "https://id.gs1.org/01/09780345418913/21/765tz",
        ),
        ("http://transaction.acme.com/po/12345678", "http://transaction.acme.com/po/12345678"),
    ],
)
def test_canonical_value_uris(text: str, expected: str) -> None:
    assert canonical_value(text) == expected


def test_scalar_text() -> None:
    assert scalar_text("x") == "x"
    assert scalar_text(True) == "true"
    assert scalar_text(False) == "false"
    assert scalar_text(26) == "26"
    assert scalar_text(26.0) == "26.0"
    assert scalar_text(None) is None
    assert scalar_text({"a": 1}) is None


@settings(deadline=None, max_examples=100)
@given(number=st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_match_their_float_value(number: float) -> None:
    text = canonical_value(repr(number))
    assert float(text) == number
    assert not text.endswith(".0")
