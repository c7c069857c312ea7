"""The FSMA 204 electronic sortable spreadsheet (21 CFR 1.1455(c)(3)(ii)), as CSV or XLSX.

One row per critical tracking event and traceability lot code, with the key data elements as
columns, named after the PTI FSMA 204 implementation guidance layout: TLC (GTIN + batch/lot),
quantity and unit of measure, product description, the CTE's location, ship-from, ship-to and
receiving locations (description and GLN), TLC source location and reference, reference
document type and number (from the event's business transactions). The columns are the same
for every CTE (a column that does not apply to a CTE stays empty), so the rows of all CTEs sort
together.

CSV: UTF-8 with a byte-order mark (so spreadsheet programs read Chinese names right), all rows
in one table. XLSX: an "All CTEs" sheet sorted by time, one sheet per CTE type, header row
frozen and an autofilter on every sheet, and a "Read me" sheet naming the selection and the
codes used.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from trace_api.export.cells import append_row, csv_safe
from trace_api.export.rows import CTE_TYPES, Collected, CteRow, Place, lot_parts

__all__ = [
    "COLUMNS",
    "FORMATS",
    "HEADERS",
    "fsma204_csv",
    "fsma204_xlsx",
    "media_type",
    "row_values",
    "tlc_text",
]

FORMATS = ("csv", "xlsx")
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def tlc_text(tlc: str) -> str:
    """A lot link in GS1 element string form: ``(01)04012345111118(10)H1``."""
    gtin, lot = lot_parts(tlc)
    return f"(01){gtin}(10){lot}"


@lru_cache(maxsize=8192)
def _described(place: Place) -> str:
    return place.description()


def _desc(place: Place | None) -> str:
    return _described(place) if place else ""


def _gln(place: Place | None) -> str:
    return place.gln if place else ""


def _related(row: CteRow) -> str:
    parts = []
    for r in row.related:
        name = tlc_text(r.tlc) if "/10/" in r.tlc else r.tlc
        parts.append(f"{name} {_number(r.quantity)} {r.uom or ''}".strip())
    return "; ".join(parts)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(value)


_Getter = Callable[[CteRow], Any]

#: (header, value of a row). The header names follow the PTI sample sortable spreadsheet.
COLUMNS: list[tuple[str, _Getter]] = [
    ("Critical Tracking Event (CTE)", lambda r: r.cte),
    ("Traceability Lot Code (TLC)", lambda r: tlc_text(r.tlc)),
    ("TLC - GTIN", lambda r: r.gtin),
    ("TLC - Batch/Lot", lambda r: r.lot),
    ("Product Description", lambda r: r.product or ""),
    ("Quantity", lambda r: r.quantity),
    ("Unit of Measure", lambda r: r.uom or ""),
    ("Event Date", lambda r: r.local_time.date().isoformat()),
    ("Event Time (UTC)", lambda r: r.time.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
    ("CTE Location Description", lambda r: _desc(r.location)),
    ("CTE Location ID (GLN)", lambda r: _gln(r.location)),
    ("Ship-From Location Description", lambda r: _desc(r.ship_from)),
    ("Ship-From Location ID (GLN)", lambda r: _gln(r.ship_from)),
    ("Ship-To Location Description", lambda r: _desc(r.ship_to)),
    ("Ship-To Location ID (GLN)", lambda r: _gln(r.ship_to)),
    ("Ship-To Business", lambda r: _desc(r.ship_to_party)),
    ("Receiving Location Description", lambda r: _desc(r.receiving)),
    ("Receiving Location ID (GLN)", lambda r: _gln(r.receiving)),
    ("TLC Source Location Description", lambda r: _desc(r.tlc_source)),
    ("TLC Source Reference (GLN)", lambda r: _gln(r.tlc_source)),
    ("Reference Document Type", lambda r: "; ".join(t for t, _ in r.references)),
    ("Reference Document Number", lambda r: "; ".join(v for _, v in r.references)),
    ("TLC Role in Transformation", lambda r: r.role),
    ("Transformation Inputs/Outputs", _related),
    ("Logistic Unit (SSCC)", lambda r: r.container or ""),
    ("EPCIS Event ID", lambda r: r.event_id),
    ("EPCIS Event Type", lambda r: r.event_type),
    ("EPCIS Business Step", lambda r: r.biz_step or ""),
]
HEADERS = [name for name, _ in COLUMNS]


def row_values(row: CteRow) -> list[Any]:
    """The cells of one row, in :data:`COLUMNS` order (quantity stays a number or ``None``)."""
    return [get(row) for _, get in COLUMNS]


def media_type(fmt: str) -> str:
    """The HTTP media type of a format."""
    return _MEDIA[fmt]


def fsma204_csv(collected: Collected) -> bytes:
    """The spreadsheet as CSV (UTF-8 with BOM, CRLF line ends as RFC 4180 has them)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in collected.rows:
        values = row_values(row)
        values[5] = _number(row.quantity)
        writer.writerow(csv_safe(values))
    return out.getvalue().encode("utf-8-sig")


def fsma204_xlsx(collected: Collected, *, generated: datetime | None = None) -> bytes:
    """The spreadsheet as an XLSX workbook (see the module docstring for its sheets)."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheets = [("All CTEs", collected.rows)] + [
        (cte, [r for r in collected.rows if r.cte == cte]) for cte in CTE_TYPES
    ]
    widths = [max(12, min(48, len(h) + 2)) for h in HEADERS]
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADERS))}{max(1, len(rows) + 1)}"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        append_row(sheet, HEADERS, bold=True)
        for row in rows:
            append_row(sheet, row_values(row))
    about = book.create_sheet("Read me")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 90
    when = (generated or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for line in (
        ("FSMA 204 sortable spreadsheet (21 CFR 1.1455(c)(3)(ii))", ""),
        ("Selection", collected.selection.describe()),
        ("Generated (UTC)", when),
        ("Rows", len(collected.rows)),
        ("Traceability lot codes", len(collected.lots)),
        ("TLC", "GS1 element string: (01) GTIN-14, (10) batch/lot"),
        ("Location IDs", "GS1 Global Location Numbers (GLN[.extension])"),
        ("Units of measure", "UN/ECE Recommendation 20 codes (KGM kilogram, EA each …)"),
        ("Reference documents", "EPCIS bizTransaction type (CBV 2.0) and identifier"),
        ("Event times", "Event Date in the event's own time zone; Event Time in UTC"),
    ):
        append_row(about, line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
