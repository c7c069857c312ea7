"""Validate EPCIS 2.0 documents and events: the official JSON Schema, then the EPCIS/CBV rules.

:func:`validate_document` and :func:`validate_event` return a list of
:class:`~foodtrace.exceptions.ValidationProblem` (empty: valid). Each problem names the event
index (its position in ``epcisBody.eventList`` or ``epcisBody.queryResults.resultsBody.eventList``;
``None`` outside events), the JSON pointer of the offending value, a plain-language message and
the rule (``"schema"``, ``"epcis:…"``, ``"cbv:…"``, or ``"json"`` for input that is not JSON data).
:func:`check_document` and :func:`check_event` raise ``EPCISValidationError`` instead.

Two layers:

1. **Schema** — GS1's ``EPCIS-JSON-Schema.json`` (draft-07, shipped in
   :mod:`foodtrace.epcis.schema`), compiled once with ``jsonschema-rs``, ``uri`` and ``date-time``
   formats enforced. Its verdicts are those of the reference validator, Python ``jsonschema``
   with ``FORMAT_CHECKER``, except where that validator reads the schema with Python rather than
   ECMA-262/RFC semantics (a value ending in ``\\n`` where a pattern or format ends with ``$``, a
   non-ASCII digit for ``\\d``): such values are refused here. ``schema_problems(doc,
   mode="python")`` reproduces the reference verdicts exactly; see
   :mod:`foodtrace.epcis.schema.compiled`.
2. **Rules** the schema cannot express (:mod:`foodtrace.epcis.rules`), run on every event that
   passed the schema, and across the events of a document.

A document whose root ``type`` is an event type is validated as a single event (the schema then
requires ``@context``); its problems have event index 0.

Input is parsed JSON: dicts, lists, str, int, float, bool and None. A value ``jsonschema-rs``
cannot take (a mapping that is not a dict, a non-string key, a lone surrogate in a string) is
reported as a ``"json"`` problem; NaN and infinities are not numbers (JSON has none); a tuple is
read as an array.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from foodtrace.epcis.document import DOCUMENT_TYPES, raw_event_list
from foodtrace.epcis.events import EVENT_TYPES
from foodtrace.epcis.rules import document_problems, event_problems
from foodtrace.epcis.schema import EVENT_DEFINITION
from foodtrace.epcis.schema.compiled import Mode, validator
from foodtrace.epcis.schema.formats import is_uri
from foodtrace.epcis.schema.messages import (
    EventLocator,
    json_pointer,
    problems_from_errors,
    show_value,
)
from foodtrace.exceptions import EPCISValidationError, ValidationProblem

__all__ = [
    "check_document",
    "check_event",
    "schema_problems",
    "validate_document",
    "validate_event",
]

_EVENT_LIST_PATHS = {
    "EPCISDocument": ("epcisBody", "eventList"),
    "EPCISQueryDocument": ("epcisBody", "queryResults", "resultsBody", "eventList"),
}


def _locator(doc: Any) -> EventLocator:
    """Where the events of ``doc`` are: instance path → (event index, event path length)."""
    kind = doc.get("type") if isinstance(doc, dict) else None
    if not isinstance(kind, str):
        return lambda _path: None
    prefix = _EVENT_LIST_PATHS.get(kind)
    if prefix is None:
        return lambda _path: (0, 0)  # the document is one event
    length = len(prefix)

    def locate(path: Any) -> tuple[int, int] | None:
        if len(path) > length and isinstance(path[length], int) and tuple(path[:length]) == prefix:
            return path[length], length + 1
        return None

    return locate


def _non_json(value: Any, path: list[str | int]) -> ValidationProblem | None:
    """The first value that is not JSON data, depth first."""
    reason = None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                reason = f"object key {key!r} is not a string"
                break
            found = _non_json(item, [*path, key])
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _non_json(item, [*path, i])
            if found is not None:
                return found
    elif isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                reason = "string is not valid Unicode (it holds a lone surrogate)"
    elif isinstance(value, float) and not math.isfinite(value):
        reason = f"{value} is not a JSON number"
    elif not (value is None or isinstance(value, bool | int | float)):
        reason = f"a {type(value).__name__} is not JSON data"
    return None if reason is None else ValidationProblem(json_pointer(path), reason, None, "json")


def _unknown_root_type(doc: Any) -> ValidationProblem | None:
    """One problem instead of the schema's many when the root ``type`` says nothing usable.

    Without a known ``type`` every ``if`` of the root schema holds, and each branch (document,
    query document, five event types, extension event) reports its own errors.
    """
    if not isinstance(doc, dict):
        return None
    expected = (
        "EPCISDocument, EPCISQueryDocument, an EPCIS event type, or a URI naming an event type"
    )
    if "type" not in doc:
        return ValidationProblem("", f"missing required field 'type' ({expected})", None)
    kind = doc["type"]
    if isinstance(kind, str) and (kind in DOCUMENT_TYPES or kind in EVENT_TYPES or is_uri(kind)):
        return None
    return ValidationProblem("/type", f"type {show_value(kind)} is not {expected}", None)


def _schema_check(
    instance: Any, definition: str | None, mode: Mode, locate: EventLocator, base: str = ""
) -> list[ValidationProblem]:
    compiled = validator(definition, mode)
    try:
        if compiled.is_valid(instance):
            return []
        errors = list(compiled.iter_errors(instance))
    except (ValueError, TypeError) as exc:  # not JSON data (jsonschema-rs cannot convert it)
        problem = _non_json(instance, [])
        if problem is None:
            problem = ValidationProblem("", f"not JSON data: {exc}", None, "json")
        return [ValidationProblem(base + problem.pointer, problem.message, None, "json")]
    if definition is None:
        unknown = _unknown_root_type(instance)
        if unknown is not None:
            return [unknown]
    return problems_from_errors(errors, instance, locate, base)


def _by_event(problems: list[ValidationProblem]) -> list[ValidationProblem]:
    """Document-level problems first, then by event index; stable otherwise."""
    return sorted(problems, key=lambda p: -1 if p.event_index is None else p.event_index)


def schema_problems(doc: Any, *, mode: Mode = "strict") -> list[ValidationProblem]:
    """The schema layer alone. ``mode="python"`` gives the reference validator's verdicts."""
    return _by_event(_schema_check(doc, None, mode, _locator(doc)))


def validate_document(doc: Any, *, warnings: bool = False) -> list[ValidationProblem]:
    """The errors of an EPCIS document (or a stand-alone event): schema, then rules.

    An empty list means the document is valid. With ``warnings=True`` the list also holds the
    warnings (``severity == "warning"``, see ``rules.WARNING_RULES``), which do not make a
    document invalid. The rules run on each event without schema problems, so a problem is
    reported once.
    """
    problems = _document_problems(doc)
    return problems if warnings else [p for p in problems if p.is_error]


def _document_problems(doc: Any) -> list[ValidationProblem]:
    locate = _locator(doc)
    problems = _schema_check(doc, None, "strict", locate)
    if not isinstance(doc, dict) or any(p.rule == "json" for p in problems):
        return problems
    kind = doc.get("type")
    if not isinstance(kind, str) or kind not in DOCUMENT_TYPES:
        if problems or not isinstance(kind, str):
            return problems
        return event_problems(doc, "", 0)
    found = raw_event_list(doc)
    if found is None:
        return _by_event(problems)
    list_pointer, events = found
    refused = {p.event_index for p in problems}
    checked = [
        (i, event) for i, event in enumerate(events) if i not in refused and isinstance(event, dict)
    ]
    for index, event in checked:
        problems.extend(event_problems(event, f"{list_pointer}/{index}", index))
    problems.extend(document_problems(checked, list_pointer))
    return _by_event(problems)


def validate_event(
    event: Mapping[str, Any], index: int = 0, context: Any = None, *, warnings: bool = False
) -> list[ValidationProblem]:
    """All problems of one event (``POST /events``, an MQTT payload), schema then rules.

    The event is checked against the schema's ``EPCIS-Document-Event`` definition, which the
    REST binding uses for ``POST /events`` (``@context`` may be absent). Pointers are relative to
    the event; every problem carries ``index``. ``context``, when given, is the ``@context`` that
    applies to the event from elsewhere (its document or its transport); it is checked against the
    schema's ``@context`` definition and reported at ``/@context``.
    """
    event_locate: EventLocator = lambda _path: (index, 0)  # noqa: E731
    problems = _schema_check(event, EVENT_DEFINITION, "strict", event_locate)
    if context is not None:
        problems += _schema_check(context, "@context", "strict", event_locate, "/@context")
    if problems or not isinstance(event, dict):
        return problems
    found = event_problems(event, "", index)
    return found if warnings else [p for p in found if p.is_error]


def check_document(doc: Any) -> None:
    """Raise ``EPCISValidationError`` (with ``.problems``) unless the document is valid."""
    problems = validate_document(doc)
    if problems:
        raise EPCISValidationError(problems)


def check_event(event: Mapping[str, Any], index: int = 0, context: Any = None) -> None:
    """Raise ``EPCISValidationError`` (with ``.problems``) unless the event is valid."""
    problems = validate_event(event, index, context)
    if problems:
        raise EPCISValidationError(problems)
