"""``foodtrace station add|list|remove``: the reader stations the service accepts events from.

Registered in ``foodtrace/cli/app.py`` as the ``station`` group; imports stay inside the
commands. The broker account of a station is separate (``foodtrace broker add-station``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: $FOODTRACE_DB, then the config)."),
]


@app.callback()
def _group() -> None:
    """Reader stations: their read points, business locations and party."""


def _engine(db: str | None) -> Engine:
    from trace_api.core.config import load_settings
    from trace_api.core.db import create_engine
    from trace_api.migrate import require_head

    engine = create_engine(db or load_settings().db)
    try:
        require_head(engine)
    except BaseException:
        engine.dispose()
        raise
    return engine


@app.command()
def add(
    station_id: Annotated[str, typer.Option("--id", help="Station id (its MQTT user name).")],
    read_point: Annotated[
        list[str] | None,
        typer.Option("--read-point", help="SGLN the station may claim as readPoint (repeat)."),
    ] = None,
    biz_location: Annotated[
        list[str] | None,
        typer.Option("--biz-location", help="SGLN it may claim as bizLocation (repeat)."),
    ] = None,
    party: Annotated[
        str | None, typer.Option("--party", help="GLN of the operating party (master data).")
    ] = None,
    site: Annotated[
        str | None, typer.Option("--site", help="GLN of the site location (master data).")
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Redefine the station if it exists.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Register a station (exit 1 if it exists, unless --replace)."""
    from trace_api.storage.station_registry import add_station

    engine = _engine(db)
    try:
        record = add_station(
            engine,
            station_id,
            read_points=read_point or [],
            biz_locations=biz_location or [],
            party=party,
            site=site,
            replace=replace,
        )
    finally:
        engine.dispose()
    typer.echo(
        f"station {record.id}: {len(record.read_points)} read point(s), "
        f"{len(record.biz_locations)} biz location(s)"
    )


@app.command("list")
def list_(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """The registered stations."""
    from trace_api.storage.station_registry import list_stations

    engine = _engine(db)
    try:
        stations = list_stations(engine)
    finally:
        engine.dispose()
    if json_output:
        import orjson

        typer.echo(
            orjson.dumps([s.to_dict() for s in stations], option=orjson.OPT_INDENT_2).decode()
        )
        return
    for s in stations:
        places = " ".join(s.read_points + [f"biz:{b}" for b in s.biz_locations])
        typer.echo(f"{s.id}\tparty={s.party or '-'}\tsite={s.site or '-'}\t{places}")


@app.command()
def remove(
    station_id: Annotated[str, typer.Argument(help="Station id.")],
    db: DbOption = None,
) -> None:
    """Unregister a station: its events are refused from now on."""
    from trace_api.storage.station_registry import remove_station

    engine = _engine(db)
    try:
        remove_station(engine, station_id)
    finally:
        engine.dispose()
    typer.echo(f"removed station {station_id}")
