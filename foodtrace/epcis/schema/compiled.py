"""Compiled validators for the EPCIS 2.0 schema (``jsonschema-rs``), in two modes.

``"strict"`` (production)
    The schema as JSON Schema defines it: ``pattern`` is an ECMA-262 regular expression (``$`` is
    the end of the string, ``\\d`` is ``[0-9]``), and the ``uri`` and ``date-time`` formats are the
    RFC grammars of :mod:`foodtrace.epcis.schema.formats`.

``"python"`` (proof of parity)
    Reproduces the verdicts of the reference validator, Python ``jsonschema`` with
    ``FORMAT_CHECKER`` (``jsonschema[format]``), exactly. It differs from ``"strict"`` only where
    Python reads the schema differently from ECMA-262 and the RFCs:

    * ``$`` also matches before a final ``\\n`` (in ``pattern`` and in the format checkers), so
      ``"+02:00\\n"``, ``"KGM\\n"`` or ``"urn:x\\n"`` pass;
    * ``\\d`` matches any Unicode decimal digit, so ``schemaVersion: "٢.٠"`` passes.

    The tests run this mode against the reference on every fixture and on a mutated corpus, and
    show that ``"strict"`` refuses everything ``"python"`` refuses.

Both modes replace the ``uri`` and ``date-time`` checks built into ``jsonschema-rs`` (0.61),
which differ from the reference: its ``date-time`` accepts the year 0000 and leap seconds
(``23:59:60``), which the reference refuses; its ``uri`` refuses a leading zero in the IPv4 part of
an IPv6 literal (``http://[::01.2.3.4]``), which the reference accepts.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, Literal

import jsonschema_rs

from foodtrace.epcis.schema import load_schema
from foodtrace.epcis.schema.formats import is_date_time, is_uri, python_compatible

__all__ = ["Mode", "python_regex", "schema_for", "validator"]

Mode = Literal["strict", "python"]

_UNSUPPORTED_ESCAPES = frozenset("DwWsSbB")


@functools.cache
def _python_digits() -> str:
    """Body of a character class matching what Python's ``\\d`` matches in a str pattern."""
    ranges: list[str] = []
    start = previous = -2
    for code in range(sys.maxunicode + 1):
        if not chr(code).isdecimal():
            continue
        if code != previous + 1:
            if start >= 0:
                ranges.append(f"{chr(start)}-{chr(previous)}")
            start = code
        previous = code
    ranges.append(f"{chr(start)}-{chr(previous)}")
    return "".join(ranges)


def python_regex(pattern: str) -> str:
    """An ECMA-262 regular expression that finds a match where Python's ``re.search`` does.

    Handles what the EPCIS schema uses: a final ``$`` (Python also matches before a last
    ``\\n``) and ``\\d`` (Unicode digits in Python). Any other construct whose meaning differs
    between the two dialects raises ``ValueError`` rather than being translated wrongly.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escaped = pattern[i + 1 : i + 2]
            if escaped == "d":
                out.append(_python_digits() if in_class else f"[{_python_digits()}]")
            elif escaped in _UNSUPPORTED_ESCAPES:
                raise ValueError(f"pattern {pattern!r}: \\{escaped} is not translated")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            if i != len(pattern) - 1:
                raise ValueError(f"pattern {pattern!r}: '$' before the end is not translated")
            out.append("\\n?$")
            i += 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _rewrite_patterns(node: Any) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                node[key] = python_regex(value)
            else:
                _rewrite_patterns(value)
    elif isinstance(node, list):
        for item in node:
            _rewrite_patterns(item)


def schema_for(definition: str | None = None) -> dict[str, Any]:
    """The official schema, or a schema whose root is ``#/definitions/<definition>``."""
    schema = load_schema()
    if definition is None:
        return schema
    if definition not in schema["definitions"]:
        raise KeyError(f"the EPCIS schema has no definition {definition!r}")
    # Draft-07: keywords beside "$ref" are ignored, so this validates exactly the definition.
    return {
        "$schema": schema["$schema"],
        "$id": schema["$id"],
        "definitions": schema["definitions"],
        "$ref": f"#/definitions/{definition}",
    }


def _formats(mode: Mode) -> dict[str, Callable[[str], bool]]:
    if mode == "strict":
        return {"uri": is_uri, "date-time": is_date_time}
    return {"uri": python_compatible(is_uri), "date-time": python_compatible(is_date_time)}


def validator(definition: str | None = None, mode: Mode = "strict") -> jsonschema_rs.Validator:
    """The compiled validator for the whole schema or one definition, built once per process."""
    return _build(definition, mode)


@functools.cache
def _build(definition: str | None, mode: Mode) -> jsonschema_rs.Validator:
    schema = schema_for(definition)
    if mode == "python":
        _rewrite_patterns(schema)
    # The schema has no remote references ($ref targets are all "#/definitions/…").
    return jsonschema_rs.Draft7Validator(schema, formats=_formats(mode), validate_formats=True)
