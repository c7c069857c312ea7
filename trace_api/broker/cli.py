"""``foodtrace broker``: write the central Mosquitto configuration and station accounts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


@app.command()
def init(
    config_dir: Annotated[
        Path, typer.Argument(help="Directory for mosquitto.conf, acl, passwd, tls/.")
    ],
    persistence_dir: Annotated[
        Path | None,
        typer.Option(help="Mosquitto persistence directory [default: CONFIG_DIR/data]."),
    ] = None,
    tls_bind: Annotated[
        str, typer.Option(help="Address of the stations' TLS listener ('none' to disable).")
    ] = "0.0.0.0",  # noqa: S104 - the stations' listener is the broker's purpose
    tls_port: Annotated[int, typer.Option(help="Port of the stations' TLS listener.")] = 8883,
    local_port: Annotated[
        int, typer.Option(help="Port of the loopback listener for workers.")
    ] = 1883,
    hostname: Annotated[
        list[str] | None, typer.Option(help="Names/IPs for a self-signed certificate (repeatable).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing configuration.")] = False,
) -> None:
    """Write a TLS-only, password- and ACL-protected Mosquitto configuration.

    Service accounts get generated passwords, written to CONFIG_DIR/credentials/*.secret (0600).
    Without certificates in CONFIG_DIR/tls/ a self-signed CA and server certificate are made.
    """
    from trace_api.broker.mosquitto_conf import BrokerLayout
    from trace_api.broker.setup import init_broker

    layout = BrokerLayout(
        config_dir=config_dir.resolve(),
        persistence_dir=(persistence_dir or config_dir / "data").resolve(),
        tls_bind=None if tls_bind == "none" else tls_bind,
        tls_port=tls_port,
        local_port=local_port,
    )
    for account in init_broker(layout, hostnames=hostname, force=force):
        typer.echo(f"{account.username}: password in {account.secret_file}")
    typer.echo(f"configuration: {layout.config_dir / 'mosquitto.conf'}")


@app.command("add-station")
def add_station_cmd(
    config_dir: Annotated[
        Path, typer.Argument(help="The directory `foodtrace broker init` wrote.")
    ],
    station_id: Annotated[
        str, typer.Argument(help="Station id: its MQTT username and topic level.")
    ],
) -> None:
    """Create or rotate a station's MQTT account (password generated, never defaulted).

    A running broker picks the change up on SIGHUP (systemctl reload mosquitto).
    """
    from trace_api.broker.setup import add_station

    account = add_station(config_dir, station_id)
    typer.echo(f"{account.username}: password in {account.secret_file}")
