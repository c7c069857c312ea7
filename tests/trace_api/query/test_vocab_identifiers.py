"""CBV spellings and location forms (no database)."""

from __future__ import annotations

from trace_api.query.identifiers import location_forms
from trace_api.query.vocab import spellings


def test_spellings_of_a_bare_word() -> None:
    assert spellings("bizStep", "shipping") == [
        "shipping",
        "urn:epcglobal:cbv:bizstep:shipping",
        "https://ref.gs1.org/cbv/BizStep-shipping",
    ]


def test_spellings_from_any_form() -> None:
    assert set(spellings("disposition", "https://ref.gs1.org/cbv/Disp-active")) == set(
        spellings("disposition", "urn:epcglobal:cbv:disp:active")
    )


def test_user_vocabulary_matches_itself() -> None:
    assert spellings("bizStep", "https://example.org/steps/wash") == [
        "https://example.org/steps/wash"
    ]


def test_location_forms() -> None:
    forms = location_forms("https://id.gs1.org/414/4012345000016")
    assert "urn:epc:id:sgln:4012345.00001.0" in forms
    assert location_forms("urn:epc:id:sgln:4012345.00001.0")[1] == (
        "https://id.gs1.org/414/4012345000016"
    )
