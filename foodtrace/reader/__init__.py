"""Reader serial protocols as a pure library (no I/O): frames, codecs, stream parsers.

* :mod:`foodtrace.reader.r2000` — R2000-family "0xA0" protocol (IND903, YR903, YR904, …)
* :mod:`foodtrace.reader.mercury` — ThingMagic/JADAK Mercury (M6e, M6e Nano, M7e)
* :mod:`.records` — :class:`TagRead`, the protocol-independent tag observation
* :mod:`.stream` — :class:`StreamParser`, the resynchronising engine both protocols use
* :mod:`.codec` — :class:`Codec` and :func:`get_codec` for protocol-neutral callers
* :mod:`.gen2` — PC word and tag CRC-16 helpers; :mod:`.direction` — :class:`Direction`
* :mod:`.capture` — :func:`parse_hex_capture` for captures written as hex text

Every frame is a frozen dataclass with ``encode() -> bytes`` and ``decode(data)``; codecs decode
either direction (``decode_command`` for what a reader receives, ``decode_response`` for what
it sends) and build stream parsers (``command_parser()`` / ``response_parser()``) whose
``feed(chunk)`` returns frames and never raises.
"""

from foodtrace.reader.capture import parse_hex_capture
from foodtrace.reader.codec import PROTOCOLS, Codec, FrameValue, get_codec
from foodtrace.reader.direction import Direction
from foodtrace.reader.records import TagRead
from foodtrace.reader.stream import Framing, ParserStats, StreamParser

__all__ = [
    "PROTOCOLS",
    "Codec",
    "Direction",
    "FrameValue",
    "Framing",
    "ParserStats",
    "StreamParser",
    "TagRead",
    "get_codec",
    "parse_hex_capture",
]
