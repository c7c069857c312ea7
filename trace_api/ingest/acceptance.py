"""Station ownership: an event may only claim the station, read points and business locations
its publisher owns.

The topic names the station (``{root}/{site}/{station}/events``; the broker ACL lets a station
publish only under its own id). Each event must carry the same id in ``ft:stationID``, the
station must be in the ``station`` table (unless unknown stations are accepted), and its
``readPoint`` / ``bizLocation`` must be among the station's ``read_points`` / ``biz_locations``
(compared as canonical GS1 Digital Links, so a URN and its Digital Link match).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from trace_api.capture import Acceptance, Refusal
from trace_api.models import metadata
from trace_api.storage import Target
from trace_api.storage.connection import transaction
from trace_api.storage.context import station_keys
from trace_api.storage.prepare import canonical

__all__ = ["StationDirectory", "StationRights", "station_of_topic"]

log = logging.getLogger("trace_api.ingest")

_STATION = metadata.tables["station"]
# How often an unknown station may trigger a re-read of the table.
_MISS_REFRESH_S = 1.0


def station_of_topic(topic: str) -> str | None:
    """The station id of ``…/{site}/{station}/events``, ``None`` for another shape."""
    parts = topic.split("/")
    if len(parts) < 4 or parts[-1] != "events" or not parts[-2]:
        return None
    return parts[-2]


@functools.lru_cache(maxsize=65_536)
def _canonical(value: str) -> str:
    try:
        return canonical(value)
    except (ValueError, KeyError, TypeError):  # not a GS1 identifier: compare as written
        return value


@dataclass(frozen=True, slots=True)
class StationRights:
    """What one station may claim (canonical identifiers)."""

    read_points: frozenset[str]
    biz_locations: frozenset[str]


class StationDirectory:
    """The ``station`` table, cached; re-read every ``refresh_s`` and on an unknown station."""

    def __init__(
        self,
        target: Target,
        *,
        refresh_s: float = 30.0,
        accept_unknown: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._target = target
        self._refresh_s = refresh_s
        self._accept_unknown = accept_unknown
        self._clock = clock
        self._lock = threading.Lock()
        self._rights: dict[str, StationRights] = {}
        self._loaded_at: float | None = None

    def refresh(self) -> None:
        rights: dict[str, StationRights] = {}
        query = sa.select(_STATION.c.id, _STATION.c.read_points, _STATION.c.biz_locations)
        with transaction(self._target) as connection:
            for station_id, read_points, biz_locations in connection.execute(query):
                rights[station_id] = StationRights(
                    frozenset(_canonical(v) for v in read_points or []),
                    frozenset(_canonical(v) for v in biz_locations or []),
                )
        with self._lock:
            self._rights = rights
            self._loaded_at = self._clock()

    def _try_refresh(self) -> None:
        """Re-read the table; on a database error keep the cached rights (read again later)."""
        try:
            self.refresh()
        except SQLAlchemyError as exc:
            log.warning("ingest: cannot re-read the station table, using the cached one: %s", exc)
            self._loaded_at = self._clock()

    def rights(self, station_id: str) -> StationRights | None:
        """The station's rights, ``None`` for a station missing from the table."""
        now = self._clock()
        if self._loaded_at is None or now - self._loaded_at >= self._refresh_s:
            self._try_refresh()
        found = self._rights.get(station_id)
        stale = self._loaded_at is not None and now - self._loaded_at >= _MISS_REFRESH_S
        if found is None and stale:
            self._try_refresh()
            found = self._rights.get(station_id)
        return found

    def acceptance(self, topic_station: str) -> Acceptance:
        """The per-event check for a message published on ``topic_station``'s topic."""
        rights = self.rights(topic_station)
        # The keys of ft:stationID for the last namespaces seen: every event of a document
        # comes with the same mapping (held here, so its id cannot be reused meanwhile).
        known: list[tuple[Mapping[str, str], tuple[str, ...]]] = []

        def accept(
            index: int, event: Mapping[str, Any], where: str, namespaces: Mapping[str, str]
        ) -> list[Refusal]:
            if not known or known[0][0] is not namespaces:
                known[:] = [(namespaces, station_keys(namespaces, "stationID"))]
            keys = known[0][1]
            claimed = next((event[k] for k in keys if k in event), None)
            if claimed != topic_station:
                said = "no ft:stationID" if claimed is None else f"ft:stationID {claimed!r}"
                return [
                    Refusal(
                        index,
                        where,
                        f"event has {said} but was published on the topic of station "
                        f"{topic_station!r}",
                        "station_mismatch",
                    )
                ]
            if rights is None:
                if self._accept_unknown:
                    return []
                return [
                    Refusal(
                        index,
                        where,
                        f"station {topic_station!r} is not in the station table",
                        "unknown_station",
                    )
                ]
            refusals = []
            for key, owned in (
                ("readPoint", rights.read_points),
                ("bizLocation", rights.biz_locations),
            ):
                place = event.get(key)
                value = place.get("id") if isinstance(place, Mapping) else None
                if isinstance(value, str) and _canonical(value) not in owned:
                    refusals.append(
                        Refusal(
                            index,
                            f"{where}/{key}/id",
                            f"station {topic_station!r} does not own {key} {value!r}",
                            "location_not_owned",
                        )
                    )
            return refusals

        return accept
