"""Deliver new warnings by signed webhook: one ``POST`` per warning (JSON W of contract B) to
the configured URL, signed with HMAC-SHA256 of the exact body under a shared secret.

Headers: ``X-Foodtrace-Signature: sha256=<hex>``, ``X-Foodtrace-Event: warning``,
``X-Foodtrace-Delivery: <uuid>`` (the same on every retry of one delivery), ``X-Foodtrace-
Timestamp`` (seconds; it is covered by the signature: the signed text is
``<timestamp>.<body>``, so a captured request cannot be replayed later under a new time).
A receiver recomputes the HMAC and compares in constant time (:func:`verify`).

Settings ``FOODTRACE_WEBHOOK__URL`` and ``FOODTRACE_WEBHOOK__SECRET`` (no default secret). A
delivery is tried three times (0.2 s, 0.8 s apart) on a connection error or a 5xx answer; what
still fails is logged and counted, never raised — a receiver being down must not stop the
scorer.
"""

from __future__ import annotations

import hashlib
import hmac
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from trace_api.exceptions import ConfigError

__all__ = ["Delivery", "WebhookSender", "WebhookSettings", "sign", "verify"]

_RETRY_DELAYS = (0.2, 0.8)


class WebhookSettings(BaseSettings):
    """Where and with which secret warnings are delivered."""

    model_config = SettingsConfigDict(env_prefix="FOODTRACE_WEBHOOK__", extra="ignore", frozen=True)

    url: str = Field(min_length=1)
    secret: SecretStr | None = None
    timeout_s: float = Field(default=5.0, gt=0)

    def resolved_secret(self) -> bytes:
        if self.secret is None or not self.secret.get_secret_value():
            raise ConfigError("no webhook secret: set FOODTRACE_WEBHOOK__SECRET")
        return self.secret.get_secret_value().encode()


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header value of ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: bytes, timestamp: str, body: bytes, signature: str) -> bool:
    """Whether ``signature`` is the signature of ``body`` at ``timestamp`` (constant time)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass(frozen=True, slots=True)
class Delivery:
    """Outcome of one warning's delivery."""

    warning_id: str
    delivered: bool
    status: int | None
    attempts: int


class WebhookSender:
    """Posts warnings to one URL (httpx)."""

    def __init__(self, settings: WebhookSettings) -> None:
        import httpx

        self.settings = settings
        self.secret = settings.resolved_secret()
        self.client = httpx.Client(timeout=settings.timeout_s)

    def _post(self, warning: dict[str, Any]) -> Delivery:
        import httpx
        import structlog

        body = orjson.dumps(warning)
        delivery = str(uuid.uuid4())
        status: int | None = None
        for attempt in range(1, len(_RETRY_DELAYS) + 2):
            stamp = str(int(time.time()))
            headers = {
                "Content-Type": "application/json",
                "X-Foodtrace-Event": "warning",
                "X-Foodtrace-Delivery": delivery,
                "X-Foodtrace-Timestamp": stamp,
                "X-Foodtrace-Signature": sign(self.secret, stamp, body),
            }
            try:
                status = self.client.post(
                    self.settings.url, content=body, headers=headers
                ).status_code
            except httpx.HTTPError:
                status = None
            if status is not None and status < 500:
                return Delivery(warning["id"], 200 <= status < 300, status, attempt)
            if attempt <= len(_RETRY_DELAYS):
                time.sleep(_RETRY_DELAYS[attempt - 1])
        structlog.get_logger("analytics.webhook").warning(
            "webhook delivery failed", warning=warning["id"], status=status, url=self.settings.url
        )
        return Delivery(warning["id"], False, status, len(_RETRY_DELAYS) + 1)

    def deliver(self, warnings: Iterable[dict[str, Any]]) -> list[Delivery]:
        """Post each warning; the outcome of each."""
        return [self._post(w) for w in warnings]

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> WebhookSender:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
