"""Hypothesis strategies for R2000 frame values (every typed class, valid field ranges)."""

from __future__ import annotations

from hypothesis import strategies as st

from foodtrace.reader.gen2 import pc_for_epc
from foodtrace.reader.r2000 import (
    AntennaMissing,
    CommandCode,
    CustomizedSessionInventory,
    ErrorCode,
    FastSwitchAntennaInventory,
    FastSwitchRoundEnd,
    FirmwareVersion,
    Frame,
    FrequencyRegion,
    GetFirmwareVersion,
    GetFrequencyRegion,
    GetOutputPower,
    GetReaderTemperature,
    GetWorkAntenna,
    InventoryRoundEnd,
    InventoryTag,
    Layout,
    OutputPower,
    RealTimeInventory,
    Region,
    Reset,
    SetFrequencyRegion,
    SetOutputPower,
    SetReaderAddress,
    SetUartBaudrate,
    SetUserFrequencyRegion,
    SetWorkAntenna,
    StatusResponse,
    UserDefinedChannels,
    UserFrequencyRegion,
    WorkAntenna,
)
from foodtrace.reader.r2000.channels import REGION_INDEX_RANGES

byte = st.integers(0, 0xFF)
address = st.integers(0, 0xFF)
antenna = st.integers(1, 8)
powers = st.sampled_from([1, 4, 8]).flatmap(lambda n: st.tuples(*[st.integers(0, 33)] * n))
epcs = st.integers(0, 31).flatmap(lambda words: st.binary(min_size=2 * words, max_size=2 * words))
user_channels = st.builds(
    UserDefinedChannels,
    start_khz=st.integers(0, 0xFFFFFF),
    spacing_khz=st.integers(0, 255).map(lambda n: 10 * n),
    count=st.integers(1, 255),
)


@st.composite
def standard_regions(draw: st.DrawFn) -> tuple[Region, int, int]:
    region = draw(st.sampled_from(sorted(REGION_INDEX_RANGES)))
    low, high = REGION_INDEX_RANGES[region]
    start = draw(st.integers(low, high))
    return region, start, draw(st.integers(start, high))


@st.composite
def inventory_tags(draw: st.DrawFn) -> InventoryTag:
    epc = draw(epcs)
    return InventoryTag(
        epc,
        pc_for_epc(len(epc), low_bits=draw(st.integers(0, 0x7FF))),
        draw(antenna),
        draw(st.integers(0, 63)),
        draw(st.integers(0, 0x7F)),
        draw(st.none() | st.integers(0, 0xFFFF)),
        command=draw(st.sampled_from([0x89, 0x8A, 0x8B])),
        address=draw(address),
    )


slot = st.none() | st.integers(1, 4)
commands = st.one_of(
    st.builds(Reset, address=address),
    st.builds(GetFirmwareVersion, address=address),
    st.builds(GetWorkAntenna, address=address),
    st.builds(GetOutputPower, address=address),
    st.builds(GetFrequencyRegion, address=address),
    st.builds(GetReaderTemperature, address=address),
    st.builds(SetUartBaudrate, st.sampled_from([9600, 19200, 38400, 115200]), address=address),
    st.builds(SetReaderAddress, st.integers(0, 0xFE), address=address),
    st.builds(SetWorkAntenna, antenna, address=address),
    st.builds(SetOutputPower, powers, address=address),
    standard_regions().flatmap(
        lambda r: st.builds(
            SetFrequencyRegion, st.just(r[0]), st.just(r[1]), st.just(r[2]), address=address
        )
    ),
    st.builds(SetUserFrequencyRegion, user_channels, address=address),
    st.builds(RealTimeInventory, byte, address=address),
    st.builds(FastSwitchAntennaInventory, st.tuples(slot, slot, slot, slot), byte, address=address),
    st.builds(
        FastSwitchAntennaInventory,
        st.tuples(slot, slot, slot, slot),
        byte,
        loops=st.tuples(byte, byte, byte, byte),
        interval_ms=byte,
        address=address,
    ),
    st.builds(
        CustomizedSessionInventory,
        st.integers(0, 3),
        st.integers(0, 1),
        byte,
        address=address,
    ),
)

_status_commands = sorted(
    set(CommandCode) - {0x63, 0x6A, 0x77, 0x7D, 0x7E, 0x8E, 0x95, 0x75, 0x72, 0x79}
)
responses = st.one_of(
    st.builds(
        StatusResponse,
        st.sampled_from(_status_commands),
        st.sampled_from(sorted(ErrorCode)),
        address=address,
    ),
    st.builds(FirmwareVersion, byte, byte, address=address),
    st.builds(WorkAntenna, antenna, address=address),
    st.builds(OutputPower, powers, address=address),
    standard_regions().flatmap(
        lambda r: st.builds(
            FrequencyRegion, st.just(r[0]), st.just(r[1]), st.just(r[2]), address=address
        )
    ),
    st.builds(UserFrequencyRegion, user_channels, address=address),
    inventory_tags(),
    st.builds(
        InventoryRoundEnd,
        antenna,
        st.integers(0, 0xFFFFFFFF),
        st.none() | st.integers(0, 0xFFFF),
        command=st.sampled_from([0x89, 0x8B]),
        address=address,
    ),
    st.builds(
        FastSwitchRoundEnd,
        st.integers(0, 0xFFFFFF),
        st.integers(0, 0xFFFFFFFF),
        st.just(Layout.V3),
        address=address,
    ),
    # V2.2 totals from 0x080000 up can read as a tag record (see test_responses.py).
    st.builds(
        FastSwitchRoundEnd,
        st.integers(0, 0x07FFFF),
        st.integers(0, 0xFFFFFFFF),
        st.just(Layout.V2_2),
        address=address,
    ),
    st.builds(AntennaMissing, antenna, address=address),
)

generic_frames = st.builds(Frame, byte, st.binary(max_size=40), address=address)
