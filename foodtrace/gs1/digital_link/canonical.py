"""The constrained canonical GS1 Digital Link of any identifier, as the CBV 2.0 event hash uses.

:func:`canonical_identifier` maps EPC URIs (pure identities, the LGTIN class, single-key id
patterns) and GS1 Digital Links of any domain to ``https://id.gs1.org/{key}[/{qualifier}]`` at
the finest identification level (see :mod:`foodtrace.gs1.digital_link.link`), and returns any
other value unchanged. It sits on the ingest hot path, so results are memoised in bounded
dictionaries and the commonest identifier, an SGTIN with a plain serial, has a fast path.
"""

from __future__ import annotations

from foodtrace.exceptions import GS1Error
from foodtrace.gs1.digital_link.epc import _gtin, _urn_key
from foodtrace.gs1.digital_link.escaping import dl_encode
from foodtrace.gs1.digital_link.link import CANONICAL_DOMAIN, _parse, _validate

__all__ = ["canonical_identifier"]

_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 65_536


def _canonical_path(code: str, value: str, qualifiers: tuple[tuple[str, str], ...]) -> str:
    """``https://id.gs1.org/{code}/{value}[/{q}/{v}…]`` at the finest identification level."""
    uri = f"{CANONICAL_DOMAIN}/{code}/{dl_encode(value)}"
    if not qualifiers:
        return uri
    if len(qualifiers) == 1 and qualifiers[0][0] != "22":
        return f"{uri}/{qualifiers[0][0]}/{dl_encode(qualifiers[0][1])}"
    if code in ("01", "8006"):
        has_serial = any(q == "21" for q, _ in qualifiers)
        qualifiers = tuple(
            (q, v) for q, v in qualifiers if q != "22" and not (has_serial and q == "10")
        )
    return uri + "".join(f"/{q}/{dl_encode(v)}" for q, v in qualifiers)


_SGTIN = "urn:epc:id:sgtin:"
_SGTIN_BASES: dict[str, str] = {}  # "CP.IR" → "https://id.gs1.org/01/{GTIN}/21/"
_SERIAL_PLAIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def _canonical_sgtin(value: str) -> str | None:
    """Fast path for the commonest identifier: an SGTIN whose serial needs no escaping in
    either form. The GTIN part is converted once per company prefix and item reference."""
    first = value.find(".", 17)
    second = value.find(".", first + 1) if first > 0 else -1
    if second < 0:
        return None
    serial = value[second + 1 :]
    if not 0 < len(serial) <= 20 or not _SERIAL_PLAIN.issuperset(serial):
        return None
    head = value[17:second]
    base = _SGTIN_BASES.get(head)
    if base is None:
        try:
            gtin = _gtin(value, value[17:first], value[first + 1 : second])
        except GS1Error:
            return None
        base = f"{CANONICAL_DOMAIN}/01/{gtin}/21/"
        if len(_SGTIN_BASES) >= _CACHE_LIMIT:
            _SGTIN_BASES.clear()
        _SGTIN_BASES[head] = base
    return base + serial


def _canonical(value: str) -> str:
    if value.startswith(_SGTIN):
        fast = _canonical_sgtin(value)
        if fast is not None:
            return fast
    if value.startswith("urn:epc:"):
        try:
            return _canonical_path(*_urn_key(value))
        except GS1Error:
            return value
    try:
        _, _, primary, qualifiers, _, _ = _parse(value)
        _validate(primary, qualifiers, ())
    except GS1Error:
        return value
    return _canonical_path(primary.ai, primary.value, tuple((q.ai, q.value) for q in qualifiers))


def canonical_identifier(value: str) -> str:
    """The constrained canonical GS1 Digital Link of an identifier, as the CBV 2.0 hash uses.

    EPC pure-identity URIs, the LGTIN class, single-key id patterns and GS1 Digital Links of any
    domain (with or without path prefix, aliases or query string) become
    ``https://id.gs1.org/{key}[/{qualifier}]`` at the finest level. Anything else, including
    EPCs without a GS1 key (``gid``, ``usdod``), malformed EPC URIs and Digital Links that fail
    validation (e.g. a wrong check digit), is returned unchanged. Results are memoised (bounded).
    """
    if not value.startswith(("urn:epc:", "https://", "http://")):
        return value
    result = _CACHE.get(value)
    if result is None:
        result = _canonical(value)
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[value] = result
    return result
