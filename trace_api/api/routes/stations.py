"""``/api/v1/stations``: the reader stations the service accepts events from (the ``station``
table the station role's capture guard and the MQTT ingest read). Regulators only; the same as
``foodtrace station add|list|remove``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.engine import Engine

from trace_api.api.deps import EngineDep
from trace_api.api.responses import problems
from trace_api.api.routes.trace import RegulatorDep
from trace_api.exceptions import NotFoundError, StationNotFoundError
from trace_api.storage.station_registry import (
    StationRecord,
    add_station,
    get_station,
    list_stations,
    remove_station,
)

__all__ = ["router"]

router = APIRouter(tags=["Stations"])
StationId = Annotated[str, Path(max_length=64, description="the station id (its MQTT user)")]
_Places = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=300)]], Field(max_length=100)
]


class StationDefinition(BaseModel):
    """What a station may claim: read points and business locations (SGLN/GLN), and
    optionally its operating party and site from the master data."""

    model_config = ConfigDict(extra="forbid")

    read_points: _Places = []
    biz_locations: _Places = []
    party: str | None = Field(default=None, max_length=300)
    site: str | None = Field(default=None, max_length=300)


class Station(StationDefinition):
    """A registered station."""

    id: str


class StationList(BaseModel):
    stations: list[Station]


def _body(record: StationRecord) -> Station:
    return Station.model_validate(record.to_dict())


def _put(engine: Engine, station_id: str, definition: StationDefinition) -> tuple[Station, bool]:
    created = get_station(engine, station_id) is None
    record = add_station(
        engine,
        station_id,
        read_points=definition.read_points,
        biz_locations=definition.biz_locations,
        party=definition.party,
        site=definition.site,
        replace=True,
    )
    return _body(record), created


@router.get("/stations", responses=problems(401, 403), summary="List stations")
async def get_stations(engine: EngineDep, _caller: RegulatorDep) -> StationList:
    """Every registered station, by id."""
    records = await run_in_threadpool(list_stations, engine)
    return StationList(stations=[_body(r) for r in records])


@router.get("/stations/{station_id}", responses=problems(401, 403, 404), summary="Read a station")
async def get_one_station(
    station_id: StationId, engine: EngineDep, _caller: RegulatorDep
) -> Station:
    """One station; 404 when it is not registered."""
    record = await run_in_threadpool(get_station, engine, station_id)
    if record is None:
        raise NotFoundError(f"no station {station_id!r}")
    return _body(record)


@router.put(
    "/stations/{station_id}",
    responses={**problems(400, 401, 403), 201: {"description": "registered"}},
    summary="Register or redefine a station",
)
async def put_station(
    station_id: StationId,
    definition: StationDefinition,
    engine: EngineDep,
    _caller: RegulatorDep,
    response: Response,
) -> Station:
    """201 when the station is new, 200 when it replaced a definition. 400 without any read
    point or biz location, for an id that is not a GS1 location, or an unknown party/site."""
    station, created = await run_in_threadpool(_put, engine, station_id, definition)
    response.status_code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return station


@router.delete(
    "/stations/{station_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problems(401, 403, 404),
    summary="Unregister a station",
)
async def delete_station(station_id: StationId, engine: EngineDep, _caller: RegulatorDep) -> None:
    """Its tokens and MQTT events are refused from now on; its stored events stay."""
    try:
        await run_in_threadpool(remove_station, engine, station_id)
    except StationNotFoundError as exc:
        raise NotFoundError(str(exc)) from exc
