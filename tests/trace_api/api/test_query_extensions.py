"""Query parameters on what only the event JSON holds: extension fields (top level, ILMD,
INNER, error declaration, sensor parts, readPoint/bizLocation), persistentDisposition,
correctiveEventIDs, and measurement types in any spelling. Four hand-built events whose every
answer is known, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api.client import TestClient
from trace_api.storage import load_master_data

Headers = dict[str, str]

NS = "https://example.org/ns/food#"
CONTEXT: list[Any] = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", {"ex": NS}]
ITEM = "urn:epc:id:sgtin:4012345.011111.{}"
FARM = "urn:epc:id:sgln:4012345.00001.0"


def event_id(n: int) -> str:
    return f"urn:uuid:10000000-0000-4000-8000-00000000000{n}"


def _base(n: int, kind: str, hour: int) -> dict[str, Any]:
    return {
        "type": kind,
        "eventID": event_id(n),
        "eventTime": f"2026-02-01T{hour:02d}:00:00.000Z",
        "eventTimeZoneOffset": "+00:00",
    }


def events() -> list[dict[str, Any]]:
    return [
        {
            **_base(1, "ObjectEvent", 8),
            "epcList": [ITEM.format(1)],
            "action": "ADD",
            "bizStep": "commissioning",
            "readPoint": {"id": FARM, "ex:dock": "7"},
            "persistentDisposition": {
                "set": ["completeness_verified"],
                "unset": ["completeness_inferred"],
            },
            "ilmd": {
                "ex:harvestDate": "2026-01-01T06:00:00+08:00",
                "ex:grade": "A",
                "ex:brix": 12.5,
            },
            "ex:temperature": 4,
            "ex:note": "fresh",
            "ex:checked": True,
        },
        {
            **_base(2, "ObjectEvent", 9),
            "epcList": [ITEM.format(2)],
            "action": "OBSERVE",
            "readPoint": {"id": FARM},
            "ex:temperature": 9.5,
            "ex:inspection": {
                "ex:inspector": "Li",
                "ex:score": 88,
                "ex:detail": {"ex:when": "2026-01-02T09:00:00Z"},
            },
            "sensorElementList": [
                {
                    "sensorMetadata": {"time": "2026-02-01T08:59:00Z", "ex:calibrated": "yes"},
                    "sensorReport": [
                        {"type": "gs1:Temperature", "value": 3.5, "uom": "CEL", "ex:probe": "P1"}
                    ],
                    "ex:site": "cold room",
                }
            ],
        },
        {
            **_base(3, "ObjectEvent", 10),
            "epcList": [ITEM.format(3)],
            "action": "OBSERVE",
            "readPoint": {"id": FARM},
            "ex:temperature": "9.5",
            "errorDeclaration": {
                "declarationTime": "2026-02-02T00:00:00Z",
                "reason": "incorrect_data",
                "correctiveEventIDs": [event_id(4)],
                "ex:ticket": "T-9",
            },
        },
        {
            **_base(4, "TransformationEvent", 11),
            "inputEPCList": [ITEM.format(3)],
            "outputEPCList": [ITEM.format(4)],
            "ilmd": {"ex:grade": "B"},
            "ex:inspection": {"ex:score": 60},
            "ex:when": "2026-01-03T00:00:00+01:00",
        },
    ]


@pytest.fixture
def captured(client: TestClient, regulator: Headers) -> TestClient:
    document = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-02-02T00:00:00Z",
        "epcisBody": {"eventList": events()},
    }
    response = client.post(
        "/epcis/capture",
        content=orjson.dumps(document),
        headers={**regulator, "Content-Type": "application/json"},
    )
    assert response.status_code == 202, response.text
    job = client.get(response.headers["Location"], headers=regulator).json()
    assert job["success"] and job["storedCount"] == 4, job
    return client


def _ids(client: TestClient, headers: Headers, params: Any) -> set[int]:
    response = client.get("/epcis/events", params=params, headers=headers)
    assert response.status_code == 200, response.text
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    return {int(e["eventID"][-1]) for e in found}


CASES: list[tuple[dict[str, str], set[int]]] = [
    # top-level extension fields: numbers, strings, booleans, typed comparisons
    ({"EQ_ex:temperature": "4"}, {1}),
    ({"EQ_ex:temperature": "9.5"}, {2, 3}),  # the number 9.5 and the string "9.5"
    ({"GT_ex:temperature": "5"}, {2}),  # a string is not compared with a number
    ({"LE_ex:temperature": "9.5"}, {1, 2}),
    ({"LT_ex:temperature": "4"}, set()),
    ({"GE_ex:temperature": "4"}, {1, 2}),
    ({"EQ_ex:note": "fresh|stale"}, {1}),
    ({"EQ_ex:note": "Fresh"}, set()),
    ({"EQ_ex:checked": "true"}, {1}),
    ({"EQ_ex:checked": "false"}, set()),
    ({"EXISTS_ex:inspection": ""}, {2, 4}),
    ({"EXISTS_ex:inspection": "false"}, {1, 3}),
    ({"EQ_ex:inspector": "Li"}, set()),  # nested: only INNER_ finds it
    ({"EQ_ex:when": "2026-01-02T23:00:00Z"}, {4}),  # the same instant, spelt otherwise
    ({"GT_ex:when": "2026-01-02T23:00:00Z"}, set()),
    ({"GE_ex:when": "2026-01-02T23:00:00Z"}, {4}),
    # ILMD
    ({"EQ_ILMD_ex:grade": "A"}, {1}),
    ({"EQ_ILMD_ex:grade": "A|B"}, {1, 4}),
    ({"GT_ILMD_ex:brix": "12"}, {1}),
    ({"LT_ILMD_ex:brix": "12"}, set()),
    ({"GE_ILMD_ex:harvestDate": "2025-12-31T22:00:00Z"}, {1}),
    ({"GT_ILMD_ex:harvestDate": "2025-12-31T22:00:00Z"}, set()),
    ({"EQ_ILMD_ex:harvestDate": "2025-12-31T22:00:00.000Z"}, {1}),
    ({"EXISTS_ILMD_ex:brix": "true"}, {1}),
    ({"EQ_ex:grade": "A"}, set()),  # ILMD fields are not top-level fields
    # INNER: nested at any depth inside a top-level extension element
    ({"EQ_INNER_ex:inspector": "Li"}, {2}),
    ({"GE_INNER_ex:score": "80"}, {2}),
    ({"LT_INNER_ex:score": "80"}, {4}),
    ({"EQ_INNER_ex:when": "2026-01-02T10:00:00+01:00"}, {2}),
    ({"EQ_INNER_ex:when": "2026-01-02T23:00:00Z"}, set()),  # top level is not inner
    ({"EXISTS_INNER_ex:score": ""}, {2, 4}),
    # other scopes
    ({"EQ_SENSORREPORT_ex:probe": "P1"}, {2}),
    ({"EQ_SENSORMETADATA_ex:calibrated": "yes"}, {2}),
    ({"EQ_SENSORELEMENT_ex:site": "cold room"}, {2}),
    ({"EQ_SENSORELEMENT_ex:probe": "P1"}, set()),
    ({"EQ_ERROR_DECLARATION_ex:ticket": "T-9"}, {3}),
    ({"EXISTS_ERROR_DECLARATION_ex:ticket": ""}, {3}),
    ({"EQ_readPoint_ex:dock": "7"}, {1}),
    ({"EQ_bizLocation_ex:dock": "7"}, set()),
    # persistentDisposition, corrective events, measurement types
    ({"EQ_persistentDisposition_set": "completeness_verified"}, {1}),
    ({"EQ_persistentDisposition_set": "urn:epcglobal:cbv:disp:completeness_verified"}, {1}),
    ({"EQ_persistentDisposition_set": "completeness_inferred"}, set()),
    ({"EQ_persistentDisposition_unset": "completeness_inferred|active"}, {1}),
    ({"EQ_correctiveEventID": event_id(4)}, {3}),
    ({"EQ_correctiveEventID": event_id(2)}, set()),
    ({"EQ_type": "Temperature"}, {2}),
    ({"EQ_type": "https://gs1.org/voc/Temperature"}, {2}),
    ({"EQ_type": "Humidity"}, set()),
    # combined with indexed parameters
    ({"EQ_ex:temperature": "9.5", "eventType": "ObjectEvent", "EQ_action": "OBSERVE"}, {2, 3}),
]


@pytest.mark.parametrize(
    ("params", "expected"), CASES, ids=[orjson.dumps(p).decode()[:70] for p, _ in CASES]
)
def test_parameter(
    captured: TestClient, regulator: Headers, params: dict[str, str], expected: set[int]
) -> None:
    assert _ids(captured, regulator, params) == expected


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"GT_ex:temperature": "warm"}, "expected a number or a date-time"),
        ({"GT_ILMD_ex:harvestDate": "2026-01-01T00:00:00"}, "without a time zone"),
        ({"EQ_ex:note": ""}, "empty value"),
        ({"EXISTS_ex:note": "maybe"}, "expected true or false"),
        ({"EQ_ILMD_grade": "A"}, "unknown query parameter"),  # a field name has a prefix
        ({"EQ_OTHER_ex:grade": "A"}, "unknown query parameter"),
    ],
)
def test_bad_parameters(
    captured: TestClient, regulator: Headers, params: dict[str, str], fragment: str
) -> None:
    response = captured.get("/epcis/events", params=params, headers=regulator)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert fragment in response.json()["detail"]


def test_pages_through_an_extension_query(captured: TestClient, regulator: Headers) -> None:
    params = {"EXISTS_ex:temperature": "", "perPage": "1", "orderDirection": "ASC"}
    seen: list[int] = []
    url = "/epcis/events"
    while True:
        response = captured.get(url, params=params, headers=regulator)
        assert response.status_code == 200, response.text
        found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        seen += [int(e["eventID"][-1]) for e in found]
        token = _link_token(response.headers)
        if token is None:
            break
        params = {**params, "nextPageToken": token}
    assert seen == [1, 2, 3]


def _link_token(headers: Any) -> str | None:
    link = headers.get("Link")
    if not link:
        return None
    token: str = parse_qs(urlsplit(link[1 : link.index(">")]).query)["nextPageToken"][0]
    return token


def test_named_query_with_extension_parameters(captured: TestClient, regulator: Headers) -> None:
    body = {
        "name": "graded",
        "query": {
            "EXISTS_ILMD_ex:grade": None,
            "EQ_ILMD_ex:grade": ["A", "B"],
            "GT_ILMD_ex:brix": 1,
        },
    }
    created = captured.post("/epcis/queries", json=body, headers=regulator)
    assert created.status_code == 201, created.text
    response = captured.get("/epcis/queries/graded/events", headers=regulator)
    assert response.status_code == 200, response.text
    found = response.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert [e["eventID"] for e in found] == [event_id(1)]


@pytest.fixture
def with_master_data(captured: TestClient, db: Engine) -> TestClient:
    load_master_data(
        db,
        {
            "parties": [{"gln": "4012345000009"}],
            "locations": [  # FARM, spelt as 13 digits
                {
                    "gln": "4012345000016",
                    "name": {"en": "Farm", "zh": "农场"},
                    "country": "CN",
                    "kind": "farm",
                    "party": "4012345000009",
                }
            ],
        },
    )
    return captured


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"EQ_ATTR_readPoint_kind": "farm"}, {1, 2, 3}),
        ({"EQ_ATTR_readPoint_kind": "retail|dc"}, set()),
        ({"EQ_ATTR_readPoint_country": "CN", "EQ_action": "ADD"}, {1}),
        ({"EQ_ATTR_readPoint_country": "DE"}, set()),
        ({"EQ_ATTR_readPoint_party": "urn:epc:id:pgln:4012345.00000"}, {1, 2, 3}),
        ({"EQ_ATTR_readPoint_name": "农场"}, {1, 2, 3}),
        ({"HASATTR_readPoint": "address"}, set()),
        ({"HASATTR_readPoint": "address|kind"}, {1, 2, 3}),
        ({"EQ_ATTR_bizLocation_kind": "farm"}, set()),
    ],
    ids=lambda p: orjson.dumps(p).decode()[:60] if isinstance(p, dict) else "",
)
def test_master_data_attributes(
    with_master_data: TestClient, regulator: Headers, params: dict[str, str], expected: set[int]
) -> None:
    assert _ids(with_master_data, regulator, params) == expected


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"EQ_ATTR_epcClass_kind": "farm"}, "known for readPoint and bizLocation"),
        ({"EQ_ATTR_readPoint_colour": "red"}, "unknown location attribute 'colour'"),
        ({"HASATTR_readPoint": "kind|colour"}, "unknown location attribute 'colour'"),
    ],
)
def test_bad_attribute_parameters(
    captured: TestClient, regulator: Headers, params: dict[str, str], fragment: str
) -> None:
    response = captured.get("/epcis/events", params=params, headers=regulator)
    assert response.status_code == 400, response.text
    assert fragment in response.json()["detail"]
