"""Master data (parties, locations, products) loaded from a JSON or TOML file, upserted.

The format, by example: ``trace_api/examples/master-data.json`` (and the same content as
``master-data.toml``). Three optional lists — ``parties``, ``locations``, ``products`` — whose
entries are keyed by their GS1 identifier: a party's ``gln`` (13 digits, ``urn:epc:id:pgln:…``
or a Digital Link), a location's ``gln`` (13 digits, ``urn:epc:id:sgln:…`` or a Digital Link),
a product's ``gtin`` (8, 12, 13 or 14 digits; stored as GTIN-14). Locations and products name
their party by that party's ``gln``. Loading the same key again updates the row (every column,
so a field left out becomes empty).
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from foodtrace.gs1.checkdigit import has_valid_check_digit
from foodtrace.gs1.digital_link import canonical_identifier
from trace_api.exceptions import MasterDataError
from trace_api.models import metadata
from trace_api.models.master import LOCATION_KINDS, PARTY_ROLES
from trace_api.storage.connection import Target, transaction, upsert_insert

__all__ = ["MasterDataCounts", "MasterDataFile", "load_master_data", "load_master_file"]

_PARTY = metadata.tables["party"]
_LOCATION = metadata.tables["location"]
_PRODUCT = metadata.tables["product"]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Name(_Entry):
    en: str | None = None
    zh: str | None = None


class PartyEntry(_Entry):
    gln: str = Field(min_length=1)
    name: Name = Name()
    licence_number: str | None = None
    role: str | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str | None) -> str | None:
        if value is not None and value not in PARTY_ROLES:
            raise ValueError(f"unknown role {value!r} (one of {', '.join(PARTY_ROLES)})")
        return value


class LocationEntry(_Entry):
    gln: str = Field(min_length=1)
    name: Name = Name()
    address: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    kind: str | None = None
    party: str | None = None

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, value: str | None) -> str | None:
        if value is not None and value not in LOCATION_KINDS:
            raise ValueError(f"unknown kind {value!r} (one of {', '.join(LOCATION_KINDS)})")
        return value


class CertificationEntry(_Entry):
    """A certificate a product holds (public: shown on the consumer page)."""

    scheme: str = Field(min_length=1, max_length=64, description="e.g. organic, GLOBALG.A.P.")
    name: Name = Name()
    number: str | None = Field(default=None, max_length=128)
    valid_until: date | None = None


class ProductEntry(_Entry):
    gtin: str
    name: Name = Name()
    ingredients: list[Name] = []
    shelf_life_days: int | None = Field(default=None, ge=0)
    temp_min_c: float | None = None
    temp_max_c: float | None = None
    brand_owner: str | None = None
    certifications: list[CertificationEntry] = []

    @field_validator("gtin")
    @classmethod
    def _gtin14(cls, value: str) -> str:
        if not value.isdigit() or len(value) not in (8, 12, 13, 14):
            raise ValueError(f"GTIN {value!r}: expected 8, 12, 13 or 14 digits")
        if not has_valid_check_digit(value):
            raise ValueError(f"GTIN {value!r}: wrong check digit")
        return value.zfill(14)


class MasterDataFile(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parties: list[PartyEntry] = []
    locations: list[LocationEntry] = []
    products: list[ProductEntry] = []


@dataclass(frozen=True, slots=True)
class MasterDataCounts:
    """How many entries of each kind were written (inserted or updated)."""

    parties: int
    locations: int
    products: int


def _canonical_gln(value: str, ai: str) -> str:
    if value.isdigit():
        return canonical_identifier(f"https://id.gs1.org/{ai}/{value}")
    return canonical_identifier(value)


def _parse(path: Path) -> Any:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MasterDataError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        if path.suffix.lower() == ".toml":
            return tomllib.loads(data.decode())
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        kind = "TOML" if path.suffix.lower() == ".toml" else "JSON"
        raise MasterDataError(f"{path}: not valid {kind}: {exc}") from exc


def load_master_file(target: Target, path: Path) -> MasterDataCounts:
    """Load a master-data file (``.json`` or ``.toml``) with upsert semantics."""
    return load_master_data(target, _parse(path), source=str(path))


def _validate(data: Any, source: str) -> MasterDataFile:
    try:
        return MasterDataFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "/".join(str(part) for part in first["loc"])
        more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise MasterDataError(f"{source}: at {where}: {first['msg']}{more}") from exc


def _upsert(
    connection: sa.Connection, table: sa.Table, key: str, rows: list[dict[str, Any]]
) -> None:
    if not rows:
        return
    insert = upsert_insert(connection, table)
    update = {name: insert.excluded[name] for name in rows[0] if name != key}
    connection.execute(insert.on_conflict_do_update(index_elements=[key], set_=update), rows)


def load_master_data(
    target: Target, data: Mapping[str, Any] | MasterDataFile, *, source: str = "master data"
) -> MasterDataCounts:
    """Upsert parties, then locations and products (which refer to parties by GLN)."""
    parsed = data if isinstance(data, MasterDataFile) else _validate(data, source)
    with transaction(target) as connection:
        _upsert(
            connection,
            _PARTY,
            "gln",
            [
                {
                    "gln": p.gln,
                    "canonical": _canonical_gln(p.gln, "417"),
                    "name_en": p.name.en,
                    "name_zh": p.name.zh,
                    "licence_number": p.licence_number,
                    "role": p.role,
                }
                for p in parsed.parties
            ],
        )
        party_ids = {
            str(gln): int(pk)
            for gln, pk in connection.execute(sa.select(_PARTY.c.gln, _PARTY.c.id))
        }

        def party(gln: str | None, where: str) -> int | None:
            if gln is None:
                return None
            if gln not in party_ids:
                raise MasterDataError(f"{source}: at {where}: unknown party {gln!r}")
            return party_ids[gln]

        _upsert(
            connection,
            _LOCATION,
            "gln",
            [
                {
                    "gln": loc.gln,
                    "canonical": _canonical_gln(loc.gln, "414"),
                    "name_en": loc.name.en,
                    "name_zh": loc.name.zh,
                    "address": loc.address,
                    "country": loc.country,
                    "latitude": loc.latitude,
                    "longitude": loc.longitude,
                    "kind": loc.kind,
                    "party_id": party(loc.party, f"locations/{i}/party"),
                }
                for i, loc in enumerate(parsed.locations)
            ],
        )
        _upsert(
            connection,
            _PRODUCT,
            "gtin",
            [
                {
                    "gtin": p.gtin,
                    "canonical": canonical_identifier(f"https://id.gs1.org/01/{p.gtin}"),
                    "name_en": p.name.en,
                    "name_zh": p.name.zh,
                    "ingredients": [i.model_dump(exclude_none=True) for i in p.ingredients],
                    "shelf_life_days": p.shelf_life_days,
                    "temp_min_c": p.temp_min_c,
                    "temp_max_c": p.temp_max_c,
                    "certifications": [
                        c.model_dump(mode="json", exclude_none=True) for c in p.certifications
                    ]
                    or None,
                    "brand_owner_id": party(p.brand_owner, f"products/{i}/brand_owner"),
                }
                for i, p in enumerate(parsed.products)
            ],
        )
    return MasterDataCounts(len(parsed.parties), len(parsed.locations), len(parsed.products))
