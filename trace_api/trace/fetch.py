"""Batched reads the trace needs: events naming a set of identifiers, their child rows,
master-data names. One query per batch of up to :data:`CHUNK` keys, never one per node."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from trace_api.models import metadata

__all__ = [
    "CHUNK",
    "EventRecord",
    "Identifier",
    "canonicals_with_prefix",
    "event_pks_naming",
    "event_pks_of_transformations",
    "load_events",
    "master_names",
    "raw_events",
    "term",
]

CHUNK = 900
_EVENT = metadata.tables["event"]
_IDENT = metadata.tables["event_identifier"]
_SD = metadata.tables["event_source_destination"]
_CONTEXT = metadata.tables["epcis_context"]
_LOCATION = metadata.tables["location"]
_PARTY = metadata.tables["party"]
_PRODUCT = metadata.tables["product"]

T = TypeVar("T")


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    batch: list[T] = []
    for value in values:
        batch.append(value)
        if len(batch) == CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def term(value: str | None) -> str | None:
    """A CBV term without its URN or IRI prefix: ``urn:epcglobal:cbv:bizstep:shipping``,
    ``https://ref.gs1.org/cbv/BizStep-shipping`` and ``shipping`` all give ``shipping``."""
    if value is None:
        return None
    return value.rsplit(":", 1)[-1].rsplit("/", 1)[-1].rsplit("-", 1)[-1]


@dataclass(frozen=True, slots=True)
class Identifier:
    """One ``event_identifier`` row."""

    role: str
    kind: str
    value: str
    canonical: str
    quantity: float | None
    uom: str | None


@dataclass(slots=True)
class EventRecord:
    """What the trace needs of one stored event (not its raw JSON)."""

    pk: int
    event_id: str
    type: str
    time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    transformation_id: str | None
    error_declared: bool
    identifiers: list[Identifier] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    destinations: list[tuple[str, str]] = field(default_factory=list)

    @property
    def location(self) -> str | None:
        """Where the event left its objects: the business location, else the read point."""
        return self.biz_location or self.read_point

    _by_role: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _roles: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def _index(self) -> None:
        for ident in self.identifiers:
            self._by_role.setdefault(ident.role, []).append(ident.canonical)
            self._roles.setdefault(ident.canonical, set()).add(ident.role)

    def canonicals(self, *roles: str) -> list[str]:
        """The identifiers the event names in any of ``roles`` (memoised per event)."""
        if not self._roles:
            self._index()
        if len(roles) == 1:
            return self._by_role.get(roles[0], [])
        return [c for role in roles for c in self._by_role.get(role, ())]

    def roles_of(self, canonical: str) -> set[str]:
        """The roles in which the event names ``canonical``."""
        if not self._roles:
            self._index()
        return self._roles.get(canonical, set())


def canonicals_with_prefix(connection: Connection, prefix: str) -> set[str]:
    """Every stored identifier equal to ``prefix`` or below it (``prefix/…``)."""
    query = sa.select(_IDENT.c.canonical).distinct()
    query = query.where(
        sa.or_(_IDENT.c.canonical == prefix, _IDENT.c.canonical.startswith(prefix + "/"))
    )
    return {str(value) for (value,) in connection.execute(query)}


def event_pks_naming(connection: Connection, canonicals: Collection[str]) -> set[int]:
    """Surrogate keys of the events naming any of ``canonicals`` in any role."""
    found: set[int] = set()
    for batch in _chunks(sorted(canonicals)):
        query = sa.select(_IDENT.c.event_pk).where(_IDENT.c.canonical.in_(batch))
        found.update(int(pk) for (pk,) in connection.execute(query))
    return found


def event_pks_of_transformations(connection: Connection, ids: Collection[str]) -> set[int]:
    """Surrogate keys of every event of the given transformation IDs."""
    found: set[int] = set()
    for batch in _chunks(sorted(ids)):
        query = sa.select(_EVENT.c.id).where(_EVENT.c.transformation_id.in_(batch))
        found.update(int(pk) for (pk,) in connection.execute(query))
    return found


def load_events(connection: Connection, pks: Collection[int]) -> dict[int, EventRecord]:
    """The events ``pks`` with their identifiers, sources and destinations."""
    records: dict[int, EventRecord] = {}
    columns = (
        _EVENT.c.id,
        _EVENT.c.event_id,
        _EVENT.c.event_type,
        _EVENT.c.event_time,
        _EVENT.c.action,
        _EVENT.c.biz_step,
        _EVENT.c.disposition,
        _EVENT.c.read_point,
        _EVENT.c.biz_location,
        _EVENT.c.transformation_id,
        _EVENT.c.error_declared,
    )
    for batch in _chunks(sorted(pks)):
        for row in connection.execute(sa.select(*columns).where(_EVENT.c.id.in_(batch))):
            records[row[0]] = EventRecord(
                pk=row[0],
                event_id=row[1],
                type=row[2],
                time=row[3],
                action=row[4],
                biz_step=term(row[5]),
                disposition=term(row[6]),
                read_point=row[7],
                biz_location=row[8],
                transformation_id=row[9],
                error_declared=bool(row[10]),
            )
        ident = sa.select(
            _IDENT.c.event_pk,
            _IDENT.c.role,
            _IDENT.c.kind,
            _IDENT.c.value,
            _IDENT.c.canonical,
            _IDENT.c.quantity,
            _IDENT.c.uom,
        ).where(_IDENT.c.event_pk.in_(batch))
        for pk, *rest in connection.execute(ident.order_by(_IDENT.c.id)):
            records[pk].identifiers.append(Identifier(*rest))
        sd = sa.select(_SD.c.event_pk, _SD.c.direction, _SD.c.type, _SD.c.value).where(
            _SD.c.event_pk.in_(batch)
        )
        for pk, direction, kind, value in connection.execute(sd.order_by(_SD.c.id)):
            pair = (term(kind) or kind, value)
            record = records[pk]
            (record.sources if direction == "source" else record.destinations).append(pair)
    return records


def raw_events(connection: Connection, pks: Collection[int]) -> dict[int, tuple[str, str | None]]:
    """The JSON text and ``@context`` text of each event."""
    found: dict[int, tuple[str, str | None]] = {}
    query: Any = sa.select(_EVENT.c.id, _EVENT.c.raw, _CONTEXT.c.body).select_from(
        _EVENT.outerjoin(_CONTEXT, _EVENT.c.context_id == _CONTEXT.c.id)
    )
    for batch in _chunks(sorted(pks)):
        for pk, raw, context in connection.execute(query.where(_EVENT.c.id.in_(batch))):
            found[int(pk)] = (raw, context)
    return found


def master_names(connection: Connection, canonicals: Collection[str]) -> dict[str, dict[str, Any]]:
    """Master-data facts (names, kind, owning party) of locations, parties and products.

    Keys are the canonical identifiers asked for; a product is found by its GTIN's canonical
    link (``https://id.gs1.org/01/{gtin}``).
    """
    found: dict[str, dict[str, Any]] = {}
    wanted = sorted(set(canonicals))
    parties: dict[int, list[str]] = {}
    for batch in _chunks(wanted):
        for row in connection.execute(
            sa.select(
                _LOCATION.c.canonical,
                _LOCATION.c.name_en,
                _LOCATION.c.name_zh,
                _LOCATION.c.kind,
                _LOCATION.c.party_id,
            ).where(_LOCATION.c.canonical.in_(batch))
        ):
            found[row[0]] = {"name": row[1], "name_zh": row[2], "location_kind": row[3]}
            if row[4] is not None:
                parties.setdefault(int(row[4]), []).append(row[0])
        for party_row in connection.execute(
            sa.select(_PARTY.c.canonical, _PARTY.c.name_en, _PARTY.c.name_zh, _PARTY.c.role).where(
                _PARTY.c.canonical.in_(batch)
            )
        ):
            found[party_row[0]] = {
                "name": party_row[1],
                "name_zh": party_row[2],
                "party_role": party_row[3],
            }
        for product_row in connection.execute(
            sa.select(_PRODUCT.c.canonical, _PRODUCT.c.name_en, _PRODUCT.c.name_zh).where(
                _PRODUCT.c.canonical.in_(batch)
            )
        ):
            found[product_row[0]] = {"name": product_row[1], "name_zh": product_row[2]}
    for keys in _chunks(sorted(parties)):
        for pk, canonical, name in connection.execute(
            sa.select(_PARTY.c.id, _PARTY.c.canonical, _PARTY.c.name_en).where(
                _PARTY.c.id.in_(keys)
            )
        ):
            for location in parties[int(pk)]:
                found[location].update({"party": canonical, "party_name": name})
    return found
