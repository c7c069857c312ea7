"""``foodtrace api serve`` as a real process, spoken to over HTTP."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
from sqlalchemy.engine import Engine

from tests.trace_api.api import chain
from trace_api.auth.tokens import create_token


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not become ready")


def test_serve_subprocess(db: Engine, db_url: str, tmp_path: Path) -> None:
    token = {"Authorization": f"Bearer {create_token(db, 'regulator')}"}
    port = _free_port()
    env = {**os.environ, "FOODTRACE_CONFIG": str(tmp_path / "none.toml")}
    command = [
        sys.executable,
        "-c",
        "import sys; from foodtrace.cli import run; sys.exit(run(sys.argv[1:]))",
    ]
    process = subprocess.Popen(
        [*command, "api", "serve", "--db", db_url, "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        with httpx.Client(base_url=base, timeout=10) as client:
            response = client.post(
                "/epcis/capture",
                content=orjson.dumps(chain.document()),
                headers={**token, "Content-Type": "application/json"},
            )
            assert response.status_code == 202, response.text
            location = response.headers["Location"]
            job: dict[str, object] = {}
            for _ in range(100):
                job = client.get(location, headers=token).json()
                if not job["running"]:
                    break
                time.sleep(0.05)
            assert job["success"] is True and job["storedCount"] == 6
            events = client.get("/epcis/events", params={"orderDirection": "ASC"}, headers=token)
            found = events.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
            assert found == chain.events()
            assert client.get("/epcis/events").status_code == 401
            openapi = client.get("/api/v1/openapi.json").json()
            assert "/epcis/capture" in openapi["paths"]
            metrics = client.get("/metrics").text
            line = (
                'foodtrace_http_requests_total{method="POST",route="/epcis/capture",status="202"}'
            )
            assert f"{line} 1.0" in metrics
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            process.stderr.close()
    assert process.returncode == 0
