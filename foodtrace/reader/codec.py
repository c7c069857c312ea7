"""The protocol-neutral face of a reader protocol: :class:`Codec` and :func:`get_codec`.

Both protocol codecs (``R2000Codec``, ``MercuryCodec``) satisfy :class:`Codec`; code that must
work with either (the CLI, an edge agent configured by name) uses this interface, code written
for one protocol uses that protocol's classes directly for precise types.
"""

from __future__ import annotations

from typing import Any, Final, Protocol

from foodtrace.reader.direction import Direction
from foodtrace.reader.records import TagRead
from foodtrace.reader.stream import StreamParser

__all__ = ["PROTOCOLS", "Codec", "FrameValue", "get_codec"]

PROTOCOLS: Final = ("r2000", "mercury")


class FrameValue(Protocol):
    """What every frame value of every protocol offers."""

    @property
    def DIRECTION(self) -> Direction | None: ...  # a class constant of each frame class

    def encode(self) -> bytes: ...

    def to_dict(self) -> dict[str, Any]: ...


class Codec(Protocol):
    """Both directions of one reader protocol."""

    @property
    def name(self) -> str: ...

    def decode(self, data: bytes, direction: Direction | None = None) -> FrameValue: ...

    def parser(
        self, direction: Direction | None = Direction.READER_TO_HOST
    ) -> StreamParser[Any]: ...

    def command_parser(self) -> StreamParser[Any]: ...

    def response_parser(self) -> StreamParser[Any]: ...

    def tag_reads(self, message: object) -> tuple[TagRead, ...]: ...


def get_codec(name: str) -> Codec:
    """The codec of protocol ``name`` (``"r2000"`` or ``"mercury"``)."""
    if name == "r2000":
        from foodtrace.reader.r2000.codec import R2000Codec

        return R2000Codec()
    if name == "mercury":
        from foodtrace.reader.mercury.codec import MercuryCodec

        return MercuryCodec()
    raise ValueError(f"unknown reader protocol {name!r}; choose one of {', '.join(PROTOCOLS)}")
