"""What a principal may capture and see.

* ``regulator``: captures and sees everything.
* ``operator``: sees the events at its party's locations (``readPoint`` or ``bizLocation`` is
  a ``location`` of the ``party`` whose GLN the token names) and the events naming its party or
  one of its locations as a source or destination (its one-up/one-down partners' shipping and
  receiving with it); captures without restriction.
* ``station``: captures only events whose ``readPoint`` and ``bizLocation`` are among those of
  its ``station`` row (an event with neither is refused); cannot query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from trace_api.auth.tokens import Principal
from trace_api.exceptions import AccessDeniedError
from trace_api.models import metadata
from trace_api.query.identifiers import location_forms

__all__ = ["EventGuard", "capture_guard", "principal_key", "query_scope"]

_EVENT = metadata.tables["event"]
_LOCATION = metadata.tables["location"]
_PARTY = metadata.tables["party"]
_SOURCE_DESTINATION = metadata.tables["event_source_destination"]
_STATION = metadata.tables["station"]

#: Returns why an event may not be captured, or ``None`` when it may.
EventGuard = Callable[[Mapping[str, Any]], str | None]


def principal_key(principal: Principal) -> str:
    """Who a caller is, for records it owns (capture jobs): role and party or station id."""
    return f"{principal.role}:{principal.party or principal.station_id or ''}"


def query_scope(principal: Principal) -> sa.ColumnElement[bool] | None:
    """Condition on ``event`` rows limiting a query to what ``principal`` may see."""
    if principal.role == "regulator":
        return None
    if principal.role != "operator" or not principal.party:
        raise AccessDeniedError(f"role {principal.role} may not query events")
    forms = _party_forms(principal.party)
    party_ids = sa.select(_PARTY.c.id).where(
        sa.or_(_PARTY.c.gln.in_(forms), _PARTY.c.canonical.in_(forms))
    )
    locations = sa.select(_LOCATION.c.gln).where(_LOCATION.c.party_id.in_(party_ids))
    canonical_locations = sa.select(_LOCATION.c.canonical).where(
        _LOCATION.c.party_id.in_(party_ids)
    )
    named = sa.exists().where(
        _SOURCE_DESTINATION.c.event_pk == _EVENT.c.id,
        sa.or_(
            _SOURCE_DESTINATION.c.value.in_(forms),
            _SOURCE_DESTINATION.c.value.in_(locations),
            _SOURCE_DESTINATION.c.value.in_(canonical_locations),
        ),
    )
    return sa.or_(
        _EVENT.c.read_point.in_(locations),
        _EVENT.c.read_point.in_(canonical_locations),
        _EVENT.c.biz_location.in_(locations),
        _EVENT.c.biz_location.in_(canonical_locations),
        named,
    )


def _party_forms(party: str) -> list[str]:
    """A party's GLN in the forms events and master data use: as given, URN, Digital Link."""
    forms = location_forms(party)
    if party.isascii() and party.isdigit() and len(party) == 13:
        forms += location_forms(f"https://id.gs1.org/417/{party}")
    return list(dict.fromkeys(forms))


def _allowed(ids: list[str]) -> set[str]:
    return {form for value in ids for form in location_forms(value)}


def capture_guard(engine: Engine, principal: Principal) -> EventGuard | None:
    """The check each captured event must pass for ``principal`` (``None``: no check)."""
    if principal.role in ("regulator", "operator"):
        return None
    if principal.role != "station" or not principal.station_id:
        raise AccessDeniedError(f"role {principal.role} may not capture events")
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(_STATION.c.read_points, _STATION.c.biz_locations).where(
                _STATION.c.id == principal.station_id
            )
        ).first()
    if row is None:
        raise AccessDeniedError(f"station {principal.station_id!r} is not registered")
    read_points = _allowed(list(row.read_points or []))
    biz_locations = _allowed(list(row.biz_locations or []))
    station = principal.station_id

    def guard(event: Mapping[str, Any]) -> str | None:
        checked = False
        for key, allowed in (("readPoint", read_points), ("bizLocation", biz_locations)):
            place = event.get(key)
            if place is None:
                continue
            value = place.get("id") if isinstance(place, Mapping) else None
            if not isinstance(value, str) or value not in allowed:
                return f"station {station} may not capture events at {key} {value!r}"
            checked = True
        if not checked:
            return f"station {station} may capture only events with its readPoint or bizLocation"
        return None

    return guard
