"""``foodtrace edge``: run a reader station, or check its configuration.

Registered in the root command by ``foodtrace/cli/app.py`` as
``app.add_typer(edge_cli.app, name="edge", help=...)``. Heavy imports (paho, prometheus, sqlite
schema) happen inside the commands.

Where the reads come from:

* default: the reader driver, ``edge_agent.reader.run_reader(config, pipeline, stop)`` (the
  serial-port side of the agent: opens ``reader.port``, streams tag reads into
  ``pipeline.feed`` and frame errors into ``pipeline.add_frame_errors`` until ``stop`` is set;
  should it ever raise, the agent stops and exits non-zero);
* ``--stdin``: JSON lines ``{"epc": "30…", "antenna": 1, "rssi_dbm": -52}`` (optionally
  ``"temperature_c"``) on standard input, stamped on arrival; end of input stops the agent
  (demos, tests, replaying a capture);
* ``--no-reader``: no reads at all; only publish what is already in the outbox.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

if TYPE_CHECKING:
    from edge_agent.config import StationConfig
    from edge_agent.pipeline import Pipeline

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)

ConfigOption = Annotated[
    Path,
    typer.Option(
        "--config",
        "-c",
        help="station.toml (see docs/edge-agent.md); FOODTRACE_EDGE__… variables override it.",
    ),
]


@app.command()
def run(
    config: ConfigOption = Path("station.toml"),
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read tag reads as JSON lines from stdin.")
    ] = False,
    no_reader: Annotated[
        bool, typer.Option("--no-reader", help="No reads: only drain the outbox.")
    ] = False,
    flush_timeout: Annotated[
        float, typer.Option(help="Seconds to keep publishing at shutdown.", min=0)
    ] = 5.0,
) -> None:
    """Run the station: reads → EPCIS events → durable outbox → MQTT, until SIGTERM/Ctrl-C."""
    from edge_agent.config import load_config
    from edge_agent.logs import configure_logging
    from edge_agent.pipeline import Pipeline

    if stdin and no_reader:
        raise typer.BadParameter("--stdin and --no-reader exclude each other")
    settings = load_config(config)
    configure_logging(settings.logging)
    stop = threading.Event()
    failures: list[BaseException] = []
    pipeline = Pipeline.from_config(settings)

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        pipeline.start()
        source: threading.Thread | None = None
        if stdin:
            source = threading.Thread(
                target=_feed_lines, args=(sys.stdin, pipeline, stop), daemon=True
            )
        elif not no_reader:
            source = threading.Thread(
                target=_drive_reader,
                args=(settings, pipeline, stop, failures),
                name="edge-reader",
                daemon=True,
            )
        if source is not None:
            source.start()
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        pipeline.close(flush_timeout)
    if failures:
        from edge_agent.exceptions import EdgeError

        raise EdgeError(f"the reader driver stopped: {failures[0]}")


def _drive_reader(
    settings: StationConfig,
    pipeline: Pipeline,
    stop: threading.Event,
    failures: list[BaseException],
) -> None:
    """Run the reader driver; if it ever gives up, stop the agent (so that it exits non-zero and
    the service manager restarts it) instead of running on without reads."""
    import structlog

    from edge_agent.reader import run_reader

    try:
        run_reader(settings, pipeline, stop)
    except Exception as exc:
        structlog.get_logger("edge_agent.cli").exception("reader driver failed")
        failures.append(exc)
        stop.set()


def _feed_lines(stream: TextIO, pipeline: Pipeline, stop: threading.Event) -> None:
    """Feed JSON-line reads until end of input, then stop the agent."""
    import time

    import orjson
    import structlog

    from edge_agent.reads import StampedRead, TagRead

    log = structlog.get_logger("edge_agent.cli")
    try:
        for number, line in enumerate(stream, start=1):
            if stop.is_set():
                return
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
                tag = TagRead(
                    str(item["epc"]).upper(),
                    int(item["antenna"]) if item.get("antenna") is not None else None,
                    int(item["rssi_dbm"]) if item.get("rssi_dbm") is not None else None,
                )
                temperature = item.get("temperature_c")
                read = StampedRead(
                    tag,
                    time.time_ns(),
                    float(temperature) if temperature is not None else None,
                )
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                log.warning("unreadable input line skipped", line=number, error=str(exc))
                continue
            pipeline.feed([read])
    finally:
        stop.set()


@app.command()
def check(config: ConfigOption = Path("station.toml")) -> None:
    """Load and check a station configuration; print what the station will do."""
    from edge_agent.config import load_config
    from edge_agent.topics import Topics

    settings = load_config(config)
    topics = Topics(settings.mqtt.topic_root, settings.station.site, settings.station.id)
    auth = f"user {settings.mqtt.username}" if settings.mqtt.username is not None else "no password"
    tls = "TLS" if settings.mqtt.tls is not None else "no TLS"
    lines = [
        f"station   {settings.station.id} at {settings.station.site} "
        f"(read point {settings.station.read_point}, {settings.station.timezone})",
        f"role      {settings.role.kind}",
        f"reader    {settings.reader.protocol} on {settings.reader.port}, "
        f"antennas {settings.reader.antennas}, {settings.reader.power_dbm} dBm, "
        f"{settings.reader.region}",
        f"broker    {settings.mqtt.host}:{settings.mqtt.effective_port} "
        f"(MQTT {settings.mqtt.protocol}, {tls}, {auth}, client id {settings.client_id})",
        f"topics    {topics.events}, {topics.status}, {topics.heartbeat}, {topics.dropped}",
        f"outbox    {settings.outbox.path} (max {settings.outbox.max_events} events, "
        f"{settings.outbox.max_age_s:g} s)",
        "metrics   "
        + (
            f"http://{settings.metrics.host}:{settings.metrics.port}/metrics"
            if settings.metrics.enabled
            else "off"
        ),
    ]
    typer.echo("\n".join(lines))
