"""A hand-built multi-tier supply chain as real EPCIS 2.0 events, and the identifiers in it.

farm harvest lots H1, H2 (farm A) and H3 (farm B) → packer commissions cases C1…C6 out of
them → cases aggregated onto pallets P1 (C1, C2, C3) and P2 (C4, C5, C6) → pallets shipped to
the DC and received → disaggregated → C1 + C3 (raw lots H1, H2) transformed into product lot
L1; C5 + C6 (raw lot H3) into product lots L2 and L3; C4 destroyed; C2 stays at the DC → L1
shipped to retailers R1 and R2, L2 to R1, L3 to R2 → R1 and R2 receive (L3 not yet) → R1
sells L1. Pallet P1 is inspected before loading and sent back empty after unpacking.
"""

from __future__ import annotations

from typing import Any

from foodtrace.epcis.hash import event_hash_id
from foodtrace.epcis.validate import validate_document
from foodtrace.gs1.digital_link import canonical_identifier
from trace_api.storage import prepare_event, store_events
from trace_api.storage.connection import Target

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


def lot(item: str, lot_id: str) -> str:
    return f"urn:epc:class:lgtin:4012345.{item}.{lot_id}"


def case(serial: str) -> str:
    return f"urn:epc:id:sgtin:4012345.022222.{serial}"


def sscc(serial: str) -> str:
    return f"urn:epc:id:sscc:4012345.{serial:0>10}"


def place(ref: str) -> str:
    return f"urn:epc:id:sgln:4012345.{ref}.0"


H1, H2, H3 = lot("011111", "H1"), lot("011111", "H2"), lot("011111", "H3")
C1, C2, C3, C4, C5, C6 = (case(f"C{i}") for i in range(1, 7))
P1, P2 = sscc("1"), sscc("2")
L1, L2, L3 = lot("033333", "L1"), lot("033333", "L2"), lot("033333", "L3")
FARM_A, FARM_B, PACKER, DC, R1, R2 = (place(f"0000{i}") for i in range(1, 7))
PACKER_CO = "urn:epc:id:pgln:4012345.00030"
R1_CO, R2_CO = "urn:epc:id:pgln:4012345.00050", "urn:epc:id:pgln:4012345.00060"

MASTER = {
    "parties": [
        {"gln": PACKER_CO, "name": {"en": "Fresh Pack", "zh": "鲜包"}, "role": "packer"},
        {"gln": R1_CO, "name": {"en": "Retail One", "zh": "零售一"}, "role": "retailer"},
        {"gln": R2_CO, "name": {"en": "Retail Two", "zh": "零售二"}, "role": "retailer"},
    ],
    "locations": [
        {"gln": FARM_A, "name": {"en": "Farm A", "zh": "甲农场"}, "kind": "farm"},
        {"gln": FARM_B, "name": {"en": "Farm B", "zh": "乙农场"}, "kind": "farm"},
        {"gln": PACKER, "name": {"en": "Packhouse"}, "kind": "packer", "party": PACKER_CO},
        {"gln": DC, "name": {"en": "DC"}, "kind": "dc"},
        {"gln": R1, "name": {"en": "Shop One"}, "kind": "retail", "party": R1_CO},
        {"gln": R2, "name": {"en": "Shop Two"}, "kind": "retail", "party": R2_CO},
    ],
    "products": [
        {"gtin": "04012345111118", "name": {"en": "Spinach, harvest", "zh": "菠菜"}},
    ],
}


def c(value: str) -> str:
    """Canonical identifier, as trace output names nodes."""
    return canonical_identifier(value)


def q(epc_class: str, quantity: float, uom: str = "KGM") -> dict[str, Any]:
    return {"epcClass": epc_class, "quantity": quantity, "uom": uom}


def event(kind: str, time: str, **fields: Any) -> dict[str, Any]:
    """One event at ``2026-01-{time}Z`` with a CBV 2.0 hash eventID."""
    built: dict[str, Any] = {
        "type": kind,
        "eventTime": f"2026-01-{time}:00Z",
        "eventTimeZoneOffset": "+00:00",
    }
    for key, value in fields.items():
        if key in ("readPoint", "bizLocation"):
            value = {"id": value}
        built[key] = value
    if "at" in built:
        site = built.pop("at")
        built["readPoint"] = {"id": site}
        built["bizLocation"] = {"id": site}
    if "eventID" not in built:
        built["eventID"] = event_hash_id(built)
    elif built["eventID"] is None:
        del built["eventID"]
    return built


def ship(
    time: str, origin: str, to: str, party: str | None = None, **fields: Any
) -> dict[str, Any]:
    destinations = [{"type": "location", "destination": to}]
    if party is not None:
        destinations.append({"type": "owning_party", "destination": party})
    return event(
        "ObjectEvent",
        time,
        action="OBSERVE",
        bizStep="shipping",
        disposition="in_transit",
        readPoint=origin,
        sourceList=[{"type": "location", "source": origin}],
        destinationList=destinations,
        **fields,
    )


def receive(time: str, at: str, **fields: Any) -> dict[str, Any]:
    return event(
        "ObjectEvent",
        time,
        action="OBSERVE",
        bizStep="receiving",
        disposition="in_progress",
        at=at,
        **fields,
    )


def harvest(time: str, at: str, epc_class: str, kg: float) -> dict[str, Any]:
    return event(
        "ObjectEvent",
        time,
        action="ADD",
        bizStep="commissioning",
        disposition="active",
        quantityList=[q(epc_class, kg)],
        at=at,
    )


def aggregate(time: str, action: str, parent: str, children: list[str], at: str) -> dict[str, Any]:
    fields: dict[str, Any] = {"parentID": parent}
    if children:
        fields["childEPCs"] = children
    step = {"ADD": "packing", "DELETE": "unpacking"}[action]
    return event("AggregationEvent", time, action=action, bizStep=step, at=at, **fields)


def chain() -> list[dict[str, Any]]:
    """The events of the chain, in time order."""
    return [
        harvest("01T08:00", FARM_A, H1, 100),
        harvest("01T08:10", FARM_A, H2, 80),
        harvest("01T08:20", FARM_B, H3, 50),
        event(
            "ObjectEvent",
            "02T07:00",
            action="OBSERVE",
            bizStep="inspecting",
            epcList=[P1],
            at=PACKER,
        ),
        event(
            "TransformationEvent",
            "02T09:00",
            inputQuantityList=[q(H1, 100)],
            outputEPCList=[C1, C2],
            bizStep="commissioning",
            at=PACKER,
        ),
        event(
            "TransformationEvent",
            "02T09:10",
            inputQuantityList=[q(H2, 80)],
            outputEPCList=[C3, C4],
            bizStep="commissioning",
            at=PACKER,
        ),
        event(
            "TransformationEvent",
            "02T09:20",
            inputQuantityList=[q(H3, 50)],
            outputEPCList=[C5, C6],
            bizStep="commissioning",
            at=PACKER,
        ),
        aggregate("02T10:00", "ADD", P1, [C1, C2, C3], PACKER),
        aggregate("02T10:05", "ADD", P2, [C4, C5, C6], PACKER),
        ship("02T12:00", PACKER, DC, epcList=[P1, P2]),
        receive("03T08:00", DC, epcList=[P1, P2]),
        aggregate("03T09:00", "DELETE", P1, [C1, C2, C3], DC),
        aggregate("03T09:05", "DELETE", P2, [], DC),
        ship("03T10:00", DC, PACKER, epcList=[P1]),
        event(
            "TransformationEvent",
            "04T10:00",
            inputEPCList=[C1, C3],
            outputQuantityList=[q(L1, 60)],
            bizStep="repackaging",
            at=DC,
        ),
        event(
            "TransformationEvent",
            "04T10:10",
            inputEPCList=[C5, C6],
            outputQuantityList=[q(L2, 20), q(L3, 20)],
            bizStep="repackaging",
            at=DC,
        ),
        event(
            "ObjectEvent",
            "04T11:00",
            action="OBSERVE",
            bizStep="destroying",
            disposition="destroyed",
            epcList=[C4],
            at=DC,
        ),
        ship("05T08:00", DC, R1, R1_CO, quantityList=[q(L1, 30)]),
        ship("05T08:05", DC, R2, R2_CO, quantityList=[q(L1, 30), q(L3, 20)]),
        ship("05T08:10", DC, R1, R1_CO, quantityList=[q(L2, 20)]),
        receive("05T14:00", R1, quantityList=[q(L1, 30), q(L2, 20)]),
        receive("05T14:30", R2, quantityList=[q(L1, 30)]),
        event(
            "ObjectEvent",
            "06T12:00",
            action="OBSERVE",
            bizStep="retail_selling",
            disposition="retail_sold",
            quantityList=[q(L1, 5)],
            at=R1,
        ),
    ]


def document(events: list[dict[str, Any]]) -> dict[str, Any]:
    doc = {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-01-07T00:00:00Z",
        "epcisBody": {"eventList": events},
    }
    problems = validate_document(doc)
    assert not problems, problems
    return doc


def store(target: Target, events: list[dict[str, Any]]) -> list[str]:
    """Validate the events as one EPCIS document and store them; their stored eventIDs."""
    doc = document(events)
    prepared = [prepare_event(e, doc["@context"]) for e in doc["epcisBody"]["eventList"]]
    result = store_events(target, prepared)
    assert sorted(result.duplicates) == result.declared
    return [p.event_id for p in prepared]
