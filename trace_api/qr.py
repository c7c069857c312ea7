"""QR codes of GS1 Digital Links (segno), for any item, lot or logistic unit.

:func:`qr_link` turns what a user has — an EPC URN (``urn:epc:id:sgtin:…``, ``…:sscc:…``), a
lot class URN (``urn:epc:class:lgtin:…``), a GS1 Digital Link of any domain, or a bare GTIN —
into the Digital Link the code must carry, on the resolver ``base`` (default
``https://id.gs1.org``). Data attributes of a Digital Link (``?17=261231``) are kept; other
query parameters are dropped. :func:`qr_image` draws it as SVG or PNG (error correction
level M, the GS1 recommendation for Digital Link QR codes; 4-module quiet zone).
"""

from __future__ import annotations

import io
from typing import Literal

import segno

from foodtrace.exceptions import DigitalLinkError
from foodtrace.gs1.digital_link import (
    CANONICAL_DOMAIN,
    DigitalLink,
    epc_to_digital_link_value,
    parse_digital_link,
)

__all__ = ["FORMATS", "MEDIA_TYPES", "qr_image", "qr_link"]

FORMATS = ("svg", "png")
MEDIA_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
_MAX_SCALE = 40


def _check_base(base: str) -> str:
    base = base.rstrip("/")
    scheme, sep, rest = base.partition("://")
    if scheme not in ("http", "https") or not sep or not rest or any(c in rest for c in "?#"):
        raise DigitalLinkError(
            f"resolver base {base!r} must be http(s)://host[/path] without query or fragment"
        )
    return base


def qr_link(uri: str, base: str | None = None) -> str:
    """The Digital Link URI a QR code of ``uri`` carries (module docstring)."""
    text = uri.strip()
    link: DigitalLink
    if text.startswith("urn:epc:"):
        link = epc_to_digital_link_value(text)
    elif text.startswith(("https://", "http://")):
        parsed = parse_digital_link(text)
        link = DigitalLink(parsed.primary, parsed.qualifiers, parsed.attributes)
    elif text.isascii() and text.isdigit() and len(text) in (8, 12, 13, 14):
        link = DigitalLink.build("01", text)
    else:
        raise DigitalLinkError(
            f"{uri!r} is not an EPC URN (urn:epc:id:… or urn:epc:class:lgtin:…), a GS1 Digital "
            "Link or a GTIN"
        )
    return link.to_uri(_check_base(base or CANONICAL_DOMAIN))


def qr_image(link: str, kind: Literal["svg", "png"], scale: int = 8) -> bytes:
    """The QR code of ``link`` as SVG or PNG bytes."""
    if not 1 <= scale <= _MAX_SCALE:
        raise DigitalLinkError(f"scale {scale}: expected 1 to {_MAX_SCALE}")
    code = segno.make(link, error="m", micro=False, boost_error=False)
    out = io.BytesIO()
    if kind == "svg":
        code.save(out, kind="svg", scale=scale, border=4, xmldecl=False, title=link)
    else:
        code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
