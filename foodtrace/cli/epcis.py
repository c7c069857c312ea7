"""``foodtrace epcis``: validate EPCIS 2.0 documents and compute CBV 2.0 event hash IDs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from foodtrace.exceptions import EPCISParseError

app = typer.Typer(no_args_is_help=True)


def _load(path: Path) -> Any:
    import orjson

    data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise EPCISParseError(f"{path}: not JSON: {exc}") from exc


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="EPCIS 2.0 JSON/JSON-LD files ('-' for stdin).")
    ],
) -> None:
    """Validate documents against the EPCIS 2.0 JSON Schema and the CBV/EPCIS rules.

    Exit 0 when every file is valid (and print nothing on stdout); otherwise print one line per
    problem on stdout (file, event index, JSON pointer, message, rule) and exit 1. A file that
    cannot be read or is not JSON is one problem of its own; the other files are still checked.
    Warnings (implausible sensor data that GS1's own examples contain) go to stderr and do not
    fail a file.
    """
    from foodtrace.epcis.validate import validate_document

    bad = 0
    for path in files:
        try:
            found = validate_document(_load(path), warnings=True)
            for warning in (p for p in found if not p.is_error):
                typer.echo(f"{path}: warning: {warning} [{warning.rule}]", err=True)
            problems = [f"{problem} [{problem.rule}]" for problem in found if problem.is_error]
        except EPCISParseError as exc:
            problems = [f"document at /: {str(exc).removeprefix(f'{path}: ')}"]
        except OSError as exc:
            problems = [f"document at /: cannot read: {exc.strerror or exc}"]
        for problem in problems:
            typer.echo(f"{path}: {problem}")
        bad += bool(problems)
    if bad:
        typer.echo(f"{bad} of {len(files)} file(s) invalid", err=True)
        raise typer.Exit(1)


@app.command("hash")
def hash_(
    file: Annotated[Path, typer.Argument(help="EPCIS 2.0 JSON/JSON-LD document ('-' for stdin).")],
) -> None:
    """Print the CBV 2.0 event hash ID (ni:///sha-256;…?ver=CBV2.0) of each event, in order."""
    from foodtrace.epcis.hash import document_hash_ids

    for hash_id in document_hash_ids(_load(file)):
        typer.echo(hash_id)
