"""Broker accounts: generated passwords in Mosquitto's password file, secrets kept 0600.

Passwords are never defaulted: each account gets ``secrets.token_urlsafe(24)`` (192 bits) the
moment it is created, hashed into the password file by ``mosquitto_passwd`` (PBKDF2-SHA512), and
the clear text is written once to ``credentials/<user>.secret`` (mode 0600) for the operator to
hand to the station's configuration.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

from trace_api.exceptions import BrokerConfigError

__all__ = ["STATION_ID", "generate_password", "set_password", "write_secret"]

#: Station ids double as MQTT usernames and as a topic level: no wildcards, no slashes.
STATION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def generate_password() -> str:
    return secrets.token_urlsafe(24)


def _mosquitto_passwd() -> str:
    found = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"
    if not os.access(found, os.X_OK):
        raise BrokerConfigError("mosquitto_passwd not found: install the mosquitto package")
    return found


def set_password(password_file: Path, username: str, password: str) -> None:
    """Add or replace ``username`` in the Mosquitto password file (created when missing)."""
    if ":" in username or not username:
        raise BrokerConfigError(f"invalid MQTT username {username!r}")
    if not password_file.exists():
        password_file.touch(mode=0o640)
    result = subprocess.run(
        [_mosquitto_passwd(), "-b", str(password_file), username, password],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BrokerConfigError(
            f"mosquitto_passwd failed for {username!r}: {result.stderr.strip() or result.stdout}"
        )


def write_secret(config_dir: Path, username: str, password: str) -> Path:
    """Store the clear-text password for the operator, readable by its owner only."""
    directory = config_dir / "credentials"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / f"{username}.secret"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return path
