"""Shared fixtures: real Mosquitto and PostgreSQL servers on free loopback ports.

Service tests are marked (``mosquitto``, ``postgres``, ``browser``). When a binary is missing they
are skipped with the reason — except under CI (``CI`` set), where a missing binary is a failure,
because the setup step installs them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

from tests.support.mosquitto import MosquittoBroker, mosquitto_available, new_broker, remove_broker
from tests.support.postgres import PostgresServer, new_server, postgres_available, remove_server

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
