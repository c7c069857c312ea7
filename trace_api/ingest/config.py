"""Connection and batching settings of the ingest worker: ``FOODTRACE_INGEST__<NAME>``.

Sources, strongest first: keyword arguments (the CLI options), the environment
(``FOODTRACE_INGEST__HOST`` …), then the defaults below. There is no default password: it comes
from ``password_file`` (first line) or ``FOODTRACE_INGEST__PASSWORD``.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from trace_api.exceptions import ConfigError

__all__ = ["IngestSettings", "load_ingest_settings"]

#: MQTT v5 session expiry meaning "never" (the broker keeps the worker's queue until it returns).
NEVER_EXPIRES = 0xFFFFFFFF


class IngestSettings(BaseSettings):
    """Where the broker is, who we are, and how events are batched."""

    model_config = SettingsConfigDict(env_prefix="FOODTRACE_INGEST__", extra="ignore", frozen=True)

    host: str = Field(default="127.0.0.1", description="Broker host.")
    port: int = Field(default=1883, ge=1, le=65535, description="Broker port.")
    username: str = Field(default="foodtrace-ingest", description="MQTT username.")
    password: SecretStr | None = Field(default=None, description="MQTT password (or a file).")
    password_file: Path | None = Field(default=None, description="File whose first line is it.")
    tls: bool = Field(default=False, description="Connect with TLS.")
    ca_file: Path | None = Field(default=None, description="CA certificate(s) for TLS.")
    topic_root: str = Field(default="foodtrace/v1", description="Root of the station topics.")
    protocol: Literal["5", "3.1.1"] = Field(
        default="5",
        description="MQTT version. 3.1.1 has no shared subscriptions: one worker only "
        "(for brokers without MQTT 5, such as the demo's embedded fallback broker).",
    )
    share_group: str = Field(default="foodtrace-ingest", description="Shared subscription group.")
    client_id: str = Field(
        default_factory=lambda: f"foodtrace-ingest-{socket.gethostname()}",
        description="Fixed MQTT client id of this worker (its persistent session).",
    )
    session_expiry_s: int = Field(
        default=NEVER_EXPIRES, ge=0, le=NEVER_EXPIRES, description="Session expiry (v5)."
    )
    keepalive_s: int = Field(default=30, ge=5)
    receive_maximum: int = Field(
        default=1000, ge=1, le=65535, description="Unacknowledged messages the broker may send."
    )
    batch_events: int = Field(default=2000, ge=1, description="Commit when this many events…")
    linger_ms: int = Field(default=50, ge=0, description="…or this long after the first.")
    commit_connections: int = Field(
        default=2,
        ge=1,
        le=16,
        description=(
            "Batches committed at once, each on its own database connection (acknowledged in "
            "order); SQLite always uses 1 (one writer at a time)."
        ),
    )
    accept_unknown_stations: bool = Field(
        default=False, description="Store events of stations missing from the station table."
    )
    station_refresh_s: float = Field(default=30.0, gt=0, description="Station table re-read.")

    def resolved_password(self) -> str:
        """The password from ``password`` or ``password_file``; :class:`ConfigError` if none."""
        if self.password is not None:
            return self.password.get_secret_value()
        if self.password_file is not None:
            try:
                lines = self.password_file.read_text().splitlines()
            except OSError as exc:
                raise ConfigError(f"cannot read password file {self.password_file}: {exc}") from exc
            if lines and lines[0]:
                return lines[0]
            raise ConfigError(f"password file {self.password_file} is empty")
        raise ConfigError(
            "no MQTT password: set --password-file or FOODTRACE_INGEST__PASSWORD(_FILE)"
        )

    @property
    def subscription(self) -> str:
        """The shared subscription on every station's events topic (MQTT 3.1.1: a plain one)."""
        events = f"{self.topic_root.rstrip('/')}/+/+/events"
        return events if self.protocol == "3.1.1" else f"$share/{self.share_group}/{events}"


def load_ingest_settings(**overrides: Any) -> IngestSettings:
    """Read the settings (``None`` overrides are ignored); a bad value is a :class:`ConfigError`."""
    given = {k: v for k, v in overrides.items() if v is not None}
    try:
        return IngestSettings(**given)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        raise ConfigError(f"ingest setting {where}: {first['msg']}") from exc
