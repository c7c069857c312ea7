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


_register()
