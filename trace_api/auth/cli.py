"""``foodtrace auth``: create bearer tokens for the REST interface.

Registered in ``foodtrace/cli/app.py`` as the ``auth`` group; imports stay inside the command.
"""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _group() -> None:
    """Bearer tokens of the REST interface."""


@app.command()
def token(
    role: Annotated[str, typer.Option("--role", help="regulator, operator or station.")],
    party: Annotated[
        str | None, typer.Option("--party", help="GLN of an operator's party.")
    ] = None,
    station: Annotated[
        str | None, typer.Option("--station", help="Station id of a station token.")
    ] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: $FOODTRACE_DB, then the config)."),
    ] = None,
) -> None:
    """Create a token and print it (it is stored hashed and cannot be shown again)."""
    from trace_api.auth.tokens import create_token
    from trace_api.core.config import load_settings
    from trace_api.core.db import create_engine
    from trace_api.exceptions import ConfigError
    from trace_api.migrate import require_head

    if role not in ("regulator", "operator", "station"):
        raise ConfigError(f"--role must be regulator, operator or station, not {role!r}")
    engine = create_engine(db or load_settings().db)
    try:
        require_head(engine)
        try:
            secret = create_token(engine, role, party=party, station_id=station)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    finally:
        engine.dispose()
    typer.echo(secret)
