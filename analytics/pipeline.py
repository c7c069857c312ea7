"""Score journeys: run every rule detector (and the learned ones when given), then merge what
they found into incidents — one per anomaly type and subject (item, lot or replayed event) —
and let the more specific explanation win where two types describe one incident (a clone
also travels impossibly and goes back along its route)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from analytics.context import Context
from analytics.detectors import RULES, Finding, Scope
from analytics.identifiers import is_item, is_lot
from analytics.journeys import JourneySet

__all__ = ["DEFAULT_THRESHOLDS", "LOT_GROUPED", "incident_key", "merge", "score"]

#: Types a clone on the same item explains (and so suppresses).
_EXPLAINED_BY_CLONE = frozenset(
    {"impossible_travel", "out_of_order", "tampered_attribute", "excessive_dwell", "skipped_step"}
)

#: Types where the items of one lot that share the same evidence are one incident.
LOT_GROUPED = frozenset(
    {
        "skipped_step",
        "excessive_dwell",
        "diversion",
        "out_of_order",
        "tampered_attribute",
        "impossible_travel",
        "inserted_event",
    }
)

DEFAULT_THRESHOLDS: dict[str, float] = {}


def incident_key(f: Finding) -> tuple[str, str]:
    if f.type in LOT_GROUPED and f.lots:
        return f.type, f.lots[0]
    return f.type, f.subject


def merge(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per incident — (type, subject), or (type, lot) for the types where a lot
    travels together — with the highest score and the union of the evidence."""
    merged: dict[tuple[str, str], Finding] = {}
    for f in findings:
        key = incident_key(f)
        have = merged.get(key)
        if have is None:
            merged[key] = f
            continue
        top = f if f.score > have.score else have
        merged[key] = replace(
            top,
            epcs=tuple(dict.fromkeys((*have.epcs, *f.epcs))),
            lots=tuple(dict.fromkeys((*have.lots, *f.lots))),
            event_ids=tuple(dict.fromkeys((*have.event_ids, *f.event_ids))),
            locations=tuple(dict.fromkeys((*have.locations, *f.locations))),
            times=tuple(sorted({*have.times, *f.times})),
        )
    return list(merged.values())


def _suppress(findings: list[Finding]) -> list[Finding]:
    clones = {f.subject for f in findings if f.type == "clone" and f.fires}
    diverted = {f.subject for f in findings if f.type == "diversion" and f.fires}
    reordered = {f.subject for f in findings if f.type == "out_of_order" and f.fires}
    rushed = {f.subject for f in findings if f.type == "impossible_travel" and f.fires}
    kept = []
    for f in findings:
        if f.subject in clones and f.type in _EXPLAINED_BY_CLONE:
            continue
        if f.subject in diverted and f.type == "tampered_attribute":
            continue
        if f.subject in reordered and f.type == "skipped_step":
            continue  # the step is not missing, it came late
        if f.subject in rushed and f.type == "excessive_dwell":
            continue  # a read at the wrong time makes the stay look longer
        kept.append(f)
    return kept


def score(
    journeys: JourneySet,
    context: Context,
    objects: Sequence[str] | None = None,
    new_events: Sequence[int] | None = None,
    thresholds: dict[str, float] | None = None,
    learned: Sequence[object] = (),
) -> list[Finding]:
    """Every finding (candidates below the threshold included) on ``objects`` (default: every
    item and lot with a journey). ``learned`` are fitted learned detectors
    (:mod:`analytics.learned`)."""
    pool = list(journeys.by_object) if objects is None else list(objects)
    scope = Scope(
        journeys,
        context,
        items=[o for o in pool if is_item(o)],
        lots=[o for o in pool if is_lot(o)],
        new_events=new_events,
        thresholds={**DEFAULT_THRESHOLDS, **(thresholds or {})},
    )
    findings: list[Finding] = []
    for module in RULES:
        findings += module.detect(scope)
    for model in learned:
        findings += model.detect(scope)  # type: ignore[attr-defined]
    return merge(_suppress(findings))
