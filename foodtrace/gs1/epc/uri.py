"""EPC pure-identity URNs and EPC tag URIs: parsing into components and formatting back.

* Pure identity (TDS §6): ``urn:epc:id:sgtin:0614141.812345.6789`` - family, then the
  dot-separated components. Only the last component of a family may contain dots (serials of
  GS1 AI character set 82), so the body is split at most ``n - 1`` times.
* Tag URI (TDS §12): ``urn:epc:tag:sgtin-96:3.0614141.812345.6789`` - binary scheme name,
  the filter value (except GID-96), then the pure-identity components.

Components are returned unescaped (TDS Table A-1); formatting escapes them again. Whether a
component *fits* a binary scheme is checked by :func:`~.layout.pack`, not here.
TDS tag-URI control fields (``[att=x01]``, ``[umi=1]``, ``[xpc=…]``) are not accepted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from foodtrace.exceptions import EPCURIError
from foodtrace.gs1.epc.escape import unescape_6bit, unescape_82
from foodtrace.gs1.epc.schemes import FAMILIES, SCHEMES, Kind, Scheme, scheme_named

__all__ = [
    "PURE_PREFIX",
    "TAG_PREFIX",
    "format_pure",
    "format_tag",
    "parse_pure",
    "parse_tag",
    "pure_prefix",
]

PURE_PREFIX = "urn:epc:id:"
TAG_PREFIX = "urn:epc:tag:"

_Unescape = Callable[[str, str], str]

#: ``urn:epc:id:<family>:`` for every family.
_PURE_PREFIXES = {family: f"{PURE_PREFIX}{family}:" for family in FAMILIES}
#: Per scheme: the URI escape function of each component (None = written as is).
_ESCAPES: dict[str, tuple[Callable[[str], str] | None, ...]] = {
    s.name: tuple(f.uri_escape for f in s.layouts[0] if f.kind is not Kind.ZERO) for s in SCHEMES
}


def _family_unescapes(schemes: tuple[Scheme, ...]) -> tuple[_Unescape | None, ...]:
    # A family's components are unescaped as its most permissive scheme defines them (the
    # longer one, listed last); a numeric field never contains '%' when it is valid anyway.
    fields = [f for f in schemes[-1].layouts[0] if f.kind is not Kind.ZERO]
    out: list[_Unescape | None] = []
    for f in fields:
        if f.kind is Kind.STRING7:
            out.append(unescape_82)
        elif f.kind is Kind.STRING6:
            out.append(unescape_6bit)
        else:
            out.append(None)
    return tuple(out)


_NAMES = {family: schemes[0].names for family, schemes in FAMILIES.items()}
#: Per family: (component index, unescape function, name for errors) of escaped components.
_UNESCAPE_AT = {
    family: tuple(
        (i, unescape, f"{family} {_NAMES[family][i].replace('_', ' ')}")
        for i, unescape in enumerate(_family_unescapes(schemes))
        if unescape is not None
    )
    for family, schemes in FAMILIES.items()
}
#: Pure-identity EPC schemes of TDS §6 that have no binary (tag) encoding.
_PURE_ONLY = frozenset({"lgtin", "pgln", "gsin", "ginc", "upui", "bic", "imovn"})


def pure_prefix(family: str) -> str:
    return _PURE_PREFIXES[family]


def format_pure(scheme: Scheme, comps: Sequence[str]) -> str:
    """The pure-identity URN of unescaped components ``comps`` of ``scheme``."""
    parts = [
        c if esc is None else esc(c) for esc, c in zip(_ESCAPES[scheme.name], comps, strict=True)
    ]
    return _PURE_PREFIXES[scheme.family] + ".".join(parts)


def format_tag(scheme: Scheme, filter_value: int | None, pure_uri: str) -> str:
    """The tag URI of a pure-identity URN encoded with ``scheme`` and ``filter_value``."""
    body = pure_uri[len(_PURE_PREFIXES[scheme.family]) :]
    if filter_value is None:
        return f"{TAG_PREFIX}{scheme.name}:{body}"
    return f"{TAG_PREFIX}{scheme.name}:{filter_value}.{body}"


def _split(family: str, body: str, uri: str) -> tuple[str, ...]:
    names = _NAMES[family]
    parts = body.split(".", len(names) - 1)
    if len(parts) != len(names):
        raise EPCURIError(
            f"{uri!r}: a {family} EPC has {len(names)} dot-separated components "
            f"({'.'.join(names)}), found {len(parts)}"
        )
    for index, unescape, what in _UNESCAPE_AT[family]:
        parts[index] = unescape(parts[index], what)
    return tuple(parts)


def parse_pure(uri: str) -> tuple[str, tuple[str, ...]]:
    """Split ``urn:epc:id:<family>:<body>`` into the family and its unescaped components."""
    if not uri.startswith(PURE_PREFIX):
        raise EPCURIError(f"{uri!r} is not a pure-identity EPC URN (urn:epc:id:…)")
    family, sep, body = uri[len(PURE_PREFIX) :].partition(":")
    if not sep:
        raise EPCURIError(f"{uri!r}: missing ':' after the EPC scheme name")
    if family not in _NAMES:
        if family in _PURE_ONLY:
            raise EPCURIError(f"{uri!r}: the {family} EPC scheme has no binary (RFID tag) encoding")
        raise EPCURIError(f"{uri!r}: unknown EPC scheme {family!r}")
    return family, _split(family, body, uri)


def parse_tag(uri: str) -> tuple[Scheme, int | None, tuple[str, ...]]:
    """Split ``urn:epc:tag:<scheme>:[<filter>.]<body>`` into scheme, filter and components."""
    if not uri.startswith(TAG_PREFIX):
        raise EPCURIError(f"{uri!r} is not an EPC tag URI (urn:epc:tag:…)")
    name, sep, body = uri[len(TAG_PREFIX) :].partition(":")
    if name.startswith("["):
        raise EPCURIError(
            f"{uri!r}: tag URI control fields ([att=…], [umi=…], [xpc=…]) are not supported"
        )
    scheme = scheme_named(name) if name == name.lower() else None
    if not sep or scheme is None:
        raise EPCURIError(f"{uri!r}: unknown EPC binary coding scheme {name!r}")
    filter_value: int | None = None
    if scheme.filter_bits:
        text, dot, body = body.partition(".")
        width = len(str(scheme.max_filter))
        if not dot or not text.isascii() or not text.isdigit() or len(text) > width:
            raise EPCURIError(
                f"{uri!r}: a {scheme.name} tag URI must start with a filter value "
                f"0-{scheme.max_filter}, found {text!r}"
            )
        if len(text) > 1 and text[0] == "0":
            raise EPCURIError(f"{uri!r}: filter value {text!r} has leading zeros")
        filter_value = int(text)
        if filter_value > scheme.max_filter:
            raise EPCURIError(
                f"{uri!r}: filter value {filter_value} out of range 0-{scheme.max_filter} "
                f"for {scheme.name}"
            )
    return scheme, filter_value, _split(scheme.family, body, uri)
