"""Master data one entry at a time: read back as file entries, found by any spelling of their
key, and written through the file loader (:mod:`trace_api.storage.master`).

An entry is found by its key as stored or by any other spelling of the same GS1 identifier
(``0690123450006``, ``urn:epc:id:pgln:0690123.45000``, its Digital Link); a GTIN by 8, 12, 13
or 14 digits or its Digital Link. Each entry comes with the canonical Digital Link of its
*owner*: the party itself, a location's party, a product's brand owner (``None`` when unset),
which the API's operator role is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from foodtrace.exceptions import FoodtraceError
from foodtrace.gs1.digital_link import canonical_identifier
from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction
from trace_api.storage.master import (
    CertificationEntry,
    LocationEntry,
    MasterDataFile,
    Name,
    PartyEntry,
    ProductEntry,
    load_master_data,
)

__all__ = [
    "KINDS",
    "Entry",
    "Kind",
    "MasterRecord",
    "canonical_key",
    "get_record",
    "list_records",
    "put_entries",
]

Kind = Literal["parties", "locations", "products"]
KINDS: tuple[Kind, ...] = ("parties", "locations", "products")
Entry = PartyEntry | LocationEntry | ProductEntry

_PARTY = metadata.tables["party"]
_LOCATION = metadata.tables["location"]
_PRODUCT = metadata.tables["product"]
_TABLES = {"parties": _PARTY, "locations": _LOCATION, "products": _PRODUCT}
_KEYS = {"parties": "gln", "locations": "gln", "products": "gtin"}
_AI = {"parties": "417", "locations": "414", "products": "01"}


@dataclass(frozen=True, slots=True)
class MasterRecord:
    """An entry as stored, and the canonical Digital Link of its owning party."""

    entry: Entry
    owner: str | None


def canonical_key(kind: Kind, key: str) -> str | None:
    """The canonical Digital Link of a key, ``None`` when it is no GS1 identifier of its kind
    (a GLN/PGLN for a party, GLN/SGLN for a location, GTIN for a product)."""
    try:
        if key.isascii() and key.isdigit():
            digits = key.zfill(14) if kind == "products" else key
            canonical = canonical_identifier(f"https://id.gs1.org/{_AI[kind]}/{digits}")
        else:
            canonical = canonical_identifier(key)
    except (FoodtraceError, ValueError):
        return None
    return canonical if canonical.startswith(f"https://id.gs1.org/{_AI[kind]}/") else None


def _match(kind: Kind, key: str) -> sa.ColumnElement[bool]:
    table = _TABLES[kind]
    conditions = [table.c[_KEYS[kind]] == key]
    canonical = canonical_key(kind, key)
    if canonical is not None:
        conditions.append(table.c.canonical == canonical)
    return sa.or_(*conditions)


def _owner_party() -> Any:
    return _PARTY.alias("owner")


def _select(kind: Kind) -> sa.Select[Any]:
    owner = _owner_party()
    table = _TABLES[kind]
    if kind == "parties":
        return sa.select(table, table.c.canonical.label("owner_canonical"))
    link = table.c.party_id if kind == "locations" else table.c.brand_owner_id
    return sa.select(
        table, owner.c.gln.label("owner_gln"), owner.c.canonical.label("owner_canonical")
    ).select_from(table.outerjoin(owner, link == owner.c.id))


def _name(row: Any) -> Name:
    return Name(en=row.name_en, zh=row.name_zh)


def _record(kind: Kind, row: Any) -> MasterRecord:
    entry: Entry
    if kind == "parties":
        entry = PartyEntry(
            gln=row.gln, name=_name(row), licence_number=row.licence_number, role=row.role
        )
    elif kind == "locations":
        entry = LocationEntry(
            gln=row.gln,
            name=_name(row),
            address=row.address,
            country=row.country,
            latitude=row.latitude,
            longitude=row.longitude,
            kind=row.kind,
            party=row.owner_gln,
        )
    else:
        entry = ProductEntry(
            gtin=row.gtin,
            name=_name(row),
            ingredients=[Name(**item) for item in row.ingredients or []],
            shelf_life_days=row.shelf_life_days,
            temp_min_c=row.temp_min_c,
            temp_max_c=row.temp_max_c,
            brand_owner=row.owner_gln,
            certifications=[
                CertificationEntry.model_validate(item) for item in row.certifications or []
            ],
        )
    return MasterRecord(entry, row.owner_canonical)


def list_records(
    target: Target,
    kind: Kind,
    *,
    owner: str | None = None,
    after: str | None = None,
    limit: int = 1000,
) -> list[MasterRecord]:
    """Entries of ``kind`` in key order, after the key ``after``; only those owned by the
    party whose canonical Digital Link is ``owner`` when it is given."""
    table = _TABLES[kind]
    key = table.c[_KEYS[kind]]
    query = _select(kind).order_by(key).limit(limit)
    if after is not None:
        query = query.where(key > after)
    if owner is not None:
        query = query.where(query.selected_columns.owner_canonical == owner)
    with transaction(target) as connection:
        return [_record(kind, row) for row in connection.execute(query)]


def get_record(target: Target, kind: Kind, key: str) -> MasterRecord | None:
    """The entry whose key is any spelling of ``key``, or ``None``."""
    query = _select(kind).where(_match(kind, key)).limit(1)
    with transaction(target) as connection:
        row = connection.execute(query).first()
    return None if row is None else _record(kind, row)


def _stored_party(connection: sa.Connection, gln: str | None) -> str | None:
    """A party GLN as the party table spells it (so the loader finds it), if it is stored."""
    if gln is None:
        return None
    row = connection.execute(sa.select(_PARTY.c.gln).where(_match("parties", gln))).first()
    return gln if row is None else str(row.gln)


def _stored_key(connection: sa.Connection, kind: Kind, key: str) -> str | None:
    table = _TABLES[kind]
    row = connection.execute(sa.select(table.c[_KEYS[kind]]).where(_match(kind, key))).first()
    return None if row is None else str(row[0])


def put_entries(target: Target, kind: Kind, entries: list[Entry]) -> list[bool]:
    """Upsert ``entries`` of ``kind`` in one transaction; for each, whether it was created.

    An entry whose key is another spelling of a stored key replaces that row (the stored
    spelling is kept); a location's party and a product's brand owner are written as the
    party table spells them.
    """
    created: list[bool] = []
    with transaction(target) as connection:
        fixed: list[Any] = []
        for entry in entries:
            if isinstance(entry, PartyEntry):
                stored = _stored_key(connection, kind, entry.gln)
                fixed.append(entry.model_copy(update={"gln": stored or entry.gln}))
            elif isinstance(entry, LocationEntry):
                stored = _stored_key(connection, kind, entry.gln)
                party = _stored_party(connection, entry.party)
                fixed.append(entry.model_copy(update={"gln": stored or entry.gln, "party": party}))
            else:
                stored = _stored_key(connection, kind, entry.gtin)
                owner = _stored_party(connection, entry.brand_owner)
                fixed.append(entry.model_copy(update={"brand_owner": owner}))
            created.append(stored is None)
        load_master_data(connection, MasterDataFile.model_validate({kind: fixed}), source=kind)
    return created
