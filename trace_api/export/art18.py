"""The EU Regulation (EC) 178/2002 Art. 18 report of lots: one step back, one step forward.

For each lot and each business that handled it (the *holder*, whose record it is): whom it
received the lot from (one step back: the immediate previous source of each receipt, and the
input lots of the transformation that made it) and whom it supplied (one step forward: the
recipient of each shipment, and the lots made from it), with names, addresses, quantities,
dates and the reference documents: the items Implementing Regulation (EU) 931/2011 lists
(description, quantity, dispatching and receiving business with address, lot reference, date
of dispatch).
The entries are read off the rows of :mod:`trace_api.export.rows`. CSV, XLSX or JSON.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

import orjson

from trace_api.export.cells import append_row, csv_safe
from trace_api.export.rows import Collected, CteRow, Place, lot_parts

__all__ = ["FORMATS", "HEADERS", "Entry", "art18_csv", "art18_entries", "art18_json", "art18_xlsx"]

FORMATS = ("csv", "xlsx", "json")
HEADERS = [
    "Lot",
    "GTIN",
    "Batch/Lot",
    "Product",
    "Holder ID",
    "Holder Name",
    "Direction",
    "Relation",
    "Date",
    "Quantity",
    "Unit",
    "Counterpart ID",
    "Counterpart Name",
    "Counterpart Business",
    "Counterpart Address",
    "Counterpart Country",
    "Counterpart Lot",
    "Reference Documents",
    "EPCIS Event ID",
]


@dataclass(frozen=True, slots=True)
class Entry:
    """One supplier or customer of one lot."""

    lot: str
    product: str | None
    direction: str  # back | forward
    relation: str  # received_from | made_from | shipped_to | used_in
    time: str
    quantity: float | None
    uom: str | None
    holder: Place | None
    counterpart: Place | None
    counterpart_lot: str | None
    references: list[tuple[str, str]]
    event_id: str

    def to_dict(self) -> dict[str, Any]:
        gtin, batch = lot_parts(self.lot)
        place = self.counterpart
        return {
            "holder": None if self.holder is None else _place(self.holder),
            "lot": self.lot,
            "gtin": gtin,
            "batch": batch,
            "product": self.product,
            "direction": self.direction,
            "relation": self.relation,
            "date": self.time,
            "quantity": self.quantity,
            "uom": self.uom,
            "counterpart": None if place is None else _place(place),
            "counterpartLot": self.counterpart_lot,
            "references": [{"type": t, "id": v} for t, v in self.references],
            "event": self.event_id,
        }


def _place(place: Place) -> dict[str, Any]:
    return {
        "id": place.gln,
        "name": place.name,
        "name_zh": place.name_zh,
        "business": place.party_name,
        "address": place.address,
        "country": place.country,
    }


def _entries_of(row: CteRow) -> list[Entry]:
    time = row.local_time.isoformat()

    def entry(
        direction: str,
        relation: str,
        holder: Place | None,
        place: Place | None,
        lot: str | None = None,
        quantity: float | None = None,
        uom: str | None = None,
    ) -> Entry:
        return Entry(
            row.tlc,
            row.product,
            direction,
            relation,
            time,
            row.quantity if lot is None else quantity,
            row.uom if lot is None else uom,
            holder,
            place,
            lot,
            row.references,
            row.event_id,
        )

    if row.cte == "Shipping":
        return [entry("forward", "shipped_to", row.ship_from, row.ship_to_party or row.ship_to)]
    if row.cte == "Receiving" and row.ship_from is not None:
        return [entry("back", "received_from", row.receiving, row.ship_from)]
    if row.role == "output":
        return [
            entry("back", "made_from", row.location, row.location, r.tlc, r.quantity, r.uom)
            for r in row.related
        ]
    if row.role == "input":
        return [
            entry("forward", "used_in", row.location, row.location, r.tlc, r.quantity, r.uom)
            for r in row.related
        ]
    return []


def art18_entries(collected: Collected) -> list[Entry]:
    """Suppliers and customers of every selected lot, by lot then date."""
    entries = [e for row in collected.rows for e in _entries_of(row)]
    return sorted(entries, key=lambda e: (e.lot, e.time, e.direction, e.event_id))


def _flat(entry: Entry) -> list[Any]:
    data = entry.to_dict()
    place = data["counterpart"] or {}
    holder = data["holder"] or {}
    return [
        entry.lot,
        data["gtin"],
        data["batch"],
        entry.product or "",
        holder.get("id", ""),
        holder.get("name") or "",
        entry.direction,
        entry.relation,
        entry.time,
        entry.quantity,
        entry.uom or "",
        place.get("id", ""),
        place.get("name") or "",
        place.get("business") or "",
        place.get("address") or "",
        place.get("country") or "",
        entry.counterpart_lot or "",
        "; ".join(f"{t} {v}" for t, v in entry.references),
        entry.event_id,
    ]


def art18_csv(collected: Collected) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for entry in art18_entries(collected):
        values = _flat(entry)
        values[9] = "" if entry.quantity is None else f"{entry.quantity:g}"
        writer.writerow(csv_safe(values))
    return out.getvalue().encode("utf-8-sig")


def art18_xlsx(collected: Collected) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Art. 18")
    entries = art18_entries(collected)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:S{max(1, len(entries) + 1)}"
    append_row(sheet, HEADERS, bold=True)
    for entry in entries:
        append_row(sheet, _flat(entry))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def art18_json(collected: Collected) -> bytes:
    body = {
        "regulation": "Regulation (EC) No 178/2002, Article 18",
        "selection": collected.selection.describe(),
        "lots": [
            {
                "lot": lot,
                "producer": None
                if (source := collected.tlc_sources.get(lot)) is None
                else {"id": source.gln, "name": source.name, "address": source.address},
            }
            for lot in collected.lots
        ],
        "entries": [e.to_dict() for e in art18_entries(collected)],
    }
    return orjson.dumps(body, option=orjson.OPT_INDENT_2)
