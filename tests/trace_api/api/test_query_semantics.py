"""Each EPCIS query parameter of GET /epcis/events on a hand-built chain of six events."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from foodtrace.gs1.digital_link import canonical_identifier
from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient

Headers = dict[str, str]


@pytest.fixture
def captured(client: TestClient, regulator: Headers) -> TestClient:
    response = client.post(
        "/epcis/capture",
        content=orjson.dumps(chain.document()),
        headers={**regulator, "Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.text
    job = client.get(response.headers["Location"], headers=regulator).json()
    assert job["success"] and job["storedCount"] == 6, job
    return client


def _ids(client: TestClient, headers: Headers, params: Any) -> list[int]:
    response = client.get("/epcis/events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return [int(e["eventID"][-1]) for e in found]


CASES: list[tuple[dict[str, str], set[int]]] = [
    ({}, {1, 2, 3, 4, 5, 6}),
    ({"eventType": "AggregationEvent"}, {2}),
    ({"eventType": "ObjectEvent|TransformationEvent"}, {1, 3, 4, 5, 6}),
    ({"GE_eventTime": "2026-01-02T10:00:00Z"}, {3, 4, 5, 6}),
    ({"LT_eventTime": "2026-01-02T11:30:00+01:00"}, {1, 2, 3}),
    ({"GE_recordTime": "2000-01-01T00:00:00Z"}, {1, 2, 3, 4, 5, 6}),
    ({"LT_recordTime": "2000-01-01T00:00:00Z"}, set()),
    ({"EQ_action": "OBSERVE"}, {3, 6}),
    ({"EQ_bizStep": "shipping"}, {3}),
    ({"EQ_bizStep": "urn:epcglobal:cbv:bizstep:shipping|receiving"}, {3, 5}),
    ({"EQ_disposition": "in_transit"}, {3}),
    ({"EQ_readPoint": chain.FARM}, {1}),
    ({"EQ_readPoint": canonical_identifier(chain.FARM)}, {1}),
    ({"WD_readPoint": chain.FARM}, {1, 2}),
    ({"EQ_bizLocation": chain.FARM}, {1, 2}),
    ({"WD_bizLocation": chain.SHOP}, set()),
    ({"EQ_transformationID": chain.TRANSFORMATION}, {4}),
    ({"MATCH_epc": chain.ITEM1}, {1, 2}),
    ({"MATCH_epc": canonical_identifier(chain.ITEM1)}, {1, 2}),
    ({"MATCH_epc": "urn:epc:idpat:sgtin:4012345.011111.*"}, {1, 2, 6}),
    ({"MATCH_epc": "urn:epc:idpat:sgtin:4012345.*.*"}, {1, 2, 6}),
    ({"MATCH_parentID": chain.PALLET}, {2}),
    ({"MATCH_inputEPC": chain.ITEM1}, {4}),
    ({"MATCH_outputEPC": chain.OUTPUT}, {4}),
    ({"MATCH_anyEPC": chain.ITEM1}, {1, 2, 4}),
    ({"MATCH_anyEPC": chain.PALLET}, {2, 3}),
    ({"MATCH_epcClass": chain.LOT1}, {5}),
    ({"MATCH_epcClass": "urn:epc:idpat:sgtin:4012345.011111.*"}, {5}),
    ({"MATCH_inputEPCClass": chain.LOT1}, {4}),
    ({"MATCH_outputEPCClass": chain.LOT2}, {4}),
    ({"MATCH_anyEPCClass": chain.LOT1}, {4, 5}),
    ({"EQ_quantity": "20"}, {5}),
    ({"GT_quantity": "10"}, {5}),
    ({"LT_quantity": "20"}, set()),
    ({"LE_quantity": "20"}, {5}),
    ({"EQ_quantity_KGM": "20"}, {5}),
    ({"EQ_quantity_LBR": "20"}, set()),
    ({"EQ_quantity": "10|20"}, {5}),  # several values: any of them
    ({"EQ_quantity": "5|7"}, set()),
    ({"EQ_bizTransaction_po": chain.PO}, {3}),
    ({"EQ_bizTransaction_desadv": chain.PO}, set()),
    ({"EQ_source_owning_party": chain.SELLER}, {3}),
    ({"EQ_destination_owning_party": chain.BUYER}, {3}),
    ({"EQ_destination_owning_party": chain.SELLER}, set()),
    ({"EQ_source_possessing_party": chain.SELLER}, set()),
    ({"GT_maxValue_CEL": "8"}, {3}),
    ({"GT_maxValue_FAR": "8"}, set()),
    ({"LT_minValue_CEL": "3"}, {3}),
    ({"GE_value_CEL": "4"}, {1}),
    ({"EQ_value_CEL": "3|4"}, {1}),
    ({"EQ_value_CEL": "3|5"}, set()),
    ({"EQ_type": "gs1:Temperature"}, {1, 3}),
    ({"EQ_deviceID": chain.DEVICE}, {1, 3}),
    ({"EQ_eventID": f"{chain.event_id(3)}|{chain.event_id(4)}"}, {3, 4}),
    ({"EXISTS_errorDeclaration": ""}, {6}),
    ({"EQ_errorReason": "incorrect_data"}, {6}),
    ({"EXISTS_sensorElementList": "true"}, {1, 3}),
    ({"EQ_bizStep": "shipping", "GE_eventTime": "2026-01-03T00:00:00Z"}, set()),
    ({"MATCH_anyEPC": chain.ITEM1, "EQ_bizStep": "packing|repackaging"}, {2, 4}),
]


@pytest.mark.parametrize(
    ("params", "expected"), CASES, ids=[orjson.dumps(p).decode()[:60] for p, _ in CASES]
)
def test_parameter(
    captured: TestClient, regulator: Headers, params: dict[str, str], expected: set[int]
) -> None:
    assert set(_ids(captured, regulator, params)) == expected


def test_order_and_limits(captured: TestClient, regulator: Headers) -> None:
    ascending = {"orderBy": "eventTime", "orderDirection": "ASC"}
    assert _ids(captured, regulator, ascending) == [1, 2, 3, 4, 5, 6]
    assert _ids(captured, regulator, {**ascending, "orderDirection": "DESC"}) == [6, 5, 4, 3, 2, 1]
    assert _ids(captured, regulator, {**ascending, "eventCountLimit": "2"}) == [1, 2]
    assert len(_ids(captured, regulator, {"maxEventCount": "6"})) == 6
    too_many = captured.get("/epcis/events", params={"maxEventCount": "5"}, headers=regulator)
    assert too_many.status_code == 413
    assert too_many.json()["type"] == "epcisException:QueryTooLargeException"


def test_unescaped_plus_in_time(captured: TestClient, regulator: Headers) -> None:
    response = captured.get(
        "/epcis/events?LT_eventTime=2026-01-02T11:30:00+01:00", headers=regulator
    )
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert {int(e["eventID"][-1]) for e in found} == {1, 2, 3}


def test_event_by_id(captured: TestClient, regulator: Headers) -> None:
    response = captured.get(f"/epcis/events/{chain.event_id(4)}", headers=regulator)
    assert response.status_code == 200
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert found == [chain.events()[3]]
    missing = captured.get("/epcis/events/urn:uuid:nothing", headers=regulator)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"EQ_colour": "red"}, "unknown query parameter 'EQ_colour'"),
        ({"GE_eventTime": "yesterday"}, "GE_eventTime: not an ISO 8601 date-time"),
        ({"GE_eventTime": "2026-01-01T00:00:00"}, "without a time zone"),
        ({"eventType": "PartyEvent"}, "not an EPCIS event type"),
        ({"GT_quantity": "nan"}, "not a finite number"),
        ({"perPage": "0"}, "perPage: expected a positive integer"),
        ({"perPage": "100000"}, "perPage: at most 1000"),
        ({"orderBy": "bizStep"}, "supported orders are eventTime and recordTime"),
        ({"EQ_bizStep": "a||b"}, "EQ_bizStep: empty value"),
        ({"eventCountLimit": "1", "maxEventCount": "1"}, "exclude each other"),
    ],
)
def test_bad_parameters(
    captured: TestClient, regulator: Headers, params: dict[str, str], fragment: str
) -> None:
    response = captured.get("/epcis/events", params=params, headers=regulator)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "epcisException:QueryParameterException"
    assert problem["status"] == 400
    assert problem["instance"] == "/epcis/events"
    assert fragment in problem["detail"]


def test_repeated_parameter(captured: TestClient, regulator: Headers) -> None:
    response = captured.get("/epcis/events?EQ_action=ADD&EQ_action=OBSERVE", headers=regulator)
    assert response.status_code == 400
    assert "given more than once" in response.json()["detail"]


def test_patterns_in_one_session_do_not_share_compiled_sql(
    captured: TestClient, regulator: Headers
) -> None:
    other = _ids(captured, regulator, {"MATCH_anyEPC": "urn:epc:idpat:sgtin:4012345.022222.*"})
    first = _ids(captured, regulator, {"MATCH_anyEPC": "urn:epc:idpat:sgtin:4012345.011111.*"})
    again = _ids(captured, regulator, {"MATCH_anyEPC": "urn:epc:idpat:sgtin:4012345.022222.*"})
    assert (set(other), set(first), set(again)) == ({4}, {1, 2, 4, 6}, {4})
