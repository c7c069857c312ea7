"""The GS1 US FSMA 204 CTE examples (``tests/data/fsma204``): each document, captured through the
normal pipeline, exports the CTEs GS1 US maps its events to, with the KDEs its mapping notes
name (quantities, locations, reference documents, subsequent recipients)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy.engine import Engine

from trace_api.capture import check_document, store_checked
from trace_api.export import collect, make_selection
from trace_api.export.fsma204 import fsma204_csv
from trace_api.storage import load_master_data

DATA = Path(__file__).resolve().parents[2] / "data" / "fsma204"
DL = "https://id.gs1.org"
RAC = f"{DL}/01/00860009999923/10/ABC1234"  # harvested commodity
PACKED = f"{DL}/01/10860009999920/10/ABC1234"  # cases packed from it
MASTER = {
    "locations": [
        {"gln": f"{DL}/414/0860009999060", "name": {"en": "Sunny Fields Farm"}, "kind": "farm"},
        {"gln": f"{DL}/414/0860009999077", "name": {"en": "Valley Cooler"}, "kind": "other"},
        {"gln": f"{DL}/414/0860009999992", "name": {"en": "Packhouse"}, "kind": "packer"},
        {"gln": f"{DL}/414/0860009998001", "name": {"en": "Distributor DC"}, "kind": "dc"},
        {"gln": f"{DL}/414/0860009998018", "name": {"en": "Salad Plant"}, "kind": "processor"},
        {"gln": f"{DL}/414/0860009997004", "name": {"en": "Harbour Receiver"}, "kind": "port"},
    ]
}


def _store(engine: Engine, name: str) -> None:
    doc: dict[str, Any] = orjson.loads((DATA / name).read_bytes())
    doc.pop("_comment_gs1us_mapping")
    checked = check_document(doc)
    assert not checked.refusals
    load_master_data(engine, MASTER)
    store_checked(engine, [checked])


def _rows(engine: Engine, lot: str) -> list[dict[str, str]]:
    content = fsma204_csv(collect(engine, make_selection([lot])))
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _summary(rows: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return [
        (
            r["Critical Tracking Event (CTE)"],
            r["TLC Role in Transformation"],
            f"{r['Quantity']} {r['Unit of Measure']}",
            r["CTE Location ID (GLN)"],
        )
        for r in rows
    ]


def test_harvest(db: Engine) -> None:
    _store(db, "harvest-cte.jsonld")
    rows = _rows(db, RAC)
    assert _summary(rows) == [("Harvesting", "", "25000 LBR", "0860009999060")]
    assert rows[0]["Ship-To Location ID (GLN)"] == "0860009999992"  # the transport's recipient
    assert rows[0]["Reference Document Type"] == "prodorder"
    assert rows[0]["TLC Source Reference (GLN)"] == "0860009999060"


def test_cooling(db: Engine) -> None:
    _store(db, "cooling-cte.jsonld")
    rows = _rows(db, RAC)
    assert _summary(rows) == [
        ("Receiving", "", "25000 LBR", "0860009999077"),
        ("Cooling", "", "25000 LBR", "0860009999077"),
    ]
    assert rows[0]["Ship-From Location ID (GLN)"] == "0860009999060"  # the farm
    assert rows[0]["Reference Document Type"] == "recadv"
    assert rows[1]["Ship-To Location ID (GLN)"] == "0860009999992"


def test_initial_packing(db: Engine) -> None:
    _store(db, "initial-packing-cte.jsonld")
    assert _summary(_rows(db, RAC)) == [
        ("Harvesting", "", "25000 LBR", "0860009999060"),
        ("Receiving", "", "25000 LBR", "0860009999992"),
        ("Cooling", "", "25000 LBR", "0860009999992"),
        ("Initial Packing", "input", "25000 LBR", "0860009999992"),
    ]
    packed = _rows(db, PACKED)
    assert _summary(packed) == [("Initial Packing", "output", "500 CS", "0860009999992")]
    assert packed[0]["TLC Source Reference (GLN)"] == "0860009999992"
    assert packed[0]["Transformation Inputs/Outputs"] == "(01)00860009999923(10)ABC1234 25000 LBR"
    assert packed[0]["Reference Document Type"] == "prodorder"


def test_first_land_based_receiving(db: Engine) -> None:
    _store(db, "first-land-based-receiver-cte.jsonld")
    rows = _rows(db, f"{DL}/01/00860009997004/10/SWF-2026-0223")
    assert _summary(rows) == [("First Land-Based Receiving", "", "1000 LBR", "0860009997004")]
    assert rows[0]["Reference Document Type"] == "cert; recadv; po"


def test_shipping_on_a_pallet(db: Engine) -> None:
    _store(db, "shipping-cte.jsonld")
    rows = _rows(db, PACKED)
    assert _summary(rows) == [
        ("Initial Packing", "output", "25 CS", "0860009999992"),
        ("Shipping", "", "25 CS", "0860009999992"),
    ]
    shipped = rows[1]
    assert shipped["Logistic Unit (SSCC)"] == f"{DL}/00/008600099999850000"
    assert shipped["Ship-From Location ID (GLN)"] == "0860009999992"
    assert shipped["Ship-To Location ID (GLN)"] == "0860009998001"
    assert shipped["Ship-To Location Description"].startswith("Distributor DC")
    assert shipped["Reference Document Type"] == "desadv; bol"
    other = _rows(db, f"{DL}/01/10860009999920/10/ABC5678")
    assert _summary(other) == [("Shipping", "", "25 CS", "0860009999992")]


def test_receiving(db: Engine) -> None:
    _store(db, "receiving-cte.jsonld")
    rows = _rows(db, PACKED)
    assert _summary(rows) == [
        ("Initial Packing", "output", "500 CS", "0860009999992"),
        ("Receiving", "", "500 CS", "0860009998001"),
    ]
    assert rows[1]["Ship-From Location ID (GLN)"] == "0860009999992"
    assert rows[1]["Receiving Location ID (GLN)"] == "0860009998001"
    assert rows[1]["Reference Document Type"] == "recadv"


@pytest.mark.parametrize(
    ("lot", "role", "quantity"),
    [
        (PACKED, "input", "100 CS"),
        (f"{DL}/01/10860009998022/10/DEF2345", "input", "50 CS"),
        (f"{DL}/01/10860009998039/10/SALAD-20260420-A", "output", "2000 CS"),
    ],
)
def test_transformation(db: Engine, lot: str, role: str, quantity: str) -> None:
    _store(db, "transformation-cte.jsonld")
    assert _summary(_rows(db, lot)) == [("Transformation", role, quantity, "0860009998018")]
