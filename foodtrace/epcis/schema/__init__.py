"""The official EPCIS 2.0 JSON Schema, shipped as package data, and its compiled validators.

``EPCIS-JSON-Schema.json`` is GS1's single-file draft-07 schema (see ``SOURCE.md`` here). It
validates an ``EPCISDocument``, an ``EPCISQueryDocument`` or a stand-alone event (which must then
carry ``@context``); ``#/definitions/EPCIS-Document-Event`` is one event of an event list, which is
also what the REST binding's ``POST /events`` takes.
"""

from __future__ import annotations

import functools
from importlib.resources import files
from typing import Any

import orjson

__all__ = ["EVENT_DEFINITION", "SCHEMA_FILE", "load_schema"]

SCHEMA_FILE = "EPCIS-JSON-Schema.json"
EVENT_DEFINITION = "EPCIS-Document-Event"


@functools.cache
def _schema_bytes() -> bytes:
    return files(__name__).joinpath(SCHEMA_FILE).read_bytes()


def load_schema() -> dict[str, Any]:
    """A fresh copy of the official schema (callers may modify it)."""
    schema: dict[str, Any] = orjson.loads(_schema_bytes())
    return schema
