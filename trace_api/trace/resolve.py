"""Turn what a user types (EPC URI, LGTIN class, GS1 Digital Link, bare GTIN) into the
canonical identifiers that ``event_identifier.canonical`` holds.

A malformed identifier raises the GS1 layer's own error (:class:`GS1Error`), which names the
field at fault; a value that is none of the accepted forms raises
:class:`~trace_api.exceptions.TraceIdError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from foodtrace.gs1.digital_link import canonical_identifier, parse_digital_link
from foodtrace.gs1.epc import parse_uri
from trace_api.exceptions import TraceIdError

__all__ = ["Resolved", "object_kind", "resolve"]

_DL = "https://id.gs1.org/"
_LGTIN = "urn:epc:class:lgtin:"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A traced identifier: its canonical Digital Link and kind (``epc``, ``lot``, ``sscc``,
    ``gtin`` or ``other``). A ``gtin`` stands for every lot and item of that GTIN."""

    given: str
    canonical: str
    kind: str

    @property
    def is_prefix(self) -> bool:
        """Whether the identifier names a family (a GTIN: all its lots and serials)."""
        return self.kind == "gtin"


def object_kind(canonical: str) -> str:
    """The node kind of a canonical identifier."""
    if not canonical.startswith(_DL):
        return "other"
    parts = canonical[len(_DL) :].split("/")
    if parts[0] == "00":
        return "sscc"
    if parts[0] == "01":
        if len(parts) >= 4 and parts[2] == "21":
            return "epc"
        if len(parts) >= 4 and parts[2] == "10":
            return "lot"
        if len(parts) == 2:
            return "gtin"
    return "epc" if len(parts) == 2 else "other"


def _lgtin(value: str) -> str:
    company, dot, rest = value[len(_LGTIN) :].partition(".")
    item, dot2, lot = rest.partition(".")
    if not (dot and dot2 and lot):
        raise TraceIdError(
            f"{value!r}: an LGTIN class URN has 3 dot-separated components "
            "(company_prefix.item_reference.lot)"
        )
    parse_uri(f"urn:epc:id:sgtin:{company}.{item}.0")  # names a bad prefix or item reference
    canonical = canonical_identifier(value)
    if not canonical.startswith(_DL):
        raise TraceIdError(f"{value!r}: the lot {lot!r} is not a valid AI (10) value")
    return canonical


def resolve(value: str) -> Resolved:
    """The canonical identifier and kind of ``value``."""
    text = value.strip()
    if text.startswith("urn:epc:id:"):
        parse_uri(text)
        canonical = canonical_identifier(text)
    elif text.startswith(_LGTIN):
        canonical = _lgtin(text)
    elif text.startswith(("http://", "https://")):
        parse_digital_link(text)
        canonical = canonical_identifier(text)
    elif text.isdigit() and len(text) in (8, 12, 13, 14):
        parse_digital_link(f"{_DL}01/{text.zfill(14)}")
        canonical = f"{_DL}01/{text.zfill(14)}"
    else:
        raise TraceIdError(
            f"{value!r} is not an EPC URI (urn:epc:id:…), an LGTIN (urn:epc:class:lgtin:…), "
            "a GS1 Digital Link or a GTIN"
        )
    kind = object_kind(canonical)
    if kind == "other":
        raise TraceIdError(f"{value!r} identifies neither a trade item, a lot nor a logistic unit")
    return Resolved(value, canonical, kind)
