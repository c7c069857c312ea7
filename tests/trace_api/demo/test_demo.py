"""``foodtrace demo`` as a user runs it: a process, its URL lines, its parts, Ctrl-C, again.

The demo runs as a subprocess on a free port and a temporary data folder. The test reads the
``NAME: URL`` lines, asks the API, waits until every station's events are in the database,
stops it with SIGINT (the second run: SIGTERM) and checks the exit code, that no process of it
is left and that the port is free. The second run on the same folder must add a new day without
duplicating master data, the recall or the regulator's password.
"""

from __future__ import annotations

import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from tests.support.ports import free_port
from trace_api.core.db import create_engine
from trace_api.demo.story import PRODUCTS, STATIONS, run_lots
from trace_api.models import metadata
from trace_api.web.console.accounts import check_password

ROOT = Path(__file__).parents[3]
FOODTRACE = [sys.executable, "-c", "import sys; from foodtrace.cli import run; sys.exit(run())"]
NAMES = (
    "consumer page (sample pack)",
    "consumer page (recalled lot)",
    "regulator console",
    "regulator user",
    "regulator password",
    "API docs",
    "API token",
    "metrics",
)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOODTRACE")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@contextmanager
def demo(data_dir: Path, port: int, log: Path, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [*FOODTRACE, "demo", "--port", str(port), "--data-dir", str(data_dir), *options],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=err,
            env=_env(),
            cwd=ROOT,
        )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        assert proc.stdout is not None
        proc.stdout.close()


def read_urls(proc: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> dict[str, str]:
    """The first stdout lines, ``NAME: VALUE``, until every name came."""
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    buffer = b""
    deadline = time.monotonic() + timeout
    while buffer.count(b"\n") < len(NAMES):
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            raise AssertionError(f"no URL lines (exit {proc.poll()}):\n{log.read_text()}")
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                continue
            buffer += chunk
    lines = buffer.decode().splitlines()[: len(NAMES)]
    pairs = [line.split(": ", 1) for line in lines]
    assert [name for name, _ in pairs] == list(NAMES), lines
    return dict((name, value) for name, value in pairs)  # noqa: C402 - pairs are lists


def events_by_station(db: Path) -> dict[str, int]:
    engine = create_engine(f"sqlite:///{db}")
    event = metadata.tables["event"]
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.select(event.c.station_id, sa.func.count())
                .where(event.c.station_id.in_([s.id for s in STATIONS]))
                .group_by(event.c.station_id)
            )
            return {str(k): int(v) for k, v in rows}
    finally:
        engine.dispose()


def count_rows(db: Path, table: str) -> int:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as connection:
            return int(
                connection.execute(
                    sa.select(sa.func.count()).select_from(metadata.tables[table])
                ).scalar_one()
            )
    finally:
        engine.dispose()


def wait_for_events(db: Path, expected: dict[str, int], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    counts: dict[str, int] = {}
    while time.monotonic() < deadline:
        counts = events_by_station(db)
        if all(counts.get(k, 0) >= v for k, v in expected.items()):
            assert counts == expected, "more events than the story has: duplicates"
            return
        time.sleep(0.5)
    raise AssertionError(f"station events {counts}, expected {expected}")


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that name ``text`` (the data folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if text in cmdline:
            found.append(f"{entry.name}: {cmdline}")
    return found


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def expected_events(runs: int) -> dict[str, int]:
    counts = {s.id: 0 for s in STATIONS}
    for run in range(1, runs + 1):
        for station in STATIONS:
            counts[station.id] += len(run_lots(run).packs_seen_by(station))
    return counts


def stop(proc: subprocess.Popen[bytes], sig: int, data_dir: Path, port: int, log: Path) -> None:
    proc.send_signal(sig)
    try:
        code = proc.wait(60)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"the demo did not stop:\n{log.read_text()}") from None
    assert code == 0, log.read_text()
    deadline = time.monotonic() + 5
    while processes_mentioning(str(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(data_dir)) == []
    assert port_is_free(port)


def wait_for_warning(urls: dict[str, str], kind: str, lot: str, timeout: float = 60.0) -> None:
    """The streaming analytics raise ``kind`` about ``lot`` (GET /api/v1/warnings)."""
    base = urls["API docs"].removesuffix("/api/v1/docs")
    headers = {"Authorization": f"Bearer {urls['API token']}"}
    deadline = time.monotonic() + timeout
    found: list[Any] = []
    with httpx.Client(base_url=base, timeout=30) as client:
        while time.monotonic() < deadline:
            answer = client.get("/api/v1/warnings", params={"type": kind}, headers=headers)
            assert answer.status_code == 200, answer.text
            found = answer.json()["warnings"]
            if any(lot in w["lots"] for w in found):
                return
            time.sleep(0.5)
    raise AssertionError(f"no {kind} warning about {lot}: {found}")


def check_api(urls: dict[str, str], recalled_lot: str) -> dict[str, Any]:
    base = urls["API docs"].removesuffix("/api/v1/docs")
    token = urls["API token"]
    with httpx.Client(base_url=base, timeout=30) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert client.get("/api/v1/docs").status_code == 200
        metrics = client.get("/metrics")
        assert metrics.status_code == 200 and "foodtrace_http_requests" in metrics.text
        assert client.get(f"/api/v1/trace/{recalled_lot}").status_code == 401
        headers = {"Authorization": f"Bearer {token}"}
        recalls = client.get("/api/v1/recalls", headers=headers)
        assert recalls.status_code == 200, recalls.text
        trace = client.get(
            f"/api/v1/trace/{recalled_lot}", params={"direction": "forward"}, headers=headers
        )
        assert trace.status_code == 200, trace.text
        # the consumer pages the demo points at (GS1 Digital Link resolver, public)
        html = {"Accept": "text/html", "Accept-Language": "en"}
        sample = client.get(urls["consumer page (sample pack)"], headers=html)
        assert sample.status_code == 200, sample.text
        assert "Baby spinach" in sample.text and "Green Valley Farm" in sample.text
        assert "do not eat this product" not in sample.text
        # the printed login opens the regulator console
        form = client.get("/console/login", headers=html)
        assert form.status_code == 200
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        login = client.post(
            "/console/login",
            data={
                "username": urls["regulator user"],
                "password": urls["regulator password"],
                "csrf": csrf.group(1),
            },
        )
        assert login.status_code == 303, login.text
        home = client.get(urls["regulator console"], headers=html)
        assert home.status_code == 200 and "/console/logout" in home.text
        client.cookies.clear()
        recalled = client.get(urls["consumer page (recalled lot)"], headers=html)
        assert recalled.status_code == 200, recalled.text
        assert "RECALL — do not eat this product" in recalled.text
        result: dict[str, Any] = {"recalls": recalls.json(), "trace": trace.json()}
        return result


@pytest.mark.mosquitto
@pytest.mark.slow
def test_demo_runs_stops_cleanly_and_runs_again(
    tmp_path: Path, mosquitto_factory: Callable[..., object]
) -> None:
    # mosquitto_factory only to require the binary (skip, or fail under CI): the demo starts
    # its own broker.
    data_dir = tmp_path / "demo"
    log = tmp_path / "demo-stderr.txt"
    port = free_port()
    strawberries, spinach = PRODUCTS[1], PRODUCTS[0]
    recalled_url = f"/01/{strawberries.gtin}/10/SH0001"
    recalled_lot = f"https://id.gs1.org/01/{strawberries.gtin}/10/SH0001"

    with demo(data_dir, port, log) as proc:
        urls = read_urls(proc, log)
        base = f"http://127.0.0.1:{port}"
        assert urls["consumer page (sample pack)"] == (
            f"{base}/01/{spinach.gtin}/10/GV0001/21/1001"
        )
        assert urls["consumer page (recalled lot)"] == base + recalled_url
        assert urls["regulator console"] == f"{base}/console/"
        assert urls["metrics"] == f"{base}/metrics"
        wait_for_events(data_dir / "foodtrace.db", expected_events(1))
        first = check_api(urls, recalled_lot)
        # the recall was declared before the packs reached the store: analytics must say so
        wait_for_warning(urls, "recalled_lot_sighted", recalled_lot)
        second_demo = subprocess.run(
            [*FOODTRACE, "demo", "--port", str(free_port()), "--data-dir", str(data_dir)],
            capture_output=True,
            text=True,
            env=_env(),
            cwd=ROOT,
            timeout=60,
            check=False,
        )
        assert second_demo.returncode == 1
        assert "another foodtrace demo is running on" in second_demo.stderr
        assert second_demo.stdout == ""
        stop(proc, signal.SIGINT, data_dir, port, log)
    # ours, and the two of the generated history (loaded on the first run only)
    ours = [r for r in first["recalls"]["recalls"] if r["lots"][0]["lot"] == recalled_lot]
    assert len(ours) == 1 and len(first["recalls"]["recalls"]) == 3
    held = {h["object"]: h["locationName"] for h in first["trace"]["holders"]}
    assert set(held) == {
        f"https://id.gs1.org/01/{strawberries.gtin}/21/{serial}" for serial in range(1001, 1007)
    }
    assert set(held.values()) == {"City Fresh, Wulin store"}
    parties = count_rows(data_dir / "foodtrace.db", "party")

    with demo(data_dir, port, log) as proc:
        again = read_urls(proc, log)
        assert again["consumer page (sample pack)"].endswith(
            f"/01/{spinach.gtin}/10/GV0002/21/2001"
        )
        assert again["consumer page (recalled lot)"] == urls["consumer page (recalled lot)"]
        assert again["regulator password"] == urls["regulator password"]
        assert again["regulator user"] == urls["regulator user"] == "regulator"
        assert again["API token"] == urls["API token"]
        wait_for_events(data_dir / "foodtrace.db", expected_events(2))
        second = check_api(again, recalled_lot)
        stop(proc, signal.SIGTERM, data_dir, port, log)
    assert sorted(r["id"] for r in second["recalls"]["recalls"]) == sorted(
        r["id"] for r in first["recalls"]["recalls"]
    )
    assert count_rows(data_dir / "foodtrace.db", "party") == parties
    assert count_rows(data_dir / "foodtrace.db", "station") == len(STATIONS)
    assert count_rows(data_dir / "foodtrace.db", "dead_letter") == 0
    assert count_rows(data_dir / "foodtrace.db", "api_token") == 1
    engine = create_engine(f"sqlite:///{data_dir / 'foodtrace.db'}")
    try:  # the printed password opens the printed console account, and only one was made
        account = check_password(engine, urls["regulator user"], urls["regulator password"])
        assert account is not None and account.role == "regulator"
        assert check_password(engine, urls["regulator user"], "wrong") is None
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_killed_demo_leaves_no_broker_behind_and_starts_again(
    tmp_path: Path, mosquitto_factory: Callable[..., object]
) -> None:
    # SIGKILL gives the demo no chance to stop anything: Mosquitto must go with it (it runs with
    # a parent-death signal), and the next run on the same folder must start normally.
    data_dir = tmp_path / "demo"
    log = tmp_path / "demo-stderr.txt"
    port = free_port()
    with demo(data_dir, port, log) as proc:
        read_urls(proc, log)
        assert [p for p in processes_mentioning(str(data_dir)) if "mosquitto" in p]
        proc.kill()
        proc.wait(10)
    deadline = time.monotonic() + 10
    while processes_mentioning(str(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_mentioning(str(data_dir)) == []
    with demo(data_dir, port, log) as proc:
        urls = read_urls(proc, log)
        assert urls["consumer page (sample pack)"].endswith("/10/GV0002/21/2001")
        stop(proc, signal.SIGINT, data_dir, port, log)


@pytest.mark.slow
def test_demo_without_mosquitto_uses_the_embedded_broker(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    log = tmp_path / "demo-stderr.txt"
    port = free_port()
    recalled_lot = f"https://id.gs1.org/01/{PRODUCTS[1].gtin}/10/SH0001"
    with demo(data_dir, port, log, "--broker", "amqtt") as proc:
        urls = read_urls(proc, log)
        wait_for_events(data_dir / "foodtrace.db", expected_events(1))
        check_api(urls, recalled_lot)
        stop(proc, signal.SIGINT, data_dir, port, log)
    assert "MQTT broker (amqtt, passwords + ACL)" in log.read_text()
    assert count_rows(data_dir / "foodtrace.db", "dead_letter") == 0


def test_demo_on_a_port_in_use_says_so_and_leaves_nothing(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir(mode=0o755)
    (tmp_path / "d").chmod(0o755)  # an existing folder keeps its permissions
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run(
            [*FOODTRACE, "demo", "--port", str(port), "--data-dir", str(tmp_path / "d")],
            capture_output=True,
            text=True,
            env=_env(),
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "d" / "state.json").exists()
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o755
