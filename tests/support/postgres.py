"""A real PostgreSQL server for tests: a throwaway cluster on a free loopback port.

``initdb`` and ``postgres`` refuse to run as root, so when the tests run as root the cluster
belongs to an unprivileged system user (``postgres`` when the Debian package created it, else
``nobody``) and every server process runs as that user. The cluster uses password (SCRAM)
authentication with a generated password and listens on 127.0.0.1 only.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.ports import free_port, wait_for_port


def pg_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(os.path.realpath(on_path)).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: (
            int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(candidates[-1]).parent if candidates else None


def postgres_available() -> bool:
    return pg_bindir() is not None


def _service_user() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError(
        "running as root and no unprivileged user (postgres/nobody) to run PostgreSQL"
    )


@dataclass
class PostgresServer:
    """One PostgreSQL cluster in its own directory."""

    base_dir: Path
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    superuser: str = "foodtrace"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    settings: dict[str, str] = field(default_factory=dict)
    _owner: pwd.struct_passwd | None = None

    def __post_init__(self) -> None:
        bindir = pg_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        self.bindir = bindir
        self._owner = _service_user()

    @property
    def data_dir(self) -> Path:
        return self.base_dir / "data"

    @property
    def log_path(self) -> Path:
        return self.base_dir / "postgres.log"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, Any] = {}
        env = {**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        if self._owner is not None:
            kwargs.update(user=self._owner.pw_uid, group=self._owner.pw_gid, extra_groups=[])
            env["HOME"] = str(self.base_dir)
        return subprocess.run(
            list(args),
            check=True,
            capture_output=True,
            text=True,
            env=env,
            cwd=self.base_dir,
            **kwargs,
        )

    def init(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        pwfile = self.base_dir / "pwfile"
        pwfile.write_text(self.password + "\n")
        if self._owner is not None:
            os.chown(self.base_dir, self._owner.pw_uid, self._owner.pw_gid)
            os.chown(pwfile, self._owner.pw_uid, self._owner.pw_gid)
        os.chmod(self.base_dir, 0o700)
        self._run(
            str(self.bindir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            self.superuser,
            "--pwfile",
            str(pwfile),
            "--auth",
            "scram-sha-256",
            "-E",
            "UTF8",
            "--no-instructions",
        )
        pwfile.unlink()

    def start(self) -> None:
        if not self.data_dir.exists():
            self.init()
        opts = {
            "listen_addresses": self.host,
            "port": str(self.port),
            "unix_socket_directories": str(self.base_dir),
            **self.settings,
        }
        options = " ".join(f"-c {k}={v}" for k, v in opts.items())
        self._run(
            str(self.bindir / "pg_ctl"),
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_path),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
        )
        wait_for_port(self.host, self.port)

    def stop(self) -> None:
        if (self.data_dir / "postmaster.pid").exists():
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "fast", "-w", "stop"
            )

    def url(self, database: str = "postgres", driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{self.superuser}:{self.password}@{self.host}:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return (
            f"host={self.host} port={self.port} dbname={database} "
            f"user={self.superuser} password={self.password}"
        )

    def create_database(self, name: str) -> str:
        """Create a database and return its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_server(**kwargs: Any) -> PostgresServer:
    base = Path(tempfile.mkdtemp(prefix="foodtrace-pg-"))
    return PostgresServer(base_dir=base, **kwargs)


def remove_server(server: PostgresServer) -> None:
    try:
        server.stop()
    finally:
        shutil.rmtree(server.base_dir, ignore_errors=True)
