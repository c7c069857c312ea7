"""The reader driver against the simulated firmware over a real pty and a real TCP socket."""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from edge_agent.config import ReaderSettings
from edge_agent.reader import ReaderDriver
from edge_agent.reads import StampedRead
from firmware_sim.device import SimulatedReader
from firmware_sim.scenario import Fault, Scenario, TagSpec, epc_bytes
from firmware_sim.serve import serving
from tests.edge_agent.conftest import sgtin_hex, wait_until

SGTIN = epc_bytes("urn:epc:id:sgtin:0614141.812345.6789")
FACTORY = epc_bytes("E200301666130121155074EF")
PROTOCOLS = ["r2000", "mercury"]
TRANSPORTS = ["pty", "tcp"]


class Collector:
    """A read sink that keeps what it is given (the pipeline's two entry points)."""

    def __init__(self) -> None:
        self.reads: list[StampedRead] = []
        self.frame_errors = 0
        self._lock = threading.Lock()

    def feed(self, reads: Iterable[StampedRead]) -> int:
        with self._lock:
            self.reads.extend(reads)
        return 0

    def add_frame_errors(self, count: int = 1) -> None:
        with self._lock:
            self.frame_errors += count

    def count(self) -> Counter[tuple[str, int | None]]:
        with self._lock:
            return Counter((r.tag.epc, r.tag.antenna) for r in self.reads)


@contextmanager
def simulated(
    protocol: str, transport: str, scenario: Scenario, tmp_path: Path
) -> Iterator[tuple[SimulatedReader, str]]:
    reader = SimulatedReader(protocol, scenario)
    tcp = ("127.0.0.1", 0) if transport == "tcp" else None
    with serving(reader, tcp=tcp, link=tmp_path / "reader") as url:
        yield reader, url


@contextmanager
def driving(
    url: str, protocol: str, antennas: list[int], sink: Collector
) -> Iterator[ReaderDriver]:
    settings = ReaderSettings(port=url, protocol=protocol, region="etsi", antennas=antennas)  # type: ignore[arg-type]
    driver = ReaderDriver(settings, sink, backoff_min_s=0.1, backoff_max_s=0.5)
    stop = threading.Event()
    thread = threading.Thread(target=driver.run, args=(stop,))
    thread.start()
    try:
        yield driver
    finally:
        stop.set()
        thread.join(10)
        assert not thread.is_alive()


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_reads_from_two_antennas(protocol: str, transport: str, tmp_path: Path) -> None:
    tags = (
        TagSpec(SGTIN, antenna=1),
        TagSpec(FACTORY, antenna=2, distance_m=3.0, temperature_c=5.25),
    )
    scenario = Scenario(tags=tags, antennas=(1, 2), read_rate=400)
    sink = Collector()
    with simulated(protocol, transport, scenario, tmp_path) as (_, url):  # noqa: SIM117
        with driving(url, protocol, [1, 2], sink) as driver:
            wait_until(lambda: min(sink.count().values(), default=0) >= 20, 10, "20 reads each")
            assert driver.stats.connections == 1
    counts = sink.count()
    assert set(counts) == {(SGTIN.hex().upper(), 1), (FACTORY.hex().upper(), 2)}
    near = [r.tag.rssi_dbm or 0 for r in sink.reads if r.tag.antenna == 1]
    far = [r.tag.rssi_dbm or 0 for r in sink.reads if r.tag.antenna == 2]
    assert sum(near) / len(near) > sum(far) / len(far) + 5  # 1 m vs 3 m
    temperatures = {r.temperature_c for r in sink.reads if r.tag.antenna == 2}
    # Only the Mercury protocol carries sensor data in its tag records.
    assert temperatures == ({5.25} if protocol == "mercury" else {None})
    assert sink.frame_errors == 0
    stamps = [r.time_ns for r in sink.reads]
    assert abs(stamps[-1] / 1e9 - time.time()) < 5 and stamps == sorted(stamps)


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_single_antenna_and_no_reads_before_inventory(protocol: str, tmp_path: Path) -> None:
    tags = (TagSpec(SGTIN, antenna=1), TagSpec(FACTORY, antenna=3))
    sink = Collector()
    with simulated(protocol, "pty", Scenario(tags=tags), tmp_path) as (reader, url):
        time.sleep(0.3)
        assert reader.stats.tag_records == 0  # nobody asked for an inventory
        with driving(url, protocol, [3], sink):
            wait_until(lambda: len(sink.reads) >= 30, 10, "30 reads")
    assert set(sink.count()) == {(FACTORY.hex().upper(), 3)}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_line_faults_cost_no_good_read(protocol: str, transport: str, tmp_path: Path) -> None:
    """Garbage, frames split in pieces and corrupted checksums: every intact record is read,
    every corrupted one counted, nothing crashes."""
    tags = tuple(
        TagSpec(epc_bytes(sgtin_hex(n)), antenna=1 + n % 2, leave_s=2.0) for n in range(1, 6)
    )
    faults = (
        Fault("garbage", 0.6, count=97),
        Fault("split", 0.8, duration_s=0.4),
        Fault("corrupt", 1.0, count=7),
        Fault("garbage", 1.3, count=3),
        Fault("corrupt", 1.5, count=2),
    )
    scenario = Scenario(tags=tags, antennas=(1, 2), read_rate=300, faults=faults)
    sink = Collector()
    with simulated(protocol, transport, scenario, tmp_path) as (reader, url):
        with driving(url, protocol, [1, 2], sink) as driver:
            wait_until(lambda: reader.elapsed() > 2.6, 10, "the tags to leave")
            wait_until(lambda: driver.stats.frames > 0, 5, "frames")
        assert reader.stats.corrupted == 9 and reader.stats.garbage_bytes == 100
        sent = reader.stats.tag_records
    assert len(sink.reads) == sent - 9
    assert sink.frame_errors >= 9
    assert driver.stats.bytes_dropped >= 100
    assert driver.stats.connections == 1
    assert {epc for epc, _ in sink.count()} == {t.epc_hex for t in tags}


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_port_vanishes_and_the_driver_reconnects(
    protocol: str, transport: str, tmp_path: Path
) -> None:
    scenario = Scenario(
        tags=(TagSpec(SGTIN),), read_rate=200, faults=(Fault("vanish", 0.8, duration_s=0.7),)
    )
    sink = Collector()
    with capture_logs() as logs, simulated(protocol, transport, scenario, tmp_path) as (r, url):  # noqa: SIM117
        with driving(url, protocol, [1], sink) as driver:
            wait_until(lambda: r.stats.power_cycles == 1, 10, "the port to vanish")
            lost_at = time.time_ns()
            wait_until(lambda: driver.stats.connections == 2, 10, "the driver to reconnect")
            wait_until(lambda: sum(s.time_ns > lost_at for s in sink.reads) >= 20, 10, "reads")
    events = [entry["event"] for entry in logs if entry.get("log_level") != "debug"]
    assert events.count("reader port lost") == 1
    assert events.count("reader port recovered") == 1
    assert events.count("reader connected") == 1
    assert driver.stats.losses == 1


def test_a_silent_reader_is_retried_with_backoff() -> None:
    """A port that opens but never answers (wrong device): handshake fails, retried, logged
    once."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    accepted: list[socket.socket] = []
    stop_accepting = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop_accepting.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept)
    thread.start()
    sink = Collector()
    try:
        with capture_logs() as logs, driving(f"socket://127.0.0.1:{port}", "r2000", [1], sink) as d:
            wait_until(lambda: len(accepted) >= 2, 15, "two attempts")
            assert d.stats.connections == 0
    finally:
        stop_accepting.set()
        thread.join()
        listener.close()
        for conn in accepted:
            conn.close()
    lost = [e for e in logs if e["event"] == "reader port lost"]
    assert len(lost) == 1 and "did not answer get firmware version" in lost[0]["error"]


def test_r2000_antenna_missing_is_reported_once_and_retried_slowly(tmp_path: Path) -> None:
    scenario = Scenario(tags=(TagSpec(SGTIN, antenna=1),), antennas=(1,))
    sink = Collector()
    with (
        capture_logs() as logs,
        simulated("r2000", "pty", scenario, tmp_path) as (reader, url),
        driving(url, "r2000", [2], sink) as driver,
    ):
        wait_until(lambda: driver.stats.connections == 1, 10, "the handshake")
        commands = reader.stats.commands
        time.sleep(2.5)
        retries = reader.stats.commands - commands
    assert 1 <= retries <= 4  # about one a second, not a busy loop
    failed = [e for e in logs if e["event"] == "inventory round failed"]
    assert len(failed) == 1 and failed[0]["code"] == "antenna_missing_error"
    assert sink.reads == [] and driver.stats.losses == 0


def test_r2000_beyond_four_antennas_rotates_the_work_antenna(tmp_path: Path) -> None:
    """More than the fast-switch command's four slots: 0x89 rounds with the work antenna
    switched between them (this 4-port module refuses antenna 5; its rounds stay on the last
    antenna it accepted)."""
    tags = (TagSpec(SGTIN, antenna=1), TagSpec(FACTORY, antenna=2))
    sink = Collector()
    with (
        simulated("r2000", "tcp", Scenario(tags=tags, antennas=(1, 2)), tmp_path) as (_, url),
        driving(url, "r2000", [1, 2, 5], sink),
    ):
        wait_until(lambda: len(sink.count()) == 2 and len(sink.reads) > 40, 10, "both antennas")
    assert set(sink.count()) == {(SGTIN.hex().upper(), 1), (FACTORY.hex().upper(), 2)}
