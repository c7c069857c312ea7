"""``EQ_ATTR_<field>_<attribute>`` and ``HASATTR_<field>``: events whose ``readPoint`` or
``bizLocation`` is a location of the master data with a given attribute.

The attributes are the master-data columns of a location (:mod:`trace_api.models.master`):
``name`` (either language), ``address``, ``country`` (ISO 3166 alpha-2), ``kind`` (farm,
packer, …) and ``party`` (the owning party's GLN, in any spelling). An event's location matches
a master-data location written in another form (URN or Digital Link) through the canonical
Digital Link; an SGLN extension (``…/254/3``) is a location of its own. The matching
locations are looked up when the query runs (a :data:`Resolver`), and the event column is
compared with every spelling of their GLNs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa

from trace_api.exceptions import QueryParameterError
from trace_api.models import metadata
from trace_api.query.identifiers import location_forms

__all__ = ["ATTRIBUTES", "ATTRIBUTE_FIELDS", "Resolver", "has_attribute", "location_attribute"]

#: makes a condition on ``event`` rows once a connection is at hand
Resolver = Callable[[sa.Connection], sa.ColumnElement[bool]]

_EVENT = metadata.tables["event"]
_LOCATION = metadata.tables["location"]
_PARTY = metadata.tables["party"]

ATTRIBUTE_FIELDS = {"readPoint": "read_point", "bizLocation": "biz_location"}
ATTRIBUTES = ("name", "address", "country", "kind", "party")


def _check(field: str, name: str) -> None:
    if field not in ATTRIBUTE_FIELDS:
        raise QueryParameterError(
            f"master-data attributes are known for {' and '.join(ATTRIBUTE_FIELDS)}, not {field!r}"
        )
    if name not in ATTRIBUTES:
        raise QueryParameterError(
            f"unknown location attribute {name!r} (one of {', '.join(ATTRIBUTES)})"
        )


def _events_at(field: str, condition: sa.ColumnElement[bool]) -> Resolver:
    column = _EVENT.c[ATTRIBUTE_FIELDS[field]]

    def resolve(connection: sa.Connection) -> sa.ColumnElement[bool]:
        rows = connection.execute(
            sa.select(_LOCATION.c.gln, _LOCATION.c.canonical).where(condition)
        )
        forms = {form for row in rows for value in row for form in location_forms(value)}
        return column.in_(sorted(forms)) if forms else sa.false()

    return resolve


def _condition(name: str, values: Sequence[str] | None) -> sa.ColumnElement[bool]:
    """Condition on ``location`` rows: the attribute is set (``values=None``) or one of them."""
    if name == "name":
        if values is None:
            return sa.or_(_LOCATION.c.name_en.is_not(None), _LOCATION.c.name_zh.is_not(None))
        return sa.or_(_LOCATION.c.name_en.in_(values), _LOCATION.c.name_zh.in_(values))
    if name == "party":
        if values is None:
            return _LOCATION.c.party_id.is_not(None)
        forms = [form for value in values for form in location_forms(value)]
        if any(v.isascii() and v.isdigit() and len(v) == 13 for v in values):
            forms += [f"https://id.gs1.org/417/{v}" for v in values]
        parties = sa.select(_PARTY.c.id).where(
            sa.or_(_PARTY.c.gln.in_(forms), _PARTY.c.canonical.in_(forms))
        )
        return _LOCATION.c.party_id.in_(parties)
    column = _LOCATION.c[name]
    return column.is_not(None) if values is None else column.in_(list(values))


def location_attribute(field: str, name: str, values: Sequence[str]) -> Resolver:
    """``EQ_ATTR_<field>_<name>``: the event's location has attribute ``name`` equal to one of
    ``values``."""
    _check(field, name)
    return _events_at(field, _condition(name, values))


def has_attribute(field: str, names: Sequence[str]) -> Resolver:
    """``HASATTR_<field>``: the event's location has one of the attributes ``names`` set."""
    for name in names:
        _check(field, name)
    conditions = [_condition(name, None) for name in names]
    return _events_at(field, sa.or_(*conditions))
