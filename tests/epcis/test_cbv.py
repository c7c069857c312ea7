"""Tests for foodtrace.epcis.cbv: the CBV 2.0 vocabularies and their spellings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.epcis.cbv import (
    BIZ_STEPS,
    MEASUREMENT_TYPES,
    VOCABULARIES,
    VocabularyKind,
    is_standard,
    standard_term,
    to_bare,
    to_curie,
    to_urn,
    to_web_uri,
)
from foodtrace.exceptions import VocabularyError

DATA = Path(__file__).parent.parent / "data" / "cbv"

# vocabulary → (schema file, definition name, field in the JSON-LD context that maps its terms)
SCHEMAS = {
    VocabularyKind.BIZ_STEP: ("bizStep", "bizStep"),
    VocabularyKind.DISPOSITION: ("disposition", "disposition"),
    VocabularyKind.BIZ_TRANSACTION_TYPE: ("bizTransaction-type", "bizTransaction-type"),
    VocabularyKind.SOURCE_DEST_TYPE: ("source-dest-type", "source-dest-type"),
    VocabularyKind.ERROR_REASON: ("error-reason", "error-reason"),
    VocabularyKind.SENSOR_ALERT_TYPE: ("sensor-alert-type", "sensorAlertType"),
    VocabularyKind.MEASUREMENT_TYPE: ("measurement-type", "measurementType"),
    VocabularyKind.COMPONENT: ("component", "component"),
}


def _schema_enum(kind: VocabularyKind) -> list[str]:
    file, name = SCHEMAS[kind]
    schema = json.loads((DATA / f"{file}-JSON-Schema.json").read_text())
    (enum,) = [
        branch["enum"] for branch in schema["definitions"][name]["anyOf"] if "enum" in branch
    ]
    return list(enum)


def _context_mapping(kind: VocabularyKind) -> dict[str, str]:
    """The JSON-LD context's own term → CURIE table for this vocabulary."""
    ctx: dict[str, Any] = json.loads((DATA / "epcis-context.jsonld").read_text())["@context"]
    sensor = ctx["sensorElementList"]["@context"]["sensorReport"]["@context"]
    where: dict[VocabularyKind, Any] = {
        VocabularyKind.BIZ_STEP: ctx["bizStep"]["@context"],
        VocabularyKind.DISPOSITION: ctx["disposition"]["@context"],
        VocabularyKind.BIZ_TRANSACTION_TYPE: ctx["bizTransactionList"]["@context"]["type"][
            "@context"
        ],
        VocabularyKind.SOURCE_DEST_TYPE: ctx["sourceList"]["@context"]["type"]["@context"],
        VocabularyKind.ERROR_REASON: ctx["errorDeclaration"]["@context"]["reason"]["@context"],
        VocabularyKind.SENSOR_ALERT_TYPE: sensor["exception"]["@context"],
        VocabularyKind.MEASUREMENT_TYPE: sensor["type"]["@context"],
        VocabularyKind.COMPONENT: sensor["component"]["@context"],
    }
    return {k: v for k, v in where[kind].items() if not k.startswith("@")}


@pytest.mark.parametrize("kind", list(VocabularyKind))
def test_terms_equal_the_schema_enum(kind: VocabularyKind) -> None:
    assert list(VOCABULARIES[kind].terms) == _schema_enum(kind)


@pytest.mark.parametrize("kind", list(VocabularyKind))
def test_curies_equal_the_json_ld_context(kind: VocabularyKind) -> None:
    mapping = _context_mapping(kind)
    assert {term: to_curie(kind, term) for term in VOCABULARIES[kind].terms} == mapping


def test_counts() -> None:
    assert len(BIZ_STEPS) == 41
    assert len(VOCABULARIES[VocabularyKind.DISPOSITION].terms) == 33
    assert len(MEASUREMENT_TYPES) == 72


@pytest.mark.parametrize(
    ("kind", "bare", "urn", "curie", "web"),
    [
        (
            "bizStep",
            "shipping",
            "urn:epcglobal:cbv:bizstep:shipping",
            "cbv:BizStep-shipping",
            "https://ref.gs1.org/cbv/BizStep-shipping",
        ),
        (
            "disposition",
            "in_transit",
            "urn:epcglobal:cbv:disp:in_transit",
            "cbv:Disp-in_transit",
            "https://ref.gs1.org/cbv/Disp-in_transit",
        ),
        (
            "bizTransactionType",
            "po",
            "urn:epcglobal:cbv:btt:po",
            "cbv:BTT-po",
            "https://ref.gs1.org/cbv/BTT-po",
        ),
        (
            "sourceDestType",
            "owning_party",
            "urn:epcglobal:cbv:sdt:owning_party",
            "cbv:SDT-owning_party",
            "https://ref.gs1.org/cbv/SDT-owning_party",
        ),
        (
            "errorReason",
            "did_not_occur",
            "urn:epcglobal:cbv:er:did_not_occur",
            "cbv:ER-did_not_occur",
            "https://ref.gs1.org/cbv/ER-did_not_occur",
        ),
    ],
)
def test_four_spellings(kind: str, bare: str, urn: str, curie: str, web: str) -> None:
    for spelling in (bare, urn, curie, web):
        assert is_standard(kind, spelling)
        assert standard_term(kind, spelling) == bare
        assert to_bare(kind, spelling) == bare
        assert to_urn(kind, spelling) == urn
        assert to_curie(kind, spelling) == curie
        assert to_web_uri(kind, spelling) == web


def test_gs1_web_vocabulary_terms() -> None:
    kind = VocabularyKind.MEASUREMENT_TYPE
    assert to_curie(kind, "Temperature") == "gs1:Temperature"
    assert to_web_uri(kind, "gs1:Temperature") == "https://gs1.org/voc/Temperature"
    assert to_bare(kind, "https://gs1.org/voc/Temperature") == "Temperature"
    assert to_web_uri("sensorAlertType", "ALARM_CONDITION") == "https://gs1.org/voc/ALARM_CONDITION"
    assert to_web_uri("component", "latitude") == "https://ref.gs1.org/cbv/Comp-latitude"
    with pytest.raises(VocabularyError, match="no URN form"):
        to_urn(kind, "Temperature")


def test_user_vocabulary_uris_pass_through() -> None:
    value = "https://example.com/bizstep/transforming"
    assert not is_standard("bizStep", value)
    assert standard_term("bizStep", value) is None
    for convert in (to_bare, to_urn, to_curie, to_web_uri):
        assert convert("bizStep", value) == value
    assert to_web_uri("bizStep", "urn:example:bizstep:x") == "urn:example:bizstep:x"


@pytest.mark.parametrize("value", ["transforming", "Shipping", "", ":shipping", "1a:x"])
def test_unknown_bare_values_are_refused(value: str) -> None:
    assert not is_standard("bizStep", value)
    with pytest.raises(VocabularyError, match=r"is not a CBV 2\.0 standard term"):
        to_web_uri("bizStep", value)


def test_terms_of_one_vocabulary_are_not_standard_in_another() -> None:
    assert not is_standard("disposition", "shipping")
    assert not is_standard("bizStep", "cbv:Disp-in_transit")


@settings(deadline=None, max_examples=50)
@given(kind=st.sampled_from(list(VocabularyKind)), data=st.data())
def test_conversions_round_trip(kind: VocabularyKind, data: st.DataObject) -> None:
    term = data.draw(st.sampled_from(VOCABULARIES[kind].terms))
    for spelling in (to_curie(kind, term), to_web_uri(kind, term)):
        assert to_bare(kind, spelling) == term
        assert to_web_uri(kind, to_curie(kind, spelling)) == to_web_uri(kind, term)
    if VOCABULARIES[kind].urn_prefix:
        assert to_bare(kind, to_urn(kind, term)) == term
