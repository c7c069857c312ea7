"""``foodtrace analytics …`` command group (imports only typer at module level)."""

from __future__ import annotations

import typer

from analytics.bpad.cli import bpad

app = typer.Typer(no_args_is_help=True)
app.command("bpad")(bpad)
