"""Delivery signatures: HMAC-SHA256 over timestamp, delivery ID and body."""

from __future__ import annotations

import hashlib
import hmac

from trace_api.subscriptions.signing import signature_headers, verify

TOKEN = "13df38d8275b13f05704629e5f1cf3d45d6132d5"
BODY = b'{"type":"EPCISQueryDocument"}'


def test_signature_is_the_documented_hmac() -> None:
    headers = signature_headers(TOKEN, "d-1", BODY, now=1_700_000_000.7)
    assert headers["GS1-Signature-Timestamp"] == "1700000000"
    assert headers["GS1-Delivery-ID"] == "d-1"
    # Computed here from the documented scheme, independently of the module.
    expected = hmac.new(TOKEN.encode(), b"1700000000.d-1." + BODY, hashlib.sha256).hexdigest()
    assert headers["GS1-Signature"] == f"sha256={expected}"


def test_verify_accepts_the_signed_body_only() -> None:
    headers = signature_headers(TOKEN, "d-1", BODY, now=1_700_000_000)
    lowered = {k.lower(): v for k, v in headers.items()}
    assert verify(TOKEN, lowered, BODY, now=1_700_000_100)
    assert not verify(TOKEN, headers, BODY + b" ", now=1_700_000_100)
    assert not verify("another-token-of-some-length", headers, BODY, now=1_700_000_100)
    assert not verify(TOKEN, {**headers, "GS1-Delivery-ID": "d-2"}, BODY, now=1_700_000_100)
    # A replay ten minutes later is refused; so is a missing or garbled timestamp.
    assert not verify(TOKEN, headers, BODY, now=1_700_000_600)
    assert not verify(TOKEN, {**headers, "GS1-Signature-Timestamp": "x"}, BODY)
