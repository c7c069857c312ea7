"""The trace tests' hand-built chain, plus what the exports read: addresses in the master data,
reference documents (business transactions), a pallet (SSCC) carrying part of lot L1 with the
GS1 US "Aggregation Add + Object Observe" shipping pattern, an "Aggregation Observe" receipt,
and a cooling event with a temperature reading."""

from __future__ import annotations

import copy
from typing import Any

from tests.trace_api.trace.chain import (
    DC,
    FARM_A,
    H1,
    L1,
    MASTER,
    R1,
    R2,
    R2_CO,
    chain,
    event,
    q,
    sscc,
)

__all__ = ["EXPORT_MASTER", "P3", "export_chain"]

P3 = sscc("3")
DESADV = "urn:epcglobal:cbv:bt:4012345000009:856-0001"
BOL = "urn:epcglobal:cbv:bt:4012345000009:211-0001"
RECADV = "urn:epcglobal:cbv:bt:4012345000009:861-0001"
PO = "urn:epcglobal:cbv:bt:4012345000009:850-0042"

_ADDRESSES = {
    FARM_A: ("1 Field Road, Salinas, CA 93901", "US"),
    DC: ("200 Depot Avenue, Fresno, CA 93721", "US"),
    R1: ("5 Market Street, San Jose, CA 95113", "US"),
    R2: ("9 Main Street, Oakland, CA 94607", "US"),
}


def _master() -> dict[str, Any]:
    master = copy.deepcopy(MASTER)
    for location in master["locations"]:
        if location["gln"] in _ADDRESSES:
            location["address"], location["country"] = _ADDRESSES[location["gln"]]
    master["products"].append(
        {"gtin": "04012345333336", "name": {"en": "Spinach, washed 250 g", "zh": "洗净菠菜"}}
    )
    return master


EXPORT_MASTER = _master()


def export_chain() -> list[dict[str, Any]]:
    """The trace chain plus the export-specific events, in time order."""
    extra = [
        event(
            "ObjectEvent",
            "01T09:00",
            action="OBSERVE",
            bizStep="other",
            disposition="in_progress",
            quantityList=[q(H1, 100)],
            at=FARM_A,
            sensorElementList=[
                {"sensorReport": [{"type": "Temperature", "value": 3.5, "uom": "CEL"}]}
            ],
        ),
        event(
            "AggregationEvent",
            "05T07:00",
            action="ADD",
            bizStep="packing",
            parentID=P3,
            childQuantityList=[q(L1, 10)],
            at=DC,
            bizTransactionList=[{"type": "po", "bizTransaction": PO}],
        ),
        event(
            "ObjectEvent",
            "05T07:30",
            action="OBSERVE",
            bizStep="shipping",
            disposition="in_transit",
            epcList=[P3],
            readPoint=DC,
            sourceList=[{"type": "location", "source": DC}],
            destinationList=[
                {"type": "location", "destination": R2},
                {"type": "owning_party", "destination": R2_CO},
            ],
            bizTransactionList=[
                {"type": "desadv", "bizTransaction": DESADV},
                {"type": "bol", "bizTransaction": BOL},
            ],
        ),
        event(
            "AggregationEvent",
            "05T15:00",
            action="OBSERVE",
            bizStep="receiving",
            disposition="in_progress",
            parentID=P3,
            childQuantityList=[q(L1, 10)],
            at=R2,
            sourceList=[{"type": "location", "source": DC}],
            bizTransactionList=[{"type": "recadv", "bizTransaction": RECADV}],
        ),
    ]
    return sorted(chain() + extra, key=lambda e: e["eventTime"])
