"""The shared capture pipeline: validate, per-event acceptance, hash IDs, idempotent store."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import orjson
import pytest
from sqlalchemy.engine import Engine

from foodtrace.epcis.hash import document_hash_ids
from tests.epcis.epcis_data import DATA, load
from trace_api.capture import (
    Refusal,
    capture_bytes,
    capture_document,
    check_document,
    decode_payload,
    store_checked,
)
from trace_api.exceptions import PayloadError
from trace_api.storage import get_events_raw

EXAMPLE = DATA / "examples" / "Example_9.6.1-ObjectEvent.jsonld"


def _without_ids() -> dict[str, Any]:
    doc: dict[str, Any] = load(EXAMPLE)
    for event in doc["epcisBody"]["eventList"]:
        event.pop("eventID", None)
    return doc


def test_events_without_event_id_get_their_cbv_hash_and_are_stored_once(db: Engine) -> None:
    doc = _without_ids()
    expected = document_hash_ids(doc)
    assert len(set(expected)) == len(expected) > 1
    first = capture_document(db, doc)
    assert first.stored == len(expected) and first.duplicates == first.refused == 0
    assert [e.event_id for e in first.events] == expected
    assert set(get_events_raw(db, expected)) == set(expected)
    again = capture_bytes(db, orjson.dumps(doc))
    assert (again.stored, again.duplicates) == (0, len(expected))
    assert [e.status for e in again.events] == ["duplicate"] * len(expected)


def test_partly_invalid_document_stores_the_valid_events_and_refuses_the_others(
    db: Engine,
) -> None:
    doc = load(EXAMPLE)
    events = doc["epcisBody"]["eventList"]
    events[1]["action"] = "SOMETIMES"
    outcome = capture_document(db, doc)
    assert [e.status for e in outcome.events] == [
        "stored" if i != 1 else "refused" for i in range(len(events))
    ]
    [refusal] = outcome.refusals
    assert refusal.event_index == 1
    assert refusal.pointer == "/epcisBody/eventList/1/action"
    assert refusal.reason_code == "schema_invalid"
    assert "SOMETIMES" in refusal.message


def test_an_envelope_problem_refuses_every_event(db: Engine) -> None:
    doc = load(EXAMPLE)
    doc["schemaVersion"] = 7
    outcome = capture_document(db, doc)
    assert outcome.stored == 0
    assert outcome.refused == outcome.event_count == len(doc["epcisBody"]["eventList"])
    assert [r.event_index for r in outcome.refusals] == [None]
    assert outcome.refusals[0].pointer == "/schemaVersion"


def test_acceptance_hook_refuses_events_with_its_own_reason(db: Engine) -> None:
    doc = load(EXAMPLE)

    def only_first(
        index: int, _event: Mapping[str, Any], where: str, _ns: Mapping[str, str]
    ) -> list[Refusal]:
        return [] if index == 0 else [Refusal(index, where, "not yours", "custom")]

    outcome = capture_document(db, doc, accept=only_first)
    assert outcome.stored == 1
    assert {r.reason_code for r in outcome.refusals} == {"custom"}
    assert outcome.refusals[0].pointer == "/epcisBody/eventList/1"


def test_shape_problems_the_schema_lets_through_are_refused_not_raised(db: Engine) -> None:
    doc = load(EXAMPLE)
    doc["epcisBody"]["eventList"][0]["eventTime"] = "2005-04-03T20:33:31.116"
    checked = check_document(doc)
    codes = {r.reason_code for r in checked.refusals}
    assert codes and codes <= {"schema_invalid", "event_shape"}
    assert 0 not in {i for i, _ in checked.accepted}


def test_one_transaction_for_many_documents_counts_repeats_as_duplicates(db: Engine) -> None:
    doc = load(EXAMPLE)
    a, b = check_document(doc), check_document(copy.deepcopy(doc))
    first, second = store_checked(db, [a, b])
    assert first.stored == len(a.accepted) and first.duplicates == 0
    assert second.stored == 0 and second.duplicates == len(b.accepted)


@pytest.mark.parametrize(
    ("raw", "code", "fragment"),
    [
        (b"\xff\xfe{}", "not_utf8", "at byte 0"),
        (b'{"type": "EPCISDocument",', "not_json", "not JSON"),
    ],
)
def test_undecodable_bytes(raw: bytes, code: str, fragment: str) -> None:
    with pytest.raises(PayloadError) as caught:
        decode_payload(raw)
    assert caught.value.reason_code == code and fragment in caught.value.message


def test_undecodable_bytes_are_one_document_refusal(db: Engine) -> None:
    outcome = capture_bytes(db, b"[1, 2")
    assert outcome.events == [] and [r.reason_code for r in outcome.refusals] == ["not_json"]
    not_object = capture_bytes(db, orjson.dumps([1, 2]))
    assert [r.reason_code for r in not_object.refusals] == ["not_a_document"]
