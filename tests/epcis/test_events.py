"""Events: the union discriminated on ``type``, extension events, lossless round trips."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.epcis.events import (
    AggregationEvent,
    AssociationEvent,
    ExtensionEvent,
    ObjectEvent,
    TransactionEvent,
    TransformationEvent,
    parse_event,
)
from foodtrace.exceptions import EPCISParseError
from tests.epcis.epcis_data import EXAMPLES, events_of, load

ALL_EVENTS = [event for path in EXAMPLES for event in events_of(load(path))]
CLASSES: dict[str, type[Any]] = {
    "ObjectEvent": ObjectEvent,
    "AggregationEvent": AggregationEvent,
    "TransactionEvent": TransactionEvent,
    "TransformationEvent": TransformationEvent,
    "AssociationEvent": AssociationEvent,
}


def _canonical(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def test_every_example_event_parses_to_its_class() -> None:
    kinds: set[str] = set()
    for raw in ALL_EVENTS:
        event: Any = parse_event(raw)
        assert isinstance(event, CLASSES[raw["type"]])
        assert _canonical(event.to_json_dict()) == _canonical(raw)
        kinds.add(raw["type"])
    assert kinds == set(CLASSES)


def test_extension_event_type() -> None:
    raw = {
        "type": "https://example.com/MyEvent",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "example:anything": [1, {"nested": True}],
    }
    event = parse_event(orjson.dumps(raw))
    assert isinstance(event, ExtensionEvent)
    assert event.to_json_dict() == raw


def test_event_datetime() -> None:
    event = parse_event(ALL_EVENTS[0])
    assert event.event_datetime.tzinfo is not None
    assert event.event_datetime.astimezone(UTC) == datetime.fromisoformat(
        ALL_EVENTS[0]["eventTime"]
    ).astimezone(UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"type": "ObjectEvent", "eventTime": "x", "eventTimeZoneOffset": "+00:00"}, "/action"),
        (
            {
                "type": "ObjectEvent",
                "action": "CREATE",
                "eventTime": "x",
                "eventTimeZoneOffset": "z",
            },
            "/action: Input should be 'ADD', 'OBSERVE' or 'DELETE'",
        ),
        (
            {
                "type": "ObjectEvent",
                "action": "ADD",
                "eventTime": "x",
                "eventTimeZoneOffset": "z",
                "quantityList": [{"epcClass": "urn:x", "weight": 1}],
            },
            "/quantityList/0/weight: Extra inputs are not permitted",
        ),
        ({"eventTime": "x"}, "/type: Field required"),
    ],
)
def test_shape_errors(raw: dict[str, Any], expected: str) -> None:
    with pytest.raises(EPCISParseError, match=expected):
        parse_event(raw)


def test_numbers_keep_their_json_type() -> None:
    raw = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "quantityList": [
            {
                "epcClass": "urn:epc:class:lgtin:4012345.012345.998877",
                "quantity": 200,
                "uom": "KGM",
            },
            {"epcClass": "urn:epc:class:lgtin:4012345.012345.998878", "quantity": 2.0},
        ],
    }
    out = orjson.dumps(parse_event(raw).to_json_dict())
    assert b'"quantity":200,' in out and b'"quantity":2.0}' in out


def test_a_boolean_is_not_a_quantity() -> None:
    raw = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "quantityList": [{"epcClass": "urn:x:y", "quantity": True}],
    }
    with pytest.raises(EPCISParseError, match="quantity"):
        parse_event(raw)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
EXTENSION_KEYS = st.from_regex(r"[a-z]{1,6}:[A-Za-z][A-Za-z0-9]{0,10}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(
    which=st.integers(min_value=0, max_value=len(ALL_EVENTS) - 1),
    extensions=st.dictionaries(EXTENSION_KEYS, JSON_VALUES, min_size=1, max_size=4),
    nested=st.dictionaries(EXTENSION_KEYS, JSON_VALUES, max_size=2),
)
def test_extensions_round_trip(
    which: int, extensions: dict[str, Any], nested: dict[str, Any]
) -> None:
    raw = dict(ALL_EVENTS[which])
    raw.update({k: v for k, v in extensions.items() if k not in raw})
    if "readPoint" in raw:
        raw["readPoint"] = {**raw["readPoint"], **nested}
    event = parse_event(raw)
    assert _canonical(event.to_json_dict()) == _canonical(raw)
    assert all(event.extensions[k] == v for k, v in extensions.items() if k in event.extensions)
