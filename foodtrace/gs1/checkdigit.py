"""The GS1 mod-10 check digit (GS1 General Specifications §7.9.1).

Used by every GS1 key that ends in a check digit: GTIN-8/12/13/14, GLN, SSCC, GRAI (its GTIN-like
first 13 digits), GSRN, GDTI, GSIN, GCN (SGCN).
"""

from __future__ import annotations

from foodtrace.exceptions import CheckDigitError

__all__ = ["check_digit", "has_valid_check_digit", "require_valid_check_digit", "with_check_digit"]

_DIGITS = frozenset("0123456789")


def check_digit(body: str) -> str:
    """Return the check digit for ``body`` (all digits of the key except the check digit).

    Weights 3 and 1 alternate from the rightmost digit of the body leftwards.
    """
    if not body or not _DIGITS.issuperset(body):
        raise CheckDigitError(f"check digit needs a non-empty string of digits, got {body!r}")
    total = 0
    weight = 3
    for ch in reversed(body):
        total += (ord(ch) - 48) * weight
        weight = 4 - weight
    return chr(48 + (-total) % 10)


def with_check_digit(body: str) -> str:
    """Return ``body`` with its check digit appended."""
    return body + check_digit(body)


def has_valid_check_digit(key: str) -> bool:
    """True when the last digit of ``key`` is the check digit of the digits before it."""
    if len(key) < 2 or not _DIGITS.issuperset(key):
        return False
    return check_digit(key[:-1]) == key[-1]


def require_valid_check_digit(key: str, what: str = "GS1 key") -> str:
    """Return ``key`` unchanged, or raise :class:`CheckDigitError` naming the expected digit."""
    if len(key) < 2 or not _DIGITS.issuperset(key):
        raise CheckDigitError(f"{what} {key!r} must be at least 2 digits")
    expected = check_digit(key[:-1])
    if key[-1] != expected:
        raise CheckDigitError(f"{what} {key!r} has check digit {key[-1]}, expected {expected}")
    return key
