"""The ingest against the broker exactly as ``foodtrace broker init`` deploys it: TLS listener,
password file, per-station ACL, unlimited queues. The station publishes over TLS as itself; the
worker reads over TLS as ``foodtrace-ingest``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy.engine import Engine

from tests.support.deployed_broker import DeployedBroker, deployed_broker
from tests.support.mosquitto import mosquitto_available
from tests.trace_api.ingest.support import add_station, run_until_idle, sealed, topic
from trace_api.exceptions import IngestError
from trace_api.ingest.config import IngestSettings
from trace_api.ingest.worker import IngestWorker
from trace_api.storage import get_events_raw

pytestmark = pytest.mark.mosquitto


Deployed = DeployedBroker


@pytest.fixture
def deployed(tmp_path: Path) -> Iterator[DeployedBroker]:
    if not mosquitto_available():
        pytest.skip("mosquitto is not installed")
    with deployed_broker(tmp_path, stations=("st-1",)) as broker:
        yield broker


def _ingest(deployed: Deployed, **kwargs: object) -> IngestSettings:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": deployed.layout.tls_port,
        "tls": True,
        "ca_file": deployed.layout.ca_file,
        "username": "foodtrace-ingest",
        "password": SecretStr(deployed.secrets["foodtrace-ingest"]),
        "client_id": "ingest-tls",
        "linger_ms": 20,
    }
    values.update(kwargs)
    return IngestSettings.model_validate(values)


def _publish_as_station(deployed: Deployed, payload: bytes) -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="st-1")
    client.username_pw_set("st-1", deployed.secrets["st-1"])
    client.tls_set(ca_certs=str(deployed.layout.ca_file))
    client.connect("127.0.0.1", deployed.layout.tls_port)
    client.loop_start()
    try:
        client.publish(topic("st-1"), payload, qos=1).wait_for_publish(10)
    finally:
        client.disconnect()
        client.loop_stop()


def test_station_to_database_over_tls_through_the_deployed_broker(
    deployed: Deployed, db: Engine
) -> None:
    add_station(db, "st-1")
    ingest = _ingest(deployed)
    run_until_idle(db, ingest, idle_s=0.1)  # the persistent session
    ids, payload = sealed("st-1", [1, 2, 3])
    _publish_as_station(deployed, payload)
    stats = run_until_idle(db, ingest)
    assert (stats.messages, stats.stored) == (1, 3)
    assert set(get_events_raw(db, ids)) == set(ids)


def test_wrong_password_or_plain_text_on_the_tls_port_is_an_ingest_error(
    deployed: Deployed, db: Engine
) -> None:
    with pytest.raises(IngestError, match="refused the connection"):
        IngestWorker(_ingest(deployed, password=SecretStr("wrong")), db).run(idle_exit_s=0.1)
    with pytest.raises(IngestError, match="closed the connection before accepting it"):
        IngestWorker(_ingest(deployed, tls=False), db).run(idle_exit_s=0.1)
