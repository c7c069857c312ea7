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
