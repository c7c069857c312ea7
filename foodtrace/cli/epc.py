"""``foodtrace epc``: decode reader hex to EPC URIs and encode EPC URIs to hex.

Both commands take values as arguments or, with none, one per line from stdin, and print exactly
one stdout line per input line so output stays aligned with input: a line that cannot be
converted prints an EMPTY stdout line and ``line N: <reason>`` on stderr, and the command then
exits 1 (0 when every line converted). A blank input line counts as a bad line ("empty line").
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated

import typer

from foodtrace.exceptions import EPCHeaderError, EPCURIError, GS1Error

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)

_DL_DOMAIN = "https://id.gs1.org"


class DecodeFormat(enum.StrEnum):
    urn = "urn"
    tag_uri = "tag-uri"
    dl = "dl"
    json = "json"


class EncodeFormat(enum.StrEnum):
    hex = "hex"
    json = "json"


def _inputs(values: list[str] | None) -> Iterator[str]:
    if values:
        yield from values
    else:
        for line in sys.stdin:
            yield line.rstrip("\r\n")


def _convert_lines(lines: Iterable[str], convert: Callable[[str], str]) -> int:
    """Write one output line per input line; return the number of bad lines."""
    out = sys.stdout.write
    err = sys.stderr.write
    bad = 0
    for number, line in enumerate(lines, 1):
        text = line.strip()
        try:
            if not text:
                raise GS1Error("empty line")
            result = convert(text)
        except GS1Error as exc:
            bad += 1
            out("\n")
            err(f"line {number}: {' '.join(str(exc).split())}\n")
            continue
        out(result + "\n")
    return bad


@app.command()
def decode(
    hexes: Annotated[
        list[str] | None,
        typer.Argument(
            help="EPC hex as a reader reports it (EPC bank from word 2). Default: stdin."
        ),
    ] = None,
    output: Annotated[
        DecodeFormat,
        typer.Option(
            "--format", "-f", help="urn (pure identity), tag-uri, dl (Digital Link), json."
        ),
    ] = DecodeFormat.urn,
    domain: Annotated[
        str, typer.Option(help="Digital Link domain for --format dl/json.")
    ] = _DL_DOMAIN,
    raw: Annotated[
        bool,
        typer.Option(
            help="Print urn:epc:raw: URIs for non-GS1 headers (e.g. E2 TIDs) instead of failing."
        ),
    ] = False,
) -> None:
    """Decode hex EPCs (arguments, or stdin one per line) to URIs, one output line per input.

    A line that does not decode - a blank line included - prints an empty line on stdout and
    "line N: <reason>" on stderr; the exit status is then 1. Hex may carry reader padding
    (trailing zero words; 50- or 52-digit SGTIN-198).
    """
    import orjson

    from foodtrace.gs1.epc import EPC, decode_hex, raw_uri

    def render(epc: EPC) -> str:
        if output is DecodeFormat.urn:
            return epc.uri
        if output is DecodeFormat.tag_uri:
            return epc.tag_uri
        if output is DecodeFormat.dl:
            if not epc.ai:
                raise EPCURIError(f"{epc.uri} carries no GS1 key, so it has no Digital Link")
            return epc.digital_link(domain)
        return orjson.dumps(epc.to_dict(domain)).decode()

    def convert(text: str) -> str:
        try:
            return render(decode_hex(text))
        except EPCHeaderError:
            if not raw or output is DecodeFormat.dl:
                raise
            uri = raw_uri(text)
            if output is DecodeFormat.json:
                return orjson.dumps({"scheme": None, "raw_uri": uri, "hex": text.upper()}).decode()
            return uri

    if _convert_lines(_inputs(hexes), convert):
        raise typer.Exit(1)


@app.command()
def encode(
    uris: Annotated[
        list[str] | None,
        typer.Argument(help="Pure-identity URNs or tag URIs. Default: stdin, one per line."),
    ] = None,
    scheme: Annotated[
        str | None,
        typer.Option(
            help="Binary scheme, e.g. sgtin-96 or sgtin-198. Default: the tag URI's; for a "
            "URN the 96-bit scheme when the value fits, else the longer one."
        ),
    ] = None,
    filter_value: Annotated[
        int | None,
        typer.Option("--filter", help="Filter value. Default: the tag URI's, else 0."),
    ] = None,
    output: Annotated[
        EncodeFormat, typer.Option("--format", "-f", help="hex (upper case, whole words) or json.")
    ] = EncodeFormat.hex,
    domain: Annotated[
        str, typer.Option(help="Digital Link domain for --format json.")
    ] = _DL_DOMAIN,
) -> None:
    """Encode EPC URIs (arguments, or stdin one per line) to hex, one output line per input.

    A tag URI keeps its scheme and filter unless --scheme/--filter override them. A pure-identity
    URN gets filter 0 and the 96-bit scheme when its values fit it (numeric serial without
    leading zeros, small enough), else the longer one (sgtin-198, sgln-195, grai-170, giai-202,
    gdti-174, cpi-var, itip-212). A line that does not encode - a blank line included - prints
    an empty line on stdout and "line N: <reason>" on stderr; the exit status is then 1.
    """
    import orjson

    from foodtrace.gs1.epc import encode as encode_epc
    from foodtrace.gs1.epc import parse_uri

    def convert(text: str) -> str:
        if output is EncodeFormat.hex:
            return encode_epc(text, scheme=scheme, filter=filter_value)
        epc = parse_uri(text)
        if scheme is not None or filter_value is not None:
            from foodtrace.gs1.epc import decode_hex

            epc = decode_hex(encode_epc(epc, scheme=scheme, filter=filter_value))
        return orjson.dumps(epc.to_dict(domain)).decode()

    if _convert_lines(_inputs(uris), convert):
        raise typer.Exit(1)
