"""``foodtrace demo``: the whole system on this machine, with one command.

Registered in ``foodtrace/cli/app.py``; imports stay inside the command.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["demo"]


def demo(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Web port (API, pages) on 127.0.0.1.")
    ] = 8000,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="Data folder (database, broker, outboxes, logs); reused by the next run. "
            "[default: <user data dir>/foodtrace/demo]",
            show_default=False,
        ),
    ] = None,
    no_browser_hints: Annotated[
        bool, typer.Option("--no-browser-hints", help="Do not print what to open.")
    ] = False,
    broker: Annotated[
        str,
        typer.Option(
            "--broker",
            help="MQTT broker: auto (Mosquitto when installed, else the embedded amqtt), "
            "mosquitto or amqtt.",
        ),
    ] = "auto",
    duration: Annotated[
        float | None,
        typer.Option(
            "--duration", min=0, help="Stop after this many seconds once the story is in."
        ),
    ] = None,
) -> None:
    """Run the whole system: broker, API, ingest and simulated reader stations with a story.

    The first lines on stdout are `NAME: URL`: a consumer page for a sample pack and for the
    recalled lot, the regulator console and its generated password, the API docs, the metrics.
    Ctrl-C stops everything; running it again adds a new day to the same data folder.
    """
    from trace_api.demo.runner import DemoOptions, run_demo

    if broker not in ("auto", "mosquitto", "amqtt"):
        raise typer.BadParameter("auto, mosquitto or amqtt", param_hint="--broker")

    run_demo(
        DemoOptions(
            port=port,
            data_dir=data_dir,
            browser_hints=not no_browser_hints,
            duration=duration,
            broker=broker,
        )
    )
