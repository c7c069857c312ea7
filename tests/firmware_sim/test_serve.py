"""The runners over a real pty and a real TCP socket: pacing at the baud rate, split frames, the
port vanishing and coming back."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
import serial

from firmware_sim.device import SimulatedReader
from firmware_sim.scenario import Fault, Scenario, TagSpec
from firmware_sim.serve import serving
from foodtrace.reader import get_codec
from foodtrace.reader.mercury import GetVersion, StartContinuousRead, StopContinuousRead
from foodtrace.reader.r2000 import GetFirmwareVersion, RealTimeInventory

TAG = TagSpec(bytes.fromhex("3014257BF7194E4000001A85"))


def measure_rate(port: serial.Serial, seconds: float) -> float:
    """Bytes/s received over ``seconds`` (after a settling read)."""
    port.read(65536)
    got = 0
    started = time.monotonic()
    while (elapsed := time.monotonic() - started) < seconds:
        got += len(port.read(65536))
    return got / elapsed


@pytest.mark.parametrize("baud", [9600, 115200])
def test_pty_output_is_paced_at_the_baud_rate(baud: int) -> None:
    scenario = Scenario(tags=(TAG,), read_rate=50_000)  # the air is faster than the line
    reader = SimulatedReader("mercury", scenario, baudrate=baud)
    with serving(reader) as path:
        assert path.startswith("/dev/pts/")
        with serial.serial_for_url(path, baudrate=baud, timeout=0.05) as port:
            port.write(StartContinuousRead().encode())
            time.sleep(0.2)
            rate = measure_rate(port, 1.2)
            port.write(StopContinuousRead().encode())
    assert rate == pytest.approx(baud / 10, rel=0.08)


def _first_burst(url: str, frame: bytes) -> tuple[bytes, bytes]:
    """Ask for the firmware version; return (first recv, everything)."""
    host, port = url.removeprefix("socket://").split(":")
    with socket.create_connection((host, int(port)), timeout=2) as conn:
        conn.sendall(GetFirmwareVersion().encode())
        first = conn.recv(64)
        received = first
        while len(received) < len(frame):
            received += conn.recv(64)
    return first, received


def test_split_frames_arrive_in_pieces_over_tcp() -> None:
    scenario = Scenario(tags=(TAG,), faults=(Fault("split", 0.0, duration_s=60),))
    reader = SimulatedReader("r2000", scenario)
    frame = bytes.fromhex("A00501720109DE")
    firsts = []
    with serving(reader, tcp=("127.0.0.1", 0)) as url:
        # The reader pauses a few ms inside the frame. A busy machine may schedule the client
        # late and read both pieces at once, so try a few times: at least one first read must
        # hold the first piece alone.
        for _attempt in range(10):
            first, received = _first_burst(url, frame)
            assert received == frame
            firsts.append(first)
            if first == frame[: len(frame) // 2]:
                break
    assert frame[: len(frame) // 2] in firsts, firsts


def test_tcp_port_vanishes_and_returns_on_the_same_port() -> None:
    scenario = Scenario(tags=(TAG,), faults=(Fault("vanish", 0.5, duration_s=0.6),))
    reader = SimulatedReader("r2000", scenario)
    with serving(reader, tcp=("127.0.0.1", 0)) as url:
        port = serial.serial_for_url(url, timeout=0.2)
        port.write(GetFirmwareVersion().encode())
        assert port.read(7) == bytes.fromhex("A00501720109DE")
        time.sleep(0.7)
        with pytest.raises(serial.SerialException):
            port.read(10)  # the connection was closed
        port.close()
        with pytest.raises(serial.SerialException):
            serial.serial_for_url(url, timeout=0.2)  # nobody listens during the outage
        time.sleep(0.6)
        with serial.serial_for_url(url, timeout=0.5) as again:
            again.write(GetFirmwareVersion().encode())
            assert again.read(7) == bytes.fromhex("A00501720109DE")
    assert reader.stats.power_cycles == 1


def test_pty_vanish_recreates_the_pty_behind_the_link(tmp_path: Path) -> None:
    scenario = Scenario(tags=(TAG,), faults=(Fault("vanish", 0.4, duration_s=0.3),))
    reader = SimulatedReader("r2000", scenario)
    link = tmp_path / "reader"
    with serving(reader, link=link) as path:
        assert path == str(link) and link.resolve().as_posix().startswith("/dev/pts/")
        first = link.resolve()
        port = serial.serial_for_url(str(link), timeout=0.2)
        port.write(RealTimeInventory().encode())
        parser = get_codec("r2000").response_parser()
        assert len(parser.feed(port.read(64))) == 2  # the tag and the round end
        time.sleep(0.5)
        with pytest.raises(serial.SerialException):
            port.read(10)  # the pty is gone
        port.close()
        deadline = time.monotonic() + 3
        while not link.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        with serial.serial_for_url(str(link), timeout=0.5) as again:
            again.write(GetFirmwareVersion().encode())
            assert again.read(7) == bytes.fromhex("A00501720109DE")
        assert reader.stats.power_cycles == 1 and first.name != ""
    assert not link.exists()  # removed with the pty


def test_mercury_streams_over_tcp_until_stopped() -> None:
    reader = SimulatedReader("mercury", Scenario(tags=(TAG,), read_rate=200))
    with (
        serving(reader, tcp=("127.0.0.1", 0)) as url,
        serial.serial_for_url(url, timeout=0.3) as port,
    ):
        parser = get_codec("mercury").response_parser()
        port.write(GetVersion().encode())
        assert len(parser.feed(port.read(27))) == 1
        port.write(StartContinuousRead().encode())
        time.sleep(0.5)
        port.timeout = 0  # what has arrived, no more
        frames = parser.feed(port.read(65536))
        assert 80 <= len(frames) <= 110  # the start reply and ~100 records in 0.5 s
        port.write(StopContinuousRead().encode())
        time.sleep(0.2)
        assert [type(f).__name__ for f in parser.feed(port.read(65536))[-2:]] == [
            "KeepAlive",
            "ContinuousReadStopped",
        ]
        time.sleep(0.3)
        assert port.read(65536) == b""
