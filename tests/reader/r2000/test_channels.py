"""Frequency regions and channel tables."""

from __future__ import annotations

import pytest

from foodtrace.reader.r2000.channels import (
    REGION_INDEX_RANGES,
    STANDARD_CHANNELS,
    Region,
    UserDefinedChannels,
)


@pytest.mark.parametrize(
    ("index", "khz"),
    [
        (0, 865_000),
        (1, 865_500),
        (6, 868_000),
        (7, 902_000),
        (8, 902_500),
        (33, 915_000),
        (43, 920_000),
        (53, 925_000),
        (59, 928_000),
    ],
)
def test_standard_table(index: int, khz: int) -> None:
    assert STANDARD_CHANNELS.frequency_khz(index) == khz
    assert STANDARD_CHANNELS.index_of(khz) == index


@pytest.mark.parametrize("index", [-1, 60, 63, 64])
def test_outside_the_table(index: int) -> None:
    assert STANDARD_CHANNELS.frequency_khz(index) is None


def test_index_of_unknown_frequency() -> None:
    with pytest.raises(ValueError, match="915250 kHz is not an R2000 channel"):
        STANDARD_CHANNELS.index_of(915_250)


def test_region_ranges_cover_their_bands() -> None:
    band = {
        Region.ETSI: (865_000, 868_000),
        Region.FCC: (902_000, 928_000),
        Region.CHN: (920_000, 925_000),
    }
    assert set(REGION_INDEX_RANGES) == set(band)
    for region, (start, end) in REGION_INDEX_RANGES.items():
        assert STANDARD_CHANNELS.frequency_khz(start) == band[region][0]
        assert STANDARD_CHANNELS.frequency_khz(end) == band[region][1]


def test_user_defined_channels() -> None:
    channels = UserDefinedChannels(start_khz=915_000, spacing_khz=500, count=4)
    assert [channels.frequency_khz(i) for i in range(5)] == [
        915_000,
        915_500,
        916_000,
        916_500,
        None,
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start_khz": 1 << 24, "spacing_khz": 500, "count": 1}, "24 bits"),
        ({"start_khz": 915_000, "spacing_khz": 505, "count": 1}, "10 kHz steps"),
        ({"start_khz": 915_000, "spacing_khz": 2560, "count": 1}, "10 kHz steps"),
        ({"start_khz": 915_000, "spacing_khz": 500, "count": 0}, "1..255"),
    ],
)
def test_user_defined_channels_refuse_what_the_frame_cannot_carry(
    kwargs: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        UserDefinedChannels(**kwargs)
