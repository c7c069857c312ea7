"""Compiled validators: the two modes, and the translation of patterns to Python's reading."""

from __future__ import annotations

import re
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.epcis.schema import EVENT_DEFINITION, load_schema
from foodtrace.epcis.schema.compiled import python_regex, schema_for, validator
from tests.epcis.epcis_data import EXAMPLES, INVALID, events_of, load


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(item) for item in node))
    return set()


SCHEMA_PATTERNS = sorted(_patterns(load_schema()))


def test_the_schema_has_the_patterns_we_translate() -> None:
    # offset, uom, version, hexBinary, two URI guards, and ^ADD$ / ^OBSERVE$ / ^DELETE$
    assert len(SCHEMA_PATTERNS) == 9
    for pattern in SCHEMA_PATTERNS:
        python_regex(pattern)  # raises on anything it cannot translate faithfully


def _rust_search(pattern: str, text: str) -> bool:
    return jsonschema_rs.is_valid({"type": "string", "pattern": pattern}, text)


def _candidates(pattern: str) -> st.SearchStrategy[str]:
    """Strings near the pattern's language: matches, matches with noise, and random text."""
    matching = st.from_regex(pattern.replace("\\/", "/"), alphabet=st.characters(codec="utf-8"))
    noise = st.sampled_from(["", "\n", "\n\n", " ", "٣", "x", "\r"])
    return st.one_of(
        st.tuples(matching, noise).map("".join),
        st.tuples(noise, matching).map("".join),
        st.text(alphabet=st.sampled_from(list("0123456789.:+-AFaz\n٣ OBSERVDLT")), max_size=8),
    )


@pytest.mark.parametrize("pattern", SCHEMA_PATTERNS)
def test_python_regex_finds_what_python_finds(pattern: str) -> None:
    translated = python_regex(pattern)

    @settings(max_examples=150, deadline=None)
    @given(_candidates(pattern))
    def check(text: str) -> None:
        assert _rust_search(translated, text) == (re.search(pattern, text) is not None)

    check()


@pytest.mark.parametrize(
    ("pattern", "text", "python", "ecma"),
    [
        ("^[A-Z0-9]{2,3}$", "KGM\n", True, False),
        ("^\\d+(\\.\\d+)*$", "٢.٠", True, False),
        ("^\\d+(\\.\\d+)*$", "2.0", True, True),
        ("^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$", "+14:00\n", True, False),
    ],
)
def test_the_two_readings_differ_as_documented(
    pattern: str, text: str, python: bool, ecma: bool
) -> None:
    assert (re.search(pattern, text) is not None) is python
    assert _rust_search(python_regex(pattern), text) is python
    assert _rust_search(pattern, text) is ecma


@pytest.mark.parametrize("pattern", ["a$b", "\\w+", "^\\s$"])
def test_untranslatable_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="not translated"):
        python_regex(pattern)


def test_schema_for_a_definition() -> None:
    event_schema = schema_for(EVENT_DEFINITION)
    assert event_schema["$ref"] == "#/definitions/EPCIS-Document-Event"
    with pytest.raises(KeyError, match="no definition 'Nope'"):
        schema_for("Nope")


@pytest.mark.parametrize("mode", ["strict", "python"])
def test_both_modes_accept_the_examples_and_refuse_the_invalid(mode: Any) -> None:
    document_validator = validator(None, mode)
    event_validator = validator(EVENT_DEFINITION, mode)
    for path in EXAMPLES:
        doc = load(path)
        assert document_validator.is_valid(doc), path.name
        assert all(event_validator.is_valid(event) for event in events_of(doc)), path.name
    for path in INVALID:
        assert not document_validator.is_valid(load(path)), path.name


def test_validators_are_built_once() -> None:
    assert validator() is validator(None, "strict")
    assert validator(EVENT_DEFINITION) is not validator()
