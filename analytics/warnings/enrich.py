"""Trace-back origin and trace-forward current holders of a warning's lot or item at alert
time, from :func:`trace_api.trace.trace`."""

from __future__ import annotations

from typing import Any

from analytics.detectors import Finding

__all__ = ["MAX_HOLDERS", "MAX_TRACES", "origin_and_holders"]

MAX_HOLDERS = 50
#: Items traced one by one when the lot itself is not an identifier of any event.
MAX_TRACES = 5


def origin_and_holders(
    engine: Any, finding: Finding
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(origin places, current holders) of the finding's lot, else of its first EPCs."""
    from foodtrace.exceptions import FoodtraceError
    from trace_api.exceptions import TraceError
    from trace_api.trace import trace

    origin: dict[str, dict[str, Any]] = {}
    holders: dict[tuple[str, str], dict[str, Any]] = {}
    traced = 0
    for target in [*finding.lots[:1], *finding.epcs]:
        if traced >= MAX_TRACES:
            break
        try:
            result = trace(engine, target, "both")
        except (TraceError, FoodtraceError):
            continue
        traced += 1
        names = {n["id"]: n for n in result.nodes}
        for edge in result.edges:
            if edge["kind"] == "commissioned_at":
                place = names.get(edge["target"], {})
                origin.setdefault(
                    edge["target"],
                    {
                        "location": edge["target"],
                        "name": place.get("name"),
                        "party": place.get("party"),
                        "event": edge["event"],
                    },
                )
        for holder in result.holders:
            holders.setdefault((holder["object"], holder["location"]), holder)
        if target in finding.lots and (origin or holders):
            break  # a lot's trace covers its items
    return list(origin.values()), list(holders.values())[:MAX_HOLDERS]
