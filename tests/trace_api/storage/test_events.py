"""store_events: idempotent capture of every event type, child rows, raw JSON round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from tests.trace_api.support import DATA, events
from trace_api.models import (
    CaptureJob,
    EpcisContext,
    ErrorDeclaration,
    Event,
    EventBizTransaction,
    EventIdentifier,
    EventSourceDestination,
    SensorReport,
)
from trace_api.storage import get_events_raw, prepare_event, store_events
from trace_api.storage.prepare import PreparedEvent

ALL_FIELDS = [
    "object_event_all_possible_fields.jsonld",
    "aggregation_event_all_possible_fields.jsonld",
    "transaction_event_all_possible_fields.jsonld",
    "transformation_event_all_possible_fields.jsonld",
    "association_event_all_possible_fields.jsonld",
]


def _prepared(name: str) -> list[PreparedEvent]:
    event_list, context = events(name)
    return [prepare_event(event, context) for event in event_list]


def _rows(db: Engine, model: Any, *columns: str) -> list[tuple[Any, ...]]:
    table = model.__table__
    with db.connect() as connection:
        query = sa.select(*(table.c[c] for c in columns)).order_by(table.c[columns[0]])
        return [tuple(row) for row in connection.execute(query)]


def _count(db: Engine, model: Any) -> int:
    with db.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def test_store_then_redeliver_stores_once(db: Engine) -> None:
    batch = _prepared("Example_9.6.1-ObjectEvent.jsonld")
    ids = [p.event_id for p in batch]
    first = store_events(db, batch)
    assert first.stored == ids
    assert first.duplicates == []
    assert set(first.event_pks) == set(ids)
    again = store_events(db, batch)
    assert again.stored == []
    assert again.duplicates == ids
    assert _count(db, Event) == 2
    assert _count(db, EventIdentifier) == 3
    assert _count(db, EventBizTransaction) == 3


def test_duplicate_inside_one_batch(db: Engine) -> None:
    one, two = _prepared("Example_9.6.1-ObjectEvent.jsonld")
    result = store_events(db, [one, two, one, one])
    assert result.stored == [one.event_id, two.event_id]
    assert result.duplicates == [one.event_id, one.event_id]
    assert _count(db, Event) == 2
    assert _count(db, EventIdentifier) == 3


def test_partly_known_batch_writes_children_only_for_new_events(db: Engine) -> None:
    one, two = _prepared("Example_9.6.1-ObjectEvent.jsonld")
    store_events(db, [one])
    result = store_events(db, [one, two])
    assert (result.stored, result.duplicates) == ([two.event_id], [one.event_id])
    assert _rows(db, EventBizTransaction, "value", "type") == [
        ("http://transaction.acme.com/po/12345678", "po"),
        ("http://transaction.acme.com/po/12345678", "po"),
        ("urn:epcglobal:cbv:bt:0614141073467:1152", "desadv"),
    ]


def test_raw_json_round_trips_byte_for_byte(db: Engine) -> None:
    text = (DATA / "SensorDataExample2.jsonld").read_bytes()
    document = orjson.loads(text)
    event = document["epcisBody"]["eventList"][0]
    raw = (
        '{"type":"ObjectEvent",  "eventID" : "urn:uuid:7",'
        ' "eventTime":"2026-05-01T06:00:00.123456789+08:00",\n"eventTimeZoneOffset":"+08:00",'
        '"action":"OBSERVE","epcList":["urn:epc:id:sgtin:0614141.107346.9"],"note":"菠菜 1.0e0"}'
    ).encode()
    prepared = [
        prepare_event(event, document["@context"], orjson.dumps(event)),
        prepare_event(orjson.loads(raw), document["@context"], raw),
    ]
    store_events(db, prepared)
    back = get_events_raw(db, ["urn:uuid:7", event["eventID"], "urn:uuid:unknown"])
    assert set(back) == {"urn:uuid:7", event["eventID"]}
    assert back["urn:uuid:7"].raw.encode() == raw
    assert back[event["eventID"]].raw.encode() == orjson.dumps(event)
    assert orjson.loads(back["urn:uuid:7"].context or "null") == document["@context"]


def test_contexts_are_stored_once(db: Engine) -> None:
    distinct = {orjson.dumps(events(name)[1]) for name in ALL_FIELDS[1:]}
    assert 1 < len(distinct) < 4
    for name in ALL_FIELDS[1:]:
        store_events(db, _prepared(name))
    assert _count(db, Event) == 4
    assert _count(db, EpcisContext) == len(distinct)


@pytest.mark.parametrize("name", ALL_FIELDS)
def test_every_child_table_is_filled(db: Engine, name: str) -> None:
    (prepared,) = _prepared(name)
    result = store_events(db, [prepared])
    pk = result.event_pks[prepared.event_id]
    with Session(db) as session:
        event = session.get(Event, pk)
        assert event is not None
        assert event.event_id == prepared.event_id
        assert event.event_time == prepared.event["event_time"]
        assert event.event_time.tzinfo is not None
        assert event.error_declared
        assert event.context_id is not None
        identifiers = session.scalars(
            sa.select(EventIdentifier).where(EventIdentifier.event_pk == pk).order_by("id")
        ).all()
        assert [(i.role, i.kind, i.value, i.canonical, i.quantity, i.uom) for i in identifiers] == [
            (r["role"], r["kind"], r["value"], r["canonical"], r["quantity"], r["uom"])
            for r in prepared.identifiers
        ]
        transactions = session.scalars(
            sa.select(EventBizTransaction).where(EventBizTransaction.event_pk == pk)
        ).all()
        assert sorted(t.type or "" for t in transactions) == ["pedigree", "po"]
        parties = session.scalars(
            sa.select(EventSourceDestination).where(EventSourceDestination.event_pk == pk)
        ).all()
        assert len(parties) == 6
        (report,) = session.scalars(sa.select(SensorReport).where(SensorReport.event_pk == pk))
        assert (report.type, report.uom, report.max_value) == ("Temperature", "CEL", 26.2)
        assert report.boolean_value is True
        declaration = session.get(ErrorDeclaration, pk)
        assert declaration is not None
        assert declaration.reason == "incorrect_data"
        assert declaration.corrective_event_ids == [
            "ni:///sha-256;fec9667280c4710a3fa9558b7bc8ddc2ced0dc442d87f82becae24bb6ca6a46f?ver=CBV2.0"
        ]
        assert declaration.declaration_time.tzinfo is not None


def test_sensor_value_query(db: Engine) -> None:
    store_events(db, _prepared("SensorDataExample2.jsonld"))
    store_events(db, _prepared("Example_9.6.1-ObjectEvent.jsonld"))
    with db.connect() as connection:
        hot = connection.execute(
            sa.select(Event.event_id)
            .join(SensorReport, SensorReport.event_pk == Event.id)
            .where(SensorReport.uom == "CEL", SensorReport.max_value > 26.1)
        ).scalars()
        assert list(hot) == [
            "ni:///sha-256;0301ed4c40065cde36eb9cc80780312d903a031a91d105639df4e649a9d01200?ver=CBV2.0"
        ]


def test_record_time_and_capture_job(db: Engine) -> None:
    at = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    with Session(db) as session:
        session.add(CaptureJob(id="job-1", created_at=at))
        session.commit()
    batch = _prepared("Example_9.6.1-ObjectEvent.jsonld")
    store_events(db, batch, capture_id="job-1", record_time=at)
    assert _rows(db, Event, "capture_id", "record_time") == [("job-1", at), ("job-1", at)]


def test_session_target_joins_the_callers_transaction(db: Engine) -> None:
    batch = _prepared("Example_9.6.1-ObjectEvent.jsonld")
    with Session(db) as session:
        store_events(session, batch)
        assert session.scalar(sa.select(sa.func.count()).select_from(Event)) == 2
        session.rollback()
    assert _count(db, Event) == 0
    with Session(db) as session:
        store_events(session, batch)
        session.commit()
    assert _count(db, Event) == 2


def test_empty_batch(db: Engine) -> None:
    result = store_events(db, [])
    assert (result.stored, result.duplicates) == ([], [])
