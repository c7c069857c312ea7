"""Blast radius of a recall: everything downstream of the recalled lots, with where it is now.

It is the union of the forward traces of the lots: every lot, item and logistic unit made from
them or carrying them, every location and party they passed, and their current holders.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from trace_api.storage.connection import Target
from trace_api.trace import trace

__all__ = ["blast_radius"]

_OBJECT_KINDS = {"lot": "lots", "epc": "items", "sscc": "units", "gtin": "lots", "other": "items"}


def blast_radius(target: Target, lots: Iterable[str]) -> dict[str, Any]:
    """``{"lots", "items", "units", "locations", "parties", "holders"}`` downstream of ``lots``
    (canonical lot links). Each lot entry says whether it was recalled itself or is affected."""
    recalled = sorted(set(lots))
    objects: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[str, Any]] = {}
    holders: dict[tuple[str, str], dict[str, Any]] = {}
    for lot in recalled:
        result = trace(target, lot, "forward")
        for node in result.nodes:
            kind = node["kind"]
            if kind in ("location", "party"):
                places.setdefault(node["id"], node)
            elif kind != "event" and "forward" in node.get("modes", ()):
                objects.setdefault(node["id"], node)
        for holder in result.holders:
            holders.setdefault((holder["object"], holder["location"]), holder)
    radius: dict[str, Any] = {"lots": [], "items": [], "units": []}
    for object_id, node in sorted(objects.items()):
        entry = {"id": object_id, "kind": node["kind"], "name": node.get("name")}
        if node["kind"] == "lot":
            entry["status"] = "recalled" if object_id in recalled else "affected"
        radius[_OBJECT_KINDS[node["kind"]]].append(entry)
    radius["locations"] = [_place(n) for _, n in sorted(places.items()) if n["kind"] == "location"]
    radius["parties"] = [_place(n) for _, n in sorted(places.items()) if n["kind"] == "party"]
    radius["holders"] = [holders[key] for key in sorted(holders)]
    return radius


def _place(node: dict[str, Any]) -> dict[str, Any]:
    return {"id": node["id"], "name": node.get("name"), "name_zh": node.get("name_zh")}
