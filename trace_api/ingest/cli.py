"""``foodtrace ingest``: run the MQTT ingest worker.

Registered in ``foodtrace/cli/app.py``. Options override ``FOODTRACE_INGEST__<NAME>``; imports
stay inside the command so that ``foodtrace --help`` stays light.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trace_api.cli import DbOption

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


@app.command()
def run(
    db: DbOption = None,
    host: Annotated[str | None, typer.Option(help="Broker host [127.0.0.1].")] = None,
    port: Annotated[int | None, typer.Option(help="Broker port [1883].")] = None,
    username: Annotated[str | None, typer.Option(help="MQTT username [foodtrace-ingest].")] = None,
    password_file: Annotated[
        Path | None, typer.Option(help="File whose first line is the MQTT password.")
    ] = None,
    tls: Annotated[bool | None, typer.Option("--tls/--no-tls", help="Use TLS.")] = None,
    ca_file: Annotated[Path | None, typer.Option(help="CA certificate(s) for TLS.")] = None,
    client_id: Annotated[
        str | None, typer.Option(help="Fixed client id of this worker [foodtrace-ingest-HOST].")
    ] = None,
    topic_root: Annotated[str | None, typer.Option(help="Topic root [foodtrace/v1].")] = None,
    share_group: Annotated[
        str | None, typer.Option(help="Shared subscription group [foodtrace-ingest].")
    ] = None,
    batch_events: Annotated[int | None, typer.Option(help="Events per commit [2000].")] = None,
    linger_ms: Annotated[int | None, typer.Option(help="Longest wait for a batch [50].")] = None,
    commit_connections: Annotated[
        int | None,
        typer.Option(help="Batches committed at once, on their own connections [2; SQLite 1]."),
    ] = None,
    metrics_port: Annotated[
        int, typer.Option(help="Serve Prometheus /metrics on this port (0: off).")
    ] = 0,
    metrics_bind: Annotated[str, typer.Option(help="Address of /metrics.")] = "127.0.0.1",
    idle_exit: Annotated[
        float | None, typer.Option(help="Exit after this many seconds without a message.")
    ] = None,
) -> None:
    """Store every station's EPCIS events from the broker; refusals go to the dead letters."""
    import logging
    import signal
    import threading

    from prometheus_client import start_http_server

    from trace_api.cli import _database_url
    from trace_api.core.db import create_engine
    from trace_api.ingest.config import load_ingest_settings
    from trace_api.ingest.metrics import IngestMetrics
    from trace_api.ingest.worker import IngestWorker
    from trace_api.migrate import require_head

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    settings = load_ingest_settings(
        host=host,
        port=port,
        username=username,
        password_file=password_file,
        tls=tls,
        ca_file=ca_file,
        client_id=client_id,
        topic_root=topic_root,
        share_group=share_group,
        batch_events=batch_events,
        linger_ms=linger_ms,
        commit_connections=commit_connections,
    )
    settings.resolved_password()  # fail now, not after connecting to the database
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _signum, _frame: stop.set())
    engine = create_engine(_database_url(db))
    try:
        require_head(engine)
        metrics = IngestMetrics()
        if metrics_port:
            server, thread = start_http_server(metrics_port, metrics_bind, metrics.registry)
        worker = IngestWorker(settings, engine, metrics=metrics)
        stats = worker.run(stop, idle_exit_s=idle_exit)
        if metrics_port:
            server.shutdown()
            thread.join()
    finally:
        engine.dispose()
    typer.echo(
        f"ingest stopped: {stats.messages} messages, {stats.stored} events stored, "
        f"{stats.duplicates} duplicates, {stats.refused} refused, "
        f"{stats.dead_letters} dead letters"
    )


@app.command()
def gaps(
    stations: Annotated[
        list[str] | None, typer.Argument(help="Station ids (default: every station seen).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Show each station's sequence state: contiguous up to, highest seen, missing ranges."""
    import sqlalchemy as sa

    from trace_api.cli import _database_url
    from trace_api.core.db import create_engine
    from trace_api.migrate import require_head
    from trace_api.models import metadata
    from trace_api.storage import station_sequence

    engine = create_engine(_database_url(db))
    lines: list[str] = []
    try:
        require_head(engine)
        wanted = list(stations or [])
        if not wanted:
            table = metadata.tables["station_sequence"]
            with engine.connect() as connection:
                query = sa.select(table.c.station_id).order_by(table.c.station_id)
                wanted = list(connection.execute(query).scalars())
        for station in wanted:
            state = station_sequence(engine, station)
            if state is None:
                lines.append(f"{station}: no numbered events")
                continue
            missing = ", ".join(
                str(first) if first == last else f"{first}-{last}" for first, last in state.gaps
            )
            lines.append(
                f"{station}: contiguous to {state.highest_contiguous}, "
                f"highest {state.highest_seen}, missing {missing or 'none'}"
            )
    finally:
        engine.dispose()
    for line in lines:
        typer.echo(line)
