"""One entry point for every export: ``export(target, kind, fmt, selection)`` → the file's bytes,
media type and a file name. The CLI, the REST routes and the console call it."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from trace_api.exceptions import ExportError
from trace_api.export.art18 import art18_csv, art18_json, art18_xlsx
from trace_api.export.epcis import epcis_json
from trace_api.export.fsma204 import fsma204_csv, fsma204_xlsx
from trace_api.export.rows import collect
from trace_api.export.selection import Selection
from trace_api.storage.connection import Target

__all__ = ["FORMATS", "KINDS", "Exported", "export"]

KINDS = ("fsma204", "art18", "epcis")
FORMATS = {"fsma204": ("csv", "xlsx"), "art18": ("csv", "xlsx", "json"), "epcis": ("json",)}
_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_SUFFIX = {"csv": "csv", "xlsx": "xlsx", "json": "json"}


@dataclass(frozen=True, slots=True)
class Exported:
    """An export's bytes, media type, suggested file name and row count."""

    content: bytes
    media_type: str
    filename: str
    rows: int


def _name(kind: str, selection: Selection, fmt: str) -> str:
    if selection.lots:
        tail = selection.lots[0].rsplit("/", 1)[-1] + ("-etc" if len(selection.lots) > 1 else "")
    else:
        tail = (selection.gtin or "").rsplit("/", 1)[-1]
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in tail)
    suffix = "jsonld" if kind == "epcis" else _SUFFIX[fmt]
    return f"{kind}-{safe}.{suffix}"


def export(
    target: Target,
    kind: str,
    fmt: str,
    selection: Selection,
    *,
    scope: sa.ColumnElement[bool] | None = None,
) -> Exported:
    """Make one export; :class:`ExportError` for an unknown kind or format."""
    if kind not in KINDS:
        raise ExportError(f"unknown export {kind!r}: expected one of {', '.join(KINDS)}")
    if fmt not in FORMATS[kind]:
        raise ExportError(f"{kind} exports as {' or '.join(FORMATS[kind])}, not {fmt!r}")
    collected = collect(target, selection, scope=scope)
    if kind == "fsma204":
        content = fsma204_csv(collected) if fmt == "csv" else fsma204_xlsx(collected)
        rows = len(collected.rows)
    elif kind == "art18":
        writer = {"csv": art18_csv, "xlsx": art18_xlsx, "json": art18_json}[fmt]
        content = writer(collected)
        rows = len(collected.rows)
    else:
        content = epcis_json(target, collected)
        rows = len(collected.event_pks)
    media = "application/ld+json" if kind == "epcis" else _MEDIA[fmt]
    return Exported(content, media, _name(kind, selection, fmt), rows)
