"""Signatures of webhook deliveries: HMAC-SHA256 under the subscription's ``signatureToken``.

Every delivery is a ``POST`` to ``dest`` with these headers::

    GS1-Delivery-ID: <uuid of the delivery; the same on every retry of it>
    GS1-Signature-Timestamp: <Unix time in seconds when this attempt was signed>
    GS1-Signature: sha256=<lowercase hex HMAC-SHA256>

The HMAC key is the UTF-8 bytes of the ``signatureToken`` given at subscription; the signed
message is ``<timestamp> "." <delivery id> "." <body bytes>``. A receiver recomputes the HMAC,
compares it in constant time, refuses a timestamp more than a few minutes from its clock (a
replayed old request) and a delivery ID it has already processed (a retry that crossed its
earlier success).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Mapping

__all__ = [
    "DELIVERY_HEADER",
    "SIGNATURE_HEADER",
    "TIMESTAMP_HEADER",
    "sign",
    "signature_headers",
    "verify",
]

SIGNATURE_HEADER = "GS1-Signature"
TIMESTAMP_HEADER = "GS1-Signature-Timestamp"
DELIVERY_HEADER = "GS1-Delivery-ID"


def sign(token: str, timestamp: int, delivery_id: str, body: bytes) -> str:
    """The ``GS1-Signature`` value: ``sha256=`` and the hex HMAC of the signed message."""
    message = f"{timestamp}.{delivery_id}.".encode() + body
    return "sha256=" + hmac.new(token.encode(), message, hashlib.sha256).hexdigest()


def signature_headers(
    token: str, delivery_id: str, body: bytes, *, now: float | None = None
) -> dict[str, str]:
    """The three signature headers of one delivery attempt."""
    timestamp = int(time.time() if now is None else now)
    return {
        DELIVERY_HEADER: delivery_id,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(token, timestamp, delivery_id, body),
    }


def verify(
    token: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    tolerance_s: int = 300,
    now: float | None = None,
) -> bool:
    """Whether ``headers`` (names matched case-insensitively) sign ``body`` under ``token``
    with a timestamp within ``tolerance_s`` of ``now``."""
    lowered = {name.lower(): value for name, value in headers.items()}
    signature = lowered.get(SIGNATURE_HEADER.lower(), "")
    delivery_id = lowered.get(DELIVERY_HEADER.lower(), "")
    try:
        timestamp = int(lowered.get(TIMESTAMP_HEADER.lower(), ""))
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance_s:
        return False
    expected = sign(token, timestamp, delivery_id, body)
    return hmac.compare_digest(signature.encode(), expected.encode())
