"""Match identifiers and locations given in a query against their stored canonical forms.

Events store every EPC and EPC class with its canonical GS1 Digital Link
(``event_identifier.canonical``), so a query value in URN or Digital Link form matches either.
Patterns:

* a pure identity (``urn:epc:id:…``, a Digital Link): equality of canonical forms;
* a class-level pattern whose canonical form is a Digital Link (``urn:epc:idpat:sgtin:
  0614141.112345.*``, i.e. one GTIN): the identifiers under that key
  (``canonical = C`` or ``canonical LIKE 'C/%'``), so an SGTIN pattern matches every serial
  and an EPC-class pattern matches the GTIN and its lots;
* any other ``urn:epc:idpat:`` pattern (``urn:epc:idpat:sgtin:0614141.*.*``): a prefix match
  of the value as written in URN form (identifiers written as Digital Links do not match).

Locations (``EQ_readPoint`` …) match as written, in URN form or as canonical Digital Link.
``WD_`` ("with descendants") has no location hierarchy to consult, so it also matches the SGLN
extensions of the same GLN: ``urn:epc:id:sgln:0614141.00777.*`` and ``…/414/<GLN>/254/*``.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from foodtrace.exceptions import FoodtraceError
from foodtrace.gs1.digital_link import canonical_identifier, digital_link_to_epc

__all__ = ["identifier_match", "location_forms", "location_match", "starts_with"]

_IDPAT = "urn:epc:idpat:"
_SGLN = "urn:epc:id:sgln:"
_DIGITAL_LINK = "https://id.gs1.org/"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class _StartsWith(ColumnElement[bool]):
    """``column`` starts with ``prefix``, written so the column's index can serve it.

    SQLite compares TEXT with the BINARY collation, so a prefix is exactly the range
    ``[prefix, prefix with its last character incremented)``, which the index answers (its
    ``LIKE`` is case-insensitive and cannot use a BINARY index). Other databases get
    ``LIKE 'prefix%'``: a range would be wrong under a linguistic collation.
    """

    inherit_cache = False  # the prefix is bound at compile time: never reuse compiled SQL
    type = sa.Boolean()

    def __init__(self, column: Any, prefix: str) -> None:
        self.column = column
        self.prefix = prefix


@compiles(_StartsWith)
def _starts_with_like(element: _StartsWith, compiler: Any, **kw: Any) -> str:
    pattern = sa.literal(_like_escape(element.prefix) + "%")
    return str(compiler.process(element.column.like(pattern, escape="\\"), **kw))


@compiles(_StartsWith, "sqlite")
def _starts_with_range(element: _StartsWith, compiler: Any, **kw: Any) -> str:
    upper = element.prefix[:-1] + chr(ord(element.prefix[-1]) + 1)
    condition = sa.and_(element.column >= element.prefix, element.column < upper)
    return str(compiler.process(condition, **kw))


def starts_with(column: Any, prefix: str) -> sa.ColumnElement[bool]:
    """Condition: ``column`` begins with the non-empty ``prefix``."""
    return _StartsWith(column, prefix)


def _canonical(value: str) -> str:
    try:
        return canonical_identifier(value)
    except (FoodtraceError, ValueError):
        return value


def identifier_match(value_col: Any, canonical_col: Any, value: str) -> sa.ColumnElement[bool]:
    """Condition on an identifier row (its ``value`` and ``canonical`` columns) for one query
    value, as the module docstring describes."""
    canonical = _canonical(value)
    if not value.startswith(_IDPAT):
        return sa.or_(canonical_col == canonical, value_col == value)
    if canonical.startswith(_DIGITAL_LINK):
        return sa.or_(
            canonical_col == canonical,
            starts_with(canonical_col, canonical + "/"),
        )
    head = value[len(_IDPAT) :]
    scheme, _, fields = head.partition(":")
    kept = []
    for part in fields.split("."):
        if part == "*":
            break
        kept.append(part)
    prefix = f"urn:epc:id:{scheme}:" + ".".join(kept)
    if len(kept) < len(fields.split(".")):
        prefix += "."
    pattern_prefix = f"{_IDPAT}{scheme}:" + prefix[len(f"urn:epc:id:{scheme}:") :]
    return sa.or_(
        starts_with(value_col, prefix),
        starts_with(value_col, pattern_prefix),
    )


def location_forms(value: str) -> list[str]:
    """The spellings of a location id an event may use: as given, URN and Digital Link."""
    forms = [value, _canonical(value)]
    if value.startswith("http"):
        for length in range(6, 13):  # the company prefix length is not in the link
            try:
                forms.append(digital_link_to_epc(value, length))
            except FoodtraceError:
                break
    return list(dict.fromkeys(forms))


def location_match(column: Any, value: str, *, descendants: bool) -> sa.ColumnElement[bool]:
    """``EQ_`` / ``WD_`` condition of a ``read_point`` or ``biz_location`` column."""
    forms = location_forms(value)
    conditions: list[sa.ColumnElement[bool]] = [column.in_(forms)]
    if descendants:
        for form in forms[:2]:
            if form.startswith(_SGLN):
                base = form.rpartition(".")[0] + "."
                conditions.append(starts_with(column, base))
            elif form.startswith(_DIGITAL_LINK + "414/"):
                base = form.split("/254/")[0] + "/254/"
                conditions.append(starts_with(column, base))
    return sa.or_(*conditions)
