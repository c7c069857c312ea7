"""Signed page tokens (no database)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from trace_api.exceptions import PageTokenError
from trace_api.query.pages import PagePosition, sign_position, verify_token

SECRET = b"k" * 32
KEY = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def _position(expires: int | None = None) -> PagePosition:
    return PagePosition("fp", KEY, 42, 90, expires or int(time.time()) + 60)


def test_round_trip() -> None:
    position = _position()
    assert verify_token(SECRET, sign_position(SECRET, position), "fp") == position


def test_other_secret() -> None:
    token = sign_position(SECRET, _position())
    with pytest.raises(PageTokenError, match="altered"):
        verify_token(b"x" * 32, token, "fp")


def test_expired() -> None:
    token = sign_position(SECRET, _position(expires=int(time.time()) - 1))
    with pytest.raises(PageTokenError, match="expired"):
        verify_token(SECRET, token, "fp")


def test_other_fingerprint() -> None:
    with pytest.raises(PageTokenError, match="other query parameters"):
        verify_token(SECRET, sign_position(SECRET, _position()), "other")


@pytest.mark.parametrize("token", ["", ".", "a.b.c", "!!!.???", "x" * 2000])
def test_garbage(token: str) -> None:
    with pytest.raises(PageTokenError):
        verify_token(SECRET, token, "fp")
