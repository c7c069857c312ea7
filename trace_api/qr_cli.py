"""``foodtrace qr URI --out FILE.svg|FILE.png [--base URL]``: a QR code of the GS1 Digital Link
of an EPC URN, a lot class URN, a Digital Link or a GTIN (see :mod:`trace_api.qr`).

Registered in ``foodtrace/cli/app.py``; imports segno only when run. Prints the encoded URI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["qr"]


def qr(
    uri: Annotated[
        str, typer.Argument(help="EPC URN, urn:epc:class:lgtin:…, Digital Link or GTIN")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output file; .svg or .png picks the format.")
    ],
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            help="Resolver the code points to (default https://id.gs1.org), e.g. "
            "https://resolver.example",
            show_default=False,
        ),
    ] = None,
    scale: Annotated[int, typer.Option("--scale", min=1, max=40, help="Pixels per module.")] = 8,
) -> None:
    """Write the QR code of the GS1 Digital Link of URI; print that Digital Link."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in ("svg", "png"):
        raise typer.BadParameter(
            f"{out.name!r}: the file name must end in .svg or .png", param_hint="--out"
        )
    from trace_api.qr import qr_image, qr_link

    link = qr_link(uri, base)
    out.write_bytes(qr_image(link, "svg" if suffix == "svg" else "png", scale))
    typer.echo(link)
