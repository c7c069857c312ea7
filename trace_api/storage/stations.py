"""Station sequence numbers: what arrived, and which ranges are missing.

Each edge agent numbers its events 1, 2, 3 … (``ft:seq``). For every station we keep the
highest number seen, the highest number up to which nothing is missing, and the missing ranges
(``station_sequence_gap``). A late arrival fills (or splits) a gap; a repeat changes nothing.
Sequence number 0 and below carry no information and are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction, upsert_insert

__all__ = ["SequenceState", "record_station_seqs", "station_gaps", "station_sequence"]

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
    now = datetime.now(UTC)
    with transaction(target) as connection:
        ensure = upsert_insert(connection, _SEQUENCE).on_conflict_do_nothing(
            index_elements=["station_id"]
        )
        connection.execute(
            ensure,
            {
                "station_id": station_id,
                "highest_contiguous": 0,
                "highest_seen": 0,
                "updated_at": now,
            },
        )
        row = connection.execute(
            sa.select(_SEQUENCE.c.highest_contiguous, _SEQUENCE.c.highest_seen)
            .where(_SEQUENCE.c.station_id == station_id)
            .with_for_update()
        ).one()
        before = _load_gaps(connection, station_id)
        gaps = set(before)
        highest_seen = _apply(row.highest_seen, gaps, seqs)
        removed, added = before - gaps, gaps - before
        for first, _last in removed:
            connection.execute(
                sa.delete(_GAP).where(_GAP.c.station_id == station_id, _GAP.c.first == first)
            )
        if added:
            connection.execute(
                _GAP.insert(),
                [{"station_id": station_id, "first": f, "last": last} for f, last in added],
            )
        contiguous = min(first for first, _ in gaps) - 1 if gaps else highest_seen
        connection.execute(
            sa.update(_SEQUENCE)
            .where(_SEQUENCE.c.station_id == station_id)
            .values(highest_contiguous=contiguous, highest_seen=highest_seen, updated_at=now)
        )
    return SequenceState(station_id, contiguous, highest_seen, sorted(gaps))


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
