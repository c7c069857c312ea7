"""``foodtrace sim``: simulated reader firmware on a pty or a TCP port.

Registered in the root command by ``foodtrace/cli/app.py`` as the ``sim`` group. The first
stdout line is the device path (``/dev/pts/7``) or ``socket://HOST:PORT``; after a ``vanish``
fault the new path/URL is printed on a line of its own. SIGTERM and SIGINT stop it cleanly.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


def _tcp_address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise typer.BadParameter(f"expected HOST:PORT, got {value!r}")
    return host, int(port)


@app.command()
def reader(
    protocol: Annotated[str, typer.Option(help="Reader protocol: r2000 or mercury.")] = "r2000",
    pty: Annotated[bool, typer.Option("--pty", help="Serve on a new pseudo-terminal.")] = False,
    tcp: Annotated[
        str | None, typer.Option("--tcp", metavar="HOST:PORT", help="Serve on a TCP port.")
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option(help="Scenario TOML file (docs/firmware-sim.md).")
    ] = None,
    baud: Annotated[int, typer.Option(help="Line rate; bytes/s = baud / 10.", min=300)] = 115200,
    read_rate: Annotated[
        float | None, typer.Option(help="Tag reads/s on air (overrides the scenario).", min=1)
    ] = None,
    link: Annotated[
        Path | None, typer.Option(help="With --pty: keep this symlink pointing at the pty.")
    ] = None,
) -> None:
    """Run a simulated reader until SIGTERM or Ctrl-C."""
    import dataclasses

    from firmware_sim.device import SimulatedReader
    from firmware_sim.scenario import Scenario, load_scenario
    from firmware_sim.serve import serve_pty, serve_tcp

    if protocol not in ("r2000", "mercury"):
        raise typer.BadParameter(f"protocol must be r2000 or mercury, got {protocol!r}")
    if pty == (tcp is not None):
        raise typer.BadParameter("give exactly one of --pty and --tcp HOST:PORT")
    plan = load_scenario(scenario) if scenario is not None else Scenario()
    if read_rate is not None:
        plan = dataclasses.replace(plan, read_rate=read_rate)
    device = SimulatedReader(protocol, plan, baudrate=baud)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    def announce(url: str) -> None:
        typer.echo(url)
        typer.get_text_stream("stdout").flush()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        if tcp is not None:
            host, port = _tcp_address(tcp)
            serve_tcp(device, stop, host, port, on_ready=announce)
        else:
            serve_pty(device, stop, link=link, on_ready=announce)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
