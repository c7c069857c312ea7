"""Errors raised by the shared standards core.

Every error a caller can provoke with bad input is a ``FoodtraceError``; the CLI turns it into
a one-line message and a non-zero exit, the service into RFC 9457 problem+json, the ingest into
a dead-letter record. Errors name what is wrong (field, value, position) rather than just
saying "invalid".

Our exception hierarchy::

    FoodtraceError
    ├── GS1Error (also a ValueError)
    │   ├── CheckDigitError ............ a GS1 key whose check digit does not match
    │   ├── ApplicationIdentifierError . unknown AI, or an AI value of the wrong syntax
    │   ├── DigitalLinkError ........... a GS1 Digital Link URI that does not parse
    │   └── EPCError
    │       ├── EPCBinaryError ......... hex/binary: wrong length, unknown header, bad
    │       │   │                        partition or filter, field out of range, bad padding
    │       │   └── EPCHeaderError ..... a header that is not a supported GS1 EPC scheme
    │       │                            (0xE2 = TID-style factory EPC, TDS 2.0 "+" schemes, …)
    │       └── EPCURIError ............ pure-identity URN, EPC class URN or tag URI: bad syntax,
    │                                    non-numeric company prefix, bad escaping, too long
    ├── EPCISError
    │   ├── EPCISParseError ............ not JSON, or not an EPCIS document/event at all
    │   ├── EPCISValidationError ....... schema or CBV/EPCIS rule violations (``.problems``)
    │   ├── EventHashError ............. an event the CBV 2.0 hash algorithm cannot canonicalise
    │   └── VocabularyError ............ (also a ValueError) a value that is neither a CBV 2.0
    │                                    standard term nor a URI of a user vocabulary
    └── ReaderProtocolError (also a ValueError)
        ├── FrameError ................. a frame that fails to decode (checksum, length, layout)
        ├── UnknownCommandError ........ a well-formed frame with a command we do not know
        └── CaptureFormatError ......... a byte capture given as text that is not valid hex
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ApplicationIdentifierError",
    "CaptureFormatError",
    "CheckDigitError",
    "DigitalLinkError",
    "EPCBinaryError",
    "EPCError",
    "EPCHeaderError",
    "EPCISError",
    "EPCISParseError",
    "EPCISValidationError",
    "EPCURIError",
    "EventHashError",
    "FoodtraceError",
    "FrameError",
    "GS1Error",
    "ReaderProtocolError",
    "UnknownCommandError",
    "ValidationProblem",
    "VocabularyError",
]


class FoodtraceError(Exception):
    """Base of every error foodtrace raises on bad input or a failed operation."""


# --- GS1 identifiers -------------------------------------------------------------------------


class GS1Error(FoodtraceError, ValueError):
    """A GS1 identifier (key, AI element string, EPC, Digital Link) is not valid."""


class CheckDigitError(GS1Error):
    """A GS1 key's check digit does not match its other digits."""


class ApplicationIdentifierError(GS1Error):
    """An unknown application identifier, or a value that breaks the AI's syntax."""


class DigitalLinkError(GS1Error):
    """A GS1 Digital Link URI that does not parse or breaks the Digital Link rules."""


class EPCError(GS1Error):
    """An EPC (binary, URN or tag URI) that cannot be decoded or encoded."""


class EPCBinaryError(EPCError):
    """EPC binary/hex: wrong length, unknown header, bad partition or filter, field overflow."""


class EPCHeaderError(EPCBinaryError):
    """The binary's header is not a GS1 EPC scheme this codec decodes (``header`` holds it).

    Header 0xE2 is a tag identifier (TID) style factory EPC, not a GS1 EPC; unassigned headers
    and the TDS 2.0 "+" schemes land here too. Callers that pass such reads through can catch
    this and keep the raw hex (``foodtrace.gs1.epc.raw_uri``).
    """

    def __init__(self, header: int, message: str) -> None:
        self.header = header
        super().__init__(message)


class EPCURIError(EPCError):
    """EPC URI: bad syntax, non-numeric company prefix, bad percent-escaping, too long."""


# --- EPCIS ------------------------------------------------------------------------------------


class EPCISError(FoodtraceError):
    """An EPCIS document or event is unusable."""


class EPCISParseError(EPCISError):
    """Input is not JSON, or not shaped like an EPCIS document or event at all."""


@dataclass(frozen=True, slots=True)
class ValidationProblem:
    """One reason an EPCIS document is invalid.

    ``event_index`` is the 0-based position of the event in the document's event list (``None``
    when the problem is outside any event); ``pointer`` is an RFC 6901 JSON pointer into the
    document; ``rule`` names the schema keyword or the CBV/EPCIS rule that was broken;
    ``severity`` is ``"error"`` (the document is refused) or ``"warning"`` (accepted, but the data
    is implausible — see ``foodtrace.epcis.rules.WARNING_RULES``).
    """

    pointer: str
    message: str
    event_index: int | None = None
    rule: str = "schema"
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        where = f"event {self.event_index}" if self.event_index is not None else "document"
        return f"{where} at {self.pointer or '/'}: {self.message}"


class EPCISValidationError(EPCISError):
    """The document breaks the EPCIS 2.0 JSON Schema or CBV/EPCIS rules."""

    def __init__(self, problems: list[ValidationProblem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "invalid EPCIS document"
        more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class EventHashError(EPCISError):
    """The CBV 2.0 event hash cannot be computed for this event."""


class VocabularyError(EPCISError, ValueError):
    """A value that is neither a CBV 2.0 standard term nor a URI of a user vocabulary."""


# --- Reader protocols ---------------------------------------------------------------------------


class ReaderProtocolError(FoodtraceError, ValueError):
    """Bytes that are not a valid frame of the reader's serial protocol."""


class FrameError(ReaderProtocolError):
    """A frame that fails to decode: bad checksum, bad length, or a layout we cannot read."""


class UnknownCommandError(ReaderProtocolError):
    """A well-formed frame whose command code this library does not know."""


class CaptureFormatError(ReaderProtocolError):
    """A reader byte capture given as hex text that is not valid hex (names the bad token)."""
