"""Console accounts and sessions.

Passwords are generated (``secrets.token_urlsafe``), shown once, and stored as salted scrypt
hashes (``hashlib.scrypt``, n=2**14, r=8, p=1, 16-byte salt, 32-byte key). A session is a
random cookie secret whose sha-256 is stored with the user, a CSRF token and an expiry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from trace_api.exceptions import ConsoleUserError
from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction

__all__ = [
    "SESSION_HOURS",
    "Account",
    "Session",
    "add_user",
    "check_password",
    "end_session",
    "hash_password",
    "open_session",
    "session_of",
]

SESSION_HOURS = 8
_USER = metadata.tables["console_user"]
_SESSION = metadata.tables["console_session"]
_N, _R, _P = 2**14, 8, 1
_ROLES = ("regulator", "operator")


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    username: str
    role: str
    party: str | None


@dataclass(frozen=True, slots=True)
class Session:
    account: Account
    csrf: str
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$n$r$p$salt$key``."""
    salt = salt or secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(key)}"


def _verify(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


# A hash to check against when the user does not exist, so both cases take as long.
_DUMMY = hash_password("not-a-password", salt=b"0" * 16)


def add_user(
    target: Target, username: str, role: str, *, party: str | None = None
) -> tuple[Account, str]:
    """Create an account with a generated password; returns it and the password (shown once)."""
    name = username.strip()
    if not name or len(name) > 64 or not name.isprintable() or " " in name:
        raise ConsoleUserError(f"user name {username!r}: 1–64 printable characters, no spaces")
    if role not in _ROLES:
        raise ConsoleUserError(f"role {role!r}: expected regulator or operator")
    if role == "operator" and not party:
        raise ConsoleUserError("an operator account needs its party's GLN (--party)")
    password = secrets.token_urlsafe(18)
    with transaction(target) as connection:
        exists = connection.execute(sa.select(_USER.c.id).where(_USER.c.username == name)).first()
        if exists is not None:
            raise ConsoleUserError(f"user {name!r} already exists")
        pk = connection.execute(
            _USER.insert().returning(_USER.c.id),
            {
                "username": name,
                "password_hash": hash_password(password),
                "role": role,
                "party": party if role == "operator" else None,
                "created_at": datetime.now(UTC),
            },
        ).scalar_one()
    return Account(int(pk), name, role, party if role == "operator" else None), password


def check_password(target: Target, username: str, password: str) -> Account | None:
    """The account when ``password`` is right, else ``None`` (same work either way)."""
    with transaction(target) as connection:
        row = connection.execute(
            sa.select(
                _USER.c.id, _USER.c.username, _USER.c.password_hash, _USER.c.role, _USER.c.party
            ).where(_USER.c.username == username.strip()[:64])
        ).first()
    if row is None:
        _verify(password, _DUMMY)
        return None
    if not _verify(password, row.password_hash):
        return None
    return Account(int(row.id), row.username, row.role, row.party)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(target: Target, account: Account) -> tuple[str, Session]:
    """A new session for ``account``: the cookie secret and the session."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session = Session(account, secrets.token_urlsafe(32), now + timedelta(hours=SESSION_HOURS))
    with transaction(target) as connection:
        connection.execute(_SESSION.delete().where(_SESSION.c.expires_at < now))
        connection.execute(
            _SESSION.insert(),
            {
                "token_hash": _token_hash(token),
                "user_id": account.id,
                "csrf": session.csrf,
                "created_at": now,
                "expires_at": session.expires_at,
            },
        )
    return token, session


def session_of(target: Target, token: str | None) -> Session | None:
    """The live session of a cookie secret, or ``None``."""
    if not token or len(token) > 200:
        return None
    query = (
        sa.select(
            _USER.c.id,
            _USER.c.username,
            _USER.c.role,
            _USER.c.party,
            _SESSION.c.csrf,
            _SESSION.c.expires_at,
        )
        .select_from(_SESSION.join(_USER, _USER.c.id == _SESSION.c.user_id))
        .where(_SESSION.c.token_hash == _token_hash(token))
    )
    with transaction(target) as connection:
        row = connection.execute(query).first()
    if row is None or row.expires_at <= datetime.now(UTC):
        return None
    return Session(
        Account(int(row.id), row.username, row.role, row.party), row.csrf, row.expires_at
    )


def end_session(target: Target, token: str | None) -> None:
    """Sign a session out (nothing happens for an unknown one)."""
    if token:
        with transaction(target) as connection:
            connection.execute(_SESSION.delete().where(_SESSION.c.token_hash == _token_hash(token)))
