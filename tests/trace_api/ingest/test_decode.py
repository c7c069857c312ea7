"""One message → checked document: topic parsing, station directory, refusal reasons."""

from __future__ import annotations

import orjson
from sqlalchemy.engine import Engine

from tests.trace_api.ingest.support import READ_POINT, add_station, sealed, topic
from trace_api.ingest.acceptance import StationDirectory, station_of_topic
from trace_api.ingest.decode import dead_letter_reason, decode_message


def test_station_of_topic() -> None:
    assert station_of_topic("foodtrace/v1/site-1/st-1/events") == "st-1"
    assert station_of_topic("foodtrace/v1/site-1/st-1/status") is None
    assert station_of_topic("events") is None
    assert station_of_topic("foodtrace/v1/site-1//events") is None


def test_a_topic_without_a_station_is_refused(db: Engine) -> None:
    decoded = decode_message("a/events", b"{}", StationDirectory(db))
    assert decoded.station_id is None
    assert dead_letter_reason(decoded.checked.refusals) == (
        "bad_topic",
        "document at /: topic 'a/events' names no station",
    )


def test_a_station_added_later_is_seen_without_restarting(db: Engine) -> None:
    clock = [0.0]
    stations = StationDirectory(db, refresh_s=3600, clock=lambda: clock[0])
    _, payload = sealed("st-1", [1])
    refused = decode_message(topic("st-1"), payload, stations)
    assert [r.reason_code for r in refused.checked.refusals] == ["unknown_station"]
    add_station(db, "st-1")
    clock[0] += 2  # an unknown station re-reads the table at most once a second
    accepted = decode_message(topic("st-1"), payload, stations)
    assert accepted.checked.refusals == [] and len(accepted.checked.accepted) == 1


def test_places_match_as_canonical_identifiers_and_every_refusal_is_listed(db: Engine) -> None:
    digital_link = "https://id.gs1.org/414/0614141073467/254/1"  # READ_POINT as a Digital Link
    add_station(db, "st-1", [digital_link])
    ids, payload = sealed("st-1", [1, 2, 3])
    doc = orjson.loads(payload)
    doc["epcisBody"]["eventList"][1]["readPoint"]["id"] = "urn:epc:id:sgln:0614141.07346.2"
    doc["epcisBody"]["eventList"][2]["ft:stationID"] = "st-2"
    decoded = decode_message(topic("st-1"), orjson.dumps(doc), StationDirectory(db))
    assert [p.event_id for _, p in decoded.checked.accepted] == [ids[0]]
    assert READ_POINT.endswith(".1")
    code, message = dead_letter_reason(decoded.checked.refusals)
    assert code == "location_not_owned"
    assert message.splitlines() == [
        "event 1 at /epcisBody/eventList/1/readPoint/id: station 'st-1' does not own readPoint "
        "'urn:epc:id:sgln:0614141.07346.2'",
        "event 2 at /epcisBody/eventList/2: event has ft:stationID 'st-2' but was published on "
        "the topic of station 'st-1'",
    ]
