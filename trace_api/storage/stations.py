"""Station sequence numbers: what arrived, and which ranges are missing.

Each edge agent numbers its events 1, 2, 3 … (``ft:seq``). For every station we keep the
highest number seen, the highest number up to which nothing is missing, and the missing ranges
(``station_sequence_gap``). A late arrival fills (or splits) a gap; a repeat changes nothing.
Sequence number 0 and below carry no information and are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction, upsert_insert

__all__ = [
    "SequenceState",
    "record_station_seqs",
    "record_stations",
    "station_gaps",
    "station_sequence",
]

_SEQUENCE = metadata.tables["station_sequence"]
_GAP = metadata.tables["station_sequence_gap"]

Gap = tuple[int, int]


@dataclass(frozen=True, slots=True)
class SequenceState:
    """A station's sequence bookkeeping; ``gaps`` are ``(first, last)`` ranges, both included."""

    station_id: str
    highest_contiguous: int
    highest_seen: int
    gaps: list[Gap]


def _apply(highest_seen: int, gaps: set[Gap], seqs: Iterable[int]) -> int:
    """Fold ``seqs`` into ``(highest_seen, gaps)``; mutates ``gaps``, returns the new highest."""
    for seq in sorted(set(seqs)):
        if seq <= 0:
            continue
        if seq > highest_seen:
            if seq > highest_seen + 1:
                gaps.add((highest_seen + 1, seq - 1))
            highest_seen = seq
            continue
        for first, last in gaps:
            if first <= seq <= last:
                gaps.discard((first, last))
                if first < seq:
                    gaps.add((first, seq - 1))
                if seq < last:
                    gaps.add((seq + 1, last))
                break
    return highest_seen


def record_station_seqs(target: Target, station_id: str, seqs: Iterable[int]) -> SequenceState:
    """Record that events ``seqs`` of ``station_id`` arrived; return the updated state.

    Safe under concurrent workers: the station's row is locked (``FOR UPDATE`` on PostgreSQL;
    SQLite has one writer at a time).
    """
    return record_stations(target, {station_id: seqs})[station_id]


def record_stations(
    target: Target, seqs_by_station: Mapping[str, Iterable[int]]
) -> dict[str, SequenceState]:
    """:func:`record_station_seqs` for several stations at once, in a fixed number of
    statements whatever their number (one per step, each covering every station).

    The station rows are created and locked in station-ID order, so concurrent workers
    recording overlapping sets of stations take their locks in the same order.
    """
    stations = sorted(seqs_by_station)
    if not stations:
        return {}
    now = datetime.now(UTC)
    with transaction(target) as connection:
        ensure = upsert_insert(connection, _SEQUENCE).on_conflict_do_nothing(
            index_elements=["station_id"]
        )
        connection.execute(
            ensure,
            [
                {"station_id": s, "highest_contiguous": 0, "highest_seen": 0, "updated_at": now}
                for s in stations
            ],
        )
        seen = {
            str(station_id): int(highest_seen)
            for station_id, highest_seen in connection.execute(
                sa.select(_SEQUENCE.c.station_id, _SEQUENCE.c.highest_seen)
                .where(_SEQUENCE.c.station_id.in_(stations))
                .order_by(_SEQUENCE.c.station_id)
                .with_for_update()
            )
        }
        before: dict[str, set[Gap]] = {s: set() for s in stations}
        for station_id, first, last in connection.execute(
            sa.select(_GAP.c.station_id, _GAP.c.first, _GAP.c.last).where(
                _GAP.c.station_id.in_(stations)
            )
        ):
            before[station_id].add((first, last))
        states: dict[str, SequenceState] = {}
        removed: list[tuple[str, int]] = []
        added: list[dict[str, object]] = []
        updates: list[dict[str, object]] = []
        for station_id in stations:
            gaps = set(before[station_id])
            highest_seen = _apply(seen[station_id], gaps, seqs_by_station[station_id])
            removed.extend((station_id, first) for first, _ in before[station_id] - gaps)
            added.extend(
                {"station_id": station_id, "first": first, "last": last}
                for first, last in sorted(gaps - before[station_id])
            )
            contiguous = min(first for first, _ in gaps) - 1 if gaps else highest_seen
            updates.append(
                {"b_station": station_id, "b_contiguous": contiguous, "b_seen": highest_seen}
            )
            states[station_id] = SequenceState(station_id, contiguous, highest_seen, sorted(gaps))
        if removed:
            connection.execute(
                sa.delete(_GAP).where(sa.tuple_(_GAP.c.station_id, _GAP.c.first).in_(removed))
            )
        if added:
            connection.execute(_GAP.insert(), added)
        connection.execute(
            sa.update(_SEQUENCE)
            .where(_SEQUENCE.c.station_id == sa.bindparam("b_station"))
            .values(
                highest_contiguous=sa.bindparam("b_contiguous"),
                highest_seen=sa.bindparam("b_seen"),
                updated_at=now,
            ),
            updates,
        )
    return states


def _load_gaps(connection: sa.Connection, station_id: str) -> set[Gap]:
    rows = connection.execute(
        sa.select(_GAP.c.first, _GAP.c.last).where(_GAP.c.station_id == station_id)
    )
    return {(first, last) for first, last in rows}


def station_gaps(target: Target, station_id: str) -> list[Gap]:
    """The missing sequence ranges of a station, oldest first (empty for unknown stations)."""
    with transaction(target) as connection:
        return sorted(_load_gaps(connection, station_id))


def station_sequence(target: Target, station_id: str) -> SequenceState | None:
    """The station's sequence bookkeeping, ``None`` if it never sent a numbered event."""
    with transaction(target) as connection:
        row = connection.execute(
            sa.select(_SEQUENCE.c.highest_contiguous, _SEQUENCE.c.highest_seen).where(
                _SEQUENCE.c.station_id == station_id
            )
        ).one_or_none()
        if row is None:
            return None
        gaps = sorted(_load_gaps(connection, station_id))
    return SequenceState(station_id, row.highest_contiguous, row.highest_seen, gaps)
