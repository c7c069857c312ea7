"""``foodtrace edge``: the agent as a process. A killed agent leaves its last will; a stopped one
says goodbye; a restarted one publishes what it had not yet delivered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from edge_agent.cli import app
from edge_agent.exceptions import ConfigError
from tests.edge_agent.conftest import READ_POINT, Subscriber, sgtin_hex, wait_until
from tests.support.mosquitto import MosquittoBroker

ROOT = Path(__file__).parents[2]
BASE = "foodtrace/v1/site-a/door-9"
SubscriberFactory = Callable[..., Subscriber]


def write_station(tmp_path: Path, broker: MosquittoBroker) -> Path:
    password = broker.add_user("door-9")
    (tmp_path / "mqtt-password").write_text(password + "\n")
    (tmp_path / "mqtt-password").chmod(0o600)
    config = tmp_path / "station.toml"
    config.write_text(
        f"""
[station]
id = "door-9"
site = "site-a"
read_point = "{READ_POINT}"

[reader]
port = "loop://"
region = "etsi"

[role]
kind = "receiving"

[batch]
linger_ms = 0

[mqtt]
host = "{broker.host}"
port = {broker.port}
username = "door-9"
password_file = "mqtt-password"
heartbeat_s = 0
keepalive_s = 5

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
        [sys.executable, "-m", "edge_agent", "run", "--config", str(config), "--stdin"],
        stdin=subprocess.PIPE,
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
        for stream in (proc.stdin, proc.stderr):
            if stream is not None:
                stream.close()


def send(proc: subprocess.Popen[bytes], *serials: int) -> None:
    assert proc.stdin is not None
    for serial in serials:
        proc.stdin.write(orjson.dumps({"epc": sgtin_hex(serial), "antenna": 1}) + b"\n")
    proc.stdin.flush()


def statuses(sub: Subscriber) -> list[dict[str, object]]:
    return [orjson.loads(p) for p in sub.payloads("/status")]


@pytest.mark.mosquitto
def test_killed_agent_leaves_offline_will_and_restart_resumes(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
) -> None:
    broker = mosquitto_factory()
    broker.start()
    config = write_station(tmp_path, broker)
    sub = subscriber_factory(broker, f"{BASE}/#")
    with agent(config) as proc:
        wait_until(lambda: any(s["state"] == "online" for s in statuses(sub)), 20, "online")
        send(proc, 1, 2, 3)
        wait_until(lambda: len(sub.events()) == 3, 10, "3 events")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        wait_until(lambda: statuses(sub)[-1]["state"] == "offline", 10, "last will")
    will = statuses(sub)[-1]
    assert will == {
        "state": "offline",
        "site": "site-a",
        "station": "door-9",
        "reason": "connection lost",
    }
    late = subscriber_factory(broker, f"{BASE}/status")
    wait_until(lambda: bool(late.messages), 10, "retained will")
    assert late.messages[0][2] is True and orjson.loads(late.messages[0][1]) == will

    with agent(config) as proc:  # same outbox, same client id: the numbering continues
        wait_until(lambda: statuses(sub)[-1]["state"] == "online", 20, "online again")
        send(proc, 4)
        wait_until(lambda: any(e["ft:seq"] == 4 for e in sub.events()), 10, "seq 4")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
        assert proc.stderr is not None
        log_lines = [orjson.loads(line) for line in proc.stderr.read().splitlines()]
    # Killed before it could delete what the broker had acknowledged, the agent may publish
    # some events again after the restart (QoS 1 is at-least-once): the very same events, with
    # the same eventID and seq, which the centre ignores. Nothing is lost; no seq is reused.
    first_seen: dict[str, dict[str, object]] = {}
    for event in sub.events():
        if event["eventID"] in first_seen:
            assert event == first_seen[event["eventID"]]
        first_seen.setdefault(event["eventID"], event)
    assert [e["ft:seq"] for e in first_seen.values()] == [1, 2, 3, 4]
    wait_until(lambda: statuses(sub)[-1].get("reason") == "shutdown", 10, "goodbye")
    events = [line["event"] for line in log_lines]
    assert "mqtt connected" in events and "pipeline stopped" in events


def test_check_prints_what_the_station_will_do(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text(
        f"""
[station]
id = "door-9"
site = "site-a"
read_point = "{READ_POINT}"
[reader]
port = "socket://10.0.0.5:4001"
region = "fcc"
[role]
kind = "receiving"
[mqtt]
host = "127.0.0.1"
"""
    )
    result = CliRunner().invoke(app, ["check", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert "role      receiving" in result.output
    assert f"topics    {BASE}/events" in result.output
    assert "metrics   http://127.0.0.1:9471/metrics" in result.output
    assert f"outbox    {tmp_path / 'outbox.sqlite3'}" in result.output


def test_bad_configuration_is_a_config_error(tmp_path: Path) -> None:
    config = tmp_path / "station.toml"
    config.write_text("[station]\nid = 'x'\n")
    result = CliRunner().invoke(app, ["check", "--config", str(config)])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError)
    assert "reader: required key is missing" in str(result.exception)


def test_root_command_reports_a_bad_station_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from foodtrace.cli import run

    config = tmp_path / "station.toml"
    config.write_text("[station]\nid = 'Door 9'\n")
    assert run(["edge", "check", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("foodtrace: error: ")
    assert "station.id:" in err and "reader: required key is missing" in err


@pytest.mark.mosquitto
def test_no_reader_drains_what_the_outbox_holds(
    tmp_path: Path,
    mosquitto_factory: Callable[..., MosquittoBroker],
    subscriber_factory: SubscriberFactory,
) -> None:
    from edge_agent.config import load_config
    from edge_agent.pipeline import Pipeline
    from edge_agent.reads import TagRead

    broker = mosquitto_factory()
    broker.start()
    config = write_station(tmp_path, broker)
    # events stored while the station had no broker (an earlier run)
    with Pipeline.from_config(load_config(config), publish=False) as offline:
        offline.feed([TagRead(sgtin_hex(serial), 1, -50) for serial in range(1, 8)])
    sub = subscriber_factory(broker, f"{BASE}/events")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOODTRACE_EDGE__")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.Popen(
        [sys.executable, "-m", "edge_agent", "run", "--config", str(config), "--no-reader"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until(lambda: len(sub.events()) >= 7, 20, "the stored events")
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    assert [e["ft:seq"] for e in sub.events()] == list(range(1, 8))
