"""The demo's data directory: what one run leaves for the next.

Layout of ``DIR`` (default ``<user data dir>/demo``)::

    foodtrace.db              the traceability database (SQLite)
    state.json                runs so far, the recall declared on the first run
    credentials/regulator     the regulator's API bearer token (generated), mode 0600
    credentials/console       the regulator's console user name and password, mode 0600
    broker/                   Mosquitto configuration, password file, persistence, log
    stations/<id>/            each station's durable outbox
    demo.log                  logs of every part
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from trace_api.core.paths import data_dir
from trace_api.exceptions import DemoError

__all__ = ["DataDir", "DemoState", "default_data_dir"]


def default_data_dir() -> Path:
    return data_dir() / "demo"


@dataclass(slots=True)
class DemoState:
    """What persists between runs (``state.json``)."""

    runs: int = 0
    recalled_lot: str | None = None
    recall_id: str | None = None
    history_loaded: bool = False


@dataclass(frozen=True, slots=True)
class DataDir:
    root: Path

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'foodtrace.db'}"

    @property
    def broker(self) -> Path:
        return self.root / "broker"

    @property
    def log_file(self) -> Path:
        return self.root / "demo.log"

    def station(self, station_id: str) -> Path:
        path = self.root / "stations" / station_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def create(self) -> None:
        """Create the folder (private to its owner) unless it exists; an existing folder keeps
        its permissions (``--data-dir`` may name any folder)."""
        if not self.root.exists():
            self.root.mkdir(mode=0o700, parents=True)

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold ``demo.lock`` while the demo runs: a second demo on the same folder is refused
        (the lock goes with the process, however it ends)."""
        path = self.root / "demo.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise DemoError(
                    f"another foodtrace demo is running on {self.root}: stop it, or pick "
                    "another --data-dir"
                ) from None
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            yield
        finally:
            os.close(fd)

    def load_state(self) -> DemoState:
        path = self.root / "state.json"
        try:
            data = json.loads(path.read_text())
        except FileNotFoundError:
            return DemoState()
        except (OSError, ValueError):
            return DemoState()  # a damaged file: start the count again, the story still works
        known = {k: v for k, v in data.items() if k in DemoState.__dataclass_fields__}
        return DemoState(**known)

    def save_state(self, state: DemoState) -> None:
        path = self.root / "state.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(state), indent=2) + "\n")
        tmp.replace(path)

    def console_login(self, engine: Engine) -> tuple[str, str]:
        """The regulator's console account (user name, password): the stored one while the
        database accepts it, else a new account with a generated password (stored scrypt-hashed
        in the database and in clear text here, 0600)."""
        from trace_api.exceptions import ConsoleUserError
        from trace_api.web.console.accounts import add_user, check_password

        path = self.root / "credentials" / "console"
        try:
            stored = path.read_text().split()
        except FileNotFoundError:
            stored = []
        if len(stored) == 2 and check_password(engine, stored[0], stored[1]) is not None:
            return stored[0], stored[1]
        for number in range(1, 1000):
            name = "regulator" if number == 1 else f"regulator-{number}"
            try:
                account, password = add_user(engine, name, "regulator")
            except ConsoleUserError:
                continue  # the name is taken by an account whose password we no longer have
            _write_secret(path, f"{account.username}\n{password}\n")
            return account.username, password
        raise DemoError("cannot create a console account (regulator … regulator-999 all taken)")

    def regulator_password(self, engine: Engine) -> str:
        """The regulator's bearer token: the stored one while the database knows it, else a
        new one (generated, stored hashed in the database and in clear text here, 0600)."""
        from trace_api.auth.tokens import authenticate, create_token

        path = self.root / "credentials" / "regulator"
        try:
            token = path.read_text().strip()
        except FileNotFoundError:
            token = ""
        if token:
            principal = authenticate(engine, token)
            if principal is not None and principal.role == "regulator":
                return token
        token = create_token(engine, "regulator")
        _write_secret(path, token + "\n")
        return token


def _write_secret(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
