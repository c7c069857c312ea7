"""The Art. 18 one-step-back/one-step-forward report and the EPCIS document of a selection."""

from __future__ import annotations

import csv
import io

import openpyxl
import orjson
from sqlalchemy.engine import Engine

from foodtrace.epcis.validate import validate_document
from tests.trace_api.export.chain import P3
from tests.trace_api.export.oracle import stored_event
from tests.trace_api.trace.chain import C1, C3, DC, L1, R1, R2, c
from trace_api.export import collect, make_selection
from trace_api.export.art18 import HEADERS, art18_csv, art18_json, art18_xlsx
from trace_api.export.epcis import epcis_document, epcis_json
from trace_api.export.rows import gln_of


def _gln(place: str) -> str:
    found = gln_of(c(place))
    assert found is not None
    return found


def test_art18_lists_suppliers_and_customers_of_a_lot(export_db: Engine) -> None:
    collected = collect(export_db, make_selection([L1]))
    report = orjson.loads(art18_json(collected))
    assert report["lots"][0]["producer"]["id"] == _gln(DC)
    entries = report["entries"]
    back = [e for e in entries if e["direction"] == "back"]
    forward = [e for e in entries if e["direction"] == "forward"]
    assert sorted(e["counterpartLot"] for e in back if e["relation"] == "made_from") == sorted(
        [c(C1), c(C3)]
    )
    shipped = [(e["counterpart"]["id"], e["quantity"]) for e in forward]
    # To R1 (its party, Retail One), to R2 twice (loose and on the pallet).
    assert sorted(shipped) == sorted(
        [
            (gln_of(c("urn:epc:id:pgln:4012345.00050")), 30.0),
            (gln_of(c("urn:epc:id:pgln:4012345.00060")), 30.0),
            (gln_of(c("urn:epc:id:pgln:4012345.00060")), 10.0),
        ]
    )
    received = [e for e in back if e["relation"] == "received_from"]
    assert sorted((e["holder"]["id"], e["quantity"]) for e in received) == sorted(
        [(_gln(R1), 30.0), (_gln(R2), 30.0), (_gln(R2), 10.0)]
    )
    assert {e["counterpart"]["id"] for e in received} == {_gln(DC)}
    assert all("200 Depot Avenue" in e["counterpart"]["address"] for e in received)
    for entry in entries:  # every entry says what its event says
        event = stored_event(export_db, entry["event"])
        refs = [
            {"type": r["type"], "id": r["bizTransaction"]}
            for r in event.get("bizTransactionList", [])
        ]
        assert entry["references"] == refs
        assert entry["date"].startswith(event["eventTime"][:16])
    rows = list(csv.reader(io.StringIO(art18_csv(collected).decode("utf-8-sig"))))
    assert rows[0] == HEADERS and len(rows) - 1 == len(entries)
    sheet = openpyxl.load_workbook(io.BytesIO(art18_xlsx(collected)))["Art. 18"]
    assert sheet.max_row - 1 == len(entries) and sheet.freeze_panes == "A2"


def test_epcis_document_holds_the_lots_events_unchanged(export_db: Engine) -> None:
    collected = collect(export_db, make_selection([L1]))
    doc = orjson.loads(epcis_json(export_db, collected))
    assert validate_document(doc) == []
    events = doc["epcisBody"]["eventList"]
    times = [e["eventTime"] for e in events]
    assert times == sorted(times)
    for event in events:
        assert event == stored_event(export_db, event["eventID"])
    steps = [(e["type"], e.get("bizStep")) for e in events]
    # The lot's own events and its pallet's shipment; the pallet's packing names the lot.
    assert ("ObjectEvent", "retail_selling") in steps
    assert ("AggregationEvent", "packing") in steps
    assert any(c(P3) in [c(x) for x in e.get("epcList", [])] for e in events)
    assert len(events) == len(collected.event_pks) == 9
    assert epcis_document(export_db, collected)["@context"][0].endswith("epcis-context.jsonld")
