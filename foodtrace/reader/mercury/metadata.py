"""Mercury tag-record metadata: which fields a tag record carries, and the record itself.

A tag record (in a streamed 0x22 reply or a 0x29 tag-buffer reply) is the metadata fields the
metadata flags select, in this order, then the tag (Mercury API
``TMR_SR_parseMetadataFromMessage``):

=========  ======  ===========  ==========================================================
flag       value   bytes        field
=========  ======  ===========  ==========================================================
READCOUNT  0x0001  1            times seen before this report
RSSI       0x0002  1            signed dBm
ANTENNAID  0x0004  1            TX port (high nibble) and RX port (low nibble)
FREQUENCY  0x0008  3            carrier frequency, kHz
TIMESTAMP  0x0010  4            ms since the read command started
PHASE      0x0020  2            RF phase, degrees
PROTOCOL   0x0040  1            tag protocol (0x05 = Gen2)
DATA       0x0080  2 + n        embedded-read data: length in bits, then the bytes
GPIO       0x0100  1            GPIO input levels, bit 0 = GPIO 1
–          –       2            tag length in bits: PC [+ XPC] + EPC + tag CRC
–          –       2 (Gen2)     PC word; XPC_W1 (2) follows when PC bit 9 (XI) is set,
                                XPC_W2 (2) when XPC_W1 bit 15 is set
–          –       n            EPC
–          –       2            the tag's CRC-16 (CRC-16/GENIBUS over PC+EPC as stored)
=========  ======  ===========  ==========================================================

The PC is split off only for Gen2 tags, i.e. when the PROTOCOL field is present and 0x05
(otherwise the EPC field holds everything between the length and the CRC), as the vendor API
does.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag
from typing import Any, Final

from foodtrace.exceptions import FrameError
from foodtrace.reader.gen2 import pc_for_epc, tag_crc16
from foodtrace.reader.mercury.codes import TagProtocol
from foodtrace.reader.records import TagRead
from foodtrace.reader.stream import BytesLike

__all__ = ["ALL_METADATA", "MetadataFlag", "TagData", "parse_tag"]


class MetadataFlag(IntFlag):
    """Metadata fields requested from and reported by the module (``TMR_TRD_METADATA_FLAG``)."""

    NONE = 0x0000
    READCOUNT = 0x0001
    RSSI = 0x0002
    ANTENNAID = 0x0004
    FREQUENCY = 0x0008
    TIMESTAMP = 0x0010
    PHASE = 0x0020
    PROTOCOL = 0x0040
    DATA = 0x0080
    GPIO_STATUS = 0x0100


#: Every field this library decodes (0x01FF, what the SparkFun/URA logs request).
ALL_METADATA: Final = 0x01FF

_FIELD_SIZES: Final = ((0x001, 1), (0x002, 1), (0x004, 1), (0x008, 3), (0x010, 4), (0x020, 2),
                       (0x040, 1), (0x080, 2), (0x100, 1))  # fmt: skip
_FIXED_SIZE: Final = tuple(
    sum(size for bit, size in _FIELD_SIZES if flags & bit) for flags in range(ALL_METADATA + 1)
)
_GEN2: Final = TagProtocol.GEN2
_new = object.__new__
_set = object.__setattr__


def _check(name: str, value: int | None, low: int, high: int) -> None:
    if value is not None and not low <= value <= high:
        raise ValueError(f"{name} must be {low}..{high}, got {value}")


@dataclass(frozen=True, slots=True)
class TagData:
    """One tag as a Mercury module reports it. ``None`` fields were not requested; the
    metadata flags of a record are those of its non-``None`` fields (:attr:`metadata_flags`).

    ``antenna_id`` is the raw antenna byte (TX port << 4 | RX port); ``pc`` is set exactly for
    Gen2 tags (``protocol == 0x05``), ``xpc`` holds XPC_W1[/W2] when the PC's XI bit is set.
    """

    epc: bytes
    tag_crc: int
    pc: int | None = None
    xpc: bytes = b""
    read_count: int | None = None
    rssi_dbm: int | None = None
    antenna_id: int | None = None
    frequency_khz: int | None = None
    timestamp_ms: int | None = None
    phase: int | None = None
    protocol: int | None = None
    data: bytes | None = None
    gpio: int | None = None

    def __post_init__(self) -> None:
        _check("tag_crc", self.tag_crc, 0, 0xFFFF)
        _check("read_count", self.read_count, 0, 0xFF)
        _check("rssi_dbm", self.rssi_dbm, -128, 127)
        _check("antenna_id", self.antenna_id, 0, 0xFF)
        _check("frequency_khz", self.frequency_khz, 0, 0xFFFFFF)
        _check("timestamp_ms", self.timestamp_ms, 0, 0xFFFFFFFF)
        _check("phase", self.phase, 0, 0xFFFF)
        _check("protocol", self.protocol, 0, 0xFF)
        _check("gpio", self.gpio, 0, 0xFF)
        _check("pc", self.pc, 0, 0xFFFF)
        if (self.pc is not None) != (self.protocol == _GEN2):
            raise ValueError("pc must be given exactly when protocol is Gen2 (0x05)")
        if self.pc is None:
            if self.xpc:
                raise ValueError("xpc needs a Gen2 PC word")
        else:
            want = 0 if not self.pc & 0x0200 else 4 if self.xpc[:1] >= b"\x80" else 2
            if len(self.xpc) != want:
                raise ValueError(
                    f"PC {self.pc:#06x} and XPC {self.xpc.hex() or '-'} disagree: XI bit and"
                    " XPC_W1 bit 15 decide whether 0, 2 or 4 XPC bytes follow the PC"
                )
        if self.data is not None and len(self.data) > 0x1FFF:
            raise ValueError(f"embedded data too long: {len(self.data)} bytes")
        if len(self.epc) + len(self.xpc) + 4 > 0x1FFF:
            raise ValueError(f"EPC too long: {len(self.epc)} bytes")

    @classmethod
    def gen2(
        cls,
        epc: bytes | str,
        *,
        rssi_dbm: int | None = -60,
        antenna: int | None = 1,
        frequency_khz: int | None = 915_000,
        timestamp_ms: int | None = 0,
        phase: int | None = 0,
        read_count: int | None = 1,
        data: bytes | None = b"",
        gpio: int | None = 0,
        pc_low_bits: int = 0,
    ) -> TagData:
        """A Gen2 tag record with PC and tag CRC computed (``antenna`` = TX and RX port)."""
        raw = bytes.fromhex(epc) if isinstance(epc, str) else epc
        pc = pc_for_epc(len(raw), low_bits=pc_low_bits)
        return cls(
            raw,
            tag_crc16(pc.to_bytes(2, "big") + raw),
            pc,
            read_count=read_count,
            rssi_dbm=rssi_dbm,
            antenna_id=None if antenna is None else antenna << 4 | antenna,
            frequency_khz=frequency_khz,
            timestamp_ms=timestamp_ms,
            phase=phase,
            protocol=_GEN2,
            data=data,
            gpio=gpio,
        )

    @classmethod
    def decode(cls, data: BytesLike, metadata_flags: int) -> TagData:
        """Parse exactly one record (:class:`FrameError` if ``data`` is not one)."""
        data = bytes(data)
        record, end = parse_tag(data, 0, len(data), metadata_flags)
        if end != len(data):
            raise FrameError(f"{len(data) - end} bytes follow the tag record")
        return record

    @property
    def metadata_flags(self) -> int:
        flags = 0
        if self.read_count is not None:
            flags |= 0x001
        if self.rssi_dbm is not None:
            flags |= 0x002
        if self.antenna_id is not None:
            flags |= 0x004
        if self.frequency_khz is not None:
            flags |= 0x008
        if self.timestamp_ms is not None:
            flags |= 0x010
        if self.phase is not None:
            flags |= 0x020
        if self.protocol is not None:
            flags |= 0x040
        if self.data is not None:
            flags |= 0x080
        if self.gpio is not None:
            flags |= 0x100
        return flags

    @property
    def antenna(self) -> int | None:
        """The logical antenna: the TX port (the vendor API's default port map)."""
        return None if self.antenna_id is None else self.antenna_id >> 4

    @property
    def tag_crc_ok(self) -> bool | None:
        """Whether ``tag_crc`` is the CRC-16 of PC+XPC+EPC (``None`` for non-Gen2 records)."""
        if self.pc is None:
            return None
        return tag_crc16(self.pc.to_bytes(2, "big") + self.xpc + self.epc) == self.tag_crc

    def tag_read(self) -> TagRead:
        """The protocol-independent :class:`TagRead` of this record."""
        antenna = self.antenna_id
        return TagRead(
            self.epc.hex().upper(),
            None if antenna is None else antenna >> 4,
            self.rssi_dbm,
            self.pc,
            self.frequency_khz,
            self.phase,
            self.timestamp_ms,
            self.read_count,
        )

    def encode(self) -> bytes:
        """The record's bytes (metadata fields per :attr:`metadata_flags`, then the tag)."""
        out = bytearray()
        if self.read_count is not None:
            out.append(self.read_count)
        if self.rssi_dbm is not None:
            out.append(self.rssi_dbm & 0xFF)
        if self.antenna_id is not None:
            out.append(self.antenna_id)
        if self.frequency_khz is not None:
            out += self.frequency_khz.to_bytes(3, "big")
        if self.timestamp_ms is not None:
            out += self.timestamp_ms.to_bytes(4, "big")
        if self.phase is not None:
            out += self.phase.to_bytes(2, "big")
        if self.protocol is not None:
            out.append(self.protocol)
        if self.data is not None:
            out += (8 * len(self.data)).to_bytes(2, "big") + self.data
        if self.gpio is not None:
            out.append(self.gpio)
        tag = b"" if self.pc is None else self.pc.to_bytes(2, "big") + self.xpc
        tag += self.epc + self.tag_crc.to_bytes(2, "big")
        out += (8 * len(tag)).to_bytes(2, "big") + tag
        return bytes(out)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"epc": self.epc.hex().upper()}
        if self.pc is not None:
            out["pc"] = self.pc
            if self.xpc:
                out["xpc"] = self.xpc.hex().upper()
        out["tag_crc"] = f"0x{self.tag_crc:04X}"
        if self.pc is not None:
            out["tag_crc_ok"] = self.tag_crc_ok
        for name in ("read_count", "rssi_dbm", "antenna_id", "frequency_khz", "timestamp_ms",
                     "phase", "protocol", "gpio"):  # fmt: skip
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.antenna_id is not None:
            out["antenna"] = self.antenna_id >> 4
        if self.data is not None:
            out["data"] = self.data.hex().upper()
        return out


def parse_tag(buf: bytes, pos: int, end: int, flags: int) -> tuple[TagData, int]:
    """Parse one tag record at ``buf[pos:end]`` with metadata ``flags``; return it and the
    position after it. :class:`FrameError` when the bytes do not hold such a record."""
    if flags & ~ALL_METADATA:
        raise FrameError(f"metadata flags {flags:#06x} include fields this library does not read")
    p = pos
    if p + _FIXED_SIZE[flags] + 2 > end:
        raise FrameError(
            f"tag record truncated: metadata {flags:#06x} needs {_FIXED_SIZE[flags] + 2} bytes"
            f" before the tag, {end - p} left"
        )
    read_count = rssi = antenna = frequency = timestamp = phase = protocol = gpio = None
    data = None
    if flags & 0x001:
        read_count = buf[p]
        p += 1
    if flags & 0x002:
        rssi = buf[p]
        if rssi > 0x7F:
            rssi -= 0x100
        p += 1
    if flags & 0x004:
        antenna = buf[p]
        p += 1
    if flags & 0x008:
        frequency = buf[p] << 16 | buf[p + 1] << 8 | buf[p + 2]
        p += 3
    if flags & 0x010:
        timestamp = int.from_bytes(buf[p : p + 4], "big")
        p += 4
    if flags & 0x020:
        phase = buf[p] << 8 | buf[p + 1]
        p += 2
    if flags & 0x040:
        protocol = buf[p]
        p += 1
    if flags & 0x080:
        bits = buf[p] << 8 | buf[p + 1]
        p += 2
        if bits & 7:
            raise FrameError(f"embedded data of {bits} bits is not whole bytes")
        size = bits >> 3
        if p + size + (1 if flags & 0x100 else 0) + 2 > end:
            raise FrameError(f"embedded data of {size} bytes overruns the record")
        data = buf[p : p + size]
        p += size
    if flags & 0x100:
        gpio = buf[p]
        p += 1
    bits = buf[p] << 8 | buf[p + 1]
    p += 2
    size = bits >> 3
    if bits & 7 or size < 2 or p + size > end:
        raise FrameError(
            f"tag length {bits} bits does not fit: need whole bytes incl. a 2-byte CRC,"
            f" {end - p} bytes left"
        )
    stop = p + size - 2
    pc = None
    xpc = b""
    if protocol == _GEN2:
        if p + 2 > stop:
            raise FrameError(f"Gen2 tag of {size} bytes has no room for PC and CRC")
        pc = buf[p] << 8 | buf[p + 1]
        p += 2
        if pc & 0x0200:
            width = 4 if p < stop and buf[p] & 0x80 else 2
            if p + width > stop:
                raise FrameError(f"PC {pc:#06x} announces XPC words the tag record lacks")
            xpc = buf[p : p + width]
            p += width
    # The hot path of a reader stream. Every field is in range by construction (bytes and
    # byte-sized lengths; PC and XPC split as the protocol byte and the XI bit say), so the
    # value is assembled without running __post_init__'s checks again; the round-trip tests
    # hold it to encode() == the bytes.
    record = _new(TagData)
    _set(record, "epc", buf[p:stop])
    _set(record, "tag_crc", buf[stop] << 8 | buf[stop + 1])
    _set(record, "pc", pc)
    _set(record, "xpc", xpc)
    _set(record, "read_count", read_count)
    _set(record, "rssi_dbm", rssi)
    _set(record, "antenna_id", antenna)
    _set(record, "frequency_khz", frequency)
    _set(record, "timestamp_ms", timestamp)
    _set(record, "phase", phase)
    _set(record, "protocol", protocol)
    _set(record, "data", data)
    _set(record, "gpio", gpio)
    return record, stop + 2
