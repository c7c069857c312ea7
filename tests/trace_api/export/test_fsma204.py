"""The FSMA 204 sortable spreadsheet, every row checked against the event it comes from."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from sqlalchemy.engine import Engine

from tests.trace_api.export.chain import P3
from tests.trace_api.export.oracle import check_row
from tests.trace_api.trace.chain import DC, FARM_A, H1, L1, L2, L3, PACKER, R1, R2, c
from trace_api.exceptions import ExportError, ExportNotFoundError
from trace_api.export import collect, make_selection
from trace_api.export.fsma204 import HEADERS, fsma204_csv, fsma204_xlsx
from trace_api.export.rows import gln_of
from trace_api.storage import load_master_data

PACKED = {c(P3): (10.0, "KGM")}


def _rows(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for spreadsheet programs
    reader = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
    assert reader.fieldnames == HEADERS
    return list(reader)


def _gln(place: str) -> str:
    found = gln_of(c(place))
    assert found is not None
    return found


def test_lot_rows_are_its_ctes_and_match_their_events(export_db: Engine) -> None:
    rows = _rows(fsma204_csv(collect(export_db, make_selection([L1]))))
    for row in rows:
        check_row(export_db, row, PACKED)
    assert [(r["Critical Tracking Event (CTE)"], r["Event Time (UTC)"]) for r in rows] == [
        ("Transformation", "2026-01-04T10:00:00Z"),
        ("Shipping", "2026-01-05T07:30:00Z"),
        ("Shipping", "2026-01-05T08:00:00Z"),
        ("Shipping", "2026-01-05T08:05:00Z"),
        ("Receiving", "2026-01-05T14:00:00Z"),
        ("Receiving", "2026-01-05T14:30:00Z"),
        ("Receiving", "2026-01-05T15:00:00Z"),
    ]
    assert {r["Traceability Lot Code (TLC)"] for r in rows} == {"(01)04012345333336(10)L1"}
    assert {r["Product Description"] for r in rows} == {"Spinach, washed 250 g"}
    assert {r["TLC Source Reference (GLN)"] for r in rows} == {_gln(DC)}
    assert all("200 Depot Avenue" in r["TLC Source Location Description"] for r in rows)
    made = rows[0]
    assert made["TLC Role in Transformation"] == "output"
    assert made["Transformation Inputs/Outputs"].count("https://id.gs1.org/01/") == 2  # C1, C3
    pallet = rows[1]
    assert pallet["Logistic Unit (SSCC)"] == c(P3)
    assert pallet["Ship-To Location ID (GLN)"] == _gln(R2)
    assert pallet["Ship-To Business"].startswith("Retail Two")
    assert pallet["Reference Document Type"] == "desadv; bol"
    assert "9 Main Street, Oakland" in pallet["Ship-To Location Description"]
    received = rows[-1]
    assert received["Ship-From Location ID (GLN)"] == _gln(DC)  # the event's sourceList
    assert received["Reference Document Type"] == "recadv"
    to_r1 = rows[4]
    # No sourceList: the immediate previous source is where the shipment to R1 left from.
    assert to_r1["Ship-From Location ID (GLN)"] == _gln(DC)
    assert to_r1["Receiving Location ID (GLN)"] == _gln(R1)


def test_harvest_cooling_and_initial_packing(export_db: Engine) -> None:
    rows = _rows(fsma204_csv(collect(export_db, make_selection([H1]))))
    for row in rows:
        check_row(export_db, row, PACKED)
    assert [(r["Critical Tracking Event (CTE)"], r["CTE Location ID (GLN)"]) for r in rows] == [
        ("Harvesting", _gln(FARM_A)),
        ("Cooling", _gln(FARM_A)),
        ("Initial Packing", _gln(PACKER)),
    ]
    assert rows[2]["TLC Role in Transformation"] == "input"
    assert rows[0]["TLC Source Reference (GLN)"] == _gln(FARM_A)


def test_product_and_date_range(export_db: Engine) -> None:
    selection = make_selection(gtin="04012345333336", start="2026-01-05", end="2026-01-05T12:00Z")
    rows = _rows(fsma204_csv(collect(export_db, selection)))
    for row in rows:
        check_row(export_db, row, PACKED)
    assert [(r["TLC - Batch/Lot"], r["Event Time (UTC)"]) for r in rows] == [
        ("L1", "2026-01-05T07:30:00Z"),
        ("L1", "2026-01-05T08:00:00Z"),
        ("L1", "2026-01-05T08:05:00Z"),
        ("L3", "2026-01-05T08:05:00Z"),
        ("L2", "2026-01-05T08:10:00Z"),
    ]
    assert {r["Critical Tracking Event (CTE)"] for r in rows} == {"Shipping"}


def test_xlsx_sheets_match_the_csv(export_db: Engine) -> None:
    collected = collect(export_db, make_selection([L1, L2, L3, H1]))
    csv_rows = _rows(fsma204_csv(collected))
    book = openpyxl.load_workbook(io.BytesIO(fsma204_xlsx(collected)))
    assert book.sheetnames == [
        "All CTEs",
        "Harvesting",
        "Cooling",
        "Initial Packing",
        "First Land-Based Receiving",
        "Shipping",
        "Receiving",
        "Transformation",
        "Read me",
    ]
    everything = book["All CTEs"]
    values = [list(r) for r in everything.iter_rows(values_only=True)]
    assert values[0] == HEADERS
    assert len(values) - 1 == len(csv_rows) > 0
    for cells, row in zip(values[1:], csv_rows, strict=True):
        as_text = {h: ("" if v is None else v) for h, v in zip(HEADERS, cells, strict=True)}
        assert as_text["Quantity"] == float(row["Quantity"])
        as_text["Quantity"] = row["Quantity"]
        assert as_text == row
    times = [r["Event Time (UTC)"] for r in csv_rows]
    assert times == sorted(times)
    total = 0
    for name in book.sheetnames[1:-1]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith("A1:")
        cte_rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert all(r[0] == name for r in cte_rows)
        total += len(cte_rows)
    assert total == len(csv_rows)
    assert everything.freeze_panes == "A2"


def test_bad_selections_are_refused(export_db: Engine) -> None:
    with pytest.raises(ExportError, match="either lots"):
        make_selection([])
    with pytest.raises(ExportError, match="not a lot"):
        make_selection(["urn:epc:id:sgtin:4012345.022222.C1"])
    with pytest.raises(ExportError, match="empty"):
        make_selection(gtin="04012345333336", start="2026-01-05", end="2026-01-04")
    with pytest.raises(ExportError, match="neither a date"):
        make_selection(gtin="04012345333336", start="yesterday")
    with pytest.raises(ExportNotFoundError):
        collect(export_db, make_selection(["urn:epc:class:lgtin:4012345.033333.NOPE"]))
    empty = collect(export_db, make_selection(gtin="04012345999990"))
    assert empty.rows == [] and _rows(fsma204_csv(empty)) == []


def test_text_never_becomes_a_formula(export_db: Engine) -> None:
    hostile = '=HYPERLINK("http://evil.example","x")'
    load_master_data(export_db, {"products": [{"gtin": "04012345333336", "name": {"en": hostile}}]})
    collected = collect(export_db, make_selection([L1]))
    rows = _rows(fsma204_csv(collected))
    assert {r["Product Description"] for r in rows} == {"'" + hostile}
    sheet = openpyxl.load_workbook(io.BytesIO(fsma204_xlsx(collected)))["All CTEs"]
    column = HEADERS.index("Product Description") + 1
    cells = [sheet.cell(row=i, column=column) for i in range(2, sheet.max_row + 1)]
    assert cells and all(c.value == hostile and c.data_type == "s" for c in cells)
