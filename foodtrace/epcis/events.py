"""The five EPCIS 2.0 event types, extension events, and the union discriminated on ``type``.

``Event`` is the discriminated union: ``ObjectEvent``, ``AggregationEvent``,
``TransactionEvent``, ``TransformationEvent``, ``AssociationEvent``, and ``ExtensionEvent`` for
any other ``type`` (the schema allows event types named by a URI). :func:`parse_event` reads one
event from JSON text or a mapping.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import Discriminator, Field, Tag, TypeAdapter, ValidationError

from foodtrace.epcis.model import (
    BizLocation,
    BizTransaction,
    Destination,
    EPCISModel,
    ErrorDeclaration,
    PersistentDisposition,
    QuantityElement,
    ReadPoint,
    SensorElement,
    Source,
    load_json,
    shape_error_message,
)
from foodtrace.exceptions import EPCISParseError

__all__ = [
    "EVENT_TYPES",
    "UNION_TAGS",
    "AggregationEvent",
    "AssociationEvent",
    "EPCISEvent",
    "Event",
    "ExtensionEvent",
    "ObjectEvent",
    "TransactionEvent",
    "TransformationEvent",
    "parse_event",
]

Action = Literal["ADD", "OBSERVE", "DELETE"]

EVENT_TYPES: Final = frozenset(
    {
        "ObjectEvent",
        "AggregationEvent",
        "TransactionEvent",
        "TransformationEvent",
        "AssociationEvent",
    }
)


class EPCISEvent(EPCISModel):
    """Fields every EPCIS event has: when it happened, its identity, certification and errors."""

    context: Any = Field(default=None, alias="@context")
    type: str
    event_time: str = Field(alias="eventTime")
    event_time_zone_offset: str = Field(alias="eventTimeZoneOffset")
    record_time: str | None = Field(default=None, alias="recordTime")
    event_id: str | None = Field(default=None, alias="eventID")
    certification_info: str | tuple[str, ...] | None = Field(
        default=None, alias="certificationInfo"
    )
    error_declaration: ErrorDeclaration | None = Field(default=None, alias="errorDeclaration")

    def model_post_init(self, _context: Any, /) -> None:
        # ``type`` has a default on the concrete classes; it must still be written out.
        self.__pydantic_fields_set__.add("type")

    @property
    def event_datetime(self) -> datetime:
        """``eventTime`` as an aware ``datetime`` (fractions beyond microseconds are cut)."""
        return datetime.fromisoformat(self.event_time)


class _StandardEvent(EPCISEvent):
    """The where/why/how fields that all five standard event types share."""

    biz_step: str | None = Field(default=None, alias="bizStep")
    disposition: str | None = None
    read_point: ReadPoint | None = Field(default=None, alias="readPoint")
    biz_location: BizLocation | None = Field(default=None, alias="bizLocation")
    biz_transaction_list: tuple[BizTransaction, ...] | None = Field(
        default=None, alias="bizTransactionList"
    )
    source_list: tuple[Source, ...] | None = Field(default=None, alias="sourceList")
    destination_list: tuple[Destination, ...] | None = Field(default=None, alias="destinationList")
    sensor_element_list: tuple[SensorElement, ...] | None = Field(
        default=None, alias="sensorElementList"
    )


class ObjectEvent(_StandardEvent):
    """Objects observed, commissioned (ADD) or decommissioned (DELETE)."""

    type: Literal["ObjectEvent"] = "ObjectEvent"
    action: Action
    epc_list: tuple[str, ...] | None = Field(default=None, alias="epcList")
    quantity_list: tuple[QuantityElement, ...] | None = Field(default=None, alias="quantityList")
    persistent_disposition: PersistentDisposition | None = Field(
        default=None, alias="persistentDisposition"
    )
    ilmd: dict[str, Any] | None = None


class AggregationEvent(_StandardEvent):
    """Children packed into (ADD), seen in (OBSERVE) or taken out of (DELETE) a parent."""

    type: Literal["AggregationEvent"] = "AggregationEvent"
    action: Action
    parent_id: str | None = Field(default=None, alias="parentID")
    child_epcs: tuple[str, ...] | None = Field(default=None, alias="childEPCs")
    child_quantity_list: tuple[QuantityElement, ...] | None = Field(
        default=None, alias="childQuantityList"
    )


class TransactionEvent(_StandardEvent):
    """Objects linked to (ADD) or unlinked from (DELETE) business transactions."""

    type: Literal["TransactionEvent"] = "TransactionEvent"
    action: Action
    biz_transaction_list: tuple[BizTransaction, ...] = Field(alias="bizTransactionList")
    parent_id: str | None = Field(default=None, alias="parentID")
    epc_list: tuple[str, ...] | None = Field(default=None, alias="epcList")
    quantity_list: tuple[QuantityElement, ...] | None = Field(default=None, alias="quantityList")


class TransformationEvent(_StandardEvent):
    """Inputs consumed and outputs produced (processing, mixing, repacking)."""

    type: Literal["TransformationEvent"] = "TransformationEvent"
    input_epc_list: tuple[str, ...] | None = Field(default=None, alias="inputEPCList")
    input_quantity_list: tuple[QuantityElement, ...] | None = Field(
        default=None, alias="inputQuantityList"
    )
    output_epc_list: tuple[str, ...] | None = Field(default=None, alias="outputEPCList")
    output_quantity_list: tuple[QuantityElement, ...] | None = Field(
        default=None, alias="outputQuantityList"
    )
    transformation_id: str | None = Field(default=None, alias="transformationID")
    persistent_disposition: PersistentDisposition | None = Field(
        default=None, alias="persistentDisposition"
    )
    ilmd: dict[str, Any] | None = None


class AssociationEvent(_StandardEvent):
    """Children associated with a parent object or a place, for longer than an aggregation."""

    type: Literal["AssociationEvent"] = "AssociationEvent"
    action: Action
    parent_id: str = Field(alias="parentID")
    child_epcs: tuple[str, ...] | None = Field(default=None, alias="childEPCs")
    child_quantity_list: tuple[QuantityElement, ...] | None = Field(
        default=None, alias="childQuantityList"
    )


class ExtensionEvent(EPCISEvent):
    """An event whose ``type`` is a URI outside the five standard types; other keys kept as is."""


def _event_tag(value: Any) -> str:
    kind = value.get("type") if isinstance(value, Mapping) else getattr(value, "type", None)
    return kind if kind in EVENT_TYPES else "extension"


Event = Annotated[
    Annotated[ObjectEvent, Tag("ObjectEvent")]
    | Annotated[AggregationEvent, Tag("AggregationEvent")]
    | Annotated[TransactionEvent, Tag("TransactionEvent")]
    | Annotated[TransformationEvent, Tag("TransformationEvent")]
    | Annotated[AssociationEvent, Tag("AssociationEvent")]
    | Annotated[ExtensionEvent, Tag("extension")],
    Discriminator(_event_tag),
]
"""Any EPCIS event, chosen by its ``type``."""

_EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
UNION_TAGS: Final = frozenset(EVENT_TYPES | {"extension"})
"""The tags of :data:`Event` (they appear in pydantic error locations)."""


def parse_event(data: bytes | str | Mapping[str, Any]) -> Event:
    """One EPCIS event from JSON text or a mapping.

    Raises ``EPCISParseError`` if the input is not JSON or not shaped like an EPCIS event
    (missing ``eventTime``, an ``action`` outside ADD/OBSERVE/DELETE, a list where an object
    belongs, …). It does not validate formats or rules: use :mod:`foodtrace.epcis.validate`.
    """
    raw = load_json(data, "event")
    try:
        return _EVENT_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        raise EPCISParseError(shape_error_message("EPCIS event", exc, UNION_TAGS)) from exc
