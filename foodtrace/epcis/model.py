"""Typed EPCIS 2.0 values: the common base and the parts events are built from.

Every model is a frozen pydantic v2 model whose JSON names are those of the EPCIS 2.0 JSON
binding (Python names are snake_case, with the JSON name as alias; both are accepted on input).
Reading and writing round-trip: a field absent on input stays absent on output, numbers keep
their JSON type (``2`` stays ``2``, ``2.0`` stays ``2.0``), timestamps stay the strings they
were (RFC 3339 text, not ``datetime``, so no precision or offset is lost), and unknown keys —
user extensions such as ``"example:myField"`` and ``@context`` — are kept verbatim in
``model_extra`` (where the schema allows them). Key order is not kept; JSON objects are
unordered.

CBV vocabulary values (bizStep, disposition, types, …) are plain strings: EPCIS allows any URI
besides the standard names. Validation against the schema and the EPCIS/CBV rules is separate
(:mod:`foodtrace.epcis.validate`); the models only require the shape.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    ValidationError,
)

from foodtrace.exceptions import EPCISParseError

__all__ = [
    "Attribute",
    "BizLocation",
    "BizTransaction",
    "Destination",
    "EPCISHeader",
    "EPCISMasterData",
    "EPCISModel",
    "ErrorDeclaration",
    "Number",
    "PersistentDisposition",
    "QuantityElement",
    "ReadPoint",
    "SensorElement",
    "SensorMetadata",
    "SensorReport",
    "Source",
    "Vocabulary",
    "VocabularyElement",
    "load_json",
    "shape_error_message",
]

Number = StrictInt | StrictFloat
"""A JSON number; an integer stays an ``int`` so that it is written back unchanged."""


class EPCISModel(BaseModel):
    """Base of all EPCIS models: frozen, JSON names as aliases, extension keys kept."""

    model_config = ConfigDict(frozen=True, extra="allow", populate_by_name=True)

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON binding of this value, with exactly the keys it was read or built with."""
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True, exclude_unset=True)
        return data

    def to_json_bytes(self) -> bytes:
        """:meth:`to_json_dict` serialised with orjson (UTF-8, compact)."""
        return orjson.dumps(self.to_json_dict())

    @property
    def extensions(self) -> dict[str, Any]:
        """The keys that are not standard fields (user extensions, ``@context`` where kept)."""
        return dict(self.model_extra or {})


class _Closed(EPCISModel):
    """A part the schema closes (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid")


# --- what ----------------------------------------------------------------------------------------


class QuantityElement(_Closed):
    """A quantity of objects of one class (``epcClass``), with an optional unit (UN/CEFACT)."""

    epc_class: str = Field(alias="epcClass")
    quantity: Number | None = None
    uom: str | None = None


# --- where ---------------------------------------------------------------------------------------


class ReadPoint(EPCISModel):
    """Where the event was observed (a location identifier URI)."""

    id: str


class BizLocation(EPCISModel):
    """Where the objects are after the event (a location identifier URI)."""

    id: str


# --- why -----------------------------------------------------------------------------------------


class BizTransaction(_Closed):
    """A business transaction (purchase order, despatch advice, …) the event belongs to."""

    type: str | None = None
    biz_transaction: str = Field(alias="bizTransaction")


class Source(_Closed):
    """Where the objects came from: ``type`` (owning_party, possessing_party, location) + id."""

    type: str
    source: str


class Destination(_Closed):
    """Where the objects go: ``type`` (owning_party, possessing_party, location) + id."""

    type: str
    destination: str


class PersistentDisposition(_Closed):
    """Dispositions that persist until unset (``set``) and those that end (``unset``)."""

    set: tuple[str, ...] | None = None
    unset: tuple[str, ...] | None = None


# --- how (sensor data) ---------------------------------------------------------------------------


class SensorMetadata(EPCISModel):
    """Data about the sensor device and the observation period of a sensorElement."""

    time: str | None = None
    start_time: str | None = Field(default=None, alias="startTime")
    end_time: str | None = Field(default=None, alias="endTime")
    device_id: str | None = Field(default=None, alias="deviceID")
    device_metadata: str | None = Field(default=None, alias="deviceMetadata")
    raw_data: str | None = Field(default=None, alias="rawData")
    data_processing_method: str | None = Field(default=None, alias="dataProcessingMethod")
    biz_rules: str | None = Field(default=None, alias="bizRules")


class SensorReport(EPCISModel):
    """One measurement (or statistic over a period) of a sensor, or an alert (``exception``)."""

    type: str
    exception: str | None = None
    device_id: str | None = Field(default=None, alias="deviceID")
    device_metadata: str | None = Field(default=None, alias="deviceMetadata")
    raw_data: str | None = Field(default=None, alias="rawData")
    data_processing_method: str | None = Field(default=None, alias="dataProcessingMethod")
    biz_rules: str | None = Field(default=None, alias="bizRules")
    time: str | None = None
    microorganism: str | None = None
    chemical_substance: str | None = Field(default=None, alias="chemicalSubstance")
    coordinate_reference_system: str | None = Field(default=None, alias="coordinateReferenceSystem")
    value: Number | None = None
    component: str | None = None
    string_value: str | None = Field(default=None, alias="stringValue")
    boolean_value: StrictBool | None = Field(default=None, alias="booleanValue")
    hex_binary_value: str | None = Field(default=None, alias="hexBinaryValue")
    uri_value: str | None = Field(default=None, alias="uriValue")
    min_value: Number | None = Field(default=None, alias="minValue")
    max_value: Number | None = Field(default=None, alias="maxValue")
    mean_value: Number | None = Field(default=None, alias="meanValue")
    s_dev: Number | None = Field(default=None, alias="sDev")
    perc_rank: Number | None = Field(default=None, alias="percRank")
    perc_value: Number | None = Field(default=None, alias="percValue")
    uom: str | None = None


class SensorElement(EPCISModel):
    """Sensor data attached to an event: optional metadata and one or more reports."""

    sensor_metadata: SensorMetadata | None = Field(default=None, alias="sensorMetadata")
    sensor_report: tuple[SensorReport, ...] = Field(alias="sensorReport")


# --- errors and certification --------------------------------------------------------------------


class ErrorDeclaration(EPCISModel):
    """Declares a prior event (same fields, same eventTime) erroneous as of ``declarationTime``."""

    declaration_time: str = Field(alias="declarationTime")
    reason: str | None = None
    corrective_event_ids: tuple[str, ...] | None = Field(default=None, alias="correctiveEventIDs")


# --- master data in the document header ----------------------------------------------------------


class Attribute(EPCISModel):
    """A master-data attribute: its ``id`` (URI) and value."""

    id: str
    attribute: Any = None


class VocabularyElement(EPCISModel):
    """Master data of one vocabulary element (a location, a product class, …)."""

    id: str
    attributes: tuple[Attribute, ...] | None = None
    children: tuple[str, ...] | None = None


class Vocabulary(EPCISModel):
    """Master data of one vocabulary type (``urn:epcglobal:epcis:vtype:BusinessLocation``, …)."""

    type: str
    vocabulary_element_list: tuple[VocabularyElement, ...] | None = Field(
        default=None, alias="vocabularyElementList"
    )


class EPCISMasterData(EPCISModel):
    """``epcisHeader.epcisMasterData``: master data sent along with the events."""

    vocabulary_list: tuple[Vocabulary, ...] | None = Field(default=None, alias="vocabularyList")


class EPCISHeader(EPCISModel):
    """``epcisHeader`` of an EPCISDocument."""

    epcis_master_data: EPCISMasterData | None = Field(default=None, alias="epcisMasterData")


# --- reading -------------------------------------------------------------------------------------


def load_json(data: bytes | str | Mapping[str, Any], what: str) -> Mapping[str, Any]:
    """JSON text parsed with orjson, or the mapping itself; a JSON object is required."""
    if isinstance(data, Mapping):
        return data
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise EPCISParseError(f"not JSON: {exc}") from exc
    if not isinstance(parsed, dict):
        raise EPCISParseError(f"an EPCIS {what} must be a JSON object, got {type(parsed).__name__}")
    return parsed


def _pointer(location: tuple[int | str, ...], union_tags: Collection[str]) -> str:
    """A pydantic error location as an RFC 6901 JSON pointer (union tags left out)."""
    parts: list[str] = []
    previous: int | str | None = None
    for part in location:
        if not (isinstance(part, str) and part in union_tags and isinstance(previous, int)):
            parts.append(str(part).replace("~", "~0").replace("/", "~1"))
        previous = part
    return "".join(f"/{part}" for part in parts)


def shape_error_message(what: str, error: ValidationError, union_tags: Collection[str] = ()) -> str:
    """One line naming the first shape errors: where (JSON pointer) and what is wrong."""
    details = [f"{_pointer(e['loc'], union_tags) or '/'}: {e['msg']}" for e in error.errors()[:3]]
    more = f" (+{error.error_count() - 3} more)" if error.error_count() > 3 else ""
    return f"not a valid {what}: " + "; ".join(details) + more
