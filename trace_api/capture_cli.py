"""``foodtrace capture FILE ...``: load EPCIS 2.0 documents straight into the database.

Same pipeline as the MQTT ingest and the REST API (:mod:`trace_api.capture`): validation,
per-event acceptance, hash ``eventID`` when absent, idempotent store. Prints the counts, one
line per refusal (``file: event N at /pointer: message``) and exits 1 if anything was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from trace_api.cli import DbOption

__all__ = ["capture"]


def capture(
    files: Annotated[
        list[Path], typer.Argument(help="EPCIS 2.0 JSON(-LD) documents.", show_default=False)
    ],
    db: DbOption = None,
) -> None:
    """Capture EPCIS 2.0 documents (validated, idempotent on eventID)."""
    from trace_api.capture import capture_bytes
    from trace_api.cli import _database_url
    from trace_api.core.db import create_engine, redacted
    from trace_api.migrate import require_head

    engine = create_engine(_database_url(db))
    stored = duplicates = refused = 0
    refusal_lines: list[str] = []
    try:
        require_head(engine)
        for path in files:
            try:
                raw = path.read_bytes()
            except OSError as exc:
                refusal_lines.append(f"{path}: cannot read: {exc.strerror or exc}")
                refused += 1
                continue
            outcome = capture_bytes(engine, raw)
            stored += outcome.stored
            duplicates += outcome.duplicates
            refused += outcome.refused if outcome.events else len(outcome.refusals)
            refusal_lines.extend(f"{path}: {refusal}" for refusal in outcome.refusals)
    finally:
        engine.dispose()
    for line in refusal_lines:
        typer.echo(line, err=True)
    typer.echo(
        f"{stored} stored, {duplicates} duplicates, {refused} refused "
        f"({len(files)} files, {redacted(engine.url)})"
    )
    if refusal_lines:
        raise typer.Exit(1)
