"""Where new warnings are published: ``FOODTRACE_WARNINGS__<NAME>`` or CLI options. There is no
default password: it comes from ``password_file`` or ``FOODTRACE_WARNINGS__PASSWORD``."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from trace_api.exceptions import ConfigError

__all__ = ["PublishSettings"]


class PublishSettings(BaseSettings):
    """The broker the analytics publish warnings to."""

    model_config = SettingsConfigDict(
        env_prefix="FOODTRACE_WARNINGS__", extra="ignore", frozen=True
    )

    host: str = Field(default="127.0.0.1")
    port: int = Field(default=1883, ge=1, le=65535)
    username: str = Field(default="foodtrace-analytics")
    password: SecretStr | None = None
    password_file: Path | None = None
    tls: bool = False
    ca_file: Path | None = None
    topic_root: str = Field(default="foodtrace/v1")

    def resolved_password(self) -> str:
        if self.password is not None:
            return self.password.get_secret_value()
        if self.password_file is not None:
            try:
                first = self.password_file.read_text().splitlines()[:1]
            except OSError as exc:
                raise ConfigError(f"cannot read password file {self.password_file}: {exc}") from exc
            if first and first[0]:
                return first[0]
            raise ConfigError(f"password file {self.password_file} is empty")
        raise ConfigError("no MQTT password: set --password-file or FOODTRACE_WARNINGS__PASSWORD")
