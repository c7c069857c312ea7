"""EPCIS 2.0 documents: ``EPCISDocument`` (capture) and ``EPCISQueryDocument`` (query results).

:func:`parse_document` reads either from JSON text or a mapping; :func:`iter_events` yields the
events of either; :meth:`EPCISDocument.namespaces` gives the extension prefixes its ``@context``
declares. :func:`raw_event_list` finds the event list of a raw (unparsed) document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

from pydantic import Field, ValidationError

from foodtrace.epcis.events import UNION_TAGS, Event
from foodtrace.epcis.jsonld import context_namespaces
from foodtrace.epcis.model import (
    EPCISHeader,
    EPCISModel,
    Vocabulary,
    load_json,
    shape_error_message,
)
from foodtrace.exceptions import EPCISParseError

__all__ = [
    "DOCUMENT_TYPES",
    "EPCISBody",
    "EPCISDocument",
    "EPCISQueryBody",
    "EPCISQueryDocument",
    "QueryResults",
    "ResultsBody",
    "iter_events",
    "parse_document",
    "raw_event_list",
]

DOCUMENT_TYPES = frozenset({"EPCISDocument", "EPCISQueryDocument"})


class _Document(EPCISModel):
    context: Any = Field(default=None, alias="@context")
    id: str | None = None
    schema_version: str | None = Field(default=None, alias="schemaVersion")
    creation_date: str | None = Field(default=None, alias="creationDate")

    def model_post_init(self, _context: Any, /) -> None:
        # ``type`` has a default; it must still be written out.
        self.__pydantic_fields_set__.add("type")

    def namespaces(self) -> dict[str, str]:
        """Prefix → namespace IRI declared by this document's ``@context``."""
        return context_namespaces(self.context)


class EPCISBody(EPCISModel):
    """``epcisBody`` of an EPCISDocument."""

    event_list: tuple[Event, ...] = Field(alias="eventList")


class EPCISDocument(_Document):
    """A batch of events, as sent to a capture interface."""

    type: Literal["EPCISDocument"] = "EPCISDocument"
    schema_version: str = Field(alias="schemaVersion")
    creation_date: str = Field(alias="creationDate")
    instance_identifier: str | None = Field(default=None, alias="instanceIdentifier")
    sender: str | None = None
    receiver: str | None = None
    epcis_header: EPCISHeader | None = Field(default=None, alias="epcisHeader")
    epcis_body: EPCISBody = Field(alias="epcisBody")

    @property
    def events(self) -> tuple[Event, ...]:
        """The events, in document order."""
        return self.epcis_body.event_list


class ResultsBody(EPCISModel):
    """``resultsBody`` of query results: the events (and optional master data)."""

    event_list: tuple[Event, ...] = Field(alias="eventList")
    vocabulary_list: tuple[Vocabulary, ...] | None = Field(default=None, alias="vocabularyList")


class QueryResults(EPCISModel):
    """``queryResults``: which query (or subscription) produced the events."""

    query_name: str = Field(alias="queryName")
    subscription_id: str | None = Field(default=None, alias="subscriptionID")
    results_body: ResultsBody = Field(alias="resultsBody")


class EPCISQueryBody(EPCISModel):
    """``epcisBody`` of an EPCISQueryDocument."""

    query_results: QueryResults = Field(alias="queryResults")


class EPCISQueryDocument(_Document):
    """Events returned by a query or delivered to a subscription."""

    type: Literal["EPCISQueryDocument"] = "EPCISQueryDocument"
    epcis_body: EPCISQueryBody = Field(alias="epcisBody")

    @property
    def events(self) -> tuple[Event, ...]:
        """The events, in document order."""
        return self.epcis_body.query_results.results_body.event_list


def parse_document(data: bytes | str | Mapping[str, Any]) -> EPCISDocument | EPCISQueryDocument:
    """An EPCISDocument or EPCISQueryDocument from JSON text or a mapping.

    Raises ``EPCISParseError`` if the input is not JSON, has another ``type``, or is not shaped
    like an EPCIS document (the message names the JSON pointer of the first problems). It checks
    shape only: use :mod:`foodtrace.epcis.validate` for the schema's formats and the rules.
    """
    raw = load_json(data, "document")
    kind = raw.get("type")
    model: type[EPCISDocument] | type[EPCISQueryDocument]
    if kind == "EPCISDocument":
        model = EPCISDocument
    elif kind == "EPCISQueryDocument":
        model = EPCISQueryDocument
    else:
        raise EPCISParseError(
            f"not an EPCIS document: type is {kind!r}, expected 'EPCISDocument' or "
            "'EPCISQueryDocument'"
        )
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise EPCISParseError(shape_error_message(kind, exc, UNION_TAGS)) from exc


def iter_events(document: EPCISDocument | EPCISQueryDocument) -> Iterator[Event]:
    """The events of a capture or query document, in order."""
    yield from document.events


def raw_event_list(document: Mapping[str, Any]) -> tuple[str, list[Any]] | None:
    """``(pointer, events)`` of a raw document's event list, or ``None`` if it has none.

    The pointer is ``/epcisBody/eventList`` or ``/epcisBody/queryResults/resultsBody/eventList``;
    the list is returned as is (its items need not be valid events).
    """
    body = document.get("epcisBody")
    if not isinstance(body, Mapping):
        return None
    if document.get("type") == "EPCISQueryDocument":
        results = body.get("queryResults")
        results_body = results.get("resultsBody") if isinstance(results, Mapping) else None
        events = results_body.get("eventList") if isinstance(results_body, Mapping) else None
        pointer = "/epcisBody/queryResults/resultsBody/eventList"
    else:
        events = body.get("eventList")
        pointer = "/epcisBody/eventList"
    return (pointer, events) if isinstance(events, list) else None
