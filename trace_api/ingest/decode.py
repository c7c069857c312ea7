"""One MQTT message → a checked document (accepted prepared events and precise refusals).

Never raises on input: bytes that are not UTF-8 or not JSON, a topic that names no station, an
invalid document or event, an event claiming another station or a place its station does not
own all become :class:`~trace_api.capture.Refusal` values, which the worker writes to the
dead-letter table with the raw bytes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from trace_api.capture import CheckedDocument, Refusal, check_document, decode_payload
from trace_api.exceptions import PayloadError
from trace_api.ingest.acceptance import StationDirectory, station_of_topic

__all__ = ["DecodedMessage", "dead_letter_reason", "decode_message"]

log = logging.getLogger("trace_api.ingest")


@dataclass(slots=True)
class DecodedMessage:
    """A message as received and what the pipeline made of it."""

    topic: str
    payload: bytes
    station_id: str | None
    checked: CheckedDocument


def decode_message(topic: str, payload: bytes, stations: StationDirectory) -> DecodedMessage:
    station = station_of_topic(topic)
    if station is None:
        refusal = Refusal(None, "", f"topic {topic!r} names no station", "bad_topic")
        return DecodedMessage(topic, payload, None, CheckedDocument(0, refusals=[refusal]))
    try:
        doc = decode_payload(payload)
    except PayloadError as exc:
        refusal = Refusal(None, "", exc.message, exc.reason_code)
        return DecodedMessage(topic, payload, station, CheckedDocument(0, refusals=[refusal]))
    accept = stations.acceptance(station)
    try:
        checked = check_document(doc, accept=accept)
    except Exception as exc:  # a bug on some input must not stop the worker: keep the message
        log.exception("ingest: unexpected error on a message from %s", topic)
        refusal = Refusal(
            None, "", f"internal error: {type(exc).__name__}: {exc}", "internal_error"
        )
        checked = CheckedDocument(0, refusals=[refusal])
    return DecodedMessage(topic, payload, station, checked)


def dead_letter_reason(refusals: list[Refusal]) -> tuple[str, str]:
    """``(reason_code, message)`` of a dead letter: the first refusal's code, every refusal's
    text one per line (``event 3 at /epcisBody/eventList/3/readPoint/id: …``)."""
    return refusals[0].reason_code, "\n".join(str(r) for r in refusals)
