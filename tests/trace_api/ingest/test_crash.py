"""``foodtrace ingest run`` killed with SIGKILL before its commit loses nothing: the messages
were not acknowledged, the broker redelivers them to the restarted worker (same client id)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from tests.support.mosquitto import MosquittoBroker
from tests.support.ports import free_port
from tests.trace_api.ingest.support import (
    add_station,
    event_count,
    publisher,
    sealed,
    topic,
    wait_for,
)

pytestmark = pytest.mark.mosquitto

CLIENT_ID = "ingest-crash"
FOODTRACE = str(Path(sys.executable).with_name("foodtrace"))


def _worker(
    broker: MosquittoBroker, db_url: str, tmp_path: Path, *extra: str
) -> subprocess.Popen[bytes]:
    user, password = broker.credentials()
    password_file = tmp_path / "password"
    password_file.write_text(password + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOODTRACE_")}
    args = [
        *("ingest", "run", "--db", db_url),
        *("--host", broker.host, "--port", str(broker.port), "--username", user),
        *("--password-file", str(password_file), "--client-id", CLIENT_ID),
        *extra,
    ]
    return subprocess.Popen(
        [FOODTRACE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _metric(port: int, name: str) -> float:
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return -1.0
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return -1.0


def test_sigkill_before_commit_then_restart_stores_every_event_once(
    mosquitto: MosquittoBroker, db_url: str, db: Engine, tmp_path: Path
) -> None:
    add_station(db, "st-1")
    port = free_port()
    # A worker that never commits on its own (huge batch, long linger) and is killed.
    doomed = _worker(
        mosquitto,
        db_url,
        tmp_path,
        *("--batch-events", "1000000", "--linger-ms", "600000"),
        *("--metrics-port", str(port)),
    )
    try:
        wait_for(lambda: _metric(port, "foodtrace_ingest_queue_messages") >= 0, 30)
        messages = [(topic("st-1"), sealed("st-1", range(i, i + 10))[1]) for i in range(1, 501, 10)]
        with publisher(mosquitto) as pub:
            pub.publish_all(messages)
        wait_for(lambda: _metric(port, "foodtrace_ingest_queue_messages") == len(messages), 30)
    finally:
        doomed.send_signal(signal.SIGKILL)
        doomed.communicate(timeout=30)
    assert doomed.returncode == -signal.SIGKILL
    assert event_count(db) == 0
    time.sleep(0.2)
    back = _worker(mosquitto, db_url, tmp_path, "--idle-exit", "1.5")
    out, err = back.communicate(timeout=60)
    assert back.returncode == 0, err.decode()
    assert "50 messages, 500 events stored, 0 duplicates, 0 refused" in out.decode()
    assert event_count(db) == 500


def test_no_password_is_an_error_before_anything_starts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOODTRACE_")}
    done = subprocess.run(
        [FOODTRACE, "ingest", "run", "--db", f"sqlite:///{tmp_path}/t.db"],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert b"no MQTT password" in done.stderr
