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

from foodtrace.exceptions import FoodtraceError
from foodtrace.gs1.digital_link import canonical_identifier, digital_link_to_epc

__all__ = ["identifier_match", "location_forms", "location_match"]

_IDPAT = "urn:epc:idpat:"
_SGLN = "urn:epc:id:sgln:"
_DIGITAL_LINK = "https://id.gs1.org/"


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
            canonical_col.like(_like_escape(canonical) + "/%", escape="\\"),
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
        value_col.like(_like_escape(prefix) + "%", escape="\\"),
        value_col.like(_like_escape(pattern_prefix) + "%", escape="\\"),
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
                conditions.append(column.like(_like_escape(base) + "%", escape="\\"))
            elif form.startswith(_DIGITAL_LINK + "414/"):
                base = form.split("/254/")[0] + "/254/"
                conditions.append(column.like(_like_escape(base) + "%", escape="\\"))
    return sa.or_(*conditions)
