"""A small hand-built supply chain (six events) whose every query answer is known."""

from __future__ import annotations

from typing import Any

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]
FARM = "urn:epc:id:sgln:4012345.00001.0"
FARM_DOCK = "urn:epc:id:sgln:4012345.00001.ext7"
PACKHOUSE = "urn:epc:id:sgln:4012345.00002.0"
SHOP = "urn:epc:id:sgln:0614141.00777.0"
ITEM1 = "urn:epc:id:sgtin:4012345.011111.1"
ITEM2 = "urn:epc:id:sgtin:4012345.011111.2"
OUTPUT = "urn:epc:id:sgtin:4012345.022222.9"
PALLET = "urn:epc:id:sscc:4012345.0000000001"
LOT1 = "urn:epc:class:lgtin:4012345.011111.LOT1"
LOT2 = "urn:epc:class:lgtin:4012345.022222.LOT2"
PO = "urn:epcglobal:cbv:bt:4012345000009:PO-1"
SELLER = "urn:epc:id:pgln:4012345.00000"
BUYER = "urn:epc:id:pgln:0614141.00000"
DEVICE = "urn:epc:id:giai:4012345.dev1"
TRANSFORMATION = "urn:uuid:9b0c1f0e-7a52-4d0e-9d43-0f3b4a6c2e11"


def event_id(n: int) -> str:
    return f"urn:uuid:00000000-0000-4000-8000-00000000000{n}"


def _base(n: int, kind: str, day: int, hour: int) -> dict[str, Any]:
    return {
        "type": kind,
        "eventID": event_id(n),
        "eventTime": f"2026-01-0{day}T{hour:02d}:00:00.000Z",
        "eventTimeZoneOffset": "+00:00",
    }


def _sensor(time: str, **report: Any) -> list[dict[str, Any]]:
    return [
        {
            "sensorMetadata": {"time": time, "deviceID": DEVICE},
            "sensorReport": [{"type": "gs1:Temperature", "uom": "CEL", **report}],
        }
    ]


def events() -> list[dict[str, Any]]:
    """The six events, in eventTime order (event n is ``event_id(n)``)."""
    return [
        {
            **_base(1, "ObjectEvent", 1, 8),
            "epcList": [ITEM1, ITEM2],
            "action": "ADD",
            "bizStep": "commissioning",
            "disposition": "active",
            "readPoint": {"id": FARM},
            "bizLocation": {"id": FARM},
            "sensorElementList": _sensor("2026-01-01T07:59:00Z", value=4.0),
        },
        {
            **_base(2, "AggregationEvent", 1, 9),
            "parentID": PALLET,
            "childEPCs": [ITEM1, ITEM2],
            "action": "ADD",
            "bizStep": "packing",
            "readPoint": {"id": FARM_DOCK},
            "bizLocation": {"id": FARM},
        },
        {
            **_base(3, "ObjectEvent", 2, 10),
            "epcList": [PALLET],
            "action": "OBSERVE",
            "bizStep": "https://ref.gs1.org/cbv/BizStep-shipping",
            "disposition": "in_transit",
            "readPoint": {"id": PACKHOUSE},
            "bizTransactionList": [{"type": "po", "bizTransaction": PO}],
            "sourceList": [{"type": "owning_party", "source": SELLER}],
            "destinationList": [{"type": "owning_party", "destination": BUYER}],
            "sensorElementList": _sensor("2026-01-02T09:00:00Z", minValue=2.0, maxValue=9.0),
        },
        {
            **_base(4, "TransformationEvent", 3, 11),
            "inputEPCList": [ITEM1],
            "inputQuantityList": [{"epcClass": LOT1, "quantity": 10, "uom": "KGM"}],
            "outputEPCList": [OUTPUT],
            "outputQuantityList": [{"epcClass": LOT2, "quantity": 5, "uom": "KGM"}],
            "transformationID": TRANSFORMATION,
            "bizStep": "repackaging",
            "readPoint": {"id": PACKHOUSE},
        },
        {
            **_base(5, "ObjectEvent", 4, 12),
            "quantityList": [{"epcClass": LOT1, "quantity": 20, "uom": "KGM"}],
            "action": "ADD",
            "bizStep": "receiving",
            "readPoint": {"id": SHOP},
        },
        {
            **_base(6, "ObjectEvent", 5, 13),
            "epcList": [ITEM2],
            "action": "OBSERVE",
            "bizStep": "inspecting",
            "readPoint": {"id": SHOP},
            "errorDeclaration": {
                "declarationTime": "2026-01-06T00:00:00Z",
                "reason": "incorrect_data",
            },
        },
    ]


def document(chosen: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """An ``EPCISDocument`` of ``chosen`` (default: the six events)."""
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-06T00:00:00Z",
        "epcisBody": {"eventList": events() if chosen is None else chosen},
    }
