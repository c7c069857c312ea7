"""The whole chain, every part real: simulated reader firmware on a pty → ``foodtrace edge run``
→ Mosquitto → ``foodtrace ingest run`` → the database (SQLite and PostgreSQL).

A scripted tag population passes the reader in three groups. The first ingest process commits
in batches of 4 events and otherwise never (huge linger), so after group 1 is stored, group 2's
event sits received but uncommitted; then the ingest is killed with SIGKILL. Group 3 passes
while no ingest runs (the broker queues it in the worker's persistent session). A restarted
ingest (same client id) gets group 2 again and group 3: the database ends with exactly the
scripted events, each once, station sequence 1 … 8 without a gap, and no dead letter.

Scenario times are seconds after ``START_S`` (the agent has handshaken by then, checked).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from firmware_sim.device import SimulatedReader
from firmware_sim.scenario import Scenario, TagSpec, epc_bytes
from firmware_sim.serve import serving
from tests.edge_agent.conftest import READ_POINT, sgtin_hex, sgtin_uri, wait_until
from tests.support.mosquitto import MosquittoBroker
from tests.support.ports import free_port
from tests.trace_api.ingest.support import add_station, dead_letters, event_count
from trace_api.models import metadata
from trace_api.storage import station_sequence

pytestmark = pytest.mark.mosquitto

ROOT = Path(__file__).parents[3]
STATION = "e2e-door"
SITE = "e2e-site"
INGEST_ID = "e2e-ingest"
FOODTRACE = [sys.executable, "-c", "import sys; from foodtrace.cli import run; sys.exit(run())"]
START_S = 8.0  # the agent (a fresh Python process, on a busy machine) must be up by then
GROUP_2_S = 1.5  # one tag: its event is received by the first ingest, never committed
GROUP_3_S = 6.0  # passes while no ingest runs


def _tag(serial: int, enter: float, antenna: int = 1) -> TagSpec:
    return TagSpec(
        epc_bytes(sgtin_hex(serial)),
        antenna=antenna,
        enter_s=START_S + enter,
        leave_s=START_S + enter + 1.0,
    )


POPULATION = (
    _tag(1, 0.0),
    _tag(11, 0.1, antenna=2),
    _tag(2, 0.2),
    _tag(3, 0.4),
    _tag(5, GROUP_2_S),
    _tag(6, GROUP_3_S),
    _tag(12, GROUP_3_S + 0.2, antenna=2),
    _tag(7, GROUP_3_S + 0.4),
)
EXPECTED = Counter(
    [("receiving", sgtin_uri(n)) for n in (1, 2, 3, 5, 6, 7)]
    + [("storing", sgtin_uri(n)) for n in (11, 12)]
)


def _station_toml(tmp_path: Path, broker: MosquittoBroker, port: str) -> Path:
    secret = tmp_path / "station-password"
    secret.write_text(broker.add_user(STATION) + "\n")
    secret.chmod(0o600)
    config = tmp_path / "station.toml"
    config.write_text(
        f"""
[station]
id = "{STATION}"
site = "{SITE}"
read_point = "{READ_POINT}"

[reader]
port = "{port}"
protocol = "r2000"
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
password_file = "{secret}"
heartbeat_s = 0
keepalive_s = 5
reconnect_min_s = 1
reconnect_max_s = 1

[outbox]
path = "{tmp_path / "outbox.sqlite3"}"
replay_rate = 0

[metrics]
enabled = false
"""
    )
    return config


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOODTRACE_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@contextmanager
def _process(args: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``foodtrace ARGS`` with stdout in ``log``.out and stderr in ``log``.err (files: a full
    pipe would block the process)."""
    with log.with_suffix(".out").open("wb") as out, log.with_suffix(".err").open("wb") as err:
        proc = subprocess.Popen([*FOODTRACE, *args], stdout=out, stderr=err, env=_env(), cwd=ROOT)
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(30)


def _ingest_args(broker: MosquittoBroker, db_url: str, tmp_path: Path, *extra: str) -> list[str]:
    user, password = broker.credentials()
    secret = tmp_path / "ingest-password"
    secret.write_text(password + "\n")
    return [
        *("ingest", "run", "--db", db_url),
        *("--host", broker.host, "--port", str(broker.port), "--username", user),
        *("--password-file", str(secret), "--client-id", INGEST_ID, "--share-group", INGEST_ID),
        *extra,
    ]


def _metric(port: int, name: str) -> float:
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return -1.0
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return -1.0


def _stored(engine: Engine) -> list[dict[str, Any]]:
    event = metadata.tables["event"]
    ident = metadata.tables["event_identifier"]
    query = (
        sa.select(event.c.event_id, event.c.biz_step, event.c.station_id, event.c.station_seq)
        .add_columns(ident.c.value)
        .join(ident, ident.c.event_pk == event.c.id)
        .order_by(event.c.station_seq)
    )
    with engine.connect() as connection:
        return [dict(row._mapping) for row in connection.execute(query)]


def test_station_to_database_exactly_once_across_an_ingest_kill(
    tmp_path: Path, mosquitto: MosquittoBroker, db_url: str, db: Engine
) -> None:
    add_station(db, STATION, [READ_POINT])
    metrics_port = free_port()
    first = _ingest_args(
        mosquitto,
        db_url,
        tmp_path,
        *("--batch-events", "4", "--linger-ms", "600000"),
        *("--metrics-port", str(metrics_port)),
    )
    with _process(first, tmp_path / "ingest-1") as doomed:
        wait_until(
            lambda: _metric(metrics_port, "foodtrace_ingest_queue_messages") >= 0,
            60,
            "the first ingest to connect",
        )
        reader = SimulatedReader("r2000", Scenario(tags=POPULATION, antennas=(1, 2), read_rate=300))
        with serving(reader, link=tmp_path / "reader") as url:
            config = _station_toml(tmp_path, mosquitto, url)
            with _process(["edge", "run", "--config", str(config)], tmp_path / "agent") as agent:
                wait_until(lambda: reader.stats.commands >= 4, 15, "the agent to handshake")
                assert reader.elapsed() < START_S, "the agent connected too late"
                wait_until(lambda: event_count(db) == 4, 30, "group 1 in the database")
                wait_until(
                    lambda: _metric(metrics_port, "foodtrace_ingest_queue_messages") >= 1,
                    30,
                    "group 2 received, not committed",
                )
                doomed.send_signal(signal.SIGKILL)
                doomed.wait(30)
                assert reader.elapsed() < START_S + GROUP_3_S, "killed after group 3 came"
                wait_until(
                    lambda: reader.elapsed() > START_S + GROUP_3_S + 2.0, 30, "group 3 to pass"
                )
                agent.send_signal(signal.SIGTERM)
                assert agent.wait(30) == 0
    assert doomed.returncode == -signal.SIGKILL
    assert event_count(db) == 4  # group 2 was received by the killed worker, never committed
    log = tmp_path / "ingest-2"
    with _process(_ingest_args(mosquitto, db_url, tmp_path, "--idle-exit", "2"), log) as again:
        assert again.wait(120) == 0, log.with_suffix(".err").read_text()
    summary = log.with_suffix(".out").read_text()
    assert "4 events stored, 0 duplicates, 0 refused, 0 dead letters" in summary

    rows = _stored(db)
    assert Counter((r["biz_step"], r["value"]) for r in rows) == EXPECTED
    assert len({r["event_id"] for r in rows}) == len(rows) == event_count(db) == 8
    assert {r["station_id"] for r in rows} == {STATION}
    assert [r["station_seq"] for r in rows] == list(range(1, 9))
    state = station_sequence(db, STATION)
    assert state is not None
    assert (state.highest_contiguous, state.highest_seen, state.gaps) == (8, 8, [])
    assert dead_letters(db) == []
