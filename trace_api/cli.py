"""``foodtrace db``: create or migrate the traceability database, load master data.

Registered in ``foodtrace/cli/app.py`` as the ``db`` group. Imports stay inside the commands
so that ``foodtrace --help`` does not load SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL: sqlite:///path or postgresql://user:password@host/db. "
        "Default: $FOODTRACE_DB, then the config file, then a SQLite file in the user data dir.",
        show_default=False,
    ),
]


def _database_url(db: str | None) -> str:
    from trace_api.core.config import load_settings

    return db if db else load_settings().db


@app.command()
def upgrade(db: DbOption = None) -> None:
    """Create the database schema, or migrate it to the newest revision."""
    from trace_api.core.db import create_engine, redacted
    from trace_api.migrate import upgrade as migrate_up

    url = _database_url(db)
    engine = create_engine(url)
    try:
        outcome = migrate_up(engine)
    finally:
        engine.dispose()
    where = redacted(engine.url)
    if outcome.before is None:
        typer.echo(f"created the schema in {where} (revision {outcome.after})")
    elif outcome.changed:
        typer.echo(f"migrated {where} from revision {outcome.before} to {outcome.after}")
    else:
        typer.echo(f"{where} is already at the newest revision ({outcome.after})")


@app.command("load-master")
def load_master(
    file: Annotated[
        Path, typer.Argument(help="Master-data file (.json or .toml), see the example files.")
    ],
    db: DbOption = None,
) -> None:
    """Insert or update parties, locations and products from a file."""
    from trace_api.core.db import create_engine, redacted
    from trace_api.migrate import require_head
    from trace_api.storage.master import load_master_file

    engine = create_engine(_database_url(db))
    try:
        require_head(engine)
        counts = load_master_file(engine, file)
    finally:
        engine.dispose()
    typer.echo(
        f"loaded {counts.parties} parties, {counts.locations} locations and "
        f"{counts.products} products into {redacted(engine.url)}"
    )
