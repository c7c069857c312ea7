"""The R2000 "0xA0" session: handshake, then real-time inventory rounds, repeated.

Handshake (public address 0xFF): get firmware version (0x72), set the frequency region (0x78)
for ``reader.region``, set the output power (0x76, whole dBm), and with one antenna set the work
antenna (0x74). Inventory: one antenna → real-time inventory 0x89 on it; up to four antennas
1-4 → fast-switch inventory 0x8A over them; otherwise 0x89 with the work antenna switched after
every round. There is no "inventory forever" in this protocol: the next round is requested as
soon as the round-end frame (or an error status) arrives, and again if the line stays quiet.

The standard regions are FCC, ETSI and CHN channel tables; the other regulatory regions are
mapped onto the sub-range of those channels that lies in their band (:data:`REGIONS`).
"""

from __future__ import annotations

import time
from typing import Any, Final

import structlog

from edge_agent.config import ReaderSettings
from edge_agent.exceptions import ReaderError
from edge_agent.reader_link import Link
from edge_agent.reader_session import SessionRead
from foodtrace.reader.r2000 import (
    AntennaMissing,
    CommandCode,
    FastSwitchAntennaInventory,
    FastSwitchRoundEnd,
    FirmwareVersion,
    GetFirmwareVersion,
    InventoryRoundEnd,
    InventoryTag,
    R2000Codec,
    RealTimeInventory,
    Region,
    SetFrequencyRegion,
    SetOutputPower,
    SetWorkAntenna,
    StatusResponse,
    error_name,
)

__all__ = ["REGIONS", "R2000Session"]

log = structlog.get_logger("edge_agent.reader")

#: ``reader.region`` → (standard region, first channel index, last channel index).
REGIONS: Final[dict[str, tuple[Region, int, int]]] = {
    "etsi": (Region.ETSI, 0, 6),  # 865.0-868.0 MHz
    "india": (Region.ETSI, 0, 4),  # 865.0-867.0 MHz
    "fcc": (Region.FCC, 7, 59),  # 902.0-928.0 MHz
    "open": (Region.FCC, 7, 59),
    "australia": (Region.FCC, 43, 55),  # 920.0-926.0 MHz
    "korea": (Region.FCC, 37, 44),  # 917.0-920.5 MHz
    "japan": (Region.FCC, 37, 44),  # 916.8-920.8 MHz band: 917.0-920.5 MHz channels
    "china": (Region.CHN, 43, 53),  # 920.0-925.0 MHz
}
_INVENTORY_CODES: Final = frozenset(
    {CommandCode.REAL_TIME_INVENTORY, CommandCode.FAST_SWITCH_ANT_INVENTORY}
)
_NUDGE_AFTER_S: Final = 1.0
_LOST_AFTER_S: Final = 4.0


class R2000Session:
    """One R2000 reader (see the module docstring)."""

    def __init__(self, settings: ReaderSettings) -> None:
        self.settings = settings
        self.codec = R2000Codec()
        antennas = settings.antennas
        self.fast_switch = len(antennas) > 1 and max(antennas) <= 4
        self._rotation = list(antennas)
        self._next = 0
        self._last_request = 0.0
        self._missing_logged: set[int] = set()
        self._failures_logged: set[int] = set()

    def handshake(self, link: Link) -> dict[str, str]:
        version = link.transact(
            GetFirmwareVersion().encode(),
            lambda f: (
                isinstance(f, FirmwareVersion)
                or (isinstance(f, StatusResponse) and f.command == CommandCode.GET_FIRMWARE_VERSION)
            ),
            what="get firmware version",
        )
        region, start, end = REGIONS[self.settings.region]
        self._expect_ok(link, SetFrequencyRegion(region, start, end).encode(), "set region")
        power = round(self.settings.power_dbm)
        self._expect_ok(link, SetOutputPower((power,)).encode(), "set output power")
        if not self.fast_switch:
            self._set_antenna(link, self._rotation[0])
        firmware = version.version if isinstance(version, FirmwareVersion) else "unknown"
        return {"firmware": firmware, "mode": "0x8A" if self.fast_switch else "0x89"}

    def _set_antenna(self, link: Link, antenna: int) -> None:
        self._expect_ok(link, SetWorkAntenna(antenna).encode(), f"set work antenna {antenna}")

    @staticmethod
    def _expect_ok(link: Link, command: bytes, what: str) -> None:
        code = command[3]
        reply = link.transact(
            command,
            lambda f: isinstance(f, StatusResponse) and f.command == code,
            what=what,
        )
        if not reply.ok:
            raise ReaderError(f"the reader refused {what}: status {reply.code:#04x}")

    def _request(self, link: Link) -> None:

        self._last_request = time.monotonic()
        if self.fast_switch:
            slots = [*self.settings.antennas, None, None, None][:4]
            command = FastSwitchAntennaInventory((slots[0], slots[1], slots[2], slots[3]))
            link.send(command.encode())
            return
        if len(self._rotation) > 1:
            self._next = (self._next + 1) % len(self._rotation)
            link.send(SetWorkAntenna(self._rotation[self._next]).encode())
        link.send(RealTimeInventory(repeat=1).encode())

    def start(self, link: Link) -> None:
        self._request(link)

    def reads(self, frame: Any) -> list[SessionRead]:
        if isinstance(frame, InventoryTag):
            return [(frame.tag_read(self.codec.channels), None)]
        return []

    def on_frame(self, frame: Any, link: Link) -> None:
        if isinstance(frame, InventoryRoundEnd | FastSwitchRoundEnd):
            self._request(link)
        elif isinstance(frame, StatusResponse) and frame.command in _INVENTORY_CODES:
            if frame.code not in self._failures_logged:  # once per code, not per round
                self._failures_logged.add(frame.code)
                log.warning("inventory round failed", code=error_name(frame.code))
            # no immediate retry: ``idle`` asks again after _NUDGE_AFTER_S
        elif isinstance(frame, AntennaMissing) and frame.antenna not in self._missing_logged:
            self._missing_logged.add(frame.antenna)
            log.warning("antenna not connected", antenna=frame.antenna)

    def idle(self, link: Link, quiet_s: float) -> None:
        if quiet_s > _LOST_AFTER_S:
            raise ReaderError(f"the reader has been silent for {quiet_s:.1f} s")
        if time.monotonic() - self._last_request > _NUDGE_AFTER_S:
            self._request(link)

    def stop(self, link: Link) -> None:
        """Nothing to stop: the last round ends by itself."""
