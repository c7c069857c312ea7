"""ThingMagic Mercury firmware: answers commands as the M6e Nano in the captured URA logs does.

* Replies copied from the captured connect sequence: version, region, read TX power (current
  27.00 dBm, limits 27.00/0.00), and — byte for byte — the replies to the configuration queries
  the library does not model (:data:`CANNED`). Set commands (region, power, protocol, antenna,
  baud rate, reader/protocol parameters) are acknowledged with an empty status-0 reply; a read
  power above the maximum gets 0x0103 (msg_power_too_high); unknown opcodes 0x0101.
* Continuous read (multi-protocol tag op, option 1): ``FF 04 2F 00 00 01 22 00 00`` then, for
  each search of the embedded read's timeout (1 s in the logs) on one hop frequency, a streamed
  tag record per read (the metadata the command asked for; timestamp = ms since the search
  started), and at each search end a keep-alive ``FF 00 22 04 00`` (status 0x0400). Stop: the
  module ends the search in progress (here within :data:`STOP_LATENCY_S`), sends the keep-alive
  and ``FF 01 2F 00 00 02``.
* Read Tag ID Multiple (synchronous) fills the tag buffer; Get Tag Buffer / Clear Tag Buffer.
* Sensor tags: the module's embedded-read DATA field carries the temperature as a signed 16-bit
  centi-degree value (a simplified sensor format, see ``docs/firmware-sim.md``).
"""

from __future__ import annotations

from typing import Final

from firmware_sim.air import Air, Reply
from firmware_sim.output import OutputQueue
from firmware_sim.scenario import TagSpec
from foodtrace.reader.mercury import (
    ClearTagBuffer,
    CommandFrame,
    ContinuousReadStarted,
    ContinuousReadStopped,
    GetReadTxPower,
    GetRegion,
    GetTagBuffer,
    GetVersion,
    KeepAlive,
    Message,
    ReadTagIdMultiple,
    ReadTagIdMultipleResult,
    ReadTxPower,
    RegionInfo,
    SetAntennaPort,
    SetAntennaSearchList,
    SetBaudRate,
    SetReadTxPower,
    SetRegion,
    SetTagProtocol,
    StartContinuousRead,
    Status,
    StatusResponse,
    StopContinuousRead,
    TagBuffer,
    TagData,
    TagRecord,
)
from foodtrace.reader.mercury.commands import OPTION_METADATA
from foodtrace.reader.mercury.frame import build_response

__all__ = [
    "CANNED",
    "MAX_POWER_CENTI_DBM",
    "NA2_HOP_TABLE",
    "STOP_LATENCY_S",
    "VERSION_REPLY",
    "MercuryFirmware",
    "hop_table",
]

#: The captured version reply (M6e Nano: bootloader 14.12.08.00, hardware 30.00.00.02,
#: firmware 01.03.01.47 of 2015-03-10, Gen2 only).
VERSION_REPLY: Final = bytes.fromhex("FF140300001412080030000002201503100103014700000010EBFF")
MAX_POWER_CENTI_DBM: Final = 2700
STOP_LATENCY_S: Final = 0.05
_MAX_LAG_S: Final = 0.25
_GPIO_IDLE: Final = 0x0F  # the GPIO byte of every logged record (inputs pulled up)

#: Command frame (hex) → reply frame (hex), copied from the captured connect/region logs, for
#: configuration queries the library leaves to the generic frames.
CANNED: Final[dict[str, str]] = {
    "FF000C1D03": "FF010C0000526303",  # get current program: application
    "FF00681D67": "FF0168000000A4BF",  # get power mode
    "FF026A010E2E40": "FF036A0000010E003044",  # reader optional parameter 0x010E
    "FF026A01122E5C": "FF046A00000112000069AF",  # product group id: bare module
    "FF016105BDB8": "FF0361000005010061DF",  # antenna port for Gen2
    "FF026A010C2E42": "FF036A0000010C013245",  # enable read filter
    "FF026A010D2E43": "FF066A0000010D000000001543",  # read filter timeout
    "FF00631D6C": "FF0263000000052146",  # get tag protocol: Gen2
    "FF00711D7E": "FF097100000D04050608090B0CFFA4C7",  # available regions
    "FF026B05103A7F": "FF036B00000510001874",
    "FF026B05113A7E": "FF036B00000511001974",
    "FF026B05023A6D": "FF036B00000502020A76",
    "FF026B05003A6F": "FF036B00000500000874",
    "FF026B05013A6E": "FF046B0000050101002C68",
    "FF026B05123A7D": "FF036B00000512001A74",
    "FF026A01042E4A": "FF036A00000104003A44",
    "FF00701D7F": "FF0270000000053B75",  # available protocols: Gen2
    "FF02100000F093": (  # hardware version
        "FF37100000007F01024149020200300402E0DF08020001100B3430302D303036372D3031200230424012"
        "313731353030363737303130333733313437A2D8"
    ),
}
_ACKNOWLEDGED: Final = frozenset({0x9A, 0x9B})  # set reader / protocol parameter
_GET_HOP_TABLE: Final = 0x65

#: The NA2 (region 0x0D) hop table the logged module reported (kHz, in hop order).
NA2_HOP_TABLE: Final = (
    926000, 919600, 924800, 922600, 921600, 925200, 918400, 919200, 923600, 921800,
    923200, 920200, 919400, 921200, 926600, 926800, 920800, 924400, 923800, 921000,
    924600, 922000, 917800, 922800, 919000, 917400, 926400, 924000, 919800, 926200,
    925000, 918600, 918800, 923000, 918200, 927000, 925400, 922200, 922400, 917600,
    920400, 925800, 920600, 924200, 918000, 927200, 920000, 921400, 923400, 925600,
)  # fmt: skip
_EU_HOP_TABLE: Final = (865_700, 866_300, 866_900, 867_500)
_NA_HOP_TABLE: Final = tuple(range(902_750, 927_751, 500))


def hop_table(region: int) -> tuple[int, ...]:
    """The channels (kHz, hop order) the module uses in ``region``."""
    if region == 0x0D:
        return NA2_HOP_TABLE
    if region in (2, 7, 8, 30):  # EU, EU2, EU3, EU4
        return _EU_HOP_TABLE
    return _NA_HOP_TABLE


class MercuryFirmware:
    """The state machine of one Mercury module (see the module docstring)."""

    def __init__(self, air: Air, out: OutputQueue, *, baudrate: int = 115200) -> None:
        self.air = air
        self.out = out
        self.baudrate = self.initial_baudrate = baudrate
        self._canned = {bytes.fromhex(k): bytes.fromhex(v) for k, v in CANNED.items()}
        self.power_cycle()

    def power_cycle(self) -> None:
        self.out.clear()
        self.out.last_due = 0.0
        self.baudrate = self.initial_baudrate  # the M6e does not keep a baud rate change
        self.region = 0
        self.power = MAX_POWER_CENTI_DBM
        self.ports: tuple[int, ...] = (1,)
        self.buffer: list[TagData] = []
        self.reading: StartContinuousRead | None = None
        self.stopping_at: float | None = None
        self._search_start = 0.0
        self._search_end = 0.0
        self.next_read = 0.0
        self._rr = 0
        self._field_key: tuple[tuple[int, ...], int] | None = None
        self._field: list[TagSpec] = []
        self._hop = 0
        self._freq = 0

    def running(self, now: float) -> bool:  # noqa: ARG002 (same signature as R2000Firmware)
        return self.reading is not None

    # -- commands ----------------------------------------------------------------------------

    def receive(self, message: Message, now: float) -> None:
        canned = self._canned.get(message.encode())
        if canned is not None:
            self.out.push(now, canned)
            return
        reply = self._reply_to(message, now)
        if reply is not None:
            self.out.push(now, reply)

    def _ok(self, opcode: int, status: int = Status.SUCCESS) -> bytes:
        return StatusResponse(opcode, status=status).encode()

    def _reply_to(self, message: Message, now: float) -> bytes | None:
        if isinstance(message, GetVersion):
            return VERSION_REPLY
        if isinstance(message, SetBaudRate):
            self.baudrate = message.baud_rate
            return self._ok(message.opcode)
        if isinstance(message, SetRegion):
            self.region = message.region
            return self._ok(message.opcode)
        if isinstance(message, GetRegion):
            return RegionInfo(self.region).encode()
        if isinstance(message, GetReadTxPower):
            if message.with_limits:
                return ReadTxPower(self.power, MAX_POWER_CENTI_DBM, 0).encode()
            return ReadTxPower(self.power).encode()
        if isinstance(message, SetReadTxPower):
            if message.centi_dbm > MAX_POWER_CENTI_DBM:
                return self._ok(message.opcode, Status.MSG_POWER_TOO_HIGH)
            self.power = message.centi_dbm
            return self._ok(message.opcode)
        if isinstance(message, SetTagProtocol):
            return self._ok(message.opcode)
        if isinstance(message, SetAntennaPort):
            self.ports = (message.tx_port,)
            return self._ok(message.opcode)
        if isinstance(message, SetAntennaSearchList):
            self.ports = tuple(tx for tx, _ in message.ports)
            return self._ok(message.opcode)
        if isinstance(message, StartContinuousRead):
            self._start(message, now)
            return ContinuousReadStarted(search_flags=0).encode()
        if isinstance(message, StopContinuousRead):
            if self.reading is None:
                return ContinuousReadStopped().encode()
            self.stopping_at = min(self._search_end, now + STOP_LATENCY_S)
            return None
        if isinstance(message, ReadTagIdMultiple):
            return self._read_multiple(message, now)
        if isinstance(message, GetTagBuffer):
            tags = tuple(self._with_flags(t, message.metadata_flags) for t in self.buffer[:10])
            del self.buffer[:10]
            return TagBuffer(tags, message.metadata_flags, message.read_option).encode()
        if isinstance(message, ClearTagBuffer):
            self.buffer.clear()
            return self._ok(message.opcode)
        if isinstance(message, CommandFrame) and message.opcode in _ACKNOWLEDGED:
            return self._ok(message.opcode)
        if isinstance(message, CommandFrame) and message.opcode == _GET_HOP_TABLE:
            table = b"".join(f.to_bytes(4, "big") for f in hop_table(self.region))
            return build_response(_GET_HOP_TABLE, Status.SUCCESS, table)
        return build_response(message.opcode, Status.INVALID_OPCODE)

    # -- tag records -------------------------------------------------------------------------

    def _tag_data(self, reply: Reply, timestamp_ms: int, flags: int) -> TagData:
        tag = reply.tag
        data = b""
        if tag.temperature_c is not None:
            data = round(tag.temperature_c * 100).to_bytes(2, "big", signed=True)
        full = TagData.gen2(
            tag.epc,
            rssi_dbm=reply.rssi_dbm,
            antenna=reply.antenna,
            frequency_khz=self._freq,
            timestamp_ms=timestamp_ms,
            phase=0,  # the logged M6e Nano reports phase 0
            read_count=1,
            data=data,
            gpio=_GPIO_IDLE,
        )
        return self._with_flags(full, flags)

    @staticmethod
    def _with_flags(tag: TagData, flags: int) -> TagData:
        """``tag`` with only the metadata fields ``flags`` asks for. Without the PROTOCOL field
        the PC is not split off: the EPC field then holds PC + EPC, as the module sends it."""
        if flags == tag.metadata_flags:
            return tag
        gen2 = bool(flags & 0x040)
        pc = tag.pc if tag.pc is not None else 0
        return TagData(
            tag.epc if gen2 else pc.to_bytes(2, "big") + tag.epc,
            tag.tag_crc,
            tag.pc if gen2 else None,
            read_count=tag.read_count if flags & 0x001 else None,
            rssi_dbm=tag.rssi_dbm if flags & 0x002 else None,
            antenna_id=tag.antenna_id if flags & 0x004 else None,
            frequency_khz=tag.frequency_khz if flags & 0x008 else None,
            timestamp_ms=tag.timestamp_ms if flags & 0x010 else None,
            phase=tag.phase if flags & 0x020 else None,
            protocol=tag.protocol if gen2 else None,
            data=tag.data if flags & 0x080 else None,
            gpio=tag.gpio if flags & 0x100 else None,
        )

    def _read_multiple(self, message: ReadTagIdMultiple, now: float) -> bytes:
        t = now + message.timeout_ms / 1000
        found: dict[bytes, TagData] = {}
        for antenna in self.ports:
            for tag in self.air.in_field(antenna, now):
                reply = self.air.reply(tag)
                if reply is not None and tag.epc not in found:
                    found[tag.epc] = self._tag_data(reply, 0, 0x01FF)
        self.buffer.extend(found.values())
        self.out.last_due = max(self.out.last_due, t)
        if not found:
            return KeepAlive(status=Status.NO_TAGS_FOUND).encode()
        option = message.option & ~OPTION_METADATA
        return ReadTagIdMultipleResult(len(found), message.search_flags, option).encode()

    # -- continuous read ---------------------------------------------------------------------

    def _in_field(self, t: float) -> list[TagSpec]:
        """The tags on the searched antennas at ``t``, re-evaluated every millisecond."""
        key = (self.ports, int(t * 1000))
        if key != self._field_key:
            self._field_key = key
            self._field = [tag for a in self.ports for tag in self.air.in_field(a, t)]
        return self._field

    def _start(self, message: StartContinuousRead, now: float) -> None:
        self.reading = message
        self.stopping_at = None
        self._new_search(now)
        self.next_read = now + 1.0 / self.air.scenario.read_rate

    def _new_search(self, t: float) -> None:
        assert self.reading is not None
        table = hop_table(self.region)
        self._hop = (self._hop + 1) % len(table)
        self._freq = table[self._hop]
        self._search_start = t
        self._search_end = t + max(self.reading.read.timeout_ms, 1) / 1000

    def advance(self, now: float, limit: int) -> None:
        """Queue the records of a continuous read up to ``now`` (at most ``limit`` frames)."""
        reading = self.reading
        if reading is None:
            return
        read = reading.read
        flags = read.metadata_flags if read.metadata_flags is not None else 0x01FF
        step = 1.0 / self.air.scenario.read_rate
        if now - self.next_read > _MAX_LAG_S:  # the line is slower than the air: reads lost
            self.next_read = now - _MAX_LAG_S
            self._search_end = max(self._search_end, self.next_read)
        made = 0
        while made < limit and self.reading is not None:
            end = self._search_end
            if self.stopping_at is not None:
                end = min(end, self.stopping_at)
            if self.next_read >= end:
                if end > now:
                    return
                self.out.push(end, KeepAlive(status=Status.NO_TAGS_FOUND).encode())
                made += 1
                if self.stopping_at is not None and end >= self.stopping_at:
                    self.out.push(end, ContinuousReadStopped().encode())
                    self.reading = None
                    self.stopping_at = None
                    return
                self._new_search(end)
                continue
            t = self.next_read
            if t > now:
                return
            tags = self._in_field(t)
            if not tags:  # nobody answers: skip ahead to now (or the search end)
                self.next_read = max(t + step, min(end, now))
                continue
            self.next_read = t + step
            self._rr = (self._rr + 1) % len(tags)
            reply = self.air.reply(tags[self._rr])
            if reply is None:
                continue
            stamp = round((t - self._search_start) * 1000)
            record = TagRecord(self._tag_data(reply, stamp, flags), read.search_flags, read.option)
            self.out.push(t, record.encode(), tag=True)
            made += 1
