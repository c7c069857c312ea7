"""Service settings: environment variables ``FOODTRACE_<NAME>`` over a TOML file.

Sources, strongest first: keyword arguments, the environment (``FOODTRACE_DB`` …), the TOML file
(``$FOODTRACE_CONFIG``, else ``config.toml`` in the per-user config directory; a missing file is
fine), then the defaults below. Example ``config.toml``::

    db = "postgresql://foodtrace@db.example.org/foodtrace"
    db_echo = false
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from trace_api.core.paths import config_dir, data_dir
from trace_api.exceptions import ConfigError

__all__ = ["Settings", "config_file", "default_database_url", "load_settings"]


def default_database_url() -> str:
    """``sqlite:///<data dir>/foodtrace.db``: the database used when none is configured."""
    return f"sqlite:///{data_dir() / 'foodtrace.db'}"


def config_file() -> Path:
    """The TOML file settings are read from (it need not exist)."""
    explicit = os.environ.get("FOODTRACE_CONFIG")
    return Path(explicit) if explicit else config_dir() / "config.toml"


class Settings(BaseSettings):
    """Settings of the traceability service."""

    model_config = SettingsConfigDict(env_prefix="FOODTRACE_", extra="ignore", frozen=True)

    db: str = Field(
        default_factory=default_database_url,
        description="Database URL: sqlite:///path or postgresql://user:password@host/db.",
    )
    db_echo: bool = Field(default=False, description="Log every SQL statement.")
    db_busy_timeout_ms: int = Field(
        default=5000, ge=0, description="SQLite: how long a writer waits for a lock."
    )
    # Query subscriptions (webhooks): see trace_api/subscriptions.
    deliver_in_api: bool = Field(
        default=True, description="Run the webhook delivery worker inside `foodtrace api serve`."
    )
    webhook_poll_interval_s: float = Field(
        default=0.5, gt=0, le=60, description="How often the worker looks for new events."
    )
    webhook_timeout_s: float = Field(
        default=10.0, gt=0, le=300, description="Timeout of one webhook request."
    )
    webhook_max_attempts: int = Field(
        default=12, ge=1, le=100, description="Attempts before a delivery is dead."
    )
    webhook_backoff_base_s: float = Field(
        default=2.0, gt=0, description="Delay before the first retry; doubles each time."
    )
    webhook_backoff_max_s: float = Field(
        default=3600.0, gt=0, description="Longest delay between two attempts."
    )
    webhook_max_events: int = Field(
        default=500, ge=1, le=10_000, description="Events per delivered document."
    )
    webhook_concurrency: int = Field(
        default=8, ge=1, le=256, description="Deliveries sent at once."
    )
    webhook_grace_s: float = Field(
        default=10.0, ge=0, description="How far back each collection re-reads (late commits)."
    )
    webhook_allow_link_local: bool = Field(
        default=False, description="Allow webhooks to link-local and cloud metadata addresses."
    )
    webhook_block_private: bool = Field(
        default=False, description="Refuse webhooks to loopback and private addresses too."
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return (init_settings, env_settings, toml)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning a bad file or value into one :class:`ConfigError`."""
    try:
        return Settings(**overrides)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config_file()}: not valid TOML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "settings"
        raise ConfigError(f"setting {where}: {first['msg']}") from exc
