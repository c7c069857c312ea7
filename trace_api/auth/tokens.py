"""Create and check bearer tokens.

A token is ``ft_`` followed by 32 random bytes (URL-safe base64). Only its sha-256 is stored
(``api_token.token_hash``): a stolen database does not reveal usable tokens, and the lookup is
one indexed equality (the secret is high-entropy, so a plain hash suffices; no salt or KDF).

Roles: ``regulator`` (every event), ``operator`` (its party's events; ``party`` is its GLN),
``station`` (capture only, for the read points and business locations of its ``station`` row),
``public`` (no EPCIS access).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction

__all__ = ["ROLES", "Principal", "authenticate", "create_token", "hash_token"]

ROLES = ("regulator", "operator", "station", "public")
_TOKEN = metadata.tables["api_token"]
_PREFIX = "ft_"


@dataclass(frozen=True, slots=True)
class Principal:
    """The holder of a valid token."""

    token_id: int
    role: str
    party: str | None = None
    station_id: str | None = None


def hash_token(token: str) -> str:
    """The stored form of a token: sha-256 hex of its UTF-8 text."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    target: Target, role: str, *, party: str | None = None, station_id: str | None = None
) -> str:
    """Store a new token for ``role`` and return its secret (shown once, never stored)."""
    if role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "station" and not station_id:
        raise ValueError("a station token needs a station id")
    if role == "operator" and not party:
        raise ValueError("an operator token needs a party GLN")
    token = _PREFIX + secrets.token_urlsafe(32)
    with transaction(target) as connection:
        connection.execute(
            _TOKEN.insert(),
            {
                "token_hash": hash_token(token),
                "role": role,
                "party": party,
                "station_id": station_id,
                "created_at": datetime.now(UTC),
            },
        )
    return token


def authenticate(target: Target, token: str) -> Principal | None:
    """The principal holding ``token``, or ``None`` when it is unknown."""
    if not token.startswith(_PREFIX) or len(token) > 200:
        return None
    query = sa.select(_TOKEN.c.id, _TOKEN.c.role, _TOKEN.c.party, _TOKEN.c.station_id).where(
        _TOKEN.c.token_hash == hash_token(token)
    )
    with transaction(target) as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    return Principal(
        token_id=int(row.id), role=row.role, party=row.party, station_id=row.station_id
    )
