"""Trace back, forward and both over the hand-built chain, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine

from foodtrace.exceptions import CheckDigitError, EPCURIError
from tests.trace_api.trace import chain as ch
from tests.trace_api.trace.chain import c
from trace_api.exceptions import TraceIdError, TraceNotFoundError
from trace_api.trace import trace

NAMES = {
    c(getattr(ch, name)): name
    for name in (
        *(["H1", "H2", "H3", "C1", "C2", "C3", "C4", "C5", "C6", "P1", "P2", "L1", "L2", "L3"]),
        *(["FARM_A", "FARM_B", "PACKER", "DC", "R1", "R2", "PACKER_CO", "R1_CO", "R2_CO"]),
    )
}
IDS = [e["eventID"] for e in ch.chain()]

# Object → location/party edges every trace through these objects shows (event index in chain).
C1_PLACES = {
    ("C1", "PACKER", "commissioned_at", 4),
    ("C1", "PACKER", "observed_at", 7),
    ("C1", "DC", "observed_at", 11),
    ("C1", "DC", "observed_at", 14),
}
C2_PLACES = {
    ("C2", "PACKER", "commissioned_at", 4),
    ("C2", "PACKER", "observed_at", 7),
    ("C2", "DC", "observed_at", 11),
}
C3_PLACES = {
    ("C3", "PACKER", "commissioned_at", 5),
    ("C3", "PACKER", "observed_at", 7),
    ("C3", "DC", "observed_at", 11),
    ("C3", "DC", "observed_at", 14),
}
P1_WHILE_LOADED = {
    ("P1", "PACKER", "observed_at", 7),
    ("P1", "DC", "shipped_to", 9),
    ("P1", "DC", "received_at", 10),
    ("P1", "DC", "observed_at", 11),
}
L1_PLACES = {
    ("L1", "DC", "observed_at", 14),
    ("L1", "R1", "shipped_to", 17),
    ("L1", "R1_CO", "shipped_to", 17),
    ("L1", "R2", "shipped_to", 18),
    ("L1", "R2_CO", "shipped_to", 18),
    ("L1", "R1", "received_at", 20),
    ("L1", "R2", "received_at", 21),
    ("L1", "R1", "observed_at", 22),
}
H1_PLACES = {("H1", "FARM_A", "commissioned_at", 0), ("H1", "PACKER", "observed_at", 4)}
H2_PLACES = {("H2", "FARM_A", "commissioned_at", 1), ("H2", "PACKER", "observed_at", 5)}


def edges(result: dict[str, Any]) -> set[tuple[str, str, str, int]]:
    return {
        (NAMES[e["source"]], NAMES[e["target"]], e["kind"], IDS.index(e["event"]))
        for e in result["edges"]
    }


def objects(result: dict[str, Any]) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {
        NAMES[n["id"]]: (n["kind"], tuple(n["modes"]))
        for n in result["nodes"]
        if n["kind"] not in ("event", "location", "party")
    }


def holders(result: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(NAMES[h["object"]], NAMES[h["location"]], h["status"]) for h in result["holders"]}


def journey(result: dict[str, Any]) -> list[int]:
    return [IDS.index(entry["event"]) for entry in result["timeline"]]


def test_forward_from_harvest_lot(chain_db: Engine) -> None:
    result = trace(chain_db, ch.H1, "forward").to_dict()
    assert objects(result) == {
        "H1": ("lot", ("forward",)),
        "C1": ("epc", ("forward",)),
        "C2": ("epc", ("forward",)),
        "L1": ("lot", ("forward",)),
        "P1": ("sscc", ("carrier",)),
    }
    assert edges(result) == {
        ("H1", "C1", "transformed_into", 4),
        ("H1", "C2", "transformed_into", 4),
        ("C1", "P1", "aggregated_in", 7),
        ("C2", "P1", "aggregated_in", 7),
        ("C1", "L1", "transformed_into", 14),
        *H1_PLACES,
        *C1_PLACES,
        *C2_PLACES,
        *P1_WHILE_LOADED,
        *L1_PLACES,
    }
    # C1 went into L1 and H1 into the cases: neither holds anything; C2 stayed at the DC.
    assert holders(result) == {("C2", "DC", "held"), ("L1", "R1", "sold"), ("L1", "R2", "held")}
    assert journey(result) == [0, 4, 7, 9, 10, 11, 14, 17, 18, 20, 21, 22]
    by_location = {h["location"]: h for h in result["holders"] if NAMES[h["object"]] == "L1"}
    assert by_location[c(ch.R1)]["locationName"] == "Shop One"
    assert by_location[c(ch.R1)]["parties"] == [c(ch.R1_CO)]
    assert by_location[c(ch.R1)]["event"] == IDS[22]


def test_forward_one_lot_into_two_and_in_transit(chain_db: Engine) -> None:
    result = trace(chain_db, ch.H3, "forward").to_dict()
    assert set(objects(result)) == {"H3", "C5", "C6", "P2", "L2", "L3"}
    assert {e for e in edges(result) if e[2] == "transformed_into"} == {
        ("H3", "C5", "transformed_into", 6),
        ("H3", "C6", "transformed_into", 6),
        ("C5", "L2", "transformed_into", 15),
        ("C5", "L3", "transformed_into", 15),
        ("C6", "L2", "transformed_into", 15),
        ("C6", "L3", "transformed_into", 15),
    }
    assert holders(result) == {("L2", "R1", "held"), ("L3", "R2", "in_transit")}
    # The DELETE without childEPCs (12) empties P2: its cases see it through the pallet.
    assert journey(result) == [2, 6, 8, 9, 10, 12, 15, 18, 19, 20]


def test_back_from_product_lot_two_raw_lots(chain_db: Engine) -> None:
    result = trace(chain_db, ch.L1, "back").to_dict()
    assert objects(result) == {
        "L1": ("lot", ("back",)),
        "C1": ("epc", ("back",)),
        "C3": ("epc", ("back",)),
        "H1": ("lot", ("back",)),
        "H2": ("lot", ("back",)),
        "P1": ("sscc", ("carrier",)),
    }
    assert edges(result) == {
        ("C1", "L1", "transformed_into", 14),
        ("C3", "L1", "transformed_into", 14),
        ("H1", "C1", "transformed_into", 4),
        ("H2", "C3", "transformed_into", 5),
        ("C1", "P1", "aggregated_in", 7),
        ("C3", "P1", "aggregated_in", 7),
        *H1_PLACES,
        *H2_PLACES,
        *C1_PLACES,
        *C3_PLACES,
        *P1_WHILE_LOADED,
        *L1_PLACES,
    }
    assert result["holders"] == []
    assert journey(result) == [0, 1, 4, 5, 7, 9, 10, 11, 14, 17, 18, 20, 21, 22]
    farms = [n for n in result["nodes"] if n["kind"] == "location" and n["id"] == c(ch.FARM_A)]
    assert farms == [
        {
            "id": c(ch.FARM_A),
            "kind": "location",
            "value": ch.FARM_A,
            "name": "Farm A",
            "name_zh": "甲农场",
            "location_kind": "farm",
        }
    ]
    harvest = next(n for n in result["nodes"] if n["id"] == c(ch.H1))
    assert harvest["name"] == "Spinach, harvest"


def test_both_from_a_case(chain_db: Engine) -> None:
    result = trace(chain_db, ch.C1, "both").to_dict()
    assert objects(result) == {
        "C1": ("epc", ("back", "forward")),
        "H1": ("lot", ("back",)),
        "L1": ("lot", ("forward",)),
        "P1": ("sscc", ("carrier",)),
    }
    assert edges(result) == {
        ("H1", "C1", "transformed_into", 4),
        ("C1", "P1", "aggregated_in", 7),
        ("C1", "L1", "transformed_into", 14),
        *H1_PLACES,
        *C1_PLACES,
        *P1_WHILE_LOADED,
        *L1_PLACES,
    }
    assert holders(result) == {("L1", "R1", "sold"), ("L1", "R2", "held")}
    events = {n["id"] for n in result["nodes"] if n["kind"] == "event"}
    assert events == {IDS[i] for i in journey(result)}


def test_case_inherits_pallet_moves_only_while_aggregated(chain_db: Engine) -> None:
    result = trace(chain_db, ch.C2, "back").to_dict()
    # 3: P1 inspected before C2 was loaded; 13: P1 sent back empty after unpacking.
    assert journey(result) == [0, 4, 7, 9, 10, 11]
    shipping = next(e for e in result["timeline"] if e["event"] == IDS[9])
    assert shipping["objects"] == []
    assert shipping["via"] == {c(ch.C2): c(ch.P1)}
    assert shipping["location"] == c(ch.PACKER)
    assert shipping["locationName"] == "Packhouse"
    # Traced itself, the pallet shows all its own moves, and its contents' (14: C1, C3 used).
    assert [e["event"] for e in trace(chain_db, ch.P1, "back").timeline] == [
        IDS[i] for i in (0, 1, 3, 4, 5, 7, 9, 10, 11, 13, 14)
    ]


def test_pallet_forward_reaches_its_contents(chain_db: Engine) -> None:
    result = trace(chain_db, ch.P1, "forward").to_dict()
    assert objects(result) == {
        "P1": ("sscc", ("carrier", "forward")),
        "C1": ("epc", ("forward",)),
        "C2": ("epc", ("forward",)),
        "C3": ("epc", ("forward",)),
        "L1": ("lot", ("forward",)),
    }
    assert holders(result) == {
        ("C2", "DC", "held"),
        ("L1", "R1", "sold"),
        ("L1", "R2", "held"),
        ("P1", "PACKER", "in_transit"),
    }


def test_destroyed_case_has_no_holder(chain_db: Engine) -> None:
    result = trace(chain_db, ch.C4, "forward").to_dict()
    assert set(objects(result)) == {"C4", "P2"}
    assert result["holders"] == []
    assert journey(result)[-1] == 16


@pytest.mark.parametrize(
    "given",
    [
        ch.L1,
        "https://example.com/01/04012345333336/10/L1",
        "https://id.gs1.org/01/04012345333336/10/L1?linkType=all",
    ],
)
def test_lot_forms_resolve_alike(chain_db: Engine, given: str) -> None:
    result = trace(chain_db, given, "back").to_dict()
    assert result["canonical"] == c(ch.L1)
    assert result["kind"] == "lot"
    assert set(objects(result)) == {"L1", "C1", "C3", "H1", "H2", "P1"}


def test_gtin_traces_every_lot_of_it(chain_db: Engine) -> None:
    result = trace(chain_db, "04012345333336", "back").to_dict()
    assert result["kind"] == "gtin"
    seeds = {NAMES[n["id"]] for n in result["nodes"] if n.get("seed")}
    assert seeds == {"L1", "L2", "L3"}
    assert {"H1", "H2", "H3"} <= set(objects(result))


def test_unknown_and_malformed_ids(chain_db: Engine) -> None:
    with pytest.raises(TraceNotFoundError, match="no stored event names"):
        trace(chain_db, "urn:epc:id:sgtin:4012345.022222.NOPE")
    with pytest.raises(EPCURIError, match="3 dot-separated components"):
        trace(chain_db, "urn:epc:id:sgtin:4012345.022222")
    with pytest.raises(CheckDigitError, match="expected 6"):
        trace(chain_db, "04012345333331")
    with pytest.raises(TraceIdError, match="not an EPC URI"):
        trace(chain_db, "spinach")
    with pytest.raises(TraceIdError, match="direction"):
        trace(chain_db, ch.L1, "sideways")


def test_transformation_id_joins_events(chain_db: Engine) -> None:
    """Inputs and outputs recorded in two events sharing a transformationID form one step."""
    juice = ch.lot("044444", "J1")
    tid = "urn:uuid:7f6c1c1e-3d5e-4c1b-9a7e-1f2e3d4c5b6a"
    ch.store(
        chain_db,
        [
            ch.event(
                "TransformationEvent",
                "04T11:30",
                transformationID=tid,
                inputEPCList=[ch.C2],
                at=ch.DC,
            ),
            ch.event(
                "TransformationEvent",
                "04T11:40",
                transformationID=tid,
                outputQuantityList=[ch.q(juice, 5, "LTR")],
                at=ch.DC,
            ),
        ],
    )
    forward = trace(chain_db, ch.H1, "forward").to_dict()
    assert (c(ch.C2), c(juice)) in {
        (e["source"], e["target"]) for e in forward["edges"] if e["kind"] == "transformed_into"
    }
    assert (c(juice), c(ch.DC), "held") in {
        (h["object"], h["location"], h["status"]) for h in forward["holders"]
    }
    back = trace(chain_db, juice, "back").to_dict()
    assert {n["id"] for n in back["nodes"] if n["kind"] in ("lot", "epc")} == {
        c(juice),
        c(ch.C2),
        c(ch.H1),
    }
