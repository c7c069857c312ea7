"""Opaque, tamper-proof ``nextPageToken`` values for keyset pagination.

A token carries where the previous page stopped (its last sort key and event row id), how many
events were served so far (for ``eventCountLimit``), a fingerprint of the query's filter
parameters and an expiry time, as base64url JSON followed by an HMAC-SHA256 of it under the
service's page-token secret (:func:`page_secret`, generated once and stored in
``service_secret`` so every worker shares it). An altered token, one past its expiry, or one
presented with other filter parameters is a :class:`PageTokenError`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import orjson
import sqlalchemy as sa

from trace_api.exceptions import PageTokenError
from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction, upsert_insert

__all__ = ["TOKEN_LIFETIME_S", "PagePosition", "page_secret", "sign_position", "verify_token"]

TOKEN_LIFETIME_S = 3600
_SECRET = metadata.tables["service_secret"]
_NAME = "page_token"
_MAX_TOKEN = 1024


@dataclass(frozen=True, slots=True)
class PagePosition:
    """Where the next page starts: after ``(key, row_id)``; ``served`` events so far."""

    fingerprint: str
    key: datetime
    row_id: int
    served: int
    expires: int


def page_secret(target: Target) -> bytes:
    """The shared page-token secret, created on first use."""
    with transaction(target) as connection:
        insert = upsert_insert(connection, _SECRET).on_conflict_do_nothing(index_elements=["name"])
        connection.execute(insert, {"name": _NAME, "value": secrets.token_hex(32)})
        value = connection.execute(
            sa.select(_SECRET.c.value).where(_SECRET.c.name == _NAME)
        ).scalar_one()
    return bytes.fromhex(value)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_position(secret: bytes, position: PagePosition) -> str:
    payload = orjson.dumps(
        [
            position.fingerprint,
            position.key.astimezone(UTC).isoformat(),
            position.row_id,
            position.served,
            position.expires,
        ]
    )
    mac = hmac.new(secret, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(mac)}"


def verify_token(secret: bytes, token: str, fingerprint: str) -> PagePosition:
    """The position a token encodes, once its signature, expiry and fingerprint check out."""
    if len(token) > _MAX_TOKEN or token.count(".") != 1:
        raise PageTokenError("nextPageToken: not a token this service issued")
    body, _, signature = token.partition(".")
    try:
        payload = _unb64(body)
        mac = _unb64(signature)
    except (binascii.Error, ValueError):
        raise PageTokenError("nextPageToken: not a token this service issued") from None
    expected = hmac.new(secret, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise PageTokenError("nextPageToken: signature does not match (altered token)")
    try:
        fp, key, row_id, served, expires = orjson.loads(payload)
        position = PagePosition(
            fp, datetime.fromisoformat(key), int(row_id), int(served), int(expires)
        )
    except (orjson.JSONDecodeError, ValueError, TypeError):
        raise PageTokenError("nextPageToken: malformed token") from None
    if position.expires < time.time():
        raise PageTokenError("nextPageToken: expired; run the query again")
    if position.fingerprint != fingerprint:
        raise PageTokenError("nextPageToken: issued for other query parameters")
    return position
