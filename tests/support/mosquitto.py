"""A real Mosquitto broker for tests: generated config, generated credentials, free loopback port.

The broker runs the Debian ``mosquitto`` binary with persistence on, passwords required and an
optional ACL file, so QoS 1, persistent sessions, retained messages, wills and ACLs behave as in
production. ``stop()``/``start()`` keep the same port and persistence directory, so tests can take
the broker away and bring it back.
"""

from __future__ import annotations

import getpass
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.ports import free_port, wait_for_port

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
MOSQUITTO_PASSWD = shutil.which("mosquitto_passwd") or "/usr/bin/mosquitto_passwd"


def mosquitto_available() -> bool:
    return os.access(MOSQUITTO, os.X_OK) and os.access(MOSQUITTO_PASSWD, os.X_OK)


@dataclass
class MosquittoBroker:
    """One Mosquitto process on 127.0.0.1 with its own directory."""

    base_dir: Path
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    users: dict[str, str] = field(default_factory=dict)
    acl: str | None = None
    # 0 = no limit: the broker must never drop queued QoS>0 messages for a slow subscriber
    # (the default of 1000 silently dropped 0.7 % in our measurements).
    max_queued_messages: int = 0
    extra_config: str = ""
    _proc: subprocess.Popen[bytes] | None = None

    def __post_init__(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        (self.base_dir / "data").mkdir(exist_ok=True)
        if not self.users:
            self.add_user("test-admin")

    # -- configuration ---------------------------------------------------------------------

    @property
    def conf_path(self) -> Path:
        return self.base_dir / "mosquitto.conf"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "mosquitto.log"

    def add_user(self, username: str, password: str | None = None) -> str:
        """Add (or replace) a user with a generated password; returns the password."""
        password = password or secrets.token_urlsafe(18)
        self.users[username] = password
        self._write_config()
        if self.running:
            self.reload()
        return password

    def set_acl(self, acl: str | None) -> None:
        self.acl = acl
        self._write_config()
        if self.running:
            self.reload()

    def _write_config(self) -> None:
        passwd = self.base_dir / "passwd"
        passwd.write_text("")
        for user, pw in self.users.items():
            subprocess.run(
                [MOSQUITTO_PASSWD, "-b", str(passwd), user, pw],
                check=True,
                capture_output=True,
            )
        lines = [
            f"listener {self.port} {self.host}",
            "allow_anonymous false",
            f"password_file {passwd}",
            "persistence true",
            f"persistence_location {self.base_dir / 'data'}/",
            "autosave_interval 1",
            f"max_queued_messages {self.max_queued_messages}",
            "max_inflight_messages 20",
            f"log_dest file {self.log_path}",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "connection_messages true",
            f"user {getpass.getuser()}",
        ]
        if self.acl is not None:
            acl_path = self.base_dir / "acl"
            acl_path.write_text(self.acl)
            lines.append(f"acl_file {acl_path}")
        if self.extra_config:
            lines.append(self.extra_config)
        self.conf_path.write_text("\n".join(lines) + "\n")

    # -- process -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        if self.running:
            return
        if not self.conf_path.exists():
            self._write_config()
        self._proc = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.conf_path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_port(self.host, self.port)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"mosquitto did not start: {self.log_tail()}") from None

    def reload(self) -> None:
        """Re-read password and ACL files (SIGHUP)."""
        if self._proc is not None and self.running:
            self._proc.send_signal(signal.SIGHUP)

    def stop(self, kill: bool = False) -> None:
        if self._proc is None:
            return
        if self._proc.poll() is None:
            if kill:
                self._proc.kill()
            else:
                self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        if self._proc.stderr is not None:
            self._proc.stderr.close()
        self._proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def credentials(self, username: str = "test-admin") -> tuple[str, str]:
        return username, self.users[username]


def new_broker(**kwargs: object) -> MosquittoBroker:
    base = Path(tempfile.mkdtemp(prefix="foodtrace-mosquitto-"))
    return MosquittoBroker(base_dir=base, **kwargs)  # type: ignore[arg-type]


def remove_broker(broker: MosquittoBroker) -> None:
    broker.stop()
    shutil.rmtree(broker.base_dir, ignore_errors=True)
