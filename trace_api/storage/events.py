"""Capture and read back events: idempotent batched insert, raw JSON by event ID.

:func:`store_events` writes a batch of prepared events in one transaction with
``INSERT … ON CONFLICT (event_id) DO NOTHING RETURNING id, event_id``, so a redelivered event
(same eventID, or same CBV hash when the producer gave none) is stored once and reported as a
duplicate; child rows are written only for the events that were new. Station sequence numbers
of the new events are recorded in the same transaction (gap detection).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trace_api.models import metadata
from trace_api.storage.bulk import insert_rows
from trace_api.storage.connection import Target, transaction, upsert_insert
from trace_api.storage.context import PreparedContext
from trace_api.storage.prepare import PreparedEvent, Row
from trace_api.storage.stations import record_stations

__all__ = ["RawEvent", "StoreResult", "get_events_raw", "store_events"]

_EVENT = metadata.tables["event"]
_CONTEXT = metadata.tables["epcis_context"]
_ERROR_DECLARATION = metadata.tables["error_declaration"]
# PreparedEvent attribute → table of those rows.
_CHILDREN = (
    ("identifiers", metadata.tables["event_identifier"]),
    ("biz_transactions", metadata.tables["event_biz_transaction"]),
    ("sources_destinations", metadata.tables["event_source_destination"]),
    ("sensor_reports", metadata.tables["sensor_report"]),
)
_LOOKUP_CHUNK = 1000


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What :func:`store_events` did, each list in input order.

    ``stored``: event IDs written now. ``duplicates``: event IDs already in the database, or
    repeated earlier in the same batch (a repeat is listed once per extra occurrence).
    ``event_pks``: surrogate key of each stored event. ``declared``: duplicates that carried an
    ``errorDeclaration`` the stored event lacked, now recorded on it (an EPCIS error
    declaration repeats the erroneous event, so it has the same eventID or CBV hash).
    """

    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    event_pks: dict[str, int] = field(default_factory=dict)
    declared: list[str] = field(default_factory=list)


class RawEvent(NamedTuple):
    """An event as captured: its JSON text verbatim and its document ``@context`` text."""

    event_id: str
    raw: str
    context: str | None


def _context_ids(connection: Connection, contexts: Iterable[PreparedContext]) -> dict[str, int]:
    distinct = {c.hash: c for c in contexts}
    if not distinct:
        return {}
    insert = upsert_insert(connection, _CONTEXT).on_conflict_do_nothing(index_elements=["hash"])
    connection.execute(insert, [{"hash": h, "body": distinct[h].body} for h in sorted(distinct)])
    found = connection.execute(
        sa.select(_CONTEXT.c.hash, _CONTEXT.c.id).where(_CONTEXT.c.hash.in_(list(distinct)))
    )
    return {str(hash_): int(id_) for hash_, id_ in found}


def store_events(
    target: Target,
    events: Sequence[PreparedEvent],
    *,
    capture_id: str | None = None,
    record_time: datetime | None = None,
) -> StoreResult:
    """Store a batch of prepared events idempotently, in one transaction (see :data:`Target`).

    ``record_time`` (default: now, UTC) is the capture time written on every new event;
    ``capture_id`` links them to their ``capture_job``.
    """
    result = StoreResult()
    unique: list[PreparedEvent] = []
    seen: set[str] = set()
    for prepared in events:
        if prepared.event_id not in seen:
            seen.add(prepared.event_id)
            unique.append(prepared)
    if not unique:
        return result
    # Rows go in in eventID order: concurrent workers inserting overlapping batches then take
    # their row locks in the same order and cannot deadlock (likewise contexts and stations).
    unique.sort(key=lambda p: p.event_id)
    recorded = record_time or datetime.now(UTC)
    with transaction(target) as connection:
        context_ids = _context_ids(connection, (p.context for p in unique if p.context is not None))
        rows = [
            {
                **p.event,
                "record_time": recorded,
                "capture_id": capture_id,
                "context_id": None if p.context is None else context_ids[p.context.hash],
            }
            for p in unique
        ]
        inserted = insert_rows(
            connection, _EVENT, rows, skip_conflicts_on="event_id", returning=("id", "event_id")
        )
        pks: dict[str, int] = {event_id: pk for pk, event_id in inserted}
        new = [p for p in unique if p.event_id in pks]
        _insert_children(connection, new, pks)
        _record_stations(connection, new)
        declared = _record_declarations(
            connection, [p for p in unique if p.event_id not in pks and p.error_declaration]
        )
    for prepared in events:
        if prepared.event_id in pks and prepared.event_id not in result.event_pks:
            result.stored.append(prepared.event_id)
            result.event_pks[prepared.event_id] = pks[prepared.event_id]
        else:
            result.duplicates.append(prepared.event_id)
    result.declared.extend(declared)
    return result


def _record_declarations(connection: Connection, declarations: list[PreparedEvent]) -> list[str]:
    """Mark stored events declared erroneous by a later copy carrying ``errorDeclaration``;
    the event IDs marked now (a repeated declaration changes nothing)."""
    if not declarations:
        return []
    by_id = {p.event_id: p for p in declarations}
    found = connection.execute(
        sa.select(_EVENT.c.id, _EVENT.c.event_id).where(
            _EVENT.c.event_id.in_(list(by_id)), _EVENT.c.error_declared.is_(False)
        )
    ).all()
    if not found:
        return []
    connection.execute(
        _EVENT.update().where(_EVENT.c.id.in_([pk for pk, _ in found])).values(error_declared=True)
    )
    connection.execute(
        _ERROR_DECLARATION.insert(),
        [{**(by_id[event_id].error_declaration or {}), "event_pk": pk} for pk, event_id in found],
    )
    return sorted(event_id for _, event_id in found)


def _insert_children(connection: Connection, new: list[PreparedEvent], pks: dict[str, int]) -> None:
    for attribute, table in _CHILDREN:
        rows: list[Row] = []
        owners: list[int] = []  # event_pk of each row
        for prepared in new:
            child_rows: list[Row] = getattr(prepared, attribute)
            if child_rows:
                rows.extend(child_rows)
                owners.extend([pks[prepared.event_id]] * len(child_rows))
        insert_rows(connection, table, rows, extra={"event_pk": owners})
    declarations = [
        {**p.error_declaration, "event_pk": pks[p.event_id]}
        for p in new
        if p.error_declaration is not None
    ]
    if declarations:
        connection.execute(_ERROR_DECLARATION.insert(), declarations)


def _record_stations(connection: Connection, new: list[PreparedEvent]) -> None:
    by_station: dict[str, list[int]] = defaultdict(list)
    for prepared in new:
        station = prepared.station
        if station is not None:
            by_station[station[0]].append(station[1])
    record_stations(connection, by_station)


def get_events_raw(target: Target, event_ids: Iterable[str]) -> dict[str, RawEvent]:
    """The stored JSON text (verbatim) and ``@context`` of each known event ID."""
    wanted = list(dict.fromkeys(event_ids))
    found: dict[str, RawEvent] = {}
    query: Any = sa.select(_EVENT.c.event_id, _EVENT.c.raw, _CONTEXT.c.body).select_from(
        _EVENT.outerjoin(_CONTEXT, _EVENT.c.context_id == _CONTEXT.c.id)
    )
    with transaction(target) as connection:
        for start in range(0, len(wanted), _LOOKUP_CHUNK):
            chunk = wanted[start : start + _LOOKUP_CHUNK]
            for event_id, raw, context in connection.execute(
                query.where(_EVENT.c.event_id.in_(chunk))
            ):
                found[event_id] = RawEvent(event_id, raw, context)
    return found
