"""The warning table (contract B): record findings as warnings — one per incident, merged
into the open one of the same type and lot/EPC while its evidence is within the grouping
window —, list and read them, and move them along the status workflow."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from analytics.context import Context
from analytics.detectors import Finding
from analytics.exceptions import WarningNotFoundError
from analytics.pipeline import incident_key
from analytics.severity import severity_of
from analytics.warnings.workflow import check_transition
from trace_api.models import metadata

__all__ = [
    "DEFAULT_WINDOW",
    "Recorded",
    "get_warning",
    "list_warnings",
    "record_findings",
    "set_status",
]

_W = metadata.tables["warning"]
_H = metadata.tables["warning_history"]
_S = metadata.tables["warning_subject"]

#: Findings of one incident key whose evidence lies within this window of the last are merged.
DEFAULT_WINDOW = timedelta(days=7)

Enricher = Callable[[Finding], tuple[list[dict[str, Any]], list[dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class Recorded:
    """A warning after recording a finding: the W dict and whether it is new."""

    warning: dict[str, Any]
    new: bool


def _ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _evidence(f: Finding) -> dict[str, Any]:
    name, value, unit = f.quantity
    return {
        "event_ids": list(f.event_ids),
        "locations": list(f.locations),
        "times": [_iso(_ts(t)) for t in f.times],
        "quantity": {"name": name, "value": value, "unit": unit},
    }


def _to_dict(row: Any, history: Sequence[Any]) -> dict[str, Any]:
    return {
        "id": row.id,
        "created": _iso(row.created),
        "updated": _iso(row.updated),
        "detector": row.detector,
        "detector_version": row.detector_version,
        "type": row.type,
        "severity": row.severity,
        "recall_level": row.recall_level,
        "score": row.score,
        "threshold": row.threshold,
        "gtin": row.gtin,
        "lots": list(row.lots or []),
        "epcs": list(row.epcs or []),
        "evidence": dict(row.evidence or {}),
        "explanation": row.explanation,
        "origin": list(row.origin or []),
        "holders": list(row.holders or []),
        "recommended_action": row.recommended_action,
        "status": row.status,
        "history": [
            {"time": _iso(h.time), "status": h.status, "by": h.by, "note": h.note} for h in history
        ],
    }


def _subjects(
    f: Finding, context: Context | None, extra_parties: Iterable[str]
) -> set[tuple[str, str]]:
    subjects = {("lot", lot) for lot in f.lots} | {("epc", e) for e in f.epcs[:1000]}
    product = context.products.get(f.gtin or "") if context else None
    if product is not None and product.brand_owner:
        subjects.add(("party", product.brand_owner))  # the brand owner hears of its products
    for location in f.locations:
        subjects.add(("location", location))
        place = context.places.get(location) if context else None
        if place is not None and place.party:
            subjects.add(("party", place.party))
    subjects |= {("party", p) for p in extra_parties if p}
    return subjects


def _history(connection: Connection, ids: Sequence[str]) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {i: [] for i in ids}
    if ids:
        for h in connection.execute(
            sa.select(_H).where(_H.c.warning_id.in_(ids)).order_by(_H.c.time, _H.c.id)
        ):
            found[h.warning_id].append(h)
    return found


def _read(connection: Connection, warning_id: str) -> dict[str, Any]:
    row = connection.execute(sa.select(_W).where(_W.c.id == warning_id)).first()
    if row is None:
        raise WarningNotFoundError(f"no warning {warning_id}")
    return _to_dict(row, _history(connection, [warning_id])[warning_id])


def record_findings(
    engine: Engine,
    findings: Iterable[Finding],
    context: Context | None = None,
    enrich: Enricher | None = None,
    window: timedelta = DEFAULT_WINDOW,
    now: datetime | None = None,
) -> list[Recorded]:
    """Record every finding at or above its threshold; returns the warnings touched."""
    results: list[Recorded] = []
    for f in findings:
        if not f.fires:
            continue
        kind, subject = incident_key(f)
        key = f"{kind}|{subject}"
        first = _ts(min(f.times)) if f.times else None
        last = _ts(max(f.times)) if f.times else None
        stamp = now or datetime.now(UTC)
        with engine.begin() as connection:
            existing = connection.execute(
                sa.select(_W).where(_W.c.dedup_key == key).order_by(_W.c.created.desc()).limit(1)
            ).first()
            if existing is not None and (
                first is None
                or existing.last_evidence is None
                or first <= existing.last_evidence + window
            ):
                results.append(
                    Recorded(_merge(connection, existing, f, last, stamp, context), False)
                )
                continue
        origin, holders = enrich(f) if enrich else ([], [])
        with engine.begin() as connection:
            results.append(
                Recorded(_insert(connection, f, key, last, stamp, context, origin, holders), True)
            )
    return results


def _merge(
    connection: Connection,
    row: Any,
    f: Finding,
    last: datetime | None,
    stamp: datetime,
    context: Context | None,
) -> dict[str, Any]:
    evidence = dict(row.evidence or {})
    new = _evidence(f)
    for name in ("event_ids", "locations", "times"):
        evidence[name] = list(dict.fromkeys([*evidence.get(name, []), *new[name]]))
    if f.score > row.score:
        evidence["quantity"] = new["quantity"]
    epcs = list(dict.fromkeys([*(row.epcs or []), *f.epcs]))
    lots = list(dict.fromkeys([*(row.lots or []), *f.lots]))
    changed = (
        epcs != list(row.epcs or [])
        or lots != list(row.lots or [])
        or evidence != dict(row.evidence or {})
        or f.score > row.score
    )
    if changed:
        connection.execute(
            _W.update()
            .where(_W.c.id == row.id)
            .values(
                updated=stamp,
                score=max(row.score, f.score),
                explanation=f.explanation if f.score > row.score else row.explanation,
                epcs=epcs,
                lots=lots,
                evidence=evidence,
                last_evidence=max(filter(None, [row.last_evidence, last]), default=None),
            )
        )
        _add_subjects(connection, row.id, _subjects(f, context, ()))
    return _read(connection, row.id)


def _add_subjects(connection: Connection, warning_id: str, subjects: set[tuple[str, str]]) -> None:
    have = {
        (r.kind, r.value)
        for r in connection.execute(
            sa.select(_S.c.kind, _S.c.value).where(_S.c.warning_id == warning_id)
        )
    }
    rows = [{"warning_id": warning_id, "kind": k, "value": v} for k, v in sorted(subjects - have)]
    if rows:
        connection.execute(_S.insert(), rows)


def _insert(
    connection: Connection,
    f: Finding,
    key: str,
    last: datetime | None,
    stamp: datetime,
    context: Context | None,
    origin: list[dict[str, Any]],
    holders: list[dict[str, Any]],
) -> dict[str, Any]:
    sev = severity_of(f.type)
    warning_id = str(uuid.uuid4())
    connection.execute(
        _W.insert().values(
            id=warning_id,
            created=stamp,
            updated=stamp,
            dedup_key=key,
            last_evidence=last,
            detector=f.detector,
            detector_version=f.version,
            type=f.type,
            severity=sev.severity,
            recall_level=sev.recall_level,
            score=f.score,
            threshold=f.threshold,
            gtin=f.gtin,
            lots=list(f.lots),
            epcs=list(f.epcs),
            evidence=_evidence(f),
            explanation=f.explanation,
            origin=origin,
            holders=holders,
            recommended_action=sev.action,
            status="open",
        )
    )
    connection.execute(
        _H.insert().values(warning_id=warning_id, time=stamp, status="open", by=f.detector)
    )
    parties = [o.get("party") for o in origin] + [p for h in holders for p in h.get("parties", [])]
    _add_subjects(connection, warning_id, _subjects(f, context, [p for p in parties if p]))
    return _read(connection, warning_id)


def list_warnings(
    engine: Engine,
    status: str | None = None,
    severity: str | None = None,
    type: str | None = None,
    lot: str | None = None,
    limit: int = 100,
    parties: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Warnings, newest first, filtered; ``parties`` (canonical links) limits them to those
    concerning one of these parties (an operator's view)."""
    query = sa.select(_W).order_by(_W.c.created.desc(), _W.c.id).limit(limit)
    if status:
        query = query.where(_W.c.status == status)
    if severity:
        query = query.where(_W.c.severity == severity)
    if type:
        query = query.where(_W.c.type == type)
    if lot:
        from analytics.identifiers import canon

        query = query.where(
            _W.c.id.in_(
                sa.select(_S.c.warning_id).where(_S.c.kind == "lot", _S.c.value == canon(lot))
            )
        )
    if parties is not None:
        query = query.where(
            _W.c.id.in_(
                sa.select(_S.c.warning_id).where(_S.c.kind == "party", _S.c.value.in_(parties))
            )
        )
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        history = _history(connection, [r.id for r in rows])
    return [_to_dict(r, history[r.id]) for r in rows]


def warning_parties(engine: Engine, warning_id: str) -> set[str]:
    """The parties a warning concerns."""
    with engine.connect() as connection:
        return {
            r.value
            for r in connection.execute(
                sa.select(_S.c.value).where(_S.c.warning_id == warning_id, _S.c.kind == "party")
            )
        }


def get_warning(engine: Engine, warning_id: str) -> dict[str, Any]:
    """One warning; :class:`WarningNotFoundError` when there is none with that id."""
    with engine.connect() as connection:
        return _read(connection, warning_id)


def set_status(
    engine: Engine, warning_id: str, status: str, by: str | None, note: str | None = None
) -> dict[str, Any]:
    """Move a warning along the workflow (:mod:`analytics.warnings.workflow`); records who and
    why in its history. :class:`WarningTransitionError` for a change not allowed."""
    stamp = datetime.now(UTC)
    with engine.begin() as connection:
        row = connection.execute(
            sa.select(_W.c.status).where(_W.c.id == warning_id).with_for_update()
        ).first()
        if row is None:
            raise WarningNotFoundError(f"no warning {warning_id}")
        check_transition(row.status, status)
        connection.execute(
            _W.update().where(_W.c.id == warning_id).values(status=status, updated=stamp)
        )
        connection.execute(
            _H.insert().values(warning_id=warning_id, time=stamp, status=status, by=by, note=note)
        )
        return _read(connection, warning_id)
