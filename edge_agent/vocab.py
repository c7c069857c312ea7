"""Checks of the identifiers and CBV terms a station configuration names.

Thin wrappers over the shared standards core, so the station refuses at start-up exactly what
the centre would refuse later: CBV terms through :mod:`foodtrace.epcis.cbv` (any spelling of a
standard term becomes the bare word EPCIS 2.0 JSON uses; anything else must be a URI of a user
vocabulary) and SGLNs through the EPC codec (:mod:`foodtrace.gs1.epc`).
"""

from __future__ import annotations

import re

from foodtrace.epcis.cbv import VocabularyKind, to_bare
from foodtrace.exceptions import FoodtraceError
from foodtrace.gs1.epc import parse_uri

__all__ = ["VocabularyKind", "check_sgln", "check_uri", "check_vocab"]

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")


def check_uri(value: str, what: str) -> str:
    """Return ``value`` if it is an absolute URI (``scheme:rest``), else raise ``ValueError``."""
    if not _URI.match(value):
        raise ValueError(f"{what} must be an absolute URI (scheme:rest), got {value!r}")
    return value


def check_vocab(value: str, kind: VocabularyKind, what: str) -> str:
    """A CBV 2.0 term in any spelling (returned as its bare word) or a user-vocabulary URI."""
    try:
        return to_bare(kind, value)
    except FoodtraceError as exc:
        raise ValueError(f"{what}: {exc}") from exc


def check_sgln(value: str, what: str) -> str:
    """An SGLN pure-identity URN ``urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension``."""
    if not value.startswith("urn:epc:id:sgln:"):
        raise ValueError(
            f"{what} must be an SGLN URN like 'urn:epc:id:sgln:4012345.00001.0', got {value!r}"
        )
    try:
        parse_uri(value)
    except FoodtraceError as exc:
        raise ValueError(f"{what} {value!r}: {exc}") from exc
    return value
