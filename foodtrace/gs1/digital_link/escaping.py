"""Escaping of AI values in GS1 Digital Link URIs and in EPC URIs.

Two different rules meet here:

* **GS1 Digital Link** percent-encodes, in path segments and query values, every character of
  an AI value except the RFC 3986 unreserved characters ``A-Z a-z 0-9 - . _`` and ``' ; =``
  (GS1 Digital Link Table 7-1 lists ``! # % & ( ) * + , / :`` and space; ``" < > ?`` cannot
  appear raw in a URI at all). Hex digits are upper case. This is also the encoding of the
  constrained canonical form used by the CBV 2.0 event hash: the reference vectors keep ``'``
  raw and encode ``! ( ) *`` (``…/235/51qIgY%29%3C%26Jp3%2Aj7'SDB``).
* **EPC URIs** (GS1 Tag Data Standard, Table A-1) escape only ``" % & / < > ?`` as ``%22 %25
  %26 %2F %3C %3E %3F`` and leave ``! ' ( ) * + , - . : ; = _`` raw; the CPI component (set 39)
  escapes ``#`` and ``/`` as ``%23`` and ``%2F``.

Decoders accept upper- or lower-case hex and any escaped character of the value's character
set; they refuse malformed escapes and raw characters the rule does not allow.
"""

from __future__ import annotations

from foodtrace.gs1.ai import CSET39, CSET82

__all__ = [
    "dl_decode",
    "dl_encode",
    "urn_escape",
    "urn_escape_cpi",
    "urn_unescape",
    "urn_unescape_cpi",
]

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_DL_RAW = frozenset(_ALNUM + "-._';=")
_URN_RAW = frozenset(_ALNUM + "!'()*+,-.:;=_")
_URN_RAW_CPI = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
_HEX = frozenset("0123456789ABCDEFabcdef")


def _encoder(raw: frozenset[str], escaped: str) -> dict[int, str]:
    return {ord(ch): f"%{ord(ch):02X}" for ch in escaped if ch not in raw}


_DL_TABLE = _encoder(_DL_RAW, "".join(sorted(CSET82 | {" ", "#", "~"})))
_URN_TABLE = _encoder(_URN_RAW, '"%&/<>?')
_URN_TABLE_CPI = _encoder(_URN_RAW_CPI, "#/")


def dl_encode(value: str) -> str:
    """Percent-encode an AI value for a GS1 Digital Link path segment or query value."""
    if _DL_RAW.issuperset(value):
        return value
    if all(ord(ch) < 128 for ch in value):
        return value.translate(_DL_TABLE)
    return "".join(
        ch if ch in _DL_RAW else "".join(f"%{b:02X}" for b in ch.encode()) for ch in value
    )


def _decode(text: str, what: str) -> str:
    """Decode %HH escapes (UTF-8). Raises ValueError naming ``what`` on a malformed escape."""
    out = bytearray()
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or not _HEX.issuperset(pair):
                raise ValueError(f"{what} {text!r} has a malformed percent-escape at {i}")
            out.append(int(pair, 16))
            i += 3
        else:
            out += ch.encode()
            i += 1
    try:
        return out.decode()
    except UnicodeDecodeError:
        raise ValueError(f"{what} {text!r} percent-decodes to bytes that are not UTF-8") from None


def dl_decode(text: str) -> str:
    """Percent-decode a Digital Link path segment or query value (``ValueError`` if malformed)."""
    if "%" not in text:
        return text
    return _decode(text, "Digital Link value")


def urn_escape(value: str) -> str:
    """Escape a GS1 AI value (set 82) for an EPC URI component (TDS Table A-1)."""
    if _URN_RAW.issuperset(value):
        return value
    return value.translate(_URN_TABLE)


def urn_escape_cpi(value: str) -> str:
    """Escape a CPI component reference (set 39) for an EPC URI."""
    if _URN_RAW_CPI.issuperset(value):
        return value
    return value.translate(_URN_TABLE_CPI)


def _unescape(text: str, raw: frozenset[str], charset: frozenset[str], what: str) -> str:
    if raw.issuperset(text):
        return text
    if "%" in text:
        plain = text.replace("%", "")
        bad = next((ch for ch in plain if ch not in raw and ch not in _HEX), None)
    else:
        bad = next(ch for ch in text if ch not in raw)
    if bad is not None:
        raise ValueError(
            f"{what} {text!r} contains {bad!r}, which must be escaped or is not allowed"
        )
    value = _decode(text, what)
    if not charset.issuperset(value):
        bad = next(ch for ch in value if ch not in charset)
        raise ValueError(f"{what} {text!r} decodes to {bad!r}, which is not allowed")
    return value


def urn_unescape(text: str, what: str = "EPC URI component") -> str:
    """Unescape an EPC URI component into a set-82 value (``ValueError`` if not allowed)."""
    return _unescape(text, _URN_RAW, CSET82, what)


def urn_unescape_cpi(text: str, what: str = "CPI component") -> str:
    """Unescape a CPI component reference into a set-39 value (``ValueError`` if not allowed)."""
    return _unescape(text, _URN_RAW_CPI, CSET39, what)
