"""Checks an exported FSMA 204 row against the stored event it names, read back independently
(the event's JSON as captured, not the export's row builder)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from foodtrace.gs1.digital_link import canonical_identifier

_ROLE_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


def stored_event(engine: Engine, event_id: str) -> dict[str, Any]:
    with engine.connect() as connection:
        raw = connection.execute(
            sa.text("SELECT raw FROM event WHERE event_id = :e"), {"e": event_id}
        ).scalar_one()
    event: dict[str, Any] = orjson.loads(raw)
    return event


def _lot_of(element_string: str) -> str:
    gtin, lot = element_string.removeprefix("(01)").split("(10)")
    return f"https://id.gs1.org/01/{gtin}/10/{lot}"


def _gln(value: str) -> str:
    link = canonical_identifier(value)
    parts = link.removeprefix("https://id.gs1.org/").split("/")
    return parts[1] + (f".{parts[3]}" if len(parts) >= 4 else "")


def _quantities(event: dict[str, Any], lot: str) -> list[tuple[float, str]]:
    found = []
    for key in _ROLE_LISTS:
        for element in event.get(key, []):
            if canonical_identifier(element["epcClass"]) == lot:
                found.append((float(element["quantity"]), element.get("uom", "")))
    return found


def check_row(engine: Engine, row: dict[str, str], packed: dict[str, tuple[float, str]]) -> None:
    """Assert that ``row`` (CSV cells by header) says what its event says.

    ``packed`` gives the quantity of the lot on each logistic unit (SSCC) of the test chain,
    for rows inherited from a pallet's events.
    """
    event = stored_event(engine, row["EPCIS Event ID"])
    lot = _lot_of(row["Traceability Lot Code (TLC)"])
    assert row["EPCIS Event Type"] == event["type"]
    step = event.get("bizStep")
    assert row["EPCIS Business Step"] == (step or "")
    when = datetime.fromisoformat(event["eventTime"].replace("Z", "+00:00")).astimezone(UTC)
    assert row["Event Time (UTC)"] == when.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert row["Event Date"] == when.date().isoformat()  # the chain's offsets are +00:00
    quantities = _quantities(event, lot)
    if row["Logistic Unit (SSCC)"]:
        unit = row["Logistic Unit (SSCC)"]
        assert not quantities
        names = [canonical_identifier(e) for e in event.get("epcList", [])]
        if "parentID" in event:
            names.append(canonical_identifier(event["parentID"]))
        assert unit in names
        expected = packed[unit]
    else:
        assert len(quantities) == 1, (row, quantities)
        expected = quantities[0]
    assert float(row["Quantity"]) == expected[0]
    assert row["Unit of Measure"] == expected[1]
    refs = event.get("bizTransactionList", [])
    assert row["Reference Document Type"] == "; ".join(r["type"] for r in refs)
    assert row["Reference Document Number"] == "; ".join(r["bizTransaction"] for r in refs)
    cte = row["Critical Tracking Event (CTE)"]
    where: str = (event.get("bizLocation") or event.get("readPoint") or {}).get("id", "")
    if where:
        assert row["CTE Location ID (GLN)"] == _gln(where)
    if cte == "Shipping":
        assert step == "shipping"
        targets = [d["destination"] for d in event["destinationList"] if d["type"] == "location"]
        assert row["Ship-To Location ID (GLN)"] == _gln(targets[0])
        sources = [s["source"] for s in event.get("sourceList", []) if s["type"] == "location"]
        assert row["Ship-From Location ID (GLN)"] == _gln(sources[0] if sources else where)
    elif cte == "Receiving":
        assert step == "receiving"
        assert row["Receiving Location ID (GLN)"] == _gln(where)
    elif cte in ("Transformation", "Initial Packing") and event["type"] == "TransformationEvent":
        role = row["TLC Role in Transformation"]
        key = {"input": "inputQuantityList", "output": "outputQuantityList"}[role]
        assert lot in {canonical_identifier(e["epcClass"]) for e in event[key]}
    elif cte == "Harvesting":
        assert event["type"] == "ObjectEvent" and event["action"] == "ADD"
    elif cte == "Cooling":
        assert event.get("sensorElementList")
