"""Master data: parties, locations and products, named in Chinese and English.

Each row is keyed by its GS1 identifier as written in the master-data file (``gln`` / ``gtin``)
and carries ``canonical``, the canonical GS1 Digital Link of that identifier, which is what
events are joined on (``event.read_point`` / ``event_identifier.canonical``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from trace_api.models.base import Base, JSONType, PrimaryKeyInt

__all__ = ["LOCATION_KINDS", "PARTY_ROLES", "Location", "Party", "Product"]

LOCATION_KINDS = ("farm", "packer", "processor", "dc", "retail", "port", "lab", "other")
PARTY_ROLES = (
    "grower",
    "packer",
    "processor",
    "distributor",
    "retailer",
    "importer",
    "transporter",
    "brand_owner",
    "regulator",
    "other",
)


class Party(Base):
    """A company or organisation (GLN or PGLN)."""

    __tablename__ = "party"

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    gln: Mapped[str] = mapped_column(sa.Text, unique=True, doc="GLN/PGLN as given")
    canonical: Mapped[str] = mapped_column(sa.Text, index=True)
    name_en: Mapped[str | None] = mapped_column(sa.Text)
    name_zh: Mapped[str | None] = mapped_column(sa.Text)
    licence_number: Mapped[str | None] = mapped_column(sa.Text)
    role: Mapped[str | None] = mapped_column(sa.String(16))


class Location(Base):
    """A site or sub-site (GLN or SGLN): farm, packhouse, processor, DC, shop …"""

    __tablename__ = "location"

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    gln: Mapped[str] = mapped_column(sa.Text, unique=True, doc="GLN/SGLN as given")
    canonical: Mapped[str] = mapped_column(sa.Text, index=True)
    name_en: Mapped[str | None] = mapped_column(sa.Text)
    name_zh: Mapped[str | None] = mapped_column(sa.Text)
    address: Mapped[str | None] = mapped_column(sa.Text)
    country: Mapped[str | None] = mapped_column(sa.String(2), doc="ISO 3166-1 alpha-2")
    latitude: Mapped[float | None] = mapped_column(sa.Float)
    longitude: Mapped[float | None] = mapped_column(sa.Float)
    kind: Mapped[str | None] = mapped_column(sa.String(16))
    party_id: Mapped[int | None] = mapped_column(sa.ForeignKey("party.id"), index=True)


class Product(Base):
    """A trade item (GTIN) with what a consumer page and a recall need to know."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(PrimaryKeyInt, primary_key=True)
    gtin: Mapped[str] = mapped_column(sa.String(14), unique=True, doc="GTIN-14, digits only")
    canonical: Mapped[str] = mapped_column(sa.Text, index=True)
    name_en: Mapped[str | None] = mapped_column(sa.Text)
    name_zh: Mapped[str | None] = mapped_column(sa.Text)
    ingredients: Mapped[list[dict[str, Any]]] = mapped_column(
        JSONType, default=list, doc='[{"en": "spinach", "zh": "菠菜"}, …]'
    )
    shelf_life_days: Mapped[int | None] = mapped_column(sa.Integer)
    temp_min_c: Mapped[float | None] = mapped_column(sa.Float)
    temp_max_c: Mapped[float | None] = mapped_column(sa.Float)
    certifications: Mapped[list[dict[str, Any]] | None] = mapped_column(
        JSONType, doc='[{"scheme": "organic", "name": {"en": …, "zh": …}, "number": …}, …]'
    )
    brand_owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("party.id"), index=True)
