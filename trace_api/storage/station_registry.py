"""The ``station`` table: which reader stations exist, and the read points and business
locations each may claim.

This is what the station role's capture guard (:mod:`trace_api.api.access`) and the MQTT
ingest's acceptance (:mod:`trace_api.ingest.acceptance`) read. A station needs at least one
read point or business location; each must be a GS1 location (SGLN or GLN URN, 13 digits or
Digital Link) and is stored as given. The optional owning ``party`` and ``site`` (a location)
must be in the master data, named by any spelling of their GLN.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from trace_api.exceptions import StationError, StationExistsError, StationNotFoundError
from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction
from trace_api.storage.master_records import canonical_key

__all__ = [
    "STATION_ID",
    "StationRecord",
    "add_station",
    "get_station",
    "list_stations",
    "remove_station",
]

_STATION = metadata.tables["station"]
_PARTY = metadata.tables["party"]
_LOCATION = metadata.tables["location"]
#: what a station id may be: the MQTT topic level and broker user name it becomes
STATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True, slots=True)
class StationRecord:
    """A registered station; ``party`` and ``site`` are GLNs as the master data spells them."""

    id: str
    read_points: list[str]
    biz_locations: list[str]
    party: str | None = None
    site: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "read_points": self.read_points,
            "biz_locations": self.biz_locations,
            "party": self.party,
            "site": self.site,
        }


def _locations(kind: str, values: Sequence[str]) -> list[str]:
    for value in values:
        if canonical_key("locations", value) is None:
            raise StationError(f"{kind} {value!r} is not a GS1 location (SGLN/GLN)")
    return list(dict.fromkeys(values))


def _find(connection: sa.Connection, table: sa.Table, kind: str, key: str) -> int:
    canonical = canonical_key("parties" if table is _PARTY else "locations", key)
    condition = table.c.gln == key
    if canonical is not None:
        condition = sa.or_(condition, table.c.canonical == canonical)
    row = connection.execute(sa.select(table.c.id).where(condition)).first()
    if row is None:
        raise StationError(f"unknown {kind} {key!r} (load it into the master data first)")
    return int(row.id)


def add_station(
    target: Target,
    station_id: str,
    *,
    read_points: Sequence[str] = (),
    biz_locations: Sequence[str] = (),
    party: str | None = None,
    site: str | None = None,
    replace: bool = False,
) -> StationRecord:
    """Register a station (``replace``: or redefine an existing one)."""
    if not STATION_ID.fullmatch(station_id):
        raise StationError(
            f"station id {station_id!r}: 1 to 64 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    if not read_points and not biz_locations:
        raise StationError(f"station {station_id}: give at least one read point or biz location")
    row: dict[str, object] = {
        "id": station_id,
        "read_points": _locations("read point", read_points),
        "biz_locations": _locations("biz location", biz_locations),
    }
    with transaction(target) as connection:
        row["party_id"] = None if party is None else _find(connection, _PARTY, "party", party)
        row["site_location_id"] = (
            None if site is None else _find(connection, _LOCATION, "site location", site)
        )
        exists = connection.execute(
            sa.select(_STATION.c.id).where(_STATION.c.id == station_id)
        ).first()
        if exists is not None and not replace:
            raise StationExistsError(f"station {station_id} is already registered")
        try:
            if exists is None:
                connection.execute(_STATION.insert(), row)
            else:
                connection.execute(
                    _STATION.update().where(_STATION.c.id == station_id).values(**row)
                )
        except IntegrityError as exc:  # registered concurrently
            raise StationExistsError(f"station {station_id} is already registered") from exc
    found = get_station(target, station_id)
    assert found is not None
    return found


def _select() -> sa.Select[Any]:
    site = _LOCATION.alias("site")
    return sa.select(
        _STATION.c.id,
        _STATION.c.read_points,
        _STATION.c.biz_locations,
        _PARTY.c.gln,
        site.c.gln,
    ).select_from(
        _STATION.outerjoin(_PARTY, _STATION.c.party_id == _PARTY.c.id).outerjoin(
            site, _STATION.c.site_location_id == site.c.id
        )
    )


def _record(row: Any) -> StationRecord:
    station_id, read_points, biz_locations, party, site = row
    return StationRecord(
        str(station_id), list(read_points or []), list(biz_locations or []), party, site
    )


def list_stations(target: Target) -> list[StationRecord]:
    """Every registered station, by id."""
    with transaction(target) as connection:
        return [_record(row) for row in connection.execute(_select().order_by(_STATION.c.id))]


def get_station(target: Target, station_id: str) -> StationRecord | None:
    """One station, ``None`` when it is not registered."""
    with transaction(target) as connection:
        row = connection.execute(_select().where(_STATION.c.id == station_id)).first()
    return None if row is None else _record(row)


def remove_station(target: Target, station_id: str) -> None:
    """Unregister a station: its tokens and MQTT events are refused from now on (its sequence
    bookkeeping and the events it sent stay)."""
    with transaction(target) as connection:
        result = connection.execute(_STATION.delete().where(_STATION.c.id == station_id))
        if result.rowcount == 0:
            raise StationNotFoundError(f"no station {station_id!r}")
