"""``foodtrace export fsma204|art18|epcis``: write an export of lots, or of a product and date
range, to a file.

Registered in ``foodtrace/cli/app.py`` as the ``export`` group. Imports stay inside the
commands so that ``foodtrace --help`` does not load SQLAlchemy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)

LotOption = Annotated[
    list[str] | None,
    typer.Option(
        "--lot", help="A lot: LGTIN URN or Digital Link with /10/ (repeatable).", show_default=False
    ),
]
GtinOption = Annotated[
    str | None, typer.Option("--gtin", help="A product (GTIN): all its lots.", show_default=False)
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="Events at or after this date/time (RFC 3339 or YYYY-MM-DD).",
        show_default=False,
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option(
        "--to", help="Events before this date/time (RFC 3339 or YYYY-MM-DD).", show_default=False
    ),
]
OutOption = Annotated[Path, typer.Option("--out", help="The file to write.")]
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $FOODTRACE_DB, then the config file, then the user data dir).",
        show_default=False,
    ),
]


def _run(
    kind: str,
    fmt: str,
    lots: list[str] | None,
    gtin: str | None,
    start: str | None,
    end: str | None,
    out: Path,
    db: str | None,
) -> None:
    from trace_api.core.config import load_settings
    from trace_api.core.db import create_engine
    from trace_api.export.selection import make_selection
    from trace_api.export.service import export
    from trace_api.migrate import require_head

    selection = make_selection(lots or [], gtin, start, end)
    engine = create_engine(db or load_settings().db)
    try:
        require_head(engine)
        made = export(engine, kind, fmt, selection)
    finally:
        engine.dispose()
    out.write_bytes(made.content)
    typer.echo(f"wrote {made.rows} rows to {out}")


def _format(out: Path, given: str | None, default: str) -> str:
    if given:
        return given
    suffix = out.suffix.lower().lstrip(".")
    return suffix if suffix in ("csv", "xlsx", "json") else default


@app.command()
def fsma204(
    out: OutOption,
    lot: LotOption = None,
    gtin: GtinOption = None,
    start: FromOption = None,
    end: ToOption = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv or xlsx (default: from the file name, else csv).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """The FSMA 204 sortable spreadsheet: one row per critical tracking event and lot."""
    _run("fsma204", _format(out, fmt, "csv"), lot, gtin, start, end, out, db)


@app.command()
def art18(
    out: OutOption,
    lot: LotOption = None,
    gtin: GtinOption = None,
    start: FromOption = None,
    end: ToOption = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, xlsx or json (default: from the file name, else json).",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """The EU 178/2002 Art. 18 report: suppliers and customers of each lot."""
    _run("art18", _format(out, fmt, "json"), lot, gtin, start, end, out, db)


@app.command()
def epcis(
    out: OutOption,
    lot: LotOption = None,
    gtin: GtinOption = None,
    start: FromOption = None,
    end: ToOption = None,
    db: DbOption = None,
) -> None:
    """An EPCIS 2.0 document (JSON-LD) of every event of the selected lots."""
    _run("epcis", "json", lot, gtin, start, end, out, db)
