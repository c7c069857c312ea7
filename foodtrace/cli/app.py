"""The root Typer application and the registry of subcommand groups."""

from __future__ import annotations

import typer

from foodtrace import __version__

app = typer.Typer(
    name="foodtrace",
    help="RFID food-safety traceability: GS1 EPC and EPCIS 2.0 tools, reader stations, "
    "the traceability service, analytics and early warnings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"foodtrace {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """foodtrace command line."""


def _register() -> None:
    # Each group module defines ``app``; importing it must stay cheap (no heavy imports at
    # module level) so that --help is fast and works with only the extras a station installed.
    from foodtrace.cli import epc, epcis, reader

    app.add_typer(epc.app, name="epc", help="Encode and decode EPCs (GS1 Tag Data Standard).")
    app.add_typer(
        epcis.app, name="epcis", help="Validate EPCIS 2.0 documents, compute event hash IDs."
    )
    app.add_typer(reader.app, name="reader", help="Decode reader serial captures.")
    _register_parts()


def _register_parts() -> None:
    # The parts' command groups. Their modules import only typer at module level; the commands
    # import what they need, so a station without the server extras still gets --help.
    from analytics import cli as analytics_cli
    from edge_agent import cli as edge_cli
    from firmware_sim import cli as sim_cli
    from firmware_sim.world import cli as scenario_cli
    from trace_api import api_cli, capture_cli, export_cli, qr_cli, station_cli, trace_cli
    from trace_api import cli as db_cli
    from trace_api.auth import cli as auth_cli
    from trace_api.broker import cli as broker_cli
    from trace_api.demo import cli as demo_cli
    from trace_api.ingest import cli as ingest_cli
    from trace_api.web.console import cli as console_cli

    app.add_typer(db_cli.app, name="db", help="Create or migrate the traceability database.")
    app.add_typer(
        broker_cli.app, name="broker", help="Write the central MQTT broker's configuration."
    )
    app.add_typer(sim_cli.app, name="sim", help="Simulated reader firmware.")
    app.add_typer(
        scenario_cli.app, name="scenario", help="Generate and load supply-chain scenarios."
    )
    app.add_typer(edge_cli.app, name="edge", help="Run a reader station (reads → EPCIS → MQTT).")
    app.add_typer(ingest_cli.app, name="ingest", help="Store station events from the MQTT broker.")
    app.command("capture")(capture_cli.capture)
    app.add_typer(api_cli.app, name="api", help="Serve the REST interface (EPCIS 2.0 + API).")
    app.add_typer(auth_cli.app, name="auth", help="Bearer tokens of the REST interface.")
    app.add_typer(station_cli.app, name="station", help="Register reader stations (read points).")
    app.command("trace")(trace_cli.trace)
    app.add_typer(trace_cli.recall_app, name="recall", help="Declare and show recalls of lots.")
    app.command("demo")(demo_cli.demo)
    app.command("qr")(qr_cli.qr)
    app.add_typer(
        export_cli.app, name="export", help="FSMA 204, EU Art. 18 and EPCIS exports of lots."
    )
    app.add_typer(console_cli.app, name="console", help="Accounts of the regulator console.")
    app.add_typer(
        analytics_cli.app, name="analytics", help="Anomaly detection, early warnings, benchmarks."
    )


_register()
