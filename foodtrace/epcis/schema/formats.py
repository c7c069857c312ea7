"""The string formats the EPCIS 2.0 schema uses: ``uri`` (RFC 3986), ``date-time`` (RFC 3339).

The checks are written from the RFC grammars so that they accept exactly what the reference
validator accepts (Python ``jsonschema[format]``: ``rfc3987`` for ``uri``, ``rfc3339-validator``
for ``date-time``), with one deliberate difference that :func:`python_compatible` undoes:

* **Trailing newline.** The reference checks anchor their regular expressions with ``$``, which in
  Python also matches *before* a final ``\\n``; so it accepts ``"urn:x\\n"`` and
  ``"2026-01-01T00:00:00Z\\n"``. Neither RFC allows a newline there, and the ``pattern`` keyword of
  JSON Schema is ECMA-262, where ``$`` is the end of the string. The plain checks here refuse it;
  ``python_compatible(check)`` reproduces the reference verdict exactly (used to prove parity).

Reference behaviours kept on purpose (they are what the reference accepts, and harmless):

* ``uri``: in an IPv6 literal's embedded IPv4 part a ``dec-octet`` may carry leading zeros
  (``[::01.2.3.4]``); ``IPvFuture`` starts with a lower-case ``v`` only. Elsewhere an IPv4 address
  is also a valid ``reg-name``, so nothing else depends on it.
* ``date-time``: the value is upper-cased first (RFC 3339 §5.6 allows ``t`` and ``z``); a leap
  second (``:60``) and the year 0000 are refused; the day is checked against the month length.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Callable
from decimal import Decimal

__all__ = [
    "date_time_key",
    "is_date_time",
    "is_uri",
    "python_compatible",
]

# --- RFC 3986 Appendix A, as one regular expression ----------------------------------------------

_PCT = r"%[0-9A-Fa-f]{2}"
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="


def _run_of(chars: str) -> str:
    """Zero or more characters from the class ``chars`` or percent-encoded octets."""
    return rf"(?:[{chars}]|{_PCT})*"


_SCHEME = r"[A-Za-z][A-Za-z0-9+\-.]*"
_DEC_OCTET = r"(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)"  # leading zeros tolerated, see above
_IPV4 = rf"{_DEC_OCTET}(?:\.{_DEC_OCTET}){{3}}"
_H16 = r"[0-9A-Fa-f]{1,4}"
_LS32 = rf"(?:{_H16}:{_H16}|{_IPV4})"
_IPV6 = "|".join(
    (
        rf"(?:{_H16}:){{6}}{_LS32}",
        rf"::(?:{_H16}:){{5}}{_LS32}",
        rf"(?:{_H16})?::(?:{_H16}:){{4}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,1}}{_H16})?::(?:{_H16}:){{3}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,2}}{_H16})?::(?:{_H16}:){{2}}{_LS32}",
        rf"(?:(?:{_H16}:){{0,3}}{_H16})?::{_H16}:{_LS32}",
        rf"(?:(?:{_H16}:){{0,4}}{_H16})?::{_LS32}",
        rf"(?:(?:{_H16}:){{0,5}}{_H16})?::{_H16}",
        rf"(?:(?:{_H16}:){{0,6}}{_H16})?::",
    )
)
_IPVFUTURE = rf"v[0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+"
# host = IP-literal / IPv4address / reg-name; every IPv4address is also a reg-name.
_HOST = rf"(?:\[(?:{_IPV6}|{_IPVFUTURE})\]|{_run_of(_UNRESERVED + _SUB_DELIMS)})"
_AUTHORITY = rf"(?:{_run_of(_UNRESERVED + _SUB_DELIMS + ':')}@)?{_HOST}(?::[0-9]*)?"
_PCHAR = _UNRESERVED + _SUB_DELIMS + ":@"
# hier-part: "//" authority path-abempty, or path-absolute / path-rootless / path-empty, which
# together are the strings of pchar and "/" that do not start with "//".
_HIER_PART = rf"(?://{_AUTHORITY}(?:/{_run_of(_PCHAR + '/')})?|(?!//){_run_of(_PCHAR + '/')})"
_QUERY_OR_FRAGMENT = _run_of(_PCHAR + "/?")
_URI = re.compile(rf"{_SCHEME}:{_HIER_PART}(?:\?{_QUERY_OR_FRAGMENT})?(?:#{_QUERY_OR_FRAGMENT})?")
# The same grammar without percent-encodings, user info or IP literals, so that every part is a
# plain character class (≈ 5× faster than _URI's per-character alternations): the URNs and
# http(s) links EPCIS events are made of. Every string it matches, _URI matches; on a miss,
# _URI decides.
_PLAIN_URI = re.compile(
    rf"{_SCHEME}:(?://[{_UNRESERVED}{_SUB_DELIMS}]*(?::[0-9]*)?(?:/[{_PCHAR}/]*)?|(?!//)[{_PCHAR}/]*)"
    rf"(?:\?[{_PCHAR}/?]*)?(?:#[{_PCHAR}/?]*)?"
)

# --- RFC 3339 §5.6 date-time ----------------------------------------------------------------------

_DATE_TIME = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>0[1-9]|1[0-2])-(?P<day>[0-9]{2})"
    r"T(?P<hour>[01][0-9]|2[0-3]):(?P<minute>[0-5][0-9]):(?P<second>[0-5][0-9])"
    r"(?:\.(?P<fraction>[0-9]+))?"
    r"(?:Z|(?P<sign>[+-])(?P<oh>[01][0-9]|2[0-3]):(?P<om>[0-5][0-9]))"
)


@functools.lru_cache(maxsize=4096)
def is_uri(value: str) -> bool:
    """True if ``value`` is an absolute URI by RFC 3986 (``scheme ":" hier-part …``)."""
    return _PLAIN_URI.fullmatch(value) is not None or _URI.fullmatch(value) is not None


@functools.lru_cache(maxsize=1024)
def is_date_time(value: str) -> bool:
    """True if ``value`` is an RFC 3339 ``date-time``: full date, time and a time-zone offset."""
    match = _DATE_TIME.fullmatch(value.upper())
    if match is None:
        return False
    year, month, day = int(match["year"]), int(match["month"]), int(match["day"])
    return year != 0 and 1 <= day <= calendar.monthrange(year, month)[1]


def date_time_key(value: str) -> tuple[int, Decimal] | None:
    """The instant of an RFC 3339 ``date-time`` as (whole UTC seconds since 1970, fraction).

    Exact for any number of fractional digits, so two instants compare correctly even beyond
    microseconds. ``None`` if ``value`` is not a date-time by :func:`is_date_time`.
    """
    if not is_date_time(value):
        return None
    match = _DATE_TIME.fullmatch(value.upper())
    assert match is not None
    seconds = calendar.timegm(
        (
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            int(match["second"]),
        )
    )
    if match["sign"] is not None:
        offset = int(match["oh"]) * 3600 + int(match["om"]) * 60
        seconds -= offset if match["sign"] == "+" else -offset
    fraction = Decimal(f"0.{match['fraction']}") if match["fraction"] else Decimal(0)
    return seconds, fraction


def python_compatible(check: Callable[[str], bool]) -> Callable[[str], bool]:
    """``check`` as the reference reads it: also true for a valid value followed by one ``\\n``.

    Python's ``re`` lets ``$`` match before a final newline, and the reference format checkers
    anchor with ``^…$``; this wrapper reproduces that, and only that.
    """

    def compatible(value: str) -> bool:
        return check(value) or (value.endswith("\n") and check(value[:-1]))

    compatible.__name__ = f"python_compatible_{getattr(check, '__name__', 'check')}"
    return compatible
