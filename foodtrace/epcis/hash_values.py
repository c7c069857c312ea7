"""Value normalisation for the CBV 2.0 event hash pre-hash string.

* :func:`canonical_value` — every value that is not a timestamp: whitespace trimmed, CBV 1.x
  URNs (``urn:epcglobal:cbv:bizstep:…``, ``disp``, ``btt``, ``sdt``, ``er``) rewritten to their
  Web URIs, numbers without trailing zeros (``452.0`` → ``452``, ``1.50`` → ``1.5``), EPC URIs and
  GS1 Digital Links reduced to the constrained canonical Digital Link.
* :func:`canonical_timestamp` — UTC with ``Z`` and exactly three decimals. A fourth decimal of
  5 to 9 rounds the third up (CBV hash rule 9: ``…03.1415Z`` → ``…03.142Z``); later decimals are
  ignored. A timestamp without an offset is taken as UTC; a value that is not an ISO 8601
  date-time is kept as it is.
* :func:`scalar_text` — a JSON scalar as text: booleans as ``true``/``false`` (as in the XML
  binding), numbers in Python's shortest round-trip form, ``None`` for ``null``.

Numbers follow the reference implementation exactly: any value that Python's ``float()``
accepts and that is finite becomes ``str(int(x))`` when integral and ``repr(x)`` otherwise, so
``"0042"`` becomes ``42`` and integers beyond 2**53 lose precision just as they do there.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from foodtrace.gs1.digital_link import canonical_identifier

__all__ = ["canonical_timestamp", "canonical_value", "scalar_text"]

_CBV_URNS = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)
_NUMBER_START = frozenset("0123456789+-.iInN")
_IDENTIFIER_START = frozenset("uh")


def scalar_text(value: object) -> str | None:
    """The text of a JSON scalar, or ``None`` for ``null`` (and for non-scalars)."""
    if isinstance(value, str):
        return value
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return repr(value)
    return None


def _number(text: str) -> str | None:
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return str(int(number)) if number.is_integer() else repr(number)


def _plain_value(text: str) -> str:
    if text[0] in _NUMBER_START or not text[0].isascii():
        number = _number(text)
        if number is not None:
            return number
    if "urn:epcglobal:cbv:" in text:  # the reference rewrites these anywhere in a value
        for urn, web in _CBV_URNS:
            text = text.replace(urn, web)
    return text


_VALUE_CACHE: dict[str, str] = {}
_VALUE_CACHE_LIMIT = 16_384


def canonical_value(text: str) -> str:
    """Normalise one non-timestamp value (module docstring). ``text`` need not be stripped."""
    text = text.strip()
    if not text:
        return text
    if text[0] in _IDENTIFIER_START:  # urn:…, http(s)://… (identifiers memoise themselves)
        if "urn:epcglobal:cbv:" in text:
            for urn, web in _CBV_URNS:
                text = text.replace(urn, web)
        return canonical_identifier(text)
    result = _VALUE_CACHE.get(text)
    if result is None:
        result = _plain_value(text)
        if len(_VALUE_CACHE) >= _VALUE_CACHE_LIMIT:
            _VALUE_CACHE.clear()
        _VALUE_CACHE[text] = result
    return result


# --- timestamps ---------------------------------------------------------------------------------

_DIGITS = frozenset("0123456789")
_MINUTE_CACHE: dict[tuple[str, str], str] = {}
_CACHE_LIMIT = 8192


def _offset_minutes(offset: str) -> int | None:
    """Minutes east of UTC for ``Z``, ``±HH:MM``, ``±HHMM`` or ``±HH``; ``None`` if malformed."""
    if offset in ("Z", "z", ""):
        return 0
    sign = offset[0]
    body = offset[1:].replace(":", "", 1)
    if sign not in "+-" or len(body) not in (2, 4) or not _DIGITS.issuperset(body):
        return None
    hours, minutes = int(body[:2]), int(body[2:] or 0)
    if hours > 23 or minutes > 59:
        return None
    total = hours * 60 + minutes
    return -total if sign == "-" else total


def _utc_minute(local: str, offset: str) -> str | None:
    """``YYYY-MM-DDTHH:MM`` in UTC for a local minute and an offset (memoised)."""
    key = (local, offset)
    cached = _MINUTE_CACHE.get(key)
    if cached is not None:
        return cached
    minutes = _offset_minutes(offset)
    if minutes is None:
        return None
    try:
        moment = datetime(
            int(local[0:4]), int(local[5:7]), int(local[8:10]), int(local[11:13]), int(local[14:16])
        )
    except ValueError:
        return None
    if minutes:
        moment -= timedelta(minutes=minutes)
    result = moment.strftime("%Y-%m-%dT%H:%M") if moment.year >= 1000 else None
    if result is None:
        return None
    if len(_MINUTE_CACHE) >= _CACHE_LIMIT:
        _MINUTE_CACHE.clear()
    _MINUTE_CACHE[key] = result
    return result


def canonical_timestamp(text: str) -> str:
    """``2019-10-21T15:45:00.1415+01:00`` → ``2019-10-21T14:45:00.142Z`` (module docstring)."""
    text = text.strip()
    # YYYY-MM-DDTHH:MM:SS[.fraction][offset]
    if (
        len(text) < 19
        or text[4] != "-"
        or text[7] != "-"
        or text[10] not in "Tt "
        or text[13] != ":"
        or text[16] != ":"
    ):
        return text
    digits = text[0:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19]
    if not _DIGITS.issuperset(digits):
        return text
    pos = 19
    fraction = ""
    if pos < len(text) and text[pos] == ".":
        end = pos + 1
        while end < len(text) and text[end] in _DIGITS:
            end += 1
        fraction = text[pos + 1 : end]
        if not fraction:
            return text
        pos = end
    offset = text[pos:]
    local_minute = text[:16]
    seconds = int(text[17:19])
    fraction = (fraction + "0000")[:4]
    millis = int(fraction[:3]) + (fraction[3] >= "5")
    if seconds > 59:
        return text
    if millis == 1000:  # rounding carries into the seconds
        try:
            local = datetime(
                int(text[0:4]),
                int(text[5:7]),
                int(text[8:10]),
                int(text[11:13]),
                int(text[14:16]),
                seconds,
                tzinfo=UTC,
            ) + timedelta(seconds=1)
        except ValueError:
            return text
        local_minute = local.strftime("%Y-%m-%dT%H:%M")
        seconds, millis = local.second, 0
    minute = _utc_minute(local_minute, offset)
    if minute is None:
        return text
    return f"{minute}:{seconds:02d}.{millis:03d}Z"
