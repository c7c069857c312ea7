"""R2000 "0xA0" firmware: answers commands as an IND903/YR903-class module does.

* ``0x72`` firmware version → ``FirmwareVersion`` (1.9, as the logged IND903); ``0x70`` reset →
  no reply (the module reboots; a running inventory stops); ``0x74``/``0x75`` work antenna;
  ``0x76``/``0x77`` output power; ``0x78``/``0x79`` frequency region; ``0x71`` baud rate (the
  new rate applies after the reply); ``0x7B`` temperature (generic ``A0 05 ad 7B 01 <°C>``).
* ``0x89`` / ``0x8B`` real-time inventory: ``repeat`` rounds (0 and 0xFF: one) on the work
  antenna (status 0x22 antenna_missing_error if it is not connected); one tag record per tag
  answering, spaced at the air rate; then the V3 round end
  (antenna, reads/s, total). An empty round takes :data:`EMPTY_ROUND_S`.
* ``0x8A`` fast-switch inventory over the four slots (``AntennaMissing`` for an antenna that is
  not connected), then the V3 ``FastSwitchRoundEnd`` (total, duration ms).
* Anything else that checks out: ``StatusResponse`` 0x11 (command_fail); bad frames: ignored.

Replies carry the module's own address (commands to it or to the public address 0xFF).
"""

from __future__ import annotations

from typing import Final

from firmware_sim.air import Air, Reply
from firmware_sim.output import OutputQueue
from foodtrace.reader.r2000 import (
    PUBLIC_ADDRESS,
    AntennaMissing,
    CustomizedSessionInventory,
    ErrorCode,
    FastSwitchAntennaInventory,
    FastSwitchRoundEnd,
    FirmwareVersion,
    FrequencyRegion,
    GetFirmwareVersion,
    GetFrequencyRegion,
    GetOutputPower,
    GetReaderTemperature,
    GetWorkAntenna,
    InventoryRoundEnd,
    InventoryTag,
    Message,
    OutputPower,
    RealTimeInventory,
    Region,
    Reset,
    SetFrequencyRegion,
    SetOutputPower,
    SetUartBaudrate,
    SetWorkAntenna,
    StatusResponse,
    WorkAntenna,
)
from foodtrace.reader.r2000.frame import build_frame

__all__ = ["EMPTY_ROUND_S", "FIRMWARE_VERSION", "R2000Firmware"]

FIRMWARE_VERSION: Final = (1, 9)
EMPTY_ROUND_S: Final = 0.02
_TEMPERATURE_C: Final = 35
_FAST_SWITCH: Final = 0x8A


class R2000Firmware:
    """The state machine of one R2000 module (see the module docstring)."""

    def __init__(self, air: Air, out: OutputQueue, *, address: int = 1, baudrate: int = 115200):
        self.air = air
        self.out = out
        self.address = address
        self.baudrate = baudrate
        self.work_antenna = 1
        self.powers: tuple[int, ...] = (30,)
        self.region = (Region.ETSI, 0, 6)
        self.busy_until = 0.0  # end of the inventory being run
        self._hop = 0

    def running(self, now: float) -> bool:
        """Whether an inventory is in progress at ``now``."""
        return now < self.busy_until

    def power_cycle(self) -> None:
        self.out.clear()
        self.out.last_due = 0.0
        self.busy_until = 0.0
        self.work_antenna = 1

    def receive(self, message: Message, now: float) -> None:
        if message.address not in (self.address, PUBLIC_ADDRESS):
            return
        reply = self._reply_to(message, now)
        if reply is not None:
            self.out.push(now, reply)

    def _status(self, message: Message, code: int = ErrorCode.COMMAND_SUCCESS) -> bytes:
        return StatusResponse(message.command, code, address=self.address).encode()

    def _reply_to(self, message: Message, now: float) -> bytes | None:
        a = self.address
        if isinstance(message, GetFirmwareVersion):
            return FirmwareVersion(*FIRMWARE_VERSION, address=a).encode()
        if isinstance(message, Reset):
            self.power_cycle()
            return None
        if isinstance(message, SetWorkAntenna):
            if message.antenna > 4:
                return self._status(message, ErrorCode.PARAMETER_INVALID_ANTENNA_ID_OUT_OF_RANGE)
            self.work_antenna = message.antenna
            return self._status(message)
        if isinstance(message, GetWorkAntenna):
            return WorkAntenna(self.work_antenna, address=a).encode()
        if isinstance(message, SetOutputPower):
            self.powers = message.powers_dbm
            return self._status(message)
        if isinstance(message, GetOutputPower):
            return OutputPower(self.powers, address=a).encode()
        if isinstance(message, SetFrequencyRegion):
            self.region = (message.region, message.start_index, message.end_index)
            return self._status(message)
        if isinstance(message, GetFrequencyRegion):
            return FrequencyRegion(*self.region, address=a).encode()
        if isinstance(message, SetUartBaudrate):
            self.baudrate = message.baud_rate
            return self._status(message)
        if isinstance(message, GetReaderTemperature):
            return build_frame(a, message.command, bytes((0x01, _TEMPERATURE_C)))
        if isinstance(message, RealTimeInventory | CustomizedSessionInventory):
            self._real_time(message.command, message.repeat, now)
            return None
        if isinstance(message, FastSwitchAntennaInventory):
            self._fast_switch(message, now)
            return None
        return self._status(message, ErrorCode.COMMAND_FAIL)

    # -- inventory ---------------------------------------------------------------------------

    def _frequency_index(self) -> int:
        _, start, end = self.region
        self._hop = (self._hop + 7) % (end - start + 1)
        return start + self._hop

    def _record(self, reply: Reply, antenna: int, command: int, freq: int) -> bytes:
        return InventoryTag.from_epc(
            reply.tag.epc,
            antenna=antenna,
            rssi_dbm=reply.rssi_dbm,
            frequency_index=freq,
            command=command,
            address=self.address,
        ).encode()

    def _emit_round(self, antenna: int, command: int, t: float) -> tuple[float, int]:
        """One round on ``antenna`` from ``t``: returns (end time, reads)."""
        step = 1.0 / self.air.scenario.read_rate
        freq = self._frequency_index()
        replies = self.air.round(antenna, t)
        for reply in replies:
            t += step
            self.out.push(t, self._record(reply, antenna, command, freq), tag=True)
        if not replies:
            t += EMPTY_ROUND_S
        return t, len(replies)

    def _real_time(self, command: int, repeat: int, now: float) -> None:
        if self.work_antenna not in self.air.scenario.antennas:
            code = ErrorCode.ANTENNA_MISSING_ERROR
            self.out.push(now, StatusResponse(command, code, address=self.address).encode())
            return
        rounds = 1 if repeat in (0, 0xFF) else repeat
        start = t = max(now, self.out.last_due)
        total = 0
        for _ in range(rounds):
            t, reads = self._emit_round(self.work_antenna, command, t)
            total += reads
        rate = round(total / (t - start)) if t > start else 0
        end = InventoryRoundEnd(
            self.work_antenna, total, min(rate, 0xFFFF), command=command, address=self.address
        )
        self.out.push(t, end.encode())
        self.busy_until = t

    def _fast_switch(self, message: FastSwitchAntennaInventory, now: float) -> None:
        start = t = max(now, self.out.last_due)
        total = 0
        connected = self.air.scenario.antennas
        for _ in range(max(1, message.repeat)):
            for antenna in message.antennas:
                if antenna is None:
                    continue
                if antenna not in connected:
                    self.out.push(t, AntennaMissing(antenna, address=self.address).encode())
                    continue
                t, reads = self._emit_round(antenna, _FAST_SWITCH, t)
                total += reads
        duration = round((t - start) * 1000)
        self.out.push(t, FastSwitchRoundEnd(total, duration, address=self.address).encode())
        self.busy_until = t
