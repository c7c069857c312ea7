"""New warnings delivered by signed webhook to a real HTTP server on a loopback port."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from analytics.cli import app as analytics_app
from analytics.warnings.webhook import WebhookSender, WebhookSettings, sign, verify
from tests.analytics.support import store_world
from tests.analytics.world import World, routes

SECRET = "s3cr3t-for-this-test-only"


class Receiver:
    """Records every request; answers 500 to the first one (to exercise the retry)."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = True
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = 500 if receiver.fail_first else 204
                receiver.fail_first = False
                self.send_response(status)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/foodtrace"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver()
    yield made
    made.close()


def test_signature_round_trip() -> None:
    body = b'{"id": "x"}'
    signature = sign(SECRET.encode(), "1764000000", body)
    assert signature.startswith("sha256=") and len(signature) == 7 + 64
    assert verify(SECRET.encode(), "1764000000", body, signature)
    assert not verify(SECRET.encode(), "1764000001", body, signature)
    assert not verify(b"other", "1764000000", body, signature)
    assert not verify(SECRET.encode(), "1764000000", body + b" ", signature)


def test_run_delivers_each_new_warning_signed(
    receiver: Receiver,
    db: Engine,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store_world(db, World(read_rate=1.0, seed=7).build())
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    monkeypatch.setenv("FOODTRACE_WEBHOOK__URL", receiver.url)
    monkeypatch.setenv("FOODTRACE_WEBHOOK__SECRET", SECRET)
    args = ["run", "--db", db_url, "--routes", str(path), "--json", "--webhook"]
    result = CliRunner().invoke(analytics_app, args)
    assert result.exit_code == 0, result.output
    printed = {orjson.loads(line)["id"] for line in result.output.splitlines()}
    assert len(printed) == 13
    first, retry = receiver.requests[0], receiver.requests[1]
    assert first[0]["X-Foodtrace-Delivery"] == retry[0]["X-Foodtrace-Delivery"]
    delivered = {}
    for headers, body in receiver.requests[1:]:
        assert headers["X-Foodtrace-Event"] == "warning"
        assert verify(
            SECRET.encode(),
            headers["X-Foodtrace-Timestamp"],
            body,
            headers["X-Foodtrace-Signature"],
        )
        warning = orjson.loads(body)
        delivered[warning["id"]] = warning
    assert set(delivered) == printed
    # a second run raises nothing new, so nothing is delivered
    count = len(receiver.requests)
    assert CliRunner().invoke(analytics_app, args).exit_code == 0
    assert len(receiver.requests) == count


def test_unreachable_receiver_is_counted_not_raised() -> None:
    settings = WebhookSettings(
        url="http://127.0.0.1:9/none", secret=SecretStr(SECRET), timeout_s=0.5
    )
    with WebhookSender(settings) as sender:
        (outcome,) = sender.deliver([{"id": "w1", "severity": "alert"}])
    assert (outcome.delivered, outcome.status, outcome.attempts) == (False, None, 3)


def test_webhook_needs_a_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FOODTRACE_WEBHOOK__SECRET", raising=False)
    from foodtrace.exceptions import FoodtraceError
    from trace_api.exceptions import ConfigError

    with pytest.raises(ConfigError, match="no webhook secret"):
        WebhookSender(WebhookSettings(url="http://127.0.0.1:9/"))
    assert issubclass(ConfigError, FoodtraceError)
