"""Test data helpers: the copied TDS vectors (tests/data/tds, see its SOURCE.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "tds"


def load_json(relative: str) -> Any:
    return json.loads((DATA / relative).read_text(encoding="utf-8"))


def vector_params() -> list[Any]:
    """Every hex ↔ URI vector as a pytest param with a readable id."""
    params = []
    for path in sorted((DATA / "vectors").glob("*.json")):
        for i, vector in enumerate(load_json(f"vectors/{path.name}")["vectors"]):
            params.append(pytest.param(vector, id=f"{path.stem}[{i}]-{vector['scheme']}"))
    return params


def whole_words(hex_text: str) -> str:
    """The vector's hex zero-padded to whole 16-bit words, as a tag stores it."""
    return hex_text.upper() + "0" * (-len(hex_text) % 4)
