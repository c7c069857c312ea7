"""``foodtrace sim reader`` as a process: prints its port, answers, stops on SIGTERM/SIGINT."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import serial

from foodtrace.cli import run
from foodtrace.reader import get_codec
from foodtrace.reader.mercury import StartContinuousRead, TagRecord
from foodtrace.reader.r2000 import GetFirmwareVersion

ROOT = Path(__file__).parents[2]
FOODTRACE = [sys.executable, "-c", "import sys; from foodtrace.cli import run; sys.exit(run())"]


@contextmanager
def simulator(*args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [*FOODTRACE, "sim", "reader", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        yield proc, first
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_pty_simulator_answers_and_stops_cleanly(sig: signal.Signals) -> None:
    with simulator("--protocol", "r2000", "--pty") as (proc, path):
        assert path.startswith("/dev/pts/"), path
        with serial.serial_for_url(path, baudrate=115200, timeout=2) as port:
            port.write(GetFirmwareVersion(address=1).encode())
            assert port.read(7) == bytes.fromhex("A00501720109DE")
        proc.send_signal(sig)
        assert proc.wait(5) == 0
        assert proc.stderr is not None and proc.stderr.read() == ""
    assert not Path(path).exists()  # the pty was closed


def test_tcp_simulator_with_a_scenario(tmp_path: Path) -> None:
    scenario = tmp_path / "scenario.toml"
    scenario.write_text('read_rate = 100\n[[tag]]\nepc = "urn:epc:id:sscc:0614141.1234567890"\n')
    args = ("--protocol", "mercury", "--tcp", "127.0.0.1:0", "--scenario", str(scenario))
    with simulator(*args) as (proc, url):
        assert url.startswith("socket://127.0.0.1:"), url
        with serial.serial_for_url(url, timeout=0.6) as port:
            port.write(StartContinuousRead().encode())
            frames = get_codec("mercury").response_parser().feed(port.read(4096))
        records = [f for f in frames if isinstance(f, TagRecord)]
        assert records and records[0].tag.epc.hex().upper() == "3114257BF4499602D2000000"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(5) == 0


def test_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["sim", "reader", "--protocol", "r2000"]) == 2  # neither --pty nor --tcp
    assert run(["sim", "reader", "--protocol", "chafon", "--pty"]) == 2
    assert run(["sim", "reader", "--tcp", "nowhere", "--protocol", "r2000"]) == 2
    assert "give exactly one of --pty and --tcp" in capsys.readouterr().err
