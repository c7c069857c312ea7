"""Helpers for the traceability tests: the copied GS1 example documents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

DATA = Path(__file__).resolve().parents[1] / "data" / "trace_api"


def document(name: str) -> dict[str, Any]:
    """One example document from ``tests/data/trace_api``, parsed."""
    parsed: dict[str, Any] = orjson.loads((DATA / name).read_bytes())
    return parsed


def events(name: str) -> tuple[list[dict[str, Any]], Any]:
    """The events of an example document and its ``@context``."""
    doc = document(name)
    return doc["epcisBody"]["eventList"], doc["@context"]
