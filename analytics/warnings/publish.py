"""Publish new warnings on ``{root}/warnings/{severity}`` (JSON W of contract B, QoS 1),
waiting for the broker's PUBACK."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import orjson

from analytics.warnings.settings import PublishSettings

__all__ = ["WarningPublisher", "topic_for"]


def topic_for(root: str, severity: str) -> str:
    return f"{root.rstrip('/')}/warnings/{severity}"


class WarningPublisher:
    """A connected MQTT client (paho, MQTT v5) that publishes warnings."""

    def __init__(self, settings: PublishSettings, timeout_s: float = 10.0) -> None:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

        from analytics.exceptions import PublishError

        self.settings = settings
        self.timeout_s = timeout_s
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2,
            client_id="",
            protocol=MQTTProtocolVersion.MQTTv5,
        )
        self.client.username_pw_set(settings.username, settings.resolved_password())
        if settings.tls:
            self.client.tls_set(ca_certs=str(settings.ca_file) if settings.ca_file else None)
        connected = threading.Event()
        outcome: list[Any] = []

        def on_connect(_c: Any, _u: Any, _f: Any, reason: Any, _p: Any = None) -> None:
            outcome.append(reason)
            connected.set()

        self.client.on_connect = on_connect
        where = f"{settings.host}:{settings.port}"
        try:
            self.client.connect(settings.host, settings.port, keepalive=30)
        except OSError as exc:
            raise PublishError(f"cannot reach the broker at {where}: {exc}") from exc
        self.client.loop_start()
        if not connected.wait(timeout_s) or outcome[0].is_failure:
            self.close()
            why = outcome[0] if outcome else "no answer"
            raise PublishError(f"the broker at {where} refused the connection: {why}")

    def publish(self, warnings: Iterable[dict[str, Any]]) -> int:
        """Publish each warning; returns how many the broker acknowledged."""
        infos = [
            self.client.publish(
                topic_for(self.settings.topic_root, w["severity"]), orjson.dumps(w), qos=1
            )
            for w in warnings
        ]
        for info in infos:
            info.wait_for_publish(self.timeout_s)
        return sum(1 for info in infos if info.is_published())

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()

    def __enter__(self) -> WarningPublisher:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
