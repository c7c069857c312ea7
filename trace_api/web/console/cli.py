"""``foodtrace console add-user``: create a console account with a generated password.

Registered in ``foodtrace/cli/app.py`` as the ``console`` group. Imports stay inside the
command so that ``foodtrace --help`` does not load SQLAlchemy.
"""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


@app.command("add-user")
def add_user(
    username: Annotated[str, typer.Argument(help="The sign-in name.")],
    role: Annotated[str, typer.Option("--role", help="regulator or operator.")],
    party: Annotated[
        str | None,
        typer.Option("--party", help="An operator's party GLN.", show_default=False),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL (default: $FOODTRACE_DB, the config file, the user data dir).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create an account; prints its generated password once (only a hash is stored)."""
    from trace_api.core.config import load_settings
    from trace_api.core.db import create_engine
    from trace_api.migrate import require_head
    from trace_api.web.console.accounts import add_user as create

    engine = create_engine(db or load_settings().db)
    try:
        require_head(engine)
        account, password = create(engine, username, role, party=party)
    finally:
        engine.dispose()
    typer.echo(f"user: {account.username}")
    typer.echo(f"role: {account.role}" + (f" (party {account.party})" if account.party else ""))
    typer.echo(f"password: {password}")
