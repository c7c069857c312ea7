"""R2000 frequency regions and channel tables (frequency index → carrier frequency in kHz).

Tag records carry a 6-bit frequency index (the high bits of the ``FreqAnt`` byte). For the
standard regions the index points into one global table (IND903 protocol V2.2 §4):

* index 0–6   → 865.0 + 0.5·i MHz (ETSI band, 865.0–868.0 MHz)
* index 7–59  → 902.0 + 0.5·(i−7) MHz (FCC band, 902.0–928.0 MHz; CHN uses 920.0–925.0)

A region restricts which indices the reader hops over (``SetFrequencyRegion`` start/end index).
The V3 user-defined region (0x04) instead defines its own channels: start frequency, spacing
and count; the index is then the channel number in that list (:class:`UserDefinedChannels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Final, Protocol

__all__ = [
    "REGION_INDEX_RANGES",
    "STANDARD_CHANNELS",
    "ChannelTable",
    "Region",
    "StandardChannels",
    "UserDefinedChannels",
]


class Region(IntEnum):
    """Frequency region (``CMD_NAME_SET_FREQUENCY_REGION`` ``Region`` byte)."""

    FCC = 0x01
    ETSI = 0x02
    CHN = 0x03
    USER = 0x04  # V3: user-defined channels (start kHz, spacing, count)


class ChannelTable(Protocol):
    """Maps a tag record's frequency index to a carrier frequency."""

    def frequency_khz(self, index: int) -> int | None:
        """Carrier frequency in kHz, or ``None`` for an index outside the table."""
        ...


_ETSI_COUNT: Final = 7
_STANDARD_COUNT: Final = 60


def _standard(index: int) -> int:
    if index < _ETSI_COUNT:
        return 865_000 + 500 * index
    return 902_000 + 500 * (index - _ETSI_COUNT)


_STANDARD_TABLE: Final[tuple[int | None, ...]] = tuple(
    _standard(i) if i < _STANDARD_COUNT else None for i in range(64)
)


@dataclass(frozen=True, slots=True)
class StandardChannels:
    """The V2.2 §4 table shared by the FCC, ETSI and CHN regions (indices 0–59)."""

    def frequency_khz(self, index: int) -> int | None:
        return _STANDARD_TABLE[index] if 0 <= index < 64 else None

    def index_of(self, frequency_khz: int) -> int:
        """Inverse lookup; ``ValueError`` if the frequency is not a table channel."""
        try:
            return _STANDARD_TABLE.index(frequency_khz)
        except ValueError:
            raise ValueError(f"{frequency_khz} kHz is not an R2000 channel") from None


STANDARD_CHANNELS: Final = StandardChannels()

#: First and last frequency index of each standard region (inclusive).
REGION_INDEX_RANGES: Final[dict[Region, tuple[int, int]]] = {
    Region.FCC: (7, 59),
    Region.ETSI: (0, 6),
    Region.CHN: (43, 53),
}


@dataclass(frozen=True, slots=True)
class UserDefinedChannels:
    """V3 user-defined region: ``count`` channels from ``start_khz``, ``spacing_khz`` apart."""

    start_khz: int
    spacing_khz: int
    count: int

    def __post_init__(self) -> None:
        if not 0 <= self.start_khz <= 0xFFFFFF:
            raise ValueError(f"start frequency must fit 24 bits (kHz), got {self.start_khz}")
        if self.spacing_khz % 10 or not 0 <= self.spacing_khz <= 2550:
            raise ValueError(f"spacing must be 0..2550 kHz in 10 kHz steps, got {self.spacing_khz}")
        if not 1 <= self.count <= 255:
            raise ValueError(f"channel count must be 1..255, got {self.count}")

    def frequency_khz(self, index: int) -> int | None:
        if 0 <= index < self.count:
            return self.start_khz + index * self.spacing_khz
        return None
