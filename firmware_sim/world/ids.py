"""GS1 identifiers of the simulated world: GLNs, GTINs, SGTIN/SSCC EPCs, LGTIN lots, event IDs.

Every party owns a 7-digit GS1 Company Prefix (China's 690–699 range). Identifier *families* are
built and checked once with the shared codec (:func:`foodtrace.gs1.epc.from_ai`, check digits from
:mod:`foodtrace.gs1.checkdigit`); serials are then appended as text, which is what the codec
would produce for them (SGTIN-96 serials are decimal without leading zeros, SSCC serial
references are zero-padded to the partition's width). Serials stay below 2^38 so every EPC fits
an SGTIN-96 tag.
"""

from __future__ import annotations

import random

from foodtrace.gs1.checkdigit import with_check_digit
from foodtrace.gs1.epc import from_ai

__all__ = [
    "CompanyPrefix",
    "EventIds",
    "gln13",
    "gtin14",
    "lgtin",
    "pgln",
    "sgln",
]

PREFIX_DIGITS = 7
_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))  # version and variant bits
_SET = (0x4000 << 64) | (0x8000 << 48)


def gln13(prefix: str, location_ref: int) -> str:
    """The 13-digit GLN of a location (``location_ref`` 0 is the party's own GLN)."""
    return with_check_digit(f"{prefix}{location_ref:05d}")


def sgln(gln: str, extension: str = "0") -> str:
    """``urn:epc:id:sgln:…`` of a 13-digit GLN (7-digit company prefix)."""
    return f"urn:epc:id:sgln:{gln[:PREFIX_DIGITS]}.{gln[PREFIX_DIGITS:12]}.{extension}"


def pgln(gln: str) -> str:
    """``urn:epc:id:pgln:…`` of a party's 13-digit GLN."""
    return f"urn:epc:id:pgln:{gln[:PREFIX_DIGITS]}.{gln[PREFIX_DIGITS:12]}"


def gtin14(prefix: str, item_ref: int) -> str:
    """A GTIN-14 with indicator digit 0."""
    return with_check_digit(f"0{prefix}{item_ref:05d}")


def lgtin(gtin: str, lot: str) -> str:
    """``urn:epc:class:lgtin:…`` of a GTIN-14 and a lot number (alphanumeric, no escaping)."""
    prefix, item = gtin[1 : PREFIX_DIGITS + 1], gtin[0] + gtin[PREFIX_DIGITS + 1 : 13]
    return f"urn:epc:class:lgtin:{prefix}.{item}.{lot}"


class CompanyPrefix:
    """SSCC allocation for one party (serial references counted up from 1)."""

    __slots__ = ("_sscc_base", "next_sscc", "prefix")

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.next_sscc = 1
        probe = with_check_digit(f"0{self.prefix}{1:09d}")
        uri = from_ai([("00", probe)], PREFIX_DIGITS).uri
        self._sscc_base = uri[: -len("0000000001")]

    def sscc(self) -> str:
        value = self.next_sscc
        self.next_sscc += 1
        return f"{self._sscc_base}{value:010d}"


class SgtinFamily:
    """SGTIN EPCs of one GTIN, serials from a counter (checked once by the codec)."""

    __slots__ = ("_base", "gtin", "next_serial")

    def __init__(self, gtin: str, first_serial: int = 1) -> None:
        self.gtin = gtin
        uri = from_ai([("01", gtin), ("21", "1")], PREFIX_DIGITS).uri
        self._base = uri[:-1]
        self.next_serial = first_serial

    def take(self, count: int) -> list[str]:
        first = self.next_serial
        self.next_serial += count
        base = self._base
        return [f"{base}{n}" for n in range(first, first + count)]

    def uri(self, serial: int) -> str:
        return f"{self._base}{serial}"


class EventIds:
    """Deterministic ``urn:uuid:`` event IDs (version 4 layout) drawn from a seeded generator."""

    __slots__ = ("_rng",)

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"event-ids:{seed}")  # noqa: S311 (a simulation, not secrets)

    def next(self) -> str:
        """Same text as ``uuid.UUID(int=bits, version=4)``, formatted directly."""
        bits = (self._rng.getrandbits(128) & _CLEAR) | _SET
        h = f"{bits:032x}"
        return f"urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
