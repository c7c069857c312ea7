"""Traces honour EPCIS corrections: a declared-erroneous event is ignored, its corrective
events count (on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.trace import chain as ch
from tests.trace_api.trace.chain import c
from trace_api.exceptions import TraceNotFoundError
from trace_api.trace import trace

L9 = ch.lot("033333", "L9")


def _wrong() -> dict[str, Any]:
    """C2 recorded by mistake as repacked into L9 (no eventID: stored under its hash)."""
    return ch.event(
        "TransformationEvent",
        "04T10:20",
        eventID=None,
        inputEPCList=[ch.C2],
        outputQuantityList=[ch.q(L9, 10)],
        bizStep="repackaging",
        at=ch.DC,
    )


def _fix() -> dict[str, Any]:
    return ch.event(
        "TransformationEvent",
        "04T10:25",
        inputEPCList=[ch.C2],
        outputQuantityList=[ch.q(ch.L1, 10)],
        bizStep="repackaging",
        at=ch.DC,
    )


def _outputs_of_c2(result: dict[str, Any]) -> set[str]:
    return {
        e["target"]
        for e in result["edges"]
        if e["kind"] == "transformed_into" and e["source"] == c(ch.C2)
    }


@pytest.mark.parametrize("declaration_id", [None, "urn:uuid:0b5e33c6-7d50-4f7e-9a39-2f1d1c7e0a11"])
def test_declared_error_is_ignored_and_correction_used(
    chain_db: Engine, declaration_id: str | None
) -> None:
    ch.store(chain_db, [_wrong()])
    before = trace(chain_db, ch.H1, "forward").to_dict()
    assert _outputs_of_c2(before) == {c(L9)}
    assert (c(L9), c(ch.DC), "held") in {
        (h["object"], h["location"], h["status"]) for h in before["holders"]
    }

    fix = _fix()
    declaration = {
        **_wrong(),
        "errorDeclaration": {
            "declarationTime": "2026-01-04T12:00:00Z",
            "reason": "incorrect_data",
            "correctiveEventIDs": [fix["eventID"]],
        },
    }
    if declaration_id is not None:
        declaration["eventID"] = declaration_id
    ch.store(chain_db, [declaration, fix])

    after = trace(chain_db, ch.H1, "forward").to_dict()
    assert _outputs_of_c2(after) == {c(ch.L1)}
    node_ids = {n["id"] for n in after["nodes"]}
    assert c(L9) not in node_ids
    assert fix["eventID"] in node_ids
    assert {(h["object"], h["location"], h["status"]) for h in after["holders"]} == {
        (c(ch.L1), c(ch.R1), "sold"),
        (c(ch.L1), c(ch.R2), "held"),
    }
    with pytest.raises(TraceNotFoundError):
        trace(chain_db, L9)


def test_store_records_a_declaration_repeating_the_event_id(db: Engine) -> None:
    """The declaration repeats the erroneous event's eventID: storage marks the stored event."""
    from sqlalchemy import select

    from trace_api.models import ErrorDeclaration, Event
    from trace_api.storage import prepare_event, store_events

    original = _fix()
    declaration = {
        **original,
        "errorDeclaration": {"declarationTime": "2026-01-05T00:00:00Z", "reason": "did_not_occur"},
    }
    store_events(db, [prepare_event(original)])
    first = store_events(db, [prepare_event(declaration)])
    again = store_events(db, [prepare_event(declaration)])
    assert (first.stored, first.duplicates, first.declared) == (
        [],
        [original["eventID"]],
        [original["eventID"]],
    )
    assert again.declared == []
    with db.connect() as connection:
        assert connection.execute(select(Event.error_declared)).scalars().all() == [True]
        reasons = connection.execute(select(ErrorDeclaration.reason)).scalars().all()
        assert reasons == ["did_not_occur"]
    with pytest.raises(TraceNotFoundError):
        trace(db, ch.C2)
