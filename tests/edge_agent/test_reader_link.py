"""``Link`` on a port without a file descriptor (``loop://``, as ``rfc2217://``): read by the
port's own timeout; request/reply and its timeout."""

from __future__ import annotations

import pytest
import serial

from edge_agent.exceptions import ReaderError
from edge_agent.reader_link import Link
from foodtrace.reader import get_codec
from foodtrace.reader.r2000 import FirmwareVersion, GetFirmwareVersion


def test_loop_port_request_reply_and_timeout() -> None:
    port = serial.serial_for_url("loop://", timeout=0.05)
    try:
        link = Link(port, get_codec("r2000").parser(None))  # either direction: the loop echoes
        assert port.timeout == 0.05  # no fileno(): the port's own timeout paces reads
        reply = FirmwareVersion(1, 9, address=1).encode()
        port.write(b"\x00\x13" + reply[:3])  # noise, then half a frame
        assert link.read_frames(0.05) == []
        port.write(reply[3:])
        frames = []
        for _ in range(5):
            frames += link.read_frames(0.05)
        assert frames == [FirmwareVersion(1, 9, address=1)]
        assert link.stats.bytes_dropped == 2
        echoed = link.transact(
            GetFirmwareVersion().encode(),
            lambda f: isinstance(f, GetFirmwareVersion),
            what="echo",
        )
        assert echoed == GetFirmwareVersion()
        with pytest.raises(ReaderError, match="did not answer nothing"):
            link.transact(b"", lambda f: False, what="nothing", timeout=0.1, attempts=2)
    finally:
        port.close()
