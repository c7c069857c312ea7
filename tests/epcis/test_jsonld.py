"""@context prefixes: JSON-LD 1.1 prefix rules, the standard EPCIS context, CURIE expansion."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.epcis.jsonld import (
    STANDARD_CONTEXT_PREFIXES,
    STANDARD_CONTEXT_URLS,
    clark_name,
    context_namespaces,
    split_curie,
)
from tests.epcis.epcis_data import EXAMPLES, FSMA204, load

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def test_example_document_context() -> None:
    doc = load(next(p for p in EXAMPLES if p.name == "Example_9.6.1-ObjectEvent.jsonld"))
    namespaces = context_namespaces(doc["@context"])
    assert namespaces["example"] == "http://ns.example.com/epcis/"
    assert namespaces["cbvmda"] == "urn:epcglobal:cbv:mda:"  # from the standard context
    assert clark_name("example:myField", namespaces) == "{http://ns.example.com/epcis/}myField"


def test_every_extension_prefix_of_the_examples_is_declared() -> None:
    # Each namespaced key in the GS1 examples resolves through its document's @context.
    seen = 0
    for path in EXAMPLES:
        doc = load(path)
        namespaces = context_namespaces(doc["@context"])
        for key in _keys(doc):
            prefix, sep, _ = key.partition(":")
            if sep and prefix not in ("urn", "http", "https") and not key.startswith("@"):
                assert split_curie(key, namespaces) is not None, (path.name, key)
                seen += 1
    assert seen > 50


def _keys(node: object) -> list[str]:
    if isinstance(node, dict):
        return [k for k in node if k != "@context"] + [
            k for key, v in node.items() if key != "@context" for k in _keys(v)
        ]
    if isinstance(node, list):
        return [k for item in node for k in _keys(item)]
    return []


@pytest.mark.parametrize("url", sorted(STANDARD_CONTEXT_URLS))
def test_standard_context_urls(url: str) -> None:
    assert context_namespaces(url) == dict(STANDARD_CONTEXT_PREFIXES)


def test_fsma_documents_use_the_short_standard_url() -> None:
    for path in FSMA204:
        assert context_namespaces(load(path)["@context"])["gs1"] == "https://gs1.org/voc/"


def test_unknown_remote_context_contributes_nothing() -> None:
    assert context_namespaces("https://example.com/ctx.jsonld") == {}
    assert context_namespaces(None) == {}


def test_prefix_rules_of_json_ld_11() -> None:
    context = {
        "ex": "http://example.com/ns/",  # ends with "/": a prefix
        "rail": "urn:gs1:epcisapp:rail:",  # ends with ":": a prefix
        "noDelim": "http://example.com/thing",  # no gen-delim at the end: a term, not a prefix
        "explicit": {"@id": "http://example.com/x", "@prefix": True},
        "expanded": {"@id": "http://example.com/y/"},  # expanded without @prefix: not a prefix
        "rail:trainAxleCount": {"@type": "xsd:integer"},  # a property, not a prefix
        "id": "@id",  # keyword alias
        "@vocab": "http://example.com/vocab/",
        "ObjectEvent": "epcis:ObjectEvent",
    }
    assert context_namespaces(context) == {
        "ex": "http://example.com/ns/",
        "rail": "urn:gs1:epcisapp:rail:",
        "explicit": "http://example.com/x",
    }


def test_compact_definition_is_expanded_with_earlier_prefixes() -> None:
    context = [EPCIS_CONTEXT, {"gs1x": "gs1:extra/"}]
    assert context_namespaces(context)["gs1x"] == "https://gs1.org/voc/extra/"


def test_later_definitions_win_and_null_removes() -> None:
    context = [
        EPCIS_CONTEXT,
        {"example": "http://one.example/"},
        {"example": "http://two.example/", "cbvmda": None},
    ]
    namespaces = context_namespaces(context)
    assert namespaces["example"] == "http://two.example/"
    assert "cbvmda" not in namespaces
    assert context_namespaces([{"a": "http://a/"}, None, {"b": "http://b/"}]) == {"b": "http://b/"}


def test_split_curie_refuses_what_is_not_a_declared_curie() -> None:
    namespaces = {"example": "http://ns.example.com/epcis/", "http": "http://bad/"}
    assert split_curie("example:myField", namespaces) == ("http://ns.example.com/epcis/", "myField")
    assert split_curie("undeclared:x", namespaces) is None
    assert split_curie("bare", namespaces) is None
    assert split_curie("http://example.com/x", namespaces) is None  # an absolute IRI
    assert clark_name("bare", namespaces) == "bare"


@settings(max_examples=100, deadline=None)
@given(
    prefix=st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True),
    namespace=st.from_regex(r"https?://[a-z]{1,10}\.example/[a-z]{0,5}/", fullmatch=True),
    local=st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,12}", fullmatch=True),
)
def test_clark_name_of_declared_curie(prefix: str, namespace: str, local: str) -> None:
    namespaces = context_namespaces([EPCIS_CONTEXT, {prefix: namespace}])
    assert clark_name(f"{prefix}:{local}", namespaces) == f"{{{namespace}}}{local}"
