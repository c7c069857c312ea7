"""Mutations of valid EPCIS documents, to compare validators on a corpus of near-valid input.

A mutation picks one node of a document (any key of any object, any item of any array) and
drops it, gives it a value of another type, replaces a string with a tricky one (non-URI text,
CBV names and URNs, timestamps, offsets, units, a trailing newline, non-ASCII digits, …), adds a
key (bare, namespaced, misplaced standard fields), empties or repeats a list.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

Node = tuple[Any, Any]  # (container, key or index)

OTHER_TYPES: list[Any] = [
    5,
    2.5,
    -1,
    0,
    True,
    False,
    None,
    [],
    {},
    "text",
    ["urn:x:y"],
    {"id": "urn:x:y"},
]

STRINGS = [
    # URIs and not-URIs
    "urn:epc:id:sgtin:0614141.107346.2017",
    "https://id.gs1.org/414/0614141073467",
    "urn:x",
    "urn:x\n",
    "not a uri",
    "transforming",
    "in_transport",
    "x",
    "",
    "a:b c",
    "http://[::1]/",
    "https://example.com/MyEvent",
    "urn:epcglobal:cbv:bizstep:shipping",
    "https://ns.gs1.org/cbv/BizStep-shipping",
    "https://ref.gs1.org/cbv/BizStep-shipping",
    "https://gs1.org/voc/Temperature",
    "http://www.gs1.org/voc/Speed",
    # CBV and GS1 names
    "shipping",
    "receiving",
    "in_transit",
    "po",
    "desadv",
    "location",
    "owning_party",
    "did_not_occur",
    "incorrect_data",
    "Temperature",
    "ALARM_CONDITION",
    "latitude",
    "x",
    # actions and types
    "ADD",
    "OBSERVE",
    "DELETE",
    "CREATE",
    "ADD\n",
    "add",
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
    "EPCISDocument",
    # timestamps
    "2026-07-22T06:45:00+02:00",
    "2026-07-22T06:45:00Z\n",
    "2026-07-22T06:45:00",
    "22-07-2026",
    "2026-02-30T00:00:00Z",
    "2016-12-31T23:59:60Z",
    "0000-01-01T00:00:00Z",
    "2026-07-22t06:45:00z",
    # offsets, units, versions, hex
    "+14:00",
    "+14:01",
    "-00:00",
    "+1:00",
    "+01:00\n",
    "+15:00",
    "KGM",
    "kg",
    "KGM\n",
    "A9",
    "CELS",
    "2.0",
    "٢.٠",
    "2.0\n",
    "v2",
    "ABCDEF",
    "xyz",
    "AB\n",
    "0a",
]

KEYS = [
    "foo",
    "ex:foo",
    "example:myField",
    "@context",
    "ilmd",
    "parentID",
    "childEPCs",
    "epcList",
    "action",
    "bizStep",
    "quantity",
    "uom",
    "weight",
    "type",
    "http://a/b",
    "x y",
    "urn:x\n",
    "readPoint",
    "transformationID",
    "persistentDisposition",
    "sensorElementList",
    "set",
    "value",
    "deviceID",
    "epcisMasterData",
    "vocabularyList",
    "eventList",
]

VALUES: list[Any] = [*OTHER_TYPES, "urn:x:y", {"a:b": 1}, [{"epcClass": "urn:x:y"}], "ADD"]


def nodes(doc: Any) -> Iterator[Node]:
    """Every (container, key) of a JSON value, depth first."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield doc, key
            yield from nodes(value)
    elif isinstance(doc, list):
        for i, value in enumerate(doc):
            yield doc, i
            yield from nodes(value)


def _string_variants(value: str) -> list[str]:
    return [value + "\n", " " + value, value + " ", value.upper(), value[:-1], value + "x"]


OPERATIONS = ("drop", "retype", "string", "variant", "add_key", "empty", "repeat")


def apply(doc: Any, node: Node, operation: str, choice: int) -> None:
    """Mutate ``doc`` in place at ``node``; ``choice`` picks among the operation's options."""
    container, key = node
    value = container[key]
    if operation == "drop":
        del container[key]
    elif operation == "retype":
        container[key] = copy.deepcopy(OTHER_TYPES[choice % len(OTHER_TYPES)])
    elif operation == "string":
        container[key] = STRINGS[choice % len(STRINGS)]
    elif operation == "variant" and isinstance(value, str) and choice % 2 == 0:
        variants = _string_variants(value)
        container[key] = variants[choice // 2 % len(variants)]
    elif operation == "add_key":
        target = (
            value if isinstance(value, dict) else container if isinstance(container, dict) else None
        )
        if target is not None:
            target[KEYS[choice % len(KEYS)]] = copy.deepcopy(
                VALUES[choice // len(KEYS) % len(VALUES)]
            )
    elif operation == "empty" and isinstance(value, list | dict):
        container[key] = type(value)()
    elif operation == "repeat" and isinstance(value, list) and value:
        value.append(copy.deepcopy(value[0]))
    elif operation == "variant" and isinstance(container, dict) and isinstance(key, str):
        # a key variant: the key with a trailing newline, without its prefix, or with one
        new = [key + "\n", key.split(":")[-1], "ex:" + key][choice % 3]
        container[new] = container.pop(key)


@st.composite
def mutated(draw: st.DrawFn, documents: list[Any], max_mutations: int = 3) -> Any:
    """A deep copy of one of ``documents`` with 1 to ``max_mutations`` mutations applied."""
    doc = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, max_mutations))):
        candidates = list(nodes(doc))
        if not candidates:
            break
        node = draw(st.sampled_from(candidates))
        apply(doc, node, draw(st.sampled_from(OPERATIONS)), draw(st.integers(0, 10_000)))
    return doc


def has_python_quirk(value: Any) -> bool:
    """True if a key or string ends with a newline or holds a non-ASCII decimal digit.

    Those are the inputs on which Python's reading of the schema differs from ECMA-262/RFC.
    """
    if isinstance(value, str):
        return value.endswith("\n") or any(c.isdecimal() and not c.isascii() for c in value)
    if isinstance(value, dict):
        return any(has_python_quirk(k) or has_python_quirk(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_python_quirk(item) for item in value)
    return False
