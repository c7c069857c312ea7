"""``foodtrace scenario``: generate a supply-chain scenario, load one into the service.

Registered in the root command by ``foodtrace/cli/app.py``. This module imports only typer at
module level; the commands import what they need.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


def _address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) <= 65535:
        raise typer.BadParameter(f"expected HOST:PORT, got {value!r}")
    return host, int(port)


@app.command()
def generate(
    out: Annotated[Path, typer.Option("--out", help="Scenario directory to write.")],
    seed: Annotated[int, typer.Option(help="Random seed: same seed and options, same bytes.")] = 1,
    size: Annotated[
        str, typer.Option(help="tiny (~1.5k events), small (~10k), city (~1M), large (~10M).")
    ] = "small",
    read_rate: Annotated[
        float, typer.Option(help="Probability that a reader sees a tag (0.66 … 1.0).")
    ] = 1.0,
    anomalies: Annotated[
        str,
        typer.Option(help='"default", "none", or TYPE=RATE,... (rate per genuine case EPC).'),
    ] = "default",
    start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD, UTC+08:00).")] = "2026-03-02",
    days: Annotated[
        int | None, typer.Option(help="Override the size's number of days.", min=1)
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace a scenario in --out.")] = False,
) -> None:
    """Generate a seeded food-chain scenario: EPCIS 2.0 documents, master data, labels."""
    import time

    from rich.progress import Progress

    from firmware_sim.exceptions import ScenarioError
    from firmware_sim.world.generator import generate as run

    began = time.perf_counter()
    try:
        with Progress(transient=True) as bar:
            task = bar.add_task("generating", total=None)

            def progress(day: int, total: int, events: int) -> None:
                bar.update(task, completed=day, total=total, description=f"{events:,} events")

            result = run(out, seed=seed, size=size, read_rate=read_rate, anomalies=anomalies,
                         start=start, days=days, force=force, progress=progress)  # fmt: skip
    except ScenarioError as exc:
        raise typer.BadParameter(str(exc)) from None
    seconds = time.perf_counter() - began
    counts = result.meta["counts"]
    typer.echo(
        f"{result.events:,} events in {result.files} documents, {counts['epcs']:,} EPCs, "
        f"{counts['lots']:,} lots, {result.labels} anomalies labelled "
        f"({seconds:.1f} s, {result.events / max(seconds, 1e-9):,.0f} events/s) → {out}"
    )


@app.command()
def load(
    directory: Annotated[Path, typer.Argument(help="A scenario directory.", show_default=False)],
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: $FOODTRACE_DB, the config file …)."),
    ] = None,
    mqtt: Annotated[
        str | None,
        typer.Option("--mqtt", metavar="HOST:PORT", help="Publish events as the stations would."),
    ] = None,
    username: Annotated[str | None, typer.Option(help="MQTT user name.")] = None,
    password: Annotated[
        str | None, typer.Option(help="MQTT password (or $FOODTRACE_MQTT_PASSWORD).")
    ] = None,
    root: Annotated[str, typer.Option(help="MQTT topic root.")] = "foodtrace/v1",
    skip_events: Annotated[
        bool,
        typer.Option("--skip-events", help="Only master data and recalls (after an --mqtt load)."),
    ] = False,
) -> None:
    """Feed a scenario into the service: master data, events, recalls.

    Without --mqtt the events go straight into the database through the capture pipeline. With
    --mqtt they are published per station topic for ``foodtrace ingest run``; master data, the
    stations and the recalls are still written to the database (declare recalls after ingest
    has stored the events: run ``load --skip-events`` then).
    """
    import os

    from rich.progress import Progress

    from firmware_sim.exceptions import ScenarioError
    from firmware_sim.world.feed import (
        LoadReport,
        _master,
        load_into_database,
        publish_mqtt,
        register_stations,
    )
    from firmware_sim.world.loader import load_scenario
    from trace_api.cli import _database_url
    from trace_api.core.db import create_engine
    from trace_api.migrate import require_head

    try:
        scenario = load_scenario(directory)
    except ScenarioError as exc:
        raise typer.BadParameter(str(exc)) from None
    address = _address(mqtt) if mqtt is not None else None
    total = int(scenario.meta["counts"]["events"])
    engine = create_engine(_database_url(db))
    try:
        require_head(engine)
        with Progress() as bar:
            task = bar.add_task("events", total=total)

            def progress(n: int) -> None:
                bar.advance(task, n)

            if address is None:
                report = load_into_database(scenario, engine, progress, events=not skip_events)
            else:
                report = LoadReport()
                _master(engine, scenario, report)
                report.stations = register_stations(engine, scenario)
                secret = (
                    password if password is not None else os.environ.get("FOODTRACE_MQTT_PASSWORD")
                )
                try:
                    sent = publish_mqtt(scenario, address[0], address[1], username=username,
                                        password=secret, root=root, progress=progress)  # fmt: skip
                except OSError as exc:
                    raise typer.BadParameter(f"--mqtt {mqtt}: {exc}") from None
                report.published, report.messages = sent.published, sent.messages
    finally:
        engine.dispose()
    for line in report.refusals:
        typer.echo(line, err=True)
    typer.echo(
        f"master data: {report.parties} parties, {report.locations} locations, "
        f"{report.products} products"
    )
    if address is None:
        typer.echo(
            f"{report.stored:,} stored, {report.duplicates:,} duplicates, {report.refused:,} "
            f"refused; {len(report.recalls)} recalls declared"
        )
    else:
        typer.echo(
            f"{report.published:,} events published in {report.messages:,} messages on "
            f"{root}/…; {report.stations} stations registered"
        )
    if report.refused:
        raise typer.Exit(1)
