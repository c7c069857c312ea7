"""The ThingMagic Mercury session: handshake, continuous read, keep-alive watchdog.

Handshake: stop a continuous read a previous run may have left going (and drain its tail), get
the version (0x03), set the region (0x97), tag protocol Gen2 (0x93), read power (0x92,
centi-dBm) and the antenna search list (0x91 option 2, monostatic ports). Then start the
continuous read (0x2F option 1) with the metadata URA and the SparkFun library ask for. The
module streams tag records and a keep-alive about once a second; a silent line for
:data:`LOST_AFTER_S` means the reader is gone.

Sensor tags: a tag record whose embedded-read DATA field holds exactly two bytes carries a
temperature as a signed 16-bit value in centi-degrees Celsius (the simulator's sensor format,
``docs/firmware-sim.md``).
"""

from __future__ import annotations

import time
from typing import Any, Final

import structlog

from edge_agent.config import ReaderSettings
from edge_agent.exceptions import ReaderError
from edge_agent.reader_link import Link
from edge_agent.reader_session import SessionRead
from foodtrace.reader.mercury import (
    DEFAULT_CONTINUOUS_READ,
    ContinuousReadStarted,
    ContinuousReadStopped,
    GetVersion,
    KeepAlive,
    MercuryCodec,
    Opcode,
    Region,
    SetAntennaSearchList,
    SetReadTxPower,
    SetRegion,
    SetTagProtocol,
    StartContinuousRead,
    Status,
    StatusResponse,
    StopContinuousRead,
    TagRecord,
    VersionInfo,
    status_name,
)

__all__ = ["LOST_AFTER_S", "REGIONS", "MercurySession"]

log = structlog.get_logger("edge_agent.reader")

#: ``reader.region`` → Mercury region code.
REGIONS: Final[dict[str, Region]] = {
    "etsi": Region.EU3,
    "fcc": Region.NA,
    "china": Region.PRC,
    "japan": Region.JP,
    "korea": Region.KR2,
    "india": Region.IN,
    "australia": Region.AU,
    "open": Region.OPEN,
}
LOST_AFTER_S: Final = 3.5
_STOP_WAIT_S: Final = 1.5


class MercurySession:
    """One Mercury module (see the module docstring)."""

    def __init__(self, settings: ReaderSettings) -> None:
        self.settings = settings
        self.codec = MercuryCodec()
        self._warned: set[int] = set()

    def handshake(self, link: Link) -> dict[str, str]:
        link.send(StopContinuousRead().encode())
        link.drain(quiet_s=0.1, limit_s=_STOP_WAIT_S)
        version = link.transact(
            GetVersion().encode(),
            lambda f: getattr(f, "opcode", None) == Opcode.VERSION,
            what="get version",
        )
        self._expect_ok(link, SetRegion(REGIONS[self.settings.region]).encode(), "set region")
        self._expect_ok(link, SetTagProtocol().encode(), "set tag protocol")
        centi = round(self.settings.power_dbm * 100)
        self._expect_ok(link, SetReadTxPower(centi).encode(), "set read power")
        ports = tuple((a, a) for a in self.settings.antennas)
        self._expect_ok(link, SetAntennaSearchList(ports).encode(), "set antenna search list")
        firmware = "unknown"
        if isinstance(version, VersionInfo):
            firmware = ".".join(f"{b:02X}" for b in version.firmware_version)
        return {"firmware": firmware, "mode": "continuous read"}

    @staticmethod
    def _expect_ok(link: Link, command: bytes, what: str) -> None:
        opcode = command[2]
        reply = link.transact(
            command,
            lambda f: isinstance(f, StatusResponse) and f.opcode == opcode,
            what=what,
        )
        if not reply.ok:
            raise ReaderError(f"the reader refused {what}: {status_name(reply.status)}")

    def start(self, link: Link) -> None:
        reply = link.transact(
            StartContinuousRead(DEFAULT_CONTINUOUS_READ).encode(),
            lambda f: (
                isinstance(f, ContinuousReadStarted)
                or (isinstance(f, StatusResponse) and f.opcode == Opcode.MULTI_PROTOCOL_TAG_OP)
            ),
            what="start continuous read",
        )
        if not reply.ok:
            raise ReaderError(f"continuous read refused: {status_name(reply.status)}")

    def reads(self, frame: Any) -> list[SessionRead]:
        if not isinstance(frame, TagRecord):
            return []
        tag = frame.tag
        data = tag.data
        temperature = (
            int.from_bytes(data, "big", signed=True) / 100
            if data is not None and len(data) == 2
            else None
        )
        return [(tag.tag_read(), temperature)]

    def on_frame(self, frame: Any, link: Link) -> None:  # noqa: ARG002
        status = frame.status if isinstance(frame, KeepAlive) else 0
        if status not in (0, Status.NO_TAGS_FOUND) and status not in self._warned:
            self._warned.add(status)
            log.warning("reader reports a problem", status=status_name(status))

    def idle(self, link: Link, quiet_s: float) -> None:  # noqa: ARG002
        if quiet_s > LOST_AFTER_S:
            raise ReaderError(f"no keep-alive from the reader for {quiet_s:.1f} s")

    def stop(self, link: Link) -> None:
        link.send(StopContinuousRead().encode())
        end_frames = (ContinuousReadStopped,)

        deadline = time.monotonic() + _STOP_WAIT_S
        while time.monotonic() < deadline:
            if any(isinstance(f, end_frames) for f in link.read_frames(0.05)):
                return
