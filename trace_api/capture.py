"""The capture pipeline shared by the MQTT ingest, ``foodtrace capture`` and the REST API.

parse → validate → (acceptance checks) → prepare (hash ``eventID`` when absent) → store.

* :func:`decode_payload` turns raw bytes into JSON data or raises :class:`PayloadError`
  (``not_utf8``, ``not_json``).
* :func:`check_document` validates a parsed document with :func:`validate_document` (the
  jsonschema-rs schema layer plus the EPCIS/CBV rules) and prepares every event that passed:
  a :class:`CheckedDocument`, pure, no database.
* :func:`store_checked` stores the accepted events of one or more checked documents in one
  idempotent transaction (``store_events``) and returns one :class:`CaptureOutcome` each.
* :func:`capture_document` / :func:`capture_bytes` do all of it for one document.

Partly invalid documents: acceptance is **per event**, what EPCIS calls the ``proceed`` error
behaviour. A problem outside any event (the envelope: ``@context``, ``schemaVersion``, the
root ``type`` …) refuses the whole document; a problem inside event *i* refuses event *i*
only, and the document's other events are stored. Every refusal is reported with the event
index, the JSON pointer and the validator's message. A caller that wants ``rollback``
semantics stores nothing when :attr:`CheckedDocument.refusals` is not empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from foodtrace.epcis.document import DOCUMENT_TYPES, raw_event_list
from foodtrace.epcis.validate import validate_document
from trace_api.exceptions import EventShapeError, PayloadError
from trace_api.storage import (
    PreparedContext,
    PreparedEvent,
    Target,
    prepare_context,
    prepare_event,
    store_events,
)

__all__ = [
    "Acceptance",
    "CaptureOutcome",
    "CheckedDocument",
    "EventOutcome",
    "Refusal",
    "capture_bytes",
    "capture_document",
    "check_document",
    "decode_payload",
    "store_checked",
]

Status = Literal["stored", "duplicate", "refused"]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why (part of) a document was not captured.

    ``event_index`` is the event's position in the document's event list (``None``: the whole
    document); ``pointer`` an RFC 6901 pointer into the document; ``reason_code`` a stable code
    (``not_utf8``, ``not_json``, ``not_a_document``, ``schema_invalid``, ``rule_violation``,
    ``event_shape``, or a caller's acceptance code such as ``station_mismatch``).
    """

    event_index: int | None
    pointer: str
    message: str
    reason_code: str

    def __str__(self) -> str:
        where = "document" if self.event_index is None else f"event {self.event_index}"
        return f"{where} at {self.pointer or '/'}: {self.message}"

    def as_problem(self) -> dict[str, Any]:
        """A JSON object for capture-job errors and API responses."""
        return {
            "eventIndex": self.event_index,
            "pointer": self.pointer,
            "reason": self.reason_code,
            "detail": self.message,
        }


#: An extra, caller-specific check of one valid event: ``(index, event, pointer of the event in
#: the document, the document's prefix → namespace map)`` → its refusals (empty: accepted). The
#: MQTT ingest checks station ownership with it.
Acceptance = Callable[[int, Mapping[str, Any], str, Mapping[str, str]], list[Refusal]]


@dataclass(slots=True)
class CheckedDocument:
    """A validated document: its prepared accepted events and its refusals."""

    event_count: int
    context: PreparedContext | None = None
    accepted: list[tuple[int, PreparedEvent]] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def refused_whole(self) -> bool:
        """True when a problem outside any event refused the whole document."""
        return any(r.event_index is None for r in self.refusals)


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """What happened to one event of a document."""

    index: int
    status: Status
    event_id: str | None = None


@dataclass(slots=True)
class CaptureOutcome:
    """The outcome of one document: per event, and its refusals."""

    event_count: int
    events: list[EventOutcome] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    def count(self, status: Status) -> int:
        return sum(1 for e in self.events if e.status == status)

    @property
    def stored(self) -> int:
        return self.count("stored")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def refused(self) -> int:
        """Refused events (all of them when the document itself was refused)."""
        return self.count("refused")


def decode_payload(raw: bytes) -> Any:
    """Parse UTF-8 JSON bytes; :class:`PayloadError` (``not_utf8`` / ``not_json``) otherwise."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise PayloadError("not_utf8", f"not UTF-8: {bad.reason} at byte {bad.start}") from None
        raise PayloadError("not_json", f"not JSON: {exc}") from None


def _code(rule: str) -> str:
    return "schema_invalid" if rule in ("schema", "json") else "rule_violation"


def _document_refusal(pointer: str, message: str, code: str, count: int) -> CheckedDocument:
    return CheckedDocument(count, refusals=[Refusal(None, pointer, message, code)])


def check_document(doc: Any, *, accept: Acceptance | None = None) -> CheckedDocument:
    """Validate ``doc`` (an ``EPCISDocument``, ``EPCISQueryDocument`` or one event with its
    ``@context``) and prepare each accepted event. Never raises on bad input."""
    if not isinstance(doc, dict):
        return _document_refusal(
            "", "not an EPCIS document: the JSON value is not an object", "not_a_document", 0
        )
    if doc.get("type") in DOCUMENT_TYPES:
        found = raw_event_list(doc)
        pointer, events = found if found is not None else ("/epcisBody/eventList", [])
    else:  # a stand-alone event (validate_document then requires its @context)
        pointer, events = "", [doc]
    checked = CheckedDocument(len(events))
    problems = validate_document(doc)
    for problem in problems:
        checked.refusals.append(
            Refusal(problem.event_index, problem.pointer, problem.message, _code(problem.rule))
        )
    if checked.refused_whole:
        return checked
    refused = {r.event_index for r in checked.refusals}
    try:
        checked.context = prepare_context(doc.get("@context"))
    except (TypeError, ValueError) as exc:  # the schema accepted it, but be safe
        return _document_refusal("/@context", f"unusable @context: {exc}", "schema_invalid", 0)
    namespaces = checked.context.namespaces if checked.context is not None else {}
    for index, event in enumerate(events):
        if index in refused:
            continue
        where = f"{pointer}/{index}" if pointer else ""
        extra = accept(index, event, where, namespaces) if accept is not None else []
        if extra:
            checked.refusals.extend(extra)
            continue
        try:
            checked.accepted.append((index, prepare_event(event, checked.context)))
        except EventShapeError as exc:
            checked.refusals.append(Refusal(index, where, str(exc), "event_shape"))
    checked.refusals.sort(key=lambda r: -1 if r.event_index is None else r.event_index)
    return checked


def store_checked(
    target: Target, documents: Sequence[CheckedDocument], *, capture_id: str | None = None
) -> list[CaptureOutcome]:
    """Store the accepted events of ``documents`` in one transaction (see ``Target``).

    Idempotent on ``eventID``: an event already stored, or repeated earlier in ``documents``,
    is a ``duplicate``. Returns one outcome per document, events in document order.
    """
    prepared = [p for doc in documents for _, p in doc.accepted]
    result = store_events(target, prepared, capture_id=capture_id)
    new = set(result.event_pks)
    outcomes: list[CaptureOutcome] = []
    for doc in documents:
        by_index: dict[int, EventOutcome] = {}
        for index, event in doc.accepted:
            status: Status = "stored" if event.event_id in new else "duplicate"
            new.discard(event.event_id)  # a later occurrence is a duplicate
            by_index[index] = EventOutcome(index, status, event.event_id)
        if doc.refused_whole:
            refused_indices = set(range(doc.event_count))
        else:
            refused_indices = {r.event_index for r in doc.refusals if r.event_index is not None}
        for index in refused_indices:
            by_index.setdefault(index, EventOutcome(index, "refused"))
        outcome = CaptureOutcome(doc.event_count, refusals=list(doc.refusals))
        outcome.events = [by_index[i] for i in sorted(by_index)]
        outcomes.append(outcome)
    return outcomes


def capture_document(
    target: Target,
    doc: Any,
    *,
    accept: Acceptance | None = None,
    capture_id: str | None = None,
) -> CaptureOutcome:
    """Validate, prepare and store one parsed document (per-event acceptance)."""
    return store_checked(target, [check_document(doc, accept=accept)], capture_id=capture_id)[0]


def capture_bytes(
    target: Target,
    raw: bytes,
    *,
    accept: Acceptance | None = None,
    capture_id: str | None = None,
) -> CaptureOutcome:
    """:func:`capture_document` on raw bytes; undecodable bytes are one document refusal."""
    try:
        doc = decode_payload(raw)
    except PayloadError as exc:
        return CaptureOutcome(0, refusals=[Refusal(None, "", exc.message, exc.reason_code)])
    return capture_document(target, doc, accept=accept, capture_id=capture_id)
