"""The delivery worker inside ``foodtrace api serve`` and as ``foodtrace api deliver``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import orjson
import pytest
from sqlalchemy.engine import Engine
from websockets.sync.client import connect

from foodtrace.cli import run
from tests.trace_api.api import chain
from tests.trace_api.api.client import TestClient
from tests.trace_api.api.test_serve import _free_port, _wait_ready
from tests.trace_api.subscriptions.conftest import TOKEN
from tests.trace_api.subscriptions.receiver import receiver
from trace_api.auth.tokens import create_token
from trace_api.core.config import Settings
from trace_api.main import create_app
from trace_api.storage import prepare_event, store_events

COMMAND = [
    sys.executable,
    "-c",
    "import sys; from foodtrace.cli import run; sys.exit(run(sys.argv[1:]))",
]


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "FOODTRACE_CONFIG": str(tmp_path / "none.toml"),
        "FOODTRACE_WEBHOOK_POLL_INTERVAL_S": "0.1",
    }


def _subscribe(client: httpx.Client, dest: str) -> None:
    query = {"name": "all", "query": {"eventType": ["ObjectEvent", "AggregationEvent"]}}
    assert client.post("/epcis/queries", json=query).status_code == 201
    body = {"dest": dest, "signatureToken": TOKEN, "stream": True}
    response = client.post("/epcis/queries/all/subscriptions", json=body)
    assert response.status_code == 201, response.text


def test_api_serve_delivers_webhooks_and_websockets(
    db: Engine, db_url: str, tmp_path: Path
) -> None:
    token = {"Authorization": f"Bearer {create_token(db, 'regulator')}"}
    port = _free_port()
    process = subprocess.Popen(
        [*COMMAND, "api", "serve", "--db", db_url, "--port", str(port), "--log-level", "warning"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process)
        ws_url = f"ws://127.0.0.1:{port}/epcis/queries/all/events?stream=true"
        with receiver() as hook, httpx.Client(base_url=base, headers=token, timeout=10) as client:
            _subscribe(client, hook.url)
            with connect(ws_url, additional_headers=token) as websocket:
                document = orjson.dumps(chain.document(chain.events()[:3]))
                headers = {"Content-Type": "application/json"}
                captured = client.post("/epcis/capture", content=document, headers=headers)
                assert captured.status_code == 202
                [delivery] = hook.wait_for(1)
                expected = [chain.event_id(n) for n in (1, 2, 3)]
                assert delivery.event_ids() == expected
                pushed = orjson.loads(websocket.recv(timeout=20))
                results = pushed["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
                assert [e["eventID"] for e in results] == expected
            line = 'foodtrace_webhook_attempts_total{outcome="delivered"} 1.0'
            deadline = time.monotonic() + 10  # counted once the worker has recorded the 200
            while line not in client.get("/metrics").text:
                assert time.monotonic() < deadline, "the delivery was not counted"
                time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr.decode()


def test_api_deliver_once_and_until_terminated(
    db: Engine, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = create_app(Settings(db=db_url), engine=db)
    token = create_token(db, "regulator")
    with receiver() as hook:
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            query = {"name": "all", "query": {"eventType": "ObjectEvent"}}
            assert client.post("/epcis/queries", json=query).status_code == 201
            body = {"dest": hook.url, "signatureToken": TOKEN, "stream": True}
            assert client.post("/epcis/queries/all/subscriptions", json=body).status_code == 201
        store_events(db, [prepare_event(chain.events()[0])])
        assert run(["api", "deliver", "--db", db_url, "--once"]) == 0
        assert capsys.readouterr().out.strip() == "collected 1, delivered 1, failed 0, dead 0"
        assert hook.ok()[0].event_ids() == [chain.event_id(1)]
        process = subprocess.Popen(
            [*COMMAND, "api", "deliver", "--db", db_url],
            env=_env(tmp_path),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            store_events(db, [prepare_event(chain.events()[2])])
            hook.wait_for(2)
            assert hook.ok()[1].event_ids() == [chain.event_id(3)]
        finally:
            process.terminate()
            _, stderr = process.communicate(timeout=30)
        assert process.returncode == 0, stderr.decode()
