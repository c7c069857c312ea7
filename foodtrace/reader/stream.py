"""A resynchronising stream parser: one engine, per-protocol framing rules.

Serial reads arrive in arbitrary chunks: half a frame, many frames, line noise. ``StreamParser``
buffers the bytes, finds frames and hands each one to the protocol's decoder. The engine is
protocol-neutral; a :class:`Framing` supplies the start byte, the largest possible frame, a
``match`` function (length + checksum), a typed decoder and a generic fallback.

Guarantees:

* ``feed`` never raises on bad bytes and never emits a frame whose checksum/CRC is bad.
* Garbage before a start byte is dropped and counted. A frame that fails its checksum (or has an
  impossible length byte) costs exactly one byte: scanning resumes at the next start byte *after
  the bad frame's start*, so a corrupted length byte cannot swallow the good frames behind it.
* A checksum-valid frame whose command is unknown, or whose layout the typed decoder rejects, is
  still emitted — as the protocol's generic frame — so no bytes are lost.
* The buffer is bounded: after each ``feed`` it holds only an incomplete frame, i.e. fewer than
  ``framing.max_frame_size`` bytes.
* A corrupted length byte that announces a long frame makes the parser wait for that many bytes.
  Call :meth:`StreamParser.flush` when the line goes idle (or at end of input) to give up on the
  incomplete frame: its first byte is dropped and the rest is rescanned.

Every byte fed ends up either in an emitted frame, counted in ``stats.bytes_dropped``, or still
buffered (``stats.buffered``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Generic, Protocol, TypeAlias, TypeVar

from foodtrace.exceptions import UnknownCommandError

__all__ = [
    "BAD_CHECKSUM",
    "BAD_LENGTH",
    "NEED_MORE",
    "BytesLike",
    "Framing",
    "ParserStats",
    "StreamParser",
]

#: What ``feed`` and the decoders accept; decoded values always hold immutable ``bytes``.
BytesLike: TypeAlias = bytes | bytearray | memoryview

#: ``Framing.match`` results other than a frame end (> 0).
NEED_MORE: Final = 0
BAD_LENGTH: Final = -1
BAD_CHECKSUM: Final = -2

M = TypeVar("M")
M_co = TypeVar("M_co", covariant=True)


class Framing(Protocol[M_co]):
    """Framing rules of one protocol (and direction) for :class:`StreamParser`."""

    @property
    def start(self) -> int:
        """The byte every frame starts with."""
        ...

    @property
    def max_frame_size(self) -> int:
        """The longest frame the length byte can announce, in bytes."""
        ...

    def match(self, buf: bytes, i: int, n: int) -> int:
        """Look at a candidate frame starting at ``buf[i]`` (``buf[i] == start``; ``n`` = valid
        bytes in ``buf``). Return the frame's end index (> ``i``) when it is complete and its
        checksum is good, else ``NEED_MORE``, ``BAD_LENGTH`` or ``BAD_CHECKSUM``."""
        ...

    def decode(self, raw: bytes) -> M_co:
        """Typed decode of a matched frame; may raise ``ReaderProtocolError``."""
        ...

    def generic(self, raw: bytes) -> M_co:
        """Generic (untyped) frame for a matched frame; never raises."""
        ...


@dataclass(frozen=True, slots=True)
class ParserStats:
    """Counters of a :class:`StreamParser` (a snapshot).

    ``frames`` counts emitted frames, including ``unknown_frames`` (checksum-valid, command not
    known: emitted generic) and ``malformed_frames`` (checksum-valid, known command, layout not
    decodable: emitted generic). ``checksum_errors`` and ``length_errors`` count rejected
    candidate frames; each one also adds one byte to ``bytes_dropped``. ``buffered`` is the number
    of bytes waiting for the rest of a frame.
    """

    frames: int = 0
    bytes_in: int = 0
    bytes_dropped: int = 0
    checksum_errors: int = 0
    length_errors: int = 0
    unknown_frames: int = 0
    malformed_frames: int = 0
    buffered: int = 0


class StreamParser(Generic[M]):
    """Split a byte stream into frames: ``feed(chunk) -> list[frame]`` (see module docstring)."""

    __slots__ = (
        "_base",
        "_buf",
        "_bytes_in",
        "_checksum_errors",
        "_dropped",
        "_frames",
        "_framing",
        "_length_errors",
        "_malformed",
        "_unknown",
    )

    def __init__(self, framing: Framing[M]) -> None:
        self._framing = framing
        self._buf = bytearray()
        self._base = 0  # stream offset of self._buf[0]
        self._frames = 0
        self._bytes_in = 0
        self._dropped = 0
        self._checksum_errors = 0
        self._length_errors = 0
        self._unknown = 0
        self._malformed = 0

    @property
    def framing(self) -> Framing[M]:
        return self._framing

    @property
    def stats(self) -> ParserStats:
        """A snapshot of the counters."""
        return ParserStats(
            frames=self._frames,
            bytes_in=self._bytes_in,
            bytes_dropped=self._dropped,
            checksum_errors=self._checksum_errors,
            length_errors=self._length_errors,
            unknown_frames=self._unknown,
            malformed_frames=self._malformed,
            buffered=len(self._buf),
        )

    def feed(self, chunk: BytesLike) -> list[M]:
        """Add bytes; return the frames completed by them, in stream order."""
        self._buf += chunk
        self._bytes_in += len(chunk)
        return self._scan(final=False, offsets=None)

    def feed_with_offsets(self, chunk: BytesLike) -> list[tuple[int, M]]:
        """Like :meth:`feed`, pairing each frame with the stream offset of its first byte."""
        self._buf += chunk
        self._bytes_in += len(chunk)
        offsets: list[int] = []
        frames = self._scan(final=False, offsets=offsets)
        return list(zip(offsets, frames, strict=True))

    def flush(self) -> list[M]:
        """Give up on an incomplete frame (line idle or end of input): drop its first byte,
        rescan the rest, and return any frames found. Leaves the buffer empty."""
        return self._scan(final=True, offsets=None)

    def flush_with_offsets(self) -> list[tuple[int, M]]:
        """:meth:`flush` with stream offsets (see :meth:`feed_with_offsets`)."""
        offsets: list[int] = []
        frames = self._scan(final=True, offsets=offsets)
        return list(zip(offsets, frames, strict=True))

    def reset(self) -> None:
        """Discard buffered bytes (counted as dropped); keep the counters."""
        self._dropped += len(self._buf)
        self._base += len(self._buf)
        del self._buf[:]

    def _scan(self, *, final: bool, offsets: list[int] | None) -> list[M]:
        framing = self._framing
        start = framing.start
        match = framing.match
        decode = framing.decode
        buf = bytes(self._buf)  # one copy per call; frames are then slices of immutable bytes
        n = len(buf)
        out: list[M] = []
        append = out.append
        pos = 0
        dropped = 0
        while pos < n:
            i = buf.find(start, pos)
            if i < 0:
                dropped += n - pos
                pos = n
                break
            dropped += i - pos
            end = match(buf, i, n)
            if end > 0:
                raw = buf[i:end]
                try:
                    frame = decode(raw)
                except UnknownCommandError:
                    frame = framing.generic(raw)
                    self._unknown += 1
                except ValueError:  # FrameError, or a typed constructor refusing a value
                    frame = framing.generic(raw)
                    self._malformed += 1
                append(frame)
                if offsets is not None:
                    offsets.append(self._base + i)
                pos = end
            elif end == NEED_MORE and not final:
                pos = i
                break
            else:
                if end == BAD_CHECKSUM:
                    self._checksum_errors += 1
                elif end == BAD_LENGTH:
                    self._length_errors += 1
                # NEED_MORE while flushing: a truncated frame; its start byte is dropped.
                dropped += 1
                pos = i + 1
        if pos:
            del self._buf[:pos]
            self._base += pos
        self._dropped += dropped
        self._frames += len(out)
        return out
