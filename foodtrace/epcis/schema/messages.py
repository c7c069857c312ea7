"""Human messages for schema violations reported by ``jsonschema-rs``.

Each error becomes a :class:`~foodtrace.exceptions.ValidationProblem` with the JSON pointer of the
offending value (for an unknown or unexpected key: the key itself), the index of the event it is
in, and a sentence that names the field, the value and what was expected — never a dump of the
schema. ``anyOf`` failures get a message per construct, for example
``bizStep 'receiving_test' is neither a CBV 2.0 business step nor a URI``.

The translation never turns an invalid verdict into a valid one: an error it considers a
duplicate of another one is dropped only if another problem remains.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, NamedTuple

import jsonschema_rs
import orjson

from foodtrace.epcis.schema import load_schema
from foodtrace.epcis.schema.formats import is_uri
from foodtrace.exceptions import ValidationProblem

__all__ = ["EventLocator", "json_pointer", "problems_from_errors", "show_value"]

Path = Sequence[str | int]
EventLocator = Callable[[Path], tuple[int, int] | None]
"""Maps an instance path to ``(event index, length of the event's own path)``, or ``None``."""

_EVENT_DEFINITIONS: Final = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)

# anyOf of a standard name list and a URI: what the list is.
_VOCABULARIES: Final = {
    "bizStep": "CBV 2.0 business step",
    "disposition": "CBV 2.0 disposition",
    "bizTransaction-type": "CBV 2.0 business transaction type",
    "source-dest-type": "CBV 2.0 source/destination type",
    "error-reason": "CBV 2.0 error reason",
    "measurementType": "GS1 measurement type",
    "sensorAlertType": "GS1 sensor alert type",
    "component": "CBV 2.0 sensor component",
}
_CBV_URI = re.compile(r"urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/")
_GS1_VOC_URI = re.compile(r"https?://(?:www\.)?gs1\.org/voc/")

_PATTERN_MESSAGES: Final = {
    "eventTimeZoneOffset": "is not a time-zone offset ±hh:mm between -14:00 and +14:00",
    "uom": "is not a UN/CEFACT Rec 20 unit code (2 or 3 upper-case letters or digits)",
    "schemaVersion": "is not a version number such as '2.0'",
    "hexBinaryValue": "is not hexadecimal (digits 0-9, letters A-F)",
}

_CONSTRAINT_MESSAGES: Final[dict[tuple[str, str | int], str]] = {
    ("ObjectEvent", 2): "ObjectEvent needs an epcList, a non-empty quantityList, or a non-empty "
    "sensorElementList together with a readPoint",
    ("AggregationEvent", 2): "AggregationEvent needs a non-empty childEPCs or childQuantityList "
    "(both may be left out only when action is DELETE)",
    ("AssociationEvent", 2): "AssociationEvent needs a non-empty childEPCs or childQuantityList "
    "(both may be left out only when action is DELETE)",
    ("TransactionEvent", 2): "TransactionEvent needs an epcList or a non-empty quantityList "
    "(both may be left out only when action is DELETE)",
    ("TransformationEvent", 2): "TransformationEvent needs at least one input (inputEPCList or "
    "inputQuantityList) and one output (outputEPCList or outputQuantityList), or a "
    "transformationID with at least one input or output",
}


@functools.cache
def _event_fields() -> dict[str, frozenset[str]]:
    """The standard field names of each event type, read from the schema."""
    definitions = load_schema()["definitions"]
    common = frozenset(definitions["common-event-properties"]["anyOf"][0]["enum"])
    fields = {}
    for name in _EVENT_DEFINITIONS:
        own = definitions[name]["allOf"][1]["propertyNames"]["anyOf"][1]["enum"]
        fields[name] = common | frozenset(own)
    return fields


@functools.cache
def _closed_fields(definition: str) -> tuple[str, ...]:
    """The allowed keys of a definition with ``additionalProperties: false``."""
    node = load_schema()["definitions"][definition]
    if "allOf" in node:  # persistentDisposition
        node = node["allOf"][0]
    return tuple(node.get("properties", ()))


def json_pointer(path: Path) -> str:
    """An instance path as an RFC 6901 JSON pointer."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


def show_value(value: Any, limit: int = 60) -> str:
    """A short, quoted rendering of a JSON value for a message."""
    if isinstance(value, str):
        text = repr(value)
    else:
        try:
            text = orjson.dumps(value).decode()
        except TypeError:
            text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _at(instance: Any, path: Path) -> Any:
    node = instance
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _definition(schema_path: Path) -> tuple[str | None, list[str | int]]:
    """The innermost ``definitions/<name>`` of a schema path, and the path inside it."""
    for i in range(len(schema_path) - 2, -1, -1):
        if schema_path[i] == "definitions":
            name = str(schema_path[i + 1]).replace("%40", "@")
            return name, list(schema_path[i + 2 :])
    return None, list(schema_path)


class _Translator:
    """Turns the errors of one validation run into problems."""

    def __init__(self, instance: Any, locate: EventLocator, base: str) -> None:
        self.instance = instance
        self.locate = locate
        self.base = base

    def problem(self, path: Path, message: str, extra: str | None = None) -> ValidationProblem:
        located = self.locate(path)
        pointer = self.base + json_pointer(path) + ("" if extra is None else json_pointer([extra]))
        return ValidationProblem(
            pointer=pointer,
            message=message,
            event_index=None if located is None else located[0],
            rule="schema",
        )

    def label(self, path: Path) -> str:
        """How messages name the value at ``path``: ``bizStep``, ``epcList[2]``, ``ObjectEvent``."""
        located = self.locate(path)
        if located is not None and len(path) == located[1]:
            kind = _at(self.instance, path)
            kind = kind.get("type") if isinstance(kind, dict) else None
            return kind if isinstance(kind, str) and kind else "event"
        if not path:
            kind = self.instance.get("type") if isinstance(self.instance, dict) else None
            return kind if isinstance(kind, str) and kind else "document"
        last = path[-1]
        if isinstance(last, int):
            return f"{path[-2]}[{last}]" if len(path) > 1 else f"[{last}]"
        if last == "type" and len(path) > 1 and (located is None or len(path) > located[1] + 1):
            # the type of a bizTransaction, source, destination or sensorReport
            owner = path[-3] if isinstance(path[-2], int) and len(path) > 2 else path[-2]
            return f"{owner} type"
        return str(last)

    # --- one error ---------------------------------------------------------------------------

    def translate(self, error: jsonschema_rs.ValidationError) -> list[ValidationProblem]:
        path = list(error.instance_path)
        definition, inner = _definition(list(error.schema_path))
        value = _at(self.instance, path)  # the original, not jsonschema-rs's converted copy
        found = _Found(error, path, definition, inner, self.label(path), value)
        handler = getattr(self, f"_on_{error.kind.name}", None)
        if handler is None:
            return [self.problem(path, f"{found.label}: {error.message}")]
        result: list[ValidationProblem] = handler(found)
        return result

    def _is_event_type(self, path: Path) -> bool:
        located = self.locate(path)
        event_length = 0 if located is None else located[1]
        return len(path) == event_length + 1 and path[-1] == "type"

    def _on_required(self, found: _Found) -> list[ValidationProblem]:
        field = found.error.kind.property
        return [self.problem(found.path, f"{found.label} is missing required field '{field}'")]

    def _on_type(self, found: _Found) -> list[ValidationProblem]:
        got = _json_type(found.value)
        if not found.path:
            return [self.problem(found.path, f"an EPCIS document must be a JSON object, got {got}")]
        if isinstance(found.value, float) and not math.isfinite(found.value):
            return [self.problem(found.path, f"{found.label} {found.value} is not a JSON number")]
        wanted = " or ".join(found.error.kind.types)
        article = "an" if wanted[0] in "aeiou" else "a"
        message = f"{found.label} must be {article} {wanted}, got {got} {show_value(found.value)}"
        return [self.problem(found.path, message)]

    def _on_enum(self, found: _Found) -> list[ValidationProblem]:
        options = ", ".join(str(option) for option in found.error.kind.options)
        message = f"{found.label} {show_value(found.value)} is not one of {options}"
        return [self.problem(found.path, message)]

    def _on_format(self, found: _Found) -> list[ValidationProblem]:
        shown = show_value(found.value)
        if found.error.kind.format == "date-time":
            message = (
                f"{found.label} {shown} is not an RFC 3339 date-time with a time-zone offset "
                "(for example 2026-07-22T06:45:00.000+02:00)"
            )
        elif self._is_event_type(found.path):
            message = (
                f"event type {shown} is not one of {', '.join(_EVENT_DEFINITIONS)} and not a URI "
                "naming an extension event type"
            )
        else:
            message = f"{found.label} {shown} is not a URI"
        return [self.problem(found.path, message)]

    def _on_pattern(self, found: _Found) -> list[ValidationProblem]:
        field = str(found.path[-1]) if found.path else ""
        default = f"does not match the pattern {found.error.kind.pattern}"
        explanation = _PATTERN_MESSAGES.get(field, default)
        return [self.problem(found.path, f"{found.label} {show_value(found.value)} {explanation}")]

    def _on_minItems(self, found: _Found) -> list[ValidationProblem]:
        limit = found.error.kind.limit
        wanted = "must not be empty" if limit == 1 else f"needs at least {limit} items"
        return [self.problem(found.path, f"{found.label} {wanted}")]

    def _on_uniqueItems(self, found: _Found) -> list[ValidationProblem]:
        seen: list[Any] = []
        repeated: list[Any] = []
        for item in found.value if isinstance(found.value, list) else ():
            if item in seen:
                repeated.append(item)
                break
            seen.append(item)
        detail = f" ({show_value(repeated[0])} appears more than once)" if repeated else ""
        return [self.problem(found.path, f"{found.label} must not repeat an item{detail}")]

    def _on_additionalProperties(self, found: _Found) -> list[ValidationProblem]:
        allowed = ", ".join(_closed_fields(found.definition)) if found.definition else ""
        hint = f" (allowed: {allowed})" if allowed else ""
        return [
            self.problem(found.path, f"{found.label} has unexpected field {key!r}{hint}", key)
            for key in found.error.kind.unexpected
        ]

    def _on_propertyNames(self, found: _Found) -> list[ValidationProblem]:
        name = str(found.error.kind.error.instance)
        definition = found.definition
        if definition == "ilmd":
            message = (
                f"ILMD field {name!r} has no namespace: ILMD fields are extensions, written "
                "prefix:name with the prefix declared in @context"
            )
        elif definition in _EVENT_DEFINITIONS:
            if any(name in fields for fields in _event_fields().values()):
                message = f"field {name!r} is not allowed in {_article(definition)} {definition}"
            else:
                message = (
                    f"{definition} has unknown field {name!r}: not an EPCIS field and not a "
                    "namespaced extension (prefix:name)"
                )
        else:
            message = (
                f"{found.label} has unknown field {name!r}: not a standard field and not a "
                "namespaced extension (prefix:name)"
            )
        return [self.problem(found.path, message, name)]

    def _on_anyOf(self, found: _Found) -> list[ValidationProblem]:
        definition, value, path = found.definition, found.value, found.path
        if definition in _VOCABULARIES:
            return [self.problem(path, _vocabulary_message(definition, found.label, value))]
        if definition == "certificationInfo":
            items = value if isinstance(value, list) else [value]
            bad = [item for item in items if not (isinstance(item, str) and is_uri(item))]
            detail = f"; {show_value(bad[0])} is not a URI" if bad else ""
            message = f"certificationInfo must be a URI or a list of URIs{detail}"
            return [self.problem(path, message)]
        if definition == "@context":
            message = (
                "@context must be a URI, a context object, or a list of distinct URIs and context "
                "objects"
            )
            return [self.problem(path, message)]
        if definition == "persistentDisposition":
            return [self.problem(path, "persistentDisposition needs 'set' or 'unset'")]
        inner = found.inner
        position = inner[1] if len(inner) > 1 and inner[0] == "allOf" else -1
        if definition == "ObjectEvent" and position == 3:
            return self._ilmd_message(path, value)
        constraint = _CONSTRAINT_MESSAGES.get((definition or "", position))
        if constraint is not None:
            return [self.problem(path, constraint)]
        return [
            self.problem(
                path, f"{found.label} {show_value(value)} matches none of the allowed forms"
            )
        ]

    def _ilmd_message(self, path: Path, event: Any) -> list[ValidationProblem]:
        action = event.get("action") if isinstance(event, dict) else None
        if isinstance(event, dict) and "ilmd" in event and action in ("OBSERVE", "DELETE"):
            message = f"ilmd is only allowed when action is ADD (action is {action!r})"
            return [self.problem(path, message, "ilmd")]
        return []  # a bad action: its own error reports it


class _Found(NamedTuple):
    """One schema error and what the translator knows about it."""

    error: Any
    path: Path
    definition: str | None
    inner: list[str | int]
    label: str
    value: Any


def _article(word: str) -> str:
    return "an" if word[:1] in ("A", "E", "I", "O", "U") else "a"


def _vocabulary_message(definition: str, label: str, value: Any) -> str:
    what = _VOCABULARIES[definition]
    if not isinstance(value, str):
        got = f"{_json_type(value)} {show_value(value)}"
        return f"{label} must be a string (a {what} or a URI), got {got}"
    if _CBV_URI.match(value) or _GS1_VOC_URI.match(value):
        bare = re.split(r"[:/#-]", value)[-1]
        return (
            f"{label} {value!r} is a standard vocabulary URI, which EPCIS 2.0 JSON does not "
            f"accept: write the bare name (for example {bare!r})"
        )
    return f"{label} {value!r} is neither {_article(what)} {what} nor a URI"


def problems_from_errors(
    errors: Iterable[jsonschema_rs.ValidationError],
    instance: Any,
    locate: EventLocator,
    base: str = "",
) -> list[ValidationProblem]:
    """The problems for a failed validation, deduplicated, in the validator's order.

    ``base`` is prefixed to every pointer (the location of ``instance`` in a larger document).
    """
    translator = _Translator(instance, locate, base)
    problems: list[ValidationProblem] = []
    seen: set[tuple[str, str]] = set()
    fallback: list[ValidationProblem] = []
    for error in errors:
        translated = translator.translate(error)
        if not translated:
            fallback.append(translator.problem(list(error.instance_path), error.message))
        for problem in translated:
            key = (problem.pointer, problem.message)
            if key not in seen:
                seen.add(key)
                problems.append(problem)
    return problems or fallback[:1]
