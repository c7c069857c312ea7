"""Recalls over the hand-built chain, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from sqlalchemy.engine import Engine

from foodtrace.epcis.hash import event_hash_id, namespaces_from_context
from foodtrace.exceptions import CheckDigitError
from tests.trace_api.trace import chain as ch
from tests.trace_api.trace.chain import c
from trace_api.exceptions import RecallError, RecallNotFoundError, TraceNotFoundError
from trace_api.recall import blast_radius, declare_recall, get_recall, list_recalls, recall_status
from trace_api.storage import get_events_raw
from trace_api.trace import trace

WHEN = datetime(2026, 1, 7, 9, 30, tzinfo=UTC)


def test_blast_radius_of_a_harvest_lot(chain_db: Engine) -> None:
    radius = blast_radius(chain_db, [c(ch.H1)])
    assert radius["lots"] == [
        {"id": c(ch.H1), "kind": "lot", "name": "Spinach, harvest", "status": "recalled"},
        {"id": c(ch.L1), "kind": "lot", "name": None, "status": "affected"},
    ]
    assert [i["id"] for i in radius["items"]] == [c(ch.C1), c(ch.C2)]
    assert radius["units"] == []
    assert [p["id"] for p in radius["locations"]] == sorted(
        c(x) for x in (ch.FARM_A, ch.PACKER, ch.DC, ch.R1, ch.R2)
    )
    assert [p["name"] for p in radius["parties"]] == ["Retail One", "Retail Two"]
    assert [(h["object"], h["location"], h["status"]) for h in radius["holders"]] == [
        (c(ch.C2), c(ch.DC), "held"),
        (c(ch.L1), c(ch.R1), "sold"),
        (c(ch.L1), c(ch.R2), "held"),
    ]


def test_blast_radius_of_two_lots_is_their_union(chain_db: Engine) -> None:
    radius = blast_radius(chain_db, [c(ch.H2), c(ch.H3)])
    assert [(x["id"], x["status"]) for x in radius["lots"]] == [
        (c(ch.H2), "recalled"),
        (c(ch.H3), "recalled"),
        (c(ch.L1), "affected"),
        (c(ch.L2), "affected"),
        (c(ch.L3), "affected"),
    ]
    assert [i["id"] for i in radius["items"]] == [c(x) for x in (ch.C3, ch.C4, ch.C5, ch.C6)]
    assert {(h["object"], h["location"], h["status"]) for h in radius["holders"]} == {
        (c(ch.L1), c(ch.R1), "sold"),
        (c(ch.L1), c(ch.R2), "held"),
        (c(ch.L2), c(ch.R1), "held"),
        (c(ch.L3), c(ch.R2), "in_transit"),
    }


def test_declare_stores_recalled_events(chain_db: Engine) -> None:
    recall = declare_recall(
        chain_db, [ch.H1, "https://id.gs1.org/01/04012345111118/10/H2"], "Listeria", when=WHEN
    )
    assert recall.reason == "Listeria"
    assert recall.declared_at == WHEN
    assert [lot["lot"] for lot in recall.lots] == [c(ch.H1), c(ch.H2)]
    raw = get_events_raw(chain_db, [lot["event"] for lot in recall.lots])
    for lot in recall.lots:
        stored = raw[lot["event"]]
        event = orjson.loads(stored.raw)
        assert event["disposition"] == "recalled"
        assert event["quantityList"] == [{"epcClass": lot["lot"]}]
        assert event["bizTransactionList"][0]["bizTransaction"] == f"urn:uuid:{recall.id}"
        assert event["eventID"] == lot["event"]
        namespaces = namespaces_from_context(orjson.loads(stored.context or "null"))
        assert event_hash_id(event, namespaces) == lot["event"]
    assert get_recall(chain_db, recall.id) == recall
    assert list_recalls(chain_db) == [recall]
    node = next(n for n in trace(chain_db, ch.H1, "back").nodes if n["id"] == c(ch.H1))
    assert node["recalled"] is True


def test_recall_status(chain_db: Engine) -> None:
    assert recall_status(chain_db, "04012345111118", "H1") == {
        "gtin": "04012345111118",
        "lot": "H1",
        "digitalLink": c(ch.H1),
        "linkType": "gs1:recallStatus",
        "recalled": False,
        "recalls": [],
    }
    first = declare_recall(chain_db, [ch.H1], "first", when=WHEN)
    second = declare_recall(chain_db, [ch.H1, ch.H3], "second", when=WHEN.replace(hour=10))
    status = recall_status(chain_db, "04012345111118", "H1")
    assert status["recalled"] is True
    assert [(r["id"], r["reason"]) for r in status["recalls"]] == [
        (second.id, "second"),
        (first.id, "first"),
    ]
    assert recall_status(chain_db, "04012345111118", "H2")["recalled"] is False
    assert [r.id for r in list_recalls(chain_db)] == [second.id, first.id]
    with pytest.raises(CheckDigitError):
        recall_status(chain_db, "04012345111119", "H1")


def test_refusals(chain_db: Engine) -> None:
    with pytest.raises(RecallError, match="is not a lot"):
        declare_recall(chain_db, [ch.C1], "case")
    with pytest.raises(RecallError, match="reason"):
        declare_recall(chain_db, [ch.H1], "  ")
    with pytest.raises(TraceNotFoundError):
        declare_recall(chain_db, [ch.lot("011111", "NOPE")], "unknown")
    with pytest.raises(RecallNotFoundError):
        get_recall(chain_db, "0b5e33c6-7d50-4f7e-9a39-2f1d1c7e0a11")
    assert list_recalls(chain_db) == []
