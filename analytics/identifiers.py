"""Identifiers as the analytics compare them: canonical GS1 Digital Links (the form
``event_identifier.canonical`` and the master-data ``canonical`` columns hold), with the GTIN
and lot taken apart."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["canon", "gtin_of", "is_item", "is_lot", "lot_id", "party_canon", "place_canon"]

_DL = "https://id.gs1.org/"


@lru_cache(maxsize=262_144)
def canon(value: str) -> str:
    """The canonical Digital Link of an EPC URN, class URN or link (the value itself when it
    is not a GS1 identifier)."""
    from trace_api.storage.prepare import canonical

    try:
        return canonical(value)
    except Exception:  # a non-GS1 identifier stays as written
        return value


def place_canon(value: str) -> str:
    """A location given as 13 digits, SGLN URN or Digital Link → canonical link (AI 414)."""
    if value.isascii() and value.isdigit() and len(value) == 13:
        return canon(f"{_DL}414/{value}")
    return canon(value)


def party_canon(value: str) -> str:
    """A party given as 13 digits, PGLN URN or Digital Link → canonical link (AI 417)."""
    if value.isascii() and value.isdigit() and len(value) == 13:
        return canon(f"{_DL}417/{value}")
    return canon(value)


def gtin_of(canonical: str) -> str | None:
    """The GTIN-14 of an item or lot link, else ``None``."""
    if canonical.startswith(_DL + "01/"):
        return canonical[len(_DL) + 3 : len(_DL) + 17]
    return None


def is_item(canonical: str) -> bool:
    """An item (SGTIN: GTIN + serial)."""
    return canonical.startswith(_DL + "01/") and "/21/" in canonical


def is_lot(canonical: str) -> bool:
    """A lot (LGTIN: GTIN + batch/lot)."""
    return canonical.startswith(_DL + "01/") and "/10/" in canonical


def lot_id(gtin: str, lot: str) -> str:
    """The canonical link of lot ``lot`` of ``gtin``."""
    return canon(f"{_DL}01/{gtin}/10/{lot}")
