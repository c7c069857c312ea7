"""Simulated reader → ``foodtrace edge run`` → real Mosquitto: the whole station.

The agent runs as a process (``foodtrace edge run --config station.toml``) reading the simulated
firmware over a real pty or ``socket://``; a real subscriber checks what reaches the broker.
Scenario times are seconds since the simulator started; tags appear only after the agent has
connected (checked), so the expected events are exact.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson
import pytest

from edge_agent.outbox import Outbox
from edge_agent.pipeline import Pipeline
from edge_agent.reader import ReaderDriver
from firmware_sim.device import SimulatedReader
from firmware_sim.scenario import Fault, Scenario, TagSpec, epc_bytes
from firmware_sim.serve import serving
from tests.edge_agent.conftest import (
    READ_POINT,
    Subscriber,
    mqtt_section,
    sgtin_hex,
    sgtin_uri,
    station_config,
    wait_until,
)
from tests.support.mosquitto import MosquittoBroker
from tests.support.ports import free_port

pytestmark = pytest.mark.mosquitto

ROOT = Path(__file__).parents[2]
STATION = "sim-door"
BASE = f"foodtrace/v1/site-a/{STATION}"
FOODTRACE = [sys.executable, "-c", "import sys; from foodtrace.cli import run; sys.exit(run())"]
SubscriberFactory = Callable[..., Subscriber]
START_S = 3.0  # tags appear this long after the simulator started: the agent is up by then


def write_station(
    tmp_path: Path, broker: MosquittoBroker, port: str, protocol: str, *, heartbeat_s: float = 0
) -> Path:
    password = broker.add_user(STATION)
    secret = tmp_path / "mqtt-password"
    secret.write_text(password + "\n")
    secret.chmod(0o600)
    config = tmp_path / "station.toml"
    config.write_text(
        f"""
[station]
id = "{STATION}"
site = "site-a"
read_point = "{READ_POINT}"

[reader]
port = "{port}"
protocol = "{protocol}"
antennas = [1, 2]
region = "etsi"

[role]
kind = "receiving"

[role.antennas.2]
biz_step = "storing"

[presence]
report_once = true
depart_after_s = 1.0

[batch]
linger_ms = 20

[mqtt]
host = "{broker.host}"
port = {broker.port}
username = "{STATION}"
password_file = "mqtt-password"
heartbeat_s = {heartbeat_s}
keepalive_s = 5
reconnect_min_s = 1
reconnect_max_s = 1

[outbox]
replay_rate = 0

[metrics]
enabled = false

[logging]
format = "json"
"""
    )
    return config


@contextmanager
def agent(config: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOODTRACE_EDGE__")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen(
        [*FOODTRACE, "edge", "run", "--config", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()


def stop_agent(proc: subprocess.Popen[bytes]) -> list[dict[str, Any]]:
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0
    assert proc.stderr is not None
    return [orjson.loads(line) for line in proc.stderr.read().splitlines() if line.startswith(b"{")]


def wait_connected(reader: SimulatedReader) -> None:
    wait_until(lambda: reader.stats.commands >= 4, 15, "the agent to handshake")
    assert reader.elapsed() < START_S, "the agent connected too late for the scenario"


def epc_of(event: dict[str, Any]) -> str:
    (epc,) = event["epcList"]
    return str(epc)


def tag(serial: int, antenna: int = 1, enter: float = 0.0, leave: float | None = None) -> TagSpec:
    return TagSpec(
        epc_bytes(sgtin_hex(serial)),
        antenna=antenna,
        enter_s=START_S + enter,
        leave_s=None if leave is None else START_S + leave,
    )


@pytest.mark.parametrize("transport", ["pty", "tcp"])
@pytest.mark.parametrize("protocol", ["r2000", "mercury"])
def test_scripted_population_yields_exactly_the_expected_events(
    tmp_path: Path,
    mosquitto: MosquittoBroker,
    subscriber_factory: SubscriberFactory,
    protocol: str,
    transport: str,
) -> None:
    tags = (
        tag(1),
        tag(2, enter=0.2),
        tag(3, enter=0.4, leave=3.0),
        tag(4, enter=0.0, leave=0.6),  # leaves, departs after 1 s, comes back: two arrivals
        tag(4, enter=2.2, leave=3.0),
        tag(11, antenna=2, enter=0.1),
        tag(12, antenna=2, enter=0.5),
    )
    faults = (
        Fault("garbage", START_S + 0.3, count=50),
        Fault("corrupt", START_S + 0.5, count=4),
        Fault("split", START_S + 0.7, duration_s=0.5),
    )
    scenario = Scenario(tags=tags, antennas=(1, 2), read_rate=300, faults=faults)
    reader = SimulatedReader(protocol, scenario)
    tcp = ("127.0.0.1", free_port()) if transport == "tcp" else None
    sub = subscriber_factory(mosquitto, f"{BASE}/#")
    with serving(reader, tcp=tcp, link=tmp_path / "reader") as url:
        config = write_station(tmp_path, mosquitto, url, protocol, heartbeat_s=0.5)
        with agent(config) as proc:
            wait_connected(reader)
            wait_until(lambda: len(sub.events()) >= 7, 20, "7 events")
            time.sleep(0.8)  # nothing more may come
            heartbeats = [orjson.loads(p) for p in sub.payloads("/heartbeat")]
            logs = stop_agent(proc)
    events = sub.events()
    by_step = Counter((e["bizStep"], epc_of(e)) for e in events)
    assert by_step == {
        ("receiving", sgtin_uri(1)): 1,
        ("receiving", sgtin_uri(2)): 1,
        ("receiving", sgtin_uri(3)): 1,
        ("receiving", sgtin_uri(4)): 2,
        ("storing", sgtin_uri(11)): 1,
        ("storing", sgtin_uri(12)): 1,
    }
    assert [e["ft:seq"] for e in events] == list(range(1, 8))
    assert all(e["type"] == "ObjectEvent" and e["action"] == "OBSERVE" for e in events)
    assert reader.stats.corrupted == 4
    assert heartbeats and heartbeats[-1]["frameErrors"] >= 4
    assert heartbeats[-1]["reads"] > 100
    assert [e["event"] for e in logs].count("reader connected") == 1


@pytest.mark.parametrize(("protocol", "transport"), [("r2000", "pty"), ("mercury", "tcp")])
def test_killed_agent_restarts_and_nothing_is_lost_or_renumbered(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
    protocol: str,
    transport: str,
) -> None:
    """kill -9 mid-stream, restart: every stored event reaches the broker; no event is
    published under two ids and no seq is given to two events (a redelivery after the kill
    repeats the very same event: same eventID, same seq). A Mercury module is still streaming
    when the new agent opens the port: it must stop the continuous read and start again."""
    broker = mosquitto_factory()
    broker.start()
    tags = tuple(tag(n, enter=0.08 * n, leave=0.08 * n + 1.5) for n in range(1, 61))
    reader = SimulatedReader(protocol, Scenario(tags=tags, read_rate=400))
    sub = subscriber_factory(broker, f"{BASE}/events", client_id="centre", persistent=True)
    tcp = ("127.0.0.1", free_port()) if transport == "tcp" else None
    with serving(reader, tcp=tcp, link=tmp_path / "reader") as url:
        config = write_station(tmp_path, broker, url, protocol)
        with agent(config) as proc:
            wait_connected(reader)
            wait_until(lambda: len(sub.events()) >= 15, 20, "15 events")
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed_at = reader.elapsed()
        assert killed_at < START_S + 4.0, "killed after the population was gone"
        with agent(config) as proc:
            wait_until(lambda: reader.elapsed() > START_S + 6.5, 20, "the population to pass")
            stop_agent(proc)
    events = sub.events()
    by_seq: dict[int, set[str]] = {}
    by_id: dict[str, set[int]] = {}
    for event in events:
        by_seq.setdefault(event["ft:seq"], set()).add(event["eventID"])
        by_id.setdefault(event["eventID"], set()).add(event["ft:seq"])
    assert all(len(ids) == 1 for ids in by_seq.values())
    assert all(len(seqs) == 1 for seqs in by_id.values())
    last = max(by_seq)
    assert sorted(by_seq) == list(range(1, last + 1))  # no gap: nothing lost
    with Outbox(tmp_path / "outbox.sqlite3", station_id=STATION) as outbox:
        assert outbox.depth == 0 and outbox.last_seq == last
    seen = {epc_of(e) for e in events}
    assert len(seen & {sgtin_uri(n) for n in range(1, 61)}) >= 55  # read before or after
    duplicates = len(events) - len(by_id)
    assert duplicates <= 20  # redelivered, identical: at most what was in flight


def test_broker_outage_fills_the_outbox_then_it_drains_in_order(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
) -> None:
    broker = mosquitto_factory()
    broker.start()
    sub = subscriber_factory(broker, f"{BASE}/events", client_id="centre", persistent=True)
    start = 1.0
    tags = tuple(
        TagSpec(epc_bytes(sgtin_hex(n)), enter_s=start + 0.05 * n, leave_s=start + 0.05 * n + 1)
        for n in range(1, 81)
    )
    reader = SimulatedReader("mercury", Scenario(tags=tags, read_rate=300))
    config = station_config(
        tmp_path,
        station={"id": STATION, "site": "site-a", "read_point": READ_POINT},
        mqtt=mqtt_section(broker, reconnect_max_s=1),
        presence={"report_once": True},
        batch={"max_events": 10, "linger_ms": 20},
        outbox={"path": str(tmp_path / "outbox.sqlite3"), "replay_rate": 0},
    )
    with serving(reader, tcp=("127.0.0.1", 0)) as url:
        settings = config.reader.model_copy(update={"port": url, "protocol": "mercury"})
        pipeline = Pipeline.from_config(config)
        with pipeline, driven(ReaderDriver(settings, pipeline)):
            pipeline.start()
            wait_until(lambda: len(sub.events()) >= 10, 15, "the first events")
            time.sleep(0.3)  # let the subscriber's PUBACKs reach the broker
            broker.stop()
            at_stop = pipeline.outbox.last_seq
            wait_until(lambda: pipeline.outbox.depth >= 30, 15, "the outbox to fill")
            assert pipeline.publisher is not None and not pipeline.publisher.connected
            broker.start()
            wait_until(lambda: reader.elapsed() > start + 5.5, 15, "all tags to pass")
            assert pipeline.publisher.wait_drained(20)
            total = pipeline.outbox.last_seq
            wait_until(lambda: len(sub.events()) >= total, 15, "every event at the centre")
    events = first_copies(sub.events())
    assert total == 80 and at_stop < 60
    assert [e["ft:seq"] for e in events] == list(range(1, 81))  # all, in order
    assert {epc_of(e) for e in events} == {sgtin_uri(n) for n in range(1, 81)}


def first_copies(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events without QoS 1 redeliveries: a message in flight when the broker stopped may come
    again, as the very same event (same eventID and seq), which the centre ignores."""
    seen: dict[str, dict[str, Any]] = {}
    for event in events:
        copy = seen.setdefault(event["eventID"], event)
        assert copy == event
    return list(seen.values())


@contextmanager
def driven(driver: ReaderDriver) -> Iterator[ReaderDriver]:
    stop = threading.Event()
    thread = threading.Thread(target=driver.run, args=(stop,))
    thread.start()
    try:
        yield driver
    finally:
        stop.set()
        thread.join(10)


@pytest.mark.parametrize("protocol", ["r2000", "mercury"])
def test_port_vanishes_and_the_agent_continues(
    tmp_path: Path,
    mosquitto: MosquittoBroker,
    subscriber_factory: SubscriberFactory,
    protocol: str,
) -> None:
    tags = (tag(1, leave=1.0), tag(2, enter=2.5))
    faults = (Fault("vanish", START_S + 1.2, duration_s=1.0),)
    reader = SimulatedReader(protocol, Scenario(tags=tags, faults=faults))
    sub = subscriber_factory(mosquitto, f"{BASE}/events")
    with serving(reader, tcp=("127.0.0.1", free_port())) as url:
        config = write_station(tmp_path, mosquitto, url, protocol)
        with agent(config) as proc:
            wait_connected(reader)
            wait_until(lambda: len(sub.events()) >= 2, 20, "both tags' events")
            logs = stop_agent(proc)
    assert [epc_of(e) for e in sub.events()] == [sgtin_uri(1), sgtin_uri(2)]
    assert reader.stats.power_cycles == 1
    messages = [e["event"] for e in logs]
    assert messages.count("reader port lost") == 1
    assert messages.count("reader port recovered") == 1
