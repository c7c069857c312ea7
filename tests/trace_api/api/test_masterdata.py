"""/api/v1/masterdata: read and write parties, locations and products, by role."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.api.client import TestClient
from tests.trace_api.api.conftest import bearer
from trace_api.auth.tokens import create_token
from trace_api.storage import load_master_file

Headers = dict[str, str]
EXAMPLE = Path(__file__).parents[3] / "trace_api" / "examples" / "master-data.json"
FARM_PARTY = "0690123450006"  # Green Valley Farms: owns location 0690123450013
PACKER_PARTY = "urn:epc:id:pgln:0690123.45100"  # Fresh Pack: brand owner of the spinach
SPINACH = "06901234510010"


@pytest.fixture
def loaded(client: TestClient, db: Engine) -> TestClient:
    load_master_file(db, EXAMPLE)
    return client


@pytest.fixture
def farm(db: Engine) -> Headers:
    return bearer(create_token(db, "operator", party=FARM_PARTY))


@pytest.fixture
def packer(db: Engine) -> Headers:
    # the operator's party in another spelling than the master data's
    return bearer(create_token(db, "operator", party="0690123451003"))


def _get(client: TestClient, path: str, headers: Headers, status: int = 200) -> Any:
    response = client.get(f"/api/v1/masterdata/{path}", headers=headers)
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    return response.json()


def test_regulator_reads_everything(loaded: TestClient, regulator: Headers) -> None:
    parties = _get(loaded, "parties", regulator)
    assert [p["gln"] for p in parties["parties"]] == sorted(
        ["0690123450006", "urn:epc:id:pgln:0690123.45100", "0690123452000"]
    )
    assert parties["next"] is None
    locations = _get(loaded, "locations", regulator)["locations"]
    assert {loc["party"] for loc in locations} == {
        "0690123450006",
        "urn:epc:id:pgln:0690123.45100",
        "0690123452000",
    }
    product = _get(loaded, f"products/{SPINACH[1:]}", regulator)  # GTIN-13 finds the GTIN-14
    assert product["name"]["zh"] == "嫩菠菜（已清洗）200克"
    assert product["brand_owner"] == PACKER_PARTY
    assert product["ingredients"] == [{"en": "spinach", "zh": "菠菜"}]
    assert [(c["scheme"], c["number"], c["valid_until"]) for c in product["certifications"]] == [
        ("green-food", "LB-15-2611010101A", "2027-06-30")
    ]
    # any spelling of a key: Digital Link of a location stored as 13 digits
    farm = _get(loaded, "locations/https://id.gs1.org/414/0690123450013", regulator)
    assert farm["gln"] == "0690123450013" and farm["kind"] == "farm"
    _get(loaded, "parties/0690123459999", regulator, 404)


def test_paging(loaded: TestClient, regulator: Headers) -> None:
    first = _get(loaded, "parties?limit=2", regulator)
    assert len(first["parties"]) == 2 and first["next"] == first["parties"][1]["gln"]
    rest = _get(loaded, f"parties?limit=2&after={first['next']}", regulator)
    assert len(rest["parties"]) == 1 and rest["next"] is None


def test_operator_sees_its_own_party_only(
    loaded: TestClient, farm: Headers, packer: Headers
) -> None:
    assert [p["gln"] for p in _get(loaded, "parties", farm)["parties"]] == [FARM_PARTY]
    assert [loc["gln"] for loc in _get(loaded, "locations", farm)["locations"]] == ["0690123450013"]
    assert _get(loaded, "products", farm)["products"] == []
    assert [p["gtin"] for p in _get(loaded, "products", packer)["products"]] == [SPINACH]
    _get(loaded, f"products/{SPINACH}", farm, 404)
    _get(loaded, "locations/0690123452017", farm, 404)
    _get(loaded, "parties/0690123450006", packer, 404)


def test_station_and_anonymous_are_refused(loaded: TestClient, station: Headers) -> None:
    _get(loaded, "parties", station, 403)
    _get(loaded, "parties", {}, 401)
    response = loaded.put("/api/v1/masterdata/parties", json=[], headers=station)
    assert response.status_code == 403


def test_regulator_writes(loaded: TestClient, regulator: Headers) -> None:
    key = "urn:epc:id:sgln:0690123.45101.7"
    entry: dict[str, Any] = {
        "gln": key,
        "name": {"en": "Fresh Pack cold room", "zh": "鲜包冷库"},
        "kind": "packer",
        "latitude": 30.4,
        "longitude": 120.3,
        "party": "0690123451003",  # another spelling of the stored party key
    }
    path = "/api/v1/masterdata/locations/" + key
    created = loaded.put(path, json=entry, headers=regulator)
    assert created.status_code == 201, created.text
    assert created.json()["party"] == PACKER_PARTY
    again = loaded.put(path, json={**entry, "address": "Yuhang"}, headers=regulator)
    assert again.status_code == 200
    assert _get(loaded, "locations/" + key, regulator)["address"] == "Yuhang"
    # a second spelling of the key replaces the same row
    digits = "https://id.gs1.org/414/0690123451010/254/7"
    moved = loaded.put(
        "/api/v1/masterdata/locations/" + digits, json={**entry, "gln": digits}, headers=regulator
    )
    assert moved.status_code == 200, moved.text
    assert len(_get(loaded, "locations", regulator)["locations"]) == 4
    bulk = loaded.put(
        "/api/v1/masterdata/products",
        json=[{"gtin": "06901234510027", "name": {"en": "Rocket"}, "brand_owner": PACKER_PARTY}],
        headers=regulator,
    )
    assert bulk.json() == {"created": 1, "updated": 0}


@pytest.mark.parametrize(
    ("path", "body", "fragment"),
    [
        ("parties/0690123450006", {"gln": "0690123452000"}, "the path names"),
        ("locations/0690123450099", {"gln": "0690123450099", "party": "0690123459999"}, "unknown"),
        ("products/06901234510011", {"gtin": "06901234510011"}, "wrong check digit"),
        ("locations/0690123450013", {"gln": "0690123450013", "latitude": 91}, "latitude"),
        ("parties/0690123450006", {"gln": "0690123450006", "colour": "green"}, "colour"),
    ],
)
def test_bad_writes_are_problems(
    loaded: TestClient, regulator: Headers, path: str, body: dict[str, Any], fragment: str
) -> None:
    response = loaded.put(f"/api/v1/masterdata/{path}", json=body, headers=regulator)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert fragment in response.text


def test_operator_writes_only_its_own(loaded: TestClient, farm: Headers) -> None:
    own = {"gln": "0690123450020", "name": {"en": "Field 4"}, "party": FARM_PARTY}
    response = loaded.put("/api/v1/masterdata/locations/0690123450020", json=own, headers=farm)
    assert response.status_code == 201, response.text
    # giving a location to another party, or taking over another party's location: 403
    other = {**own, "party": "0690123452000"}
    response = loaded.put("/api/v1/masterdata/locations/0690123450020", json=other, headers=farm)
    assert response.status_code == 403
    theirs = {"gln": "0690123452017", "party": FARM_PARTY}
    response = loaded.put("/api/v1/masterdata/locations/0690123452017", json=theirs, headers=farm)
    assert response.status_code == 403
    assert _get(loaded, "locations/0690123452017", bearer_regulator(loaded))["party"] == (
        "0690123452000"
    )
    renamed = {"gln": FARM_PARTY, "name": {"en": "Green Valley", "zh": "绿谷"}}
    response = loaded.put(f"/api/v1/masterdata/parties/{FARM_PARTY}", json=renamed, headers=farm)
    assert response.status_code == 200, response.text
    response = loaded.put(
        "/api/v1/masterdata/parties", json=[{"gln": "0690123452000"}], headers=farm
    )
    assert response.status_code == 403


def bearer_regulator(client: TestClient) -> Headers:
    engine: Engine = client.app.state.engine  # type: ignore[attr-defined]
    return bearer(create_token(engine, "regulator"))
