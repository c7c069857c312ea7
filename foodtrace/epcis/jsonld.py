"""JSON-LD ``@context`` of EPCIS 2.0 documents: the namespace prefixes of extension fields.

EPCIS 2.0 JSON names user extensions with compact IRIs (CURIEs): ``"example:myField"`` with
``{"example": "http://ns.example.com/epcis/"}`` in ``@context`` means the field ``myField`` in the
namespace ``http://ns.example.com/epcis/`` (written ``{http://ns.example.com/epcis/}myField``).
This module reads those prefixes from a raw ``@context`` value without fetching anything:

* an object contributes each term whose value can act as a prefix by JSON-LD 1.1 §4.1.5 /
  "Create Term Definition": a term without ``:`` or ``/`` whose IRI ends with a gen-delim
  character (``: / ? # [ ] @``), or an expanded definition with ``"@prefix": true``; a term set to
  ``null`` is removed;
* a string is a remote context. The standard EPCIS 2.0 context (any of its published URLs)
  contributes its own prefixes (``epcis``, ``cbv``, ``cbvmda``, ``gs1``, ``rdfs``, ``owl``,
  ``xsd``, ``dcterms``); other remote contexts cannot be read offline and contribute nothing;
* an array is read in order, later definitions win; ``null`` resets to the empty context.

Plain functions on raw values: the event hash and the ingest call them on the hot path.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "STANDARD_CONTEXT_PREFIXES",
    "STANDARD_CONTEXT_URLS",
    "clark_name",
    "context_namespaces",
    "split_curie",
]

# The prefixes that the standard context (epcis-context.jsonld, GS1 gs1/EPCIS at commit
# 2b888befbc071e1c2d388e027b30149b3f51dcef) defines.
STANDARD_CONTEXT_PREFIXES: Mapping[str, str] = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda:",
    "gs1": "https://gs1.org/voc/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}

STANDARD_CONTEXT_URLS = frozenset(
    {
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        "https://gs1.github.io/EPCIS/epcis-context.jsonld",
    }
)

_GEN_DELIMS = frozenset(":/?#[]@")


def _prefix_iri(term: str, definition: Any, known: Mapping[str, str]) -> str | None:
    """The IRI ``term`` stands for as a prefix, or ``None`` if it cannot be used as one."""
    if not term or term.startswith("@") or ":" in term or "/" in term:
        return None
    if isinstance(definition, str):
        iri, usable = definition, bool(definition) and definition[-1] in _GEN_DELIMS
    elif isinstance(definition, Mapping) and isinstance(definition.get("@id"), str):
        iri, usable = definition["@id"], definition.get("@prefix") is True
    else:
        return None
    if not usable or iri.startswith("@"):
        return None
    # A definition may itself be a compact IRI ("gs1ext": "gs1:ext/").
    prefix, sep, rest = iri.partition(":")
    if sep and not rest.startswith("//") and prefix in known:
        iri = known[prefix] + rest
    return iri


def _merge(context: Any, namespaces: dict[str, str]) -> None:
    if context is None:
        namespaces.clear()
    elif isinstance(context, str):
        if context in STANDARD_CONTEXT_URLS:
            namespaces.update(STANDARD_CONTEXT_PREFIXES)
    elif isinstance(context, list):
        for item in context:
            _merge(item, namespaces)
    elif isinstance(context, Mapping):
        for term, definition in context.items():
            if not isinstance(term, str):
                continue
            if definition is None:
                namespaces.pop(term, None)
                continue
            iri = _prefix_iri(term, definition, namespaces)
            if iri is not None:
                namespaces[term] = iri


def context_namespaces(context: Any) -> dict[str, str]:
    """The prefix → namespace IRI map that a raw ``@context`` value declares.

    >>> context_namespaces(["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    ...                     {"example": "http://ns.example.com/epcis/"}])["example"]
    'http://ns.example.com/epcis/'
    """
    namespaces: dict[str, str] = {}
    if context is not None:
        _merge(context, namespaces)
    return namespaces


def split_curie(name: str, namespaces: Mapping[str, str]) -> tuple[str, str] | None:
    """``"example:myField"`` → ``("http://ns.example.com/epcis/", "myField")``.

    ``None`` when ``name`` has no declared prefix (an absolute IRI such as
    ``"http://x/y"``, a bare name, or an undeclared prefix).
    """
    prefix, sep, local = name.partition(":")
    if not sep or local.startswith("//"):
        return None
    namespace = namespaces.get(prefix)
    return None if namespace is None else (namespace, local)


def clark_name(name: str, namespaces: Mapping[str, str]) -> str:
    """``"example:myField"`` → ``"{http://ns.example.com/epcis/}myField"``; otherwise ``name``."""
    split = split_curie(name, namespaces)
    return name if split is None else f"{{{split[0]}}}{split[1]}"
