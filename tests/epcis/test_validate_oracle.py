"""The compiled schema layer against the reference validator (Python ``jsonschema[format]``).

* ``mode="python"`` gives exactly the reference verdict on every fixture and on a mutated corpus.
* ``mode="strict"`` (production) gives the same verdict except on input holding a trailing
  newline or a non-ASCII digit, where it is stricter, never laxer.
* Every schema problem is located: its pointer resolves in the document and its event index is
  the event the pointer is in; its message is a sentence, not a dump of the schema.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings

from foodtrace.epcis.schema import EVENT_DEFINITION, load_schema
from foodtrace.epcis.schema.compiled import schema_for, validator
from foodtrace.epcis.validate import schema_problems, validate_event
from foodtrace.exceptions import ValidationProblem
from tests.epcis.epcis_data import EXAMPLES, FSMA204, INVALID, events_of, load
from tests.epcis.mutations import OPERATIONS, apply, has_python_quirk, mutated, nodes

VALID = [load(path) for path in EXAMPLES + FSMA204]
EVENTS = [event for doc in VALID for event in events_of(doc)]


@functools.cache
def oracle(definition: str | None = None) -> jsonschema.Draft7Validator:
    schema = load_schema() if definition is None else schema_for(definition)
    return jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def _resolve(doc: Any, pointer: str) -> bool:
    node = doc
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _event_index(doc: Any, pointer: str) -> int | None:
    for prefix in ("/epcisBody/eventList/", "/epcisBody/queryResults/resultsBody/eventList/"):
        if pointer.startswith(prefix) and doc.get("type") in (
            "EPCISDocument",
            "EPCISQueryDocument",
        ):
            index = pointer[len(prefix) :].split("/")[0]
            return int(index) if index.isdigit() else None
    return None


def assert_well_located(doc: Any, problems: list[ValidationProblem]) -> None:
    for problem in problems:
        assert problem.message and "under any of the schemas" not in problem.message, problem
        if problem.rule != "schema":
            continue
        assert _resolve(doc, problem.pointer), problem
        if isinstance(doc, dict) and doc.get("type") in ("EPCISDocument", "EPCISQueryDocument"):
            assert problem.event_index == _event_index(doc, problem.pointer), problem


def assert_same_verdicts(doc: Any) -> None:
    expected = oracle().is_valid(doc)
    assert (schema_problems(doc, mode="python") == []) == expected
    strict = schema_problems(doc)
    if (strict == []) != expected:
        assert expected and strict, "strict mode must never accept what the reference refuses"
        assert has_python_quirk(doc), strict
    assert_well_located(doc, strict)


@pytest.mark.parametrize("path", EXAMPLES + INVALID + FSMA204, ids=lambda p: p.name)
def test_fixture_verdicts(path: Any) -> None:
    doc = load(path)
    expected = path not in INVALID
    assert oracle().is_valid(doc) is expected
    assert (schema_problems(doc) == []) is expected
    assert (schema_problems(doc, mode="python") == []) is expected
    assert_well_located(doc, schema_problems(doc))


def test_fixture_counts() -> None:
    assert (len(EXAMPLES), len(INVALID), len(FSMA204)) == (22, 15, 7)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(VALID))
def test_mutated_documents(doc: Any) -> None:
    assert_same_verdicts(doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(EVENTS, max_mutations=2))
def test_mutated_events(event: Any) -> None:
    expected = oracle(EVENT_DEFINITION).is_valid(event)
    assert validator(EVENT_DEFINITION, "python").is_valid(event) == expected
    strict = validator(EVENT_DEFINITION).is_valid(event)
    if strict != expected:
        assert expected and has_python_quirk(event)
    schema_found = [p for p in validate_event(event, 7) if p.rule == "schema"]
    assert (schema_found == []) == strict
    assert all(p.event_index == 7 and _resolve(event, p.pointer) for p in schema_found)


@pytest.mark.slow
def test_every_single_mutation_of_the_valid_documents() -> None:
    """Three of the operations (in turn) at each node of each valid document: 7,014 documents."""
    checked = stricter = 0
    for doc in VALID:
        for position in range(len(list(nodes(doc)))):
            for number in range(position, position + 3):
                operation = OPERATIONS[number % len(OPERATIONS)]
                copied = copy.deepcopy(doc)
                choice = (position * len(OPERATIONS) + number) * 131 % 10_007
                apply(copied, list(nodes(copied))[position], operation, choice)
                assert_same_verdicts(copied)
                checked += 1
                stricter += (schema_problems(copied) == []) != oracle().is_valid(copied)
    assert checked == 3 * sum(len(list(nodes(doc))) for doc in VALID)
    assert stricter < checked // 20
