"""Shared fixtures: real Mosquitto and PostgreSQL servers on free loopback ports.

Service tests are marked (``mosquitto``, ``postgres``, ``browser``). When a binary is missing they
are skipped with the reason — except under CI (``CI`` set), where a missing binary is a failure,
because the setup step installs them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.support.browser import LiveServer, chromium_path, launch_chromium
from tests.support.mosquitto import MosquittoBroker, mosquitto_available, new_broker, remove_broker
from tests.support.postgres import PostgresServer, new_server, postgres_available, remove_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from sqlalchemy.engine import Engine

IN_CI = bool(os.environ.get("CI"))


def _require(available: bool, what: str) -> None:
    if available:
        return
    message = f"{what} is not installed (run ./run test, which installs it)"
    if IN_CI:
        pytest.fail(f"{message}; CI must not skip service tests")
    pytest.skip(message)


@pytest.fixture(scope="session")
def mosquitto_session() -> Iterator[MosquittoBroker]:
    """One broker for the whole session; isolate tests with :func:`unique_topic`."""
    _require(mosquitto_available(), "mosquitto")
    broker = new_broker()
    broker.start()
    yield broker
    remove_broker(broker)


@pytest.fixture
def mosquitto(mosquitto_session: MosquittoBroker) -> MosquittoBroker:
    return mosquitto_session


@pytest.fixture
def mosquitto_factory() -> Iterator[Callable[..., MosquittoBroker]]:
    """Brokers of a test's own (custom ACL, users, stop/restart); removed after the test."""
    _require(mosquitto_available(), "mosquitto")
    made: list[MosquittoBroker] = []

    def make(**kwargs: object) -> MosquittoBroker:
        broker = new_broker(**kwargs)
        made.append(broker)
        return broker

    yield make
    for broker in made:
        remove_broker(broker)


@pytest.fixture
def unique_topic() -> str:
    return f"test/{uuid.uuid4().hex}"


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    _require(postgres_available(), "PostgreSQL server")
    server = new_server(settings={"fsync": "off", "full_page_writes": "off"})
    server.start()
    yield server
    remove_server(server)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty database for one test; dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:16]}"
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The system's headless Chromium, driven by Playwright (one per test session)."""
    _require(chromium_path() is not None, "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page (own context: no cookies or storage shared between tests), 390x844 viewport."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def live_server() -> Iterator[Callable[[Any], LiveServer]]:
    """Serve any ASGI app on a free loopback port: ``live_server(app).url``; stopped after."""
    started: list[LiveServer] = []

    def serve(app: Any) -> LiveServer:
        server = LiveServer(app)
        server.start()
        started.append(server)
        return server

    yield serve
    for server in reversed(started):
        server.stop()


@dataclass(frozen=True)
class LiveApp:
    """The traceability service served for real: its base ``url`` and its database."""

    url: str
    db_url: str
    engine: Engine


@pytest.fixture
def live_app(tmp_path: Path, live_server: Callable[[Any], LiveServer]) -> Iterator[LiveApp]:
    """``trace_api``'s app on a migrated SQLite database, served by uvicorn on 127.0.0.1."""
    from trace_api.core.config import Settings
    from trace_api.core.db import create_engine
    from trace_api.main import create_app
    from trace_api.migrate import upgrade

    db_url = f"sqlite:///{tmp_path / 'live.db'}"
    engine = create_engine(db_url)
    upgrade(engine)
    server = live_server(create_app(Settings(db=db_url), engine=engine))
    yield LiveApp(url=server.url, db_url=db_url, engine=engine)
    engine.dispose()
