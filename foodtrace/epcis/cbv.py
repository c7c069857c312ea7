"""CBV 2.0 standard vocabularies and conversions between their four spellings.

The term lists are the enums of the EPCIS 2.0 JSON Schema (``JSON-Schema/schemas/*.json`` of
gs1/EPCIS at 2b888bef): bizStep, disposition, bizTransaction type, source/destination type,
error reason, sensor alert type, measurement type and sensor component. Each standard term has
up to four spellings, and the functions here convert between them:

==============  ========================================  ========================================
bare (JSON)     ``shipping``                              ``Temperature``
CBV URN (XML)   ``urn:epcglobal:cbv:bizstep:shipping``    (none: new in CBV 2.0)
CURIE           ``cbv:BizStep-shipping``                  ``gs1:Temperature``
Web URI         ``https://ref.gs1.org/cbv/BizStep-shipping``  ``https://gs1.org/voc/Temperature``
==============  ========================================  ========================================

Sensor alert types and measurement types live in the GS1 Web Vocabulary (``gs1:`` =
``https://gs1.org/voc/``), the others in the CBV (``cbv:`` = ``https://ref.gs1.org/cbv/``).
Components and the ``gs1:`` terms have no URN form. A value that is not a standard term but is
a URI (it has a scheme, as in ``https://example.com/bizstep/x``) is a user vocabulary value and
passes through every conversion unchanged; anything else is refused with
:class:`~foodtrace.exceptions.VocabularyError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from foodtrace.exceptions import VocabularyError

__all__ = [
    "BIZ_STEPS",
    "BIZ_TRANSACTION_TYPES",
    "COMPONENTS",
    "DISPOSITIONS",
    "ERROR_REASONS",
    "MEASUREMENT_TYPES",
    "SENSOR_ALERT_TYPES",
    "SOURCE_DEST_TYPES",
    "VOCABULARIES",
    "Vocabulary",
    "VocabularyKind",
    "is_standard",
    "standard_term",
    "to_bare",
    "to_curie",
    "to_urn",
    "to_web_uri",
]

CBV = "https://ref.gs1.org/cbv/"
GS1_VOC = "https://gs1.org/voc/"

# fmt: off
BIZ_STEPS: tuple[str, ...] = (
    "accepting", "arriving", "assembling", "collecting", "commissioning", "consigning",
    "creating_class_instance", "cycle_counting", "decommissioning", "departing", "destroying",
    "disassembling", "dispensing", "encoding", "entering_exiting", "holding", "inspecting",
    "installing", "killing", "loading", "other", "packing", "picking", "receiving", "removing",
    "repackaging", "repairing", "replacing", "reserving", "retail_selling", "shipping",
    "staging_outbound", "stock_taking", "stocking", "storing", "transporting", "unloading",
    "unpacking", "void_shipping", "sensor_reporting", "sampling",
)
DISPOSITIONS: tuple[str, ...] = (
    "active", "container_closed", "damaged", "destroyed", "dispensed", "disposed", "encoded",
    "expired", "in_progress", "in_transit", "inactive", "no_pedigree_match", "non_sellable_other",
    "partially_dispensed", "recalled", "reserved", "retail_sold", "returned",
    "sellable_accessible", "sellable_not_accessible", "stolen", "unknown", "available",
    "completeness_verified", "completeness_inferred", "conformant", "container_open",
    "mismatch_instance", "mismatch_class", "mismatch_quantity", "needs_replacement",
    "non_conformant", "unavailable",
)
BIZ_TRANSACTION_TYPES: tuple[str, ...] = (
    "bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma",
    "testprd", "testres", "upevt",
)
SOURCE_DEST_TYPES: tuple[str, ...] = (
    "owning_party", "possessing_party", "location",
)
ERROR_REASONS: tuple[str, ...] = (
    "did_not_occur", "incorrect_data",
)
SENSOR_ALERT_TYPES: tuple[str, ...] = (
    "ALARM_CONDITION", "ERROR_CONDITION",
)
MEASUREMENT_TYPES: tuple[str, ...] = (
    "AbsoluteHumidity", "AbsorbedDose", "AbsorbedDoseRate", "Acceleration", "Radioactivity",
    "Altitude", "AmountOfSubstance", "AmountOfSubstancePerUnitVolume", "Angle",
    "AngularAcceleration", "AngularMomentum", "AngularVelocity", "Area", "Capacitance",
    "Conductance", "Conductivity", "Count", "Density", "Dimensionless", "DoseEquivalent",
    "DoseEquivalentRate", "DynamicViscosity", "ElectricCharge", "ElectricCurrent",
    "ElectricCurrentDensity", "ElectricFieldStrength", "Energy", "Exposure", "Force", "Frequency",
    "Illuminance", "Inductance", "Irradiance", "KinematicViscosity", "Length", "LinearMomentum",
    "Luminance", "LuminousFlux", "LuminousIntensity", "MagneticFlux", "MagneticFluxDensity",
    "MagneticVectorPotential", "Mass", "MassConcentration", "MassFlowRate", "MassPerAreaTime",
    "MemoryCapacity", "MolalityOfSolute", "MolarEnergy", "MolarMass", "MolarVolume", "Power",
    "Pressure", "RadiantFlux", "RadiantIntensity", "RelativeHumidity", "Resistance", "Resistivity",
    "SolidAngle", "SpecificVolume", "Speed", "SurfaceDensity", "SurfaceTension", "Temperature",
    "Time", "Torque", "Voltage", "Volume", "VolumeFlowRate", "VolumeFraction", "VolumetricFlux",
    "Wavenumber",
)
COMPONENTS: tuple[str, ...] = (
    "x", "y", "z", "axial_distance", "azimuth", "height", "spherical_radius", "polar_angle",
    "elevation_angle", "easting", "northing", "latitude", "longitude", "altitude",
)
# fmt: on


class VocabularyKind(StrEnum):
    """The CBV 2.0 vocabularies, named after the EPCIS field they fill."""

    BIZ_STEP = "bizStep"
    DISPOSITION = "disposition"
    BIZ_TRANSACTION_TYPE = "bizTransactionType"
    SOURCE_DEST_TYPE = "sourceDestType"
    ERROR_REASON = "errorReason"
    SENSOR_ALERT_TYPE = "sensorAlertType"
    MEASUREMENT_TYPE = "measurementType"
    COMPONENT = "component"


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One vocabulary: its terms and the prefixes of its CURIE, Web URI and URN spellings."""

    kind: VocabularyKind
    terms: tuple[str, ...]
    #: ``cbv:BizStep-`` or ``gs1:``
    curie_prefix: str
    #: ``https://ref.gs1.org/cbv/BizStep-`` or ``https://gs1.org/voc/``
    web_prefix: str
    #: ``urn:epcglobal:cbv:bizstep:``, or ``None`` for vocabularies new in CBV 2.0
    urn_prefix: str | None
    term_set: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "term_set", frozenset(self.terms))


def _cbv(kind: VocabularyKind, terms: tuple[str, ...], stem: str, urn: str | None) -> Vocabulary:
    return Vocabulary(kind, terms, f"cbv:{stem}-", f"{CBV}{stem}-", urn)


def _gs1(kind: VocabularyKind, terms: tuple[str, ...]) -> Vocabulary:
    return Vocabulary(kind, terms, "gs1:", GS1_VOC, None)


_K = VocabularyKind
#: Every vocabulary by kind.
VOCABULARIES: Mapping[VocabularyKind, Vocabulary] = MappingProxyType(
    {
        _K.BIZ_STEP: _cbv(_K.BIZ_STEP, BIZ_STEPS, "BizStep", "urn:epcglobal:cbv:bizstep:"),
        _K.DISPOSITION: _cbv(_K.DISPOSITION, DISPOSITIONS, "Disp", "urn:epcglobal:cbv:disp:"),
        _K.BIZ_TRANSACTION_TYPE: _cbv(
            _K.BIZ_TRANSACTION_TYPE, BIZ_TRANSACTION_TYPES, "BTT", "urn:epcglobal:cbv:btt:"
        ),
        _K.SOURCE_DEST_TYPE: _cbv(
            _K.SOURCE_DEST_TYPE, SOURCE_DEST_TYPES, "SDT", "urn:epcglobal:cbv:sdt:"
        ),
        _K.ERROR_REASON: _cbv(_K.ERROR_REASON, ERROR_REASONS, "ER", "urn:epcglobal:cbv:er:"),
        _K.SENSOR_ALERT_TYPE: _gs1(_K.SENSOR_ALERT_TYPE, SENSOR_ALERT_TYPES),
        _K.MEASUREMENT_TYPE: _gs1(_K.MEASUREMENT_TYPE, MEASUREMENT_TYPES),
        _K.COMPONENT: _cbv(_K.COMPONENT, COMPONENTS, "Comp", None),
    }
)

# spelling → (kind, bare term), for every spelling of every standard term
_LOOKUP: dict[VocabularyKind, dict[str, str]] = {}
for _vocab in VOCABULARIES.values():
    _spellings: dict[str, str] = {}
    for _term in _vocab.terms:
        _spellings[_term] = _term
        _spellings[_vocab.curie_prefix + _term] = _term
        _spellings[_vocab.web_prefix + _term] = _term
        if _vocab.urn_prefix:
            _spellings[_vocab.urn_prefix + _term] = _term
    _LOOKUP[_vocab.kind] = _spellings


def _is_uri(value: str) -> bool:
    scheme, colon, rest = value.partition(":")
    return bool(
        colon
        and rest
        and scheme[:1].isalpha()
        and all(ch.isalnum() or ch in "+-." for ch in scheme)
        and scheme.isascii()
    )


def standard_term(kind: VocabularyKind | str, value: str) -> str | None:
    """The bare term if ``value`` is any spelling of a standard term of ``kind``, else ``None``."""
    return _LOOKUP[VocabularyKind(kind)].get(value)


def is_standard(kind: VocabularyKind | str, value: str) -> bool:
    """True when ``value`` is a standard term of ``kind`` in any of its spellings."""
    return value in _LOOKUP[VocabularyKind(kind)]


def _resolve(kind: VocabularyKind | str, value: str) -> tuple[Vocabulary, str | None]:
    vocab = VOCABULARIES[VocabularyKind(kind)]
    term = _LOOKUP[vocab.kind].get(value)
    if term is None and not _is_uri(value):
        raise VocabularyError(
            f"{vocab.kind} {value!r} is not a CBV 2.0 standard term (e.g. "
            f"{vocab.terms[0]!r}) nor a URI of a user vocabulary"
        )
    return vocab, term


def to_bare(kind: VocabularyKind | str, value: str) -> str:
    """The JSON-LD spelling: a standard term's bare name; a user URI unchanged."""
    _, term = _resolve(kind, value)
    return value if term is None else term


def to_web_uri(kind: VocabularyKind | str, value: str) -> str:
    """The Web URI: ``https://ref.gs1.org/cbv/BizStep-shipping``; a user URI unchanged."""
    vocab, term = _resolve(kind, value)
    return value if term is None else vocab.web_prefix + term


def to_curie(kind: VocabularyKind | str, value: str) -> str:
    """The CURIE: ``cbv:BizStep-shipping``, ``gs1:Temperature``; a user URI unchanged."""
    vocab, term = _resolve(kind, value)
    return value if term is None else vocab.curie_prefix + term


def to_urn(kind: VocabularyKind | str, value: str) -> str:
    """The CBV 1.x URN: ``urn:epcglobal:cbv:bizstep:shipping``; a user URI unchanged.

    :class:`VocabularyError` for a standard term of a vocabulary without URNs (components,
    sensor alert types, measurement types).
    """
    vocab, term = _resolve(kind, value)
    if term is None:
        return value
    if vocab.urn_prefix is None:
        raise VocabularyError(f"{vocab.kind} {term!r} has no URN form (new in CBV 2.0)")
    return vocab.urn_prefix + term
