"""URI escaping of EPC components (GS1 TDS Annex A, Table A-1; 6-bit components per Annex G).

Alphanumeric EPC fields (SGTIN-198 serials, GIAI-202 asset references, …) use the *GS1 AI
encodable character set 82*. In a pure-identity URN or a tag URI seven of those characters are
percent-escaped (Table A-1): ``"`` → ``%22``, ``%`` → ``%25``, ``&`` → ``%26``, ``/`` → ``%2F``,
``<`` → ``%3C``, ``>`` → ``%3E``, ``?`` → ``%3F``. The other 75 appear as themselves.

CPI component/part references and ADI fields use a 6-bit character set (``#``, ``-``, ``/``,
digits and upper-case letters); in URIs ``/`` is ``%2F`` and ``#`` is ``%23``.

On input the hex digits of an escape may be upper or lower case (the TDS grammar allows both);
output always uses upper case. An escape of any other character (e.g. ``%41``) is rejected: Table
A-1 gives every character exactly one URI form.
"""

from __future__ import annotations

import string

from foodtrace.exceptions import EPCURIError

__all__ = [
    "AI82",
    "SIX_BIT",
    "escape_6bit",
    "escape_82",
    "unescape_6bit",
    "unescape_82",
]

#: GS1 AI encodable character set 82 (GS1 General Specifications Figure 7.11-1, TDS Table A-1).
AI82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")
#: Characters of set 82 that are percent-escaped in EPC URIs, with their escapes.
_ESCAPES_82 = {'"': "%22", "%": "%25", "&": "%26", "/": "%2F", "<": "%3C", ">": "%3E", "?": "%3F"}
#: Characters that stand for themselves in an EPC URI component of set 82.
_URI_SAFE_82 = AI82 - _ESCAPES_82.keys()
_UNESCAPES_82 = {v[1:]: k for k, v in _ESCAPES_82.items()}
_ESCAPE_TABLE_82 = str.maketrans(_ESCAPES_82)

#: The 6-bit character set of CPI references and ADI fields (TDS Table G-1, as used there).
SIX_BIT = frozenset(string.ascii_uppercase + string.digits + "#-/")
_ESCAPES_6 = {"/": "%2F", "#": "%23"}
_URI_SAFE_6 = SIX_BIT - _ESCAPES_6.keys()
_UNESCAPES_6 = {v[1:]: k for k, v in _ESCAPES_6.items()}
_ESCAPE_TABLE_6 = str.maketrans(_ESCAPES_6)


def escape_82(value: str) -> str:
    """Return ``value`` (characters of set 82) in its EPC URI form."""
    return value.translate(_ESCAPE_TABLE_82)


def escape_6bit(value: str) -> str:
    """Return a 6-bit-set value (CPI reference, ADI field) in its EPC URI form."""
    return value.translate(_ESCAPE_TABLE_6)


def _unescape(
    component: str, what: str, safe: frozenset[str], unescapes: dict[str, str], allowed: str
) -> str:
    if "%" not in component:
        if safe.issuperset(component):
            return component
        bad = next(ch for ch in component if ch not in safe)
        raise EPCURIError(f"{what} {component!r}: invalid character {bad!r} ({allowed})")
    out: list[str] = []
    i = 0
    n = len(component)
    while i < n:
        ch = component[i]
        if ch == "%":
            code = component[i + 1 : i + 3].upper()
            decoded = unescapes.get(code)
            if decoded is None:
                raise EPCURIError(
                    f"{what} {component!r}: invalid percent-escape {component[i : i + 3]!r} at "
                    f"position {i} (only {', '.join('%' + c for c in sorted(unescapes))} are "
                    "escapes in EPC URIs)"
                )
            out.append(decoded)
            i += 3
            continue
        if ch not in safe:
            raise EPCURIError(f"{what} {component!r}: invalid character {ch!r} ({allowed})")
        out.append(ch)
        i += 1
    return "".join(out)


def unescape_82(component: str, what: str) -> str:
    """Decode an EPC URI component of character set 82, naming ``what`` in errors."""
    return _unescape(
        component,
        what,
        _URI_SAFE_82,
        _UNESCAPES_82,
        'GS1 AI character set 82; " % & / < > ? must be written %22 %25 %26 %2F %3C %3E %3F',
    )


def unescape_6bit(component: str, what: str) -> str:
    """Decode a 6-bit-set EPC URI component (CPI reference, ADI field)."""
    return _unescape(
        component,
        what,
        _URI_SAFE_6,
        _UNESCAPES_6,
        "allowed: A-Z 0-9 - and %2F for '/', %23 for '#'",
    )
