"""The CBV 2.0 canonical pre-hash string of one EPCIS 2.0 JSON/JSON-LD event.

The string is ``eventType=<type>``, then the standard fields in the canonical property order,
then everything else sorted as whole strings; nothing separates the parts. Behaviour follows
the reference implementation (RalphTro/epcis-event-hash-generator at 5d2f1c38) and its test
vectors, which differ from its README in places:

1. **Ordered fields**: ``eventTime``, ``eventTimeZoneOffset``, ``certificationInfo``,
   ``parentID``, ``epcList``, ``inputEPCList``, ``childEPCs``, ``quantityList``,
   ``childQuantityList``, ``inputQuantityList``, ``outputEPCList``, ``outputQuantityList``,
   ``action``, ``transformationID``, ``bizStep``, ``disposition``, ``persistentDisposition``
   (``set`` then ``unset``), ``readPoint``, ``bizLocation``, ``sensorElementList``
   (``sensorElement`` = ``sensorMetadata`` then ``sensorReport``\\ s, each in its own field
   order). EPC lists are written ``epcListepc=…epc=…``; quantity lists ``quantityList``
   followed by ``quantityElementepcClass=…quantity=…uom=…`` entries.
2. **The rest, sorted as whole strings**: ``bizTransactionList``, ``sourceList``,
   ``destinationList``, ``ilmd``, user extensions (``{namespace}localName=value``) and any other
   field. Because the sort is over whole strings, **``destinationList`` comes before
   ``sourceList``** and ``ilmd`` falls between them, as in the vectors (the README's table lists
   ``sourceList`` first; the maintainers accepted the vectors' output in PR #82).
3. In ``bizTransactionList``, ``sourceList`` and ``destinationList`` each entry is written
   ``type=<Web URI>`` **before** ``bizTransaction=``/``source=``/``destination=`` (CBV p.96,
   RalphTro issue #80); entries are then sorted.
4. Members of every list, and multi-field entries, are sorted by code point. Extensions inside
   ``readPoint``, ``bizLocation``, ``sensorElement``, ``sensorMetadata``, ``sensorReport`` (and
   any other unknown member of a standard structure) are appended, sorted, after their parent's
   standard fields.
5. Excluded: ``eventID``, ``recordTime``, ``errorDeclaration``, comments (``comment``,
   ``rdfs:comment``), JSON-LD keywords (``@…``), ``null`` values, and the fields named by an
   ``ignore_fields`` set (expanded names).
6. Values: :mod:`foodtrace.epcis.hash_values`. Bare CBV terms in vocabulary positions
   (``bizStep``, ``disposition``, ``persistentDisposition``, the ``type`` of bizTransactions,
   sources and destinations, a sensor report's ``type``, ``exception`` and ``component``) become
   their Web URIs; CURIEs in names and values are expanded through the namespaces of the
   document's ``@context`` (plus the prefixes of the standard EPCIS context); names become
   ``{namespace}localName``.

Where this differs from the reference implementation, on input the reference mishandles:
booleans are ``true``/``false`` (the reference's JSON path writes Python's ``True``, its XML path
``true``); a bizTransaction, source or destination without ``type`` is hashed (the reference
fails); ``null`` is omitted (the reference writes ``None``); a CURIE of a standard prefix such as
``gs1:`` is expanded even when the document does not redeclare it (its README's rule); bare CBV
terms are expanded only in vocabulary positions (the reference replaces any string anywhere in
the document that ends like an expanded CBV term); the fourth decimal of a timestamp rounds
half-up as CBV rule 9 says (the reference rounds half-even).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from foodtrace.epcis.cbv import VOCABULARIES, VocabularyKind
from foodtrace.epcis.hash_values import canonical_timestamp, canonical_value, scalar_text
from foodtrace.exceptions import EventHashError

__all__ = ["STANDARD_NAMESPACES", "build_prehash"]

#: The prefixes the standard EPCIS 2.0 JSON-LD context defines.
STANDARD_NAMESPACES: Mapping[str, str] = {
    "epcis": "https://ref.gs1.org/epcis/",
    "cbv": "https://ref.gs1.org/cbv/",
    "cbvmda": "urn:epcglobal:cbv:mda:",
    "gs1": "https://gs1.org/voc/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}

_COMMENTS = frozenset(("comment", "rdfs:comment", "{http://www.w3.org/2000/01/rdf-schema#}comment"))
_EXCLUDED_TOP = frozenset(("type", "eventID", "recordTime", "errorDeclaration"))


def _bare_terms(kind: VocabularyKind) -> dict[str, str]:
    vocab = VOCABULARIES[kind]
    return {term: vocab.web_prefix + term for term in vocab.terms}


_BIZ_STEP = _bare_terms(VocabularyKind.BIZ_STEP)
_DISPOSITION = _bare_terms(VocabularyKind.DISPOSITION)
_BTT = _bare_terms(VocabularyKind.BIZ_TRANSACTION_TYPE)
_SDT = _bare_terms(VocabularyKind.SOURCE_DEST_TYPE)
_MEASUREMENT = _bare_terms(VocabularyKind.MEASUREMENT_TYPE)
_ALERT = _bare_terms(VocabularyKind.SENSOR_ALERT_TYPE)
_COMPONENT = _bare_terms(VocabularyKind.COMPONENT)
_NO_TERMS: dict[str, str] = {}
_VALUE_MEMO_LIMIT = 4096


class _Builder:
    """Builds pre-hash strings for events that share one set of namespaces."""

    __slots__ = ("_ignore", "_names", "_ns", "_values")

    def __init__(self, namespaces: Mapping[str, str], ignore_fields: Collection[str]) -> None:
        self._ns = namespaces
        self._ignore = ignore_fields
        self._names: dict[str, str] = {}
        # string value -> canonical text under these namespaces (bounded; a reused builder sees
        # the same read points, EPCs, offsets and actions again and again)
        self._values: dict[str, str] = {}

    # --- names and values ----------------------------------------------------------------------

    def name(self, key: str) -> str:
        """``prefix:local`` → ``{namespace}local`` when the prefix is known (memoised)."""
        expanded = self._names.get(key)
        if expanded is None:
            prefix, colon, local = key.partition(":")
            iri = self._ns.get(prefix) if colon else None
            expanded = "{" + iri + "}" + local if iri is not None else key
            self._names[key] = expanded
        return expanded

    def value(self, raw: object, where: str) -> str:
        """A scalar's canonical text (``""`` when it contributes nothing; strings memoised)."""
        if isinstance(raw, str):
            known = self._values.get(raw)
            if known is None:
                known = self._string_value(raw)
                if len(self._values) >= _VALUE_MEMO_LIMIT:
                    self._values.clear()
                self._values[raw] = known
            return known
        text = scalar_text(raw)
        if text is None:
            if raw is None:
                return ""
            raise EventHashError(f"{where} must be a string or a number, got {type(raw).__name__}")
        return self._string_value(text)

    def _string_value(self, text: str) -> str:
        colon = text.find(":")
        if colon > 0:
            iri = self._ns.get(text[:colon].strip())
            if iri is not None:
                text = iri + text[colon + 1 :]
        return canonical_value(text)

    def vocab(self, raw: object, terms: Mapping[str, str], where: str) -> str:
        if isinstance(raw, str):
            web = terms.get(raw) or terms.get(raw.strip())
            if web is not None:
                return web
        return self.value(raw, where)

    def time(self, raw: object, where: str) -> str:
        text = scalar_text(raw)
        if text is None:
            if raw is None:
                return ""
            raise EventHashError(f"{where} must be a date-time string, got {type(raw).__name__}")
        return canonical_timestamp(text)

    # --- generic content (extensions, ILMD, unknown fields) -------------------------------------

    def generic(self, key: str, raw: object, out: list[str]) -> None:
        """Append ``{ns}key=value`` (or ``{ns}key`` + nested content) for one member."""
        if key in _COMMENTS or key[:1] == "@":
            return
        name = self.name(key)
        if name in _COMMENTS:
            return
        if isinstance(raw, list):
            for item in raw:
                self.generic(key, item, out)
        elif isinstance(raw, dict):
            out.append(name + self.members(raw))
        elif raw is not None:
            text = self.value(raw, name)
            out.append(f"{name}={text}" if text else name)

    def members(self, obj: Mapping[str, Any], skip: Collection[str] = ()) -> str:
        """All members of ``obj`` not in ``skip``, generically, sorted and joined."""
        parts: list[str] = []
        for key, raw in obj.items():
            if key not in skip:
                self.generic(key, raw, parts)
        if len(parts) > 1:
            parts.sort()
        return "".join(parts)

    # --- standard structures --------------------------------------------------------------------

    def fields(self, obj: Mapping[str, Any], order: _Order, where: str) -> str:
        """Known fields of ``obj`` in ``order``, then its other members sorted."""
        parts = []
        for key, kind in order:
            raw = obj.get(key)
            if raw is None:
                continue
            if kind is _TIME:
                text = self.time(raw, f"{where}.{key}")
            elif isinstance(kind, _Field):
                text = self.value(raw, f"{where}.{key}")
            else:
                text = self.vocab(raw, kind, f"{where}.{key}")
            if text:
                parts.append(f"{key}={text}")
        known = _ORDER_KEYS[id(order)]
        if any(k not in known for k in obj):
            rest = self.members(obj, known)
            if rest:
                parts.append(rest)
        return "".join(parts)

    def structure(self, name: str, raw: object, order: _Order, where: str) -> str:
        if not isinstance(raw, dict):
            raise EventHashError(f"{where} must be an object, got {type(raw).__name__}")
        body = self.fields(raw, order, where)
        return name + body if body else ""

    def epc_list(self, raw: object, where: str) -> str:
        parts = []
        for item in _as_list(raw):
            text = self.value(item, where)
            if text:
                parts.append("epc=" + text)
        parts.sort()
        return "".join(parts)

    def quantity_list(self, raw: object, where: str) -> str:
        parts = []
        for item in _as_list(raw):
            body = self.structure("quantityElement", item, _QUANTITY, where)
            if body:
                parts.append(body)
        parts.sort()
        return "".join(parts)

    def typed_list(self, raw: object, id_key: str, terms: Mapping[str, str], where: str) -> str:
        entries = []
        for item in _as_list(raw):
            if not isinstance(item, dict):
                raise EventHashError(f"{where} entries must be objects, got {type(item).__name__}")
            entry = ""
            if item.get("type") is not None:
                kind = self.vocab(item["type"], terms, f"{where}.type")
                if kind:
                    entry = "type=" + kind
            if item.get(id_key) is not None:
                ident = self.value(item[id_key], f"{where}.{id_key}")
                entry += f"{id_key}={ident}" if ident else id_key
            if len(item) > (("type" in item) + (id_key in item)):
                entry += self.members(item, ("type", id_key))
            if entry:
                entries.append(entry)
        entries.sort()
        return "".join(entries)

    def sensor_elements(self, raw: object, where: str) -> str:
        elements = []
        for element in _as_list(raw):
            if not isinstance(element, dict):
                raise EventHashError(f"{where} entries must be objects")
            parts = []
            meta = element.get("sensorMetadata")
            if meta is not None:
                parts.append(self.structure("sensorMetadata", meta, _METADATA, where))
            reports = [
                self.structure("sensorReport", report, _REPORT, where)
                for report in _as_list(element.get("sensorReport"))
            ]
            reports.sort()
            parts += reports
            if len(element) > ("sensorMetadata" in element) + ("sensorReport" in element):
                parts.append(self.members(element, ("sensorMetadata", "sensorReport")))
            body = "".join(parts)
            if body:
                elements.append("sensorElement" + body)
        elements.sort()
        return "".join(elements)

    def persistent_disposition(self, raw: object, where: str) -> str:
        if not isinstance(raw, dict):
            raise EventHashError(f"{where} must be an object with set/unset")
        parts = []
        for key in ("set", "unset"):
            values = [self.vocab(v, _DISPOSITION, f"{where}.{key}") for v in _as_list(raw.get(key))]
            values.sort()
            parts += [f"{key}={v}" for v in values if v]
        return "".join(parts)

    # --- the event ------------------------------------------------------------------------------

    def event(self, event: Mapping[str, Any]) -> str:
        event_type = event.get("type")
        if not isinstance(event_type, str) or not event_type:
            raise EventHashError(f"event has no 'type' (got {event_type!r})")
        ordered: list[str] = [""] * _ORDER_SIZE
        rest: list[str] = []
        ignore = self._ignore
        for key, raw in event.items():
            handler = _TOP.get(key)
            if handler is None:
                if raw is None or key in _EXCLUDED_TOP or key in _COMMENTS or key[:1] == "@":
                    continue
                if not (ignore and self.name(key) in ignore):
                    self.generic(key, raw, rest)
                continue
            if raw is None or (ignore and key in ignore):
                continue
            position, build = handler
            text = build(self, raw)
            if not text:
                continue
            if position < 0:
                rest.append(key + text)
            else:
                ordered[position] = text
        if len(rest) > 1:
            rest.sort()
        return "eventType=" + event_type + "".join(ordered) + "".join(rest)


class _Field:
    """Marker for how a leaf field is normalised."""


_TIME = _Field()
_PLAIN = _Field()
_Kind = _Field | Mapping[str, str]
_Order = tuple[tuple[str, _Kind], ...]

_QUANTITY: _Order = (("epcClass", _PLAIN), ("quantity", _PLAIN), ("uom", _PLAIN))
_LOCATION: _Order = (("id", _PLAIN),)
_METADATA: _Order = (
    ("time", _TIME),
    ("startTime", _TIME),
    ("endTime", _TIME),
    ("deviceID", _PLAIN),
    ("deviceMetadata", _PLAIN),
    ("rawData", _PLAIN),
    ("dataProcessingMethod", _PLAIN),
    ("bizRules", _PLAIN),
)
_REPORT: _Order = (
    ("type", _MEASUREMENT),
    ("exception", _ALERT),
    ("deviceID", _PLAIN),
    ("deviceMetadata", _PLAIN),
    ("rawData", _PLAIN),
    ("dataProcessingMethod", _PLAIN),
    ("time", _TIME),
    ("microorganism", _PLAIN),
    ("chemicalSubstance", _PLAIN),
    ("value", _PLAIN),
    ("component", _COMPONENT),
    ("stringValue", _PLAIN),
    ("booleanValue", _PLAIN),
    ("hexBinaryValue", _PLAIN),
    ("uriValue", _PLAIN),
    ("minValue", _PLAIN),
    ("maxValue", _PLAIN),
    ("meanValue", _PLAIN),
    ("sDev", _PLAIN),
    ("percRank", _PLAIN),
    ("percValue", _PLAIN),
    ("uom", _PLAIN),
    ("coordinateReferenceSystem", _PLAIN),
)
_ORDER_KEYS = {
    id(order): frozenset(key for key, _ in order)
    for order in (_QUANTITY, _LOCATION, _METADATA, _REPORT)
}


def _as_list(raw: object) -> list[Any]:
    if raw is None:
        return []
    return raw if isinstance(raw, list) else [raw]


def _leaf(name: str, kind: _Kind) -> Callable[[_Builder, object], str]:
    if kind is _TIME:

        def build(b: _Builder, raw: object) -> str:
            text = b.time(raw, name)
            return f"{name}={text}" if text else ""

    elif kind is _PLAIN:

        def build(b: _Builder, raw: object) -> str:
            if isinstance(raw, list):  # certificationInfo may be a list
                values = sorted(v for v in (b.value(r, name) for r in raw) if v)
                return "".join(f"{name}={v}" for v in values)
            text = b.value(raw, name)
            return f"{name}={text}" if text else ""

    else:
        assert isinstance(kind, Mapping)
        terms = kind

        def build(b: _Builder, raw: object) -> str:
            text = b.vocab(raw, terms, name)
            return f"{name}={text}" if text else ""

    return build


def _wrap(name: str, inner: Callable[[_Builder, object], str]) -> Callable[[_Builder, object], str]:
    def build(b: _Builder, raw: object) -> str:
        body = inner(b, raw)
        return name + body if body else ""

    return build


def _epcs(name: str) -> Callable[[_Builder, object], str]:
    return _wrap(name, lambda b, raw: b.epc_list(raw, name))


def _quantities(name: str) -> Callable[[_Builder, object], str]:
    return _wrap(name, lambda b, raw: b.quantity_list(raw, name))


def _location(name: str) -> Callable[[_Builder, object], str]:
    return lambda b, raw: b.structure(name, raw, _LOCATION, name)


# position in the ordered part, or -1 for "sorted with the rest"; and how to build the text
_ORDER: tuple[tuple[str, Callable[[_Builder, object], str]], ...] = (
    ("eventTime", _leaf("eventTime", _TIME)),
    ("eventTimeZoneOffset", _leaf("eventTimeZoneOffset", _PLAIN)),
    ("certificationInfo", _leaf("certificationInfo", _PLAIN)),
    ("parentID", _leaf("parentID", _PLAIN)),
    ("epcList", _epcs("epcList")),
    ("inputEPCList", _epcs("inputEPCList")),
    ("childEPCs", _epcs("childEPCs")),
    ("quantityList", _quantities("quantityList")),
    ("childQuantityList", _quantities("childQuantityList")),
    ("inputQuantityList", _quantities("inputQuantityList")),
    ("outputEPCList", _epcs("outputEPCList")),
    ("outputQuantityList", _quantities("outputQuantityList")),
    ("action", _leaf("action", _PLAIN)),
    ("transformationID", _leaf("transformationID", _PLAIN)),
    ("bizStep", _leaf("bizStep", _BIZ_STEP)),
    ("disposition", _leaf("disposition", _DISPOSITION)),
    (
        "persistentDisposition",
        _wrap(
            "persistentDisposition",
            lambda b, raw: b.persistent_disposition(raw, "persistentDisposition"),
        ),
    ),
    ("readPoint", _location("readPoint")),
    ("bizLocation", _location("bizLocation")),
    (
        "sensorElementList",
        _wrap("sensorElementList", lambda b, raw: b.sensor_elements(raw, "sensorElementList")),
    ),
)
_ORDER_SIZE = len(_ORDER)
_TOP: dict[str, tuple[int, Callable[[_Builder, object], str]]] = {
    key: (i, build) for i, (key, build) in enumerate(_ORDER)
}
_TOP["bizTransactionList"] = (
    -1,
    lambda b, raw: b.typed_list(raw, "bizTransaction", _BTT, "bizTransactionList"),
)
_TOP["sourceList"] = (-1, lambda b, raw: b.typed_list(raw, "source", _SDT, "sourceList"))
_TOP["destinationList"] = (
    -1,
    lambda b, raw: b.typed_list(raw, "destination", _SDT, "destinationList"),
)


def _frozen(raw: object) -> object:
    """A hashable key for a value made only of strings, lists and objects (``None`` otherwise):
    equal keys mean the same structure with the same strings, hence the same pre-hash text.
    (Numbers and booleans are left out: ``1 == 1.0 == True`` in Python, not in the hash.)"""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, dict):
        items: list[object] = [_DICT]
        for key, value in raw.items():
            frozen = _frozen(value)
            if frozen is None or not isinstance(key, str):
                return None
            items += (key, frozen)
        return tuple(items)
    if isinstance(raw, list):
        members: list[object] = [_LIST]
        for value in raw:
            frozen = _frozen(value)
            if frozen is None:
                return None
            members.append(frozen)
        return tuple(members)
    return None


_DICT = object()
_LIST = object()
_SKIP: tuple[int, tuple[str, ...]] = (-1, ())
_MEMO_LIMIT = 8192
_EXACT_INT = 2**53  # integers up to this size are their own canonical text


class _MemoBuilder(_Builder):
    """A builder for many events of one producer: the text each top-level member contributes is
    memoised by the member's name and value (values of strings, lists and objects only), so what
    repeats from event to event (the read point, vocabulary, EPCs, the station id, the time of
    the same millisecond) is built once. The result is that of :meth:`_Builder.event`."""

    __slots__ = ("_int_heads", "_memo")

    def __init__(self, namespaces: Mapping[str, str], ignore_fields: Collection[str]) -> None:
        super().__init__(namespaces, ignore_fields)
        self._memo: dict[tuple[str, object], tuple[int, tuple[str, ...]]] = {}
        self._int_heads: dict[str, str] = {}

    def event(self, event: Mapping[str, Any]) -> str:
        event_type = event.get("type")
        if not isinstance(event_type, str) or not event_type:
            raise EventHashError(f"event has no 'type' (got {event_type!r})")
        ordered: list[str] = [""] * _ORDER_SIZE
        rest: list[str] = []
        memo = self._memo
        for key, raw in event.items():
            if type(raw) is str:
                frozen: object = raw
            elif type(raw) is int and -_EXACT_INT <= raw <= _EXACT_INT and key not in _TOP:
                head = self._int_heads.get(key)
                if head is None:
                    head = self._int_head(key)
                if head:
                    rest.append(head + str(raw))
                continue
            else:
                frozen = _frozen(raw)
            if frozen is None:
                position, parts = self._member(key, raw)
            else:
                found = memo.get((key, frozen))
                if found is None:
                    found = self._member(key, raw)
                    if len(memo) >= _MEMO_LIMIT:
                        memo.clear()
                    memo[key, frozen] = found
                position, parts = found
            if position >= 0:
                ordered[position] = parts[0]
            elif parts:
                rest += parts
        if len(rest) > 1:
            rest.sort()
        return "eventType=" + event_type + "".join(ordered) + "".join(rest)

    def _int_head(self, key: str) -> str:
        """``{ns}name=`` for an integer member outside the ordered fields (a sequence number),
        or ``""`` when the member is left out: up to 2**53 an integer's canonical text is its
        digits, so the member adds ``head + str(value)`` (memoised per name)."""
        _, parts = self._member(key, 1)
        head = parts[0][:-1] if parts else ""
        if parts and (len(parts) != 1 or not parts[0].endswith("=1")):
            raise AssertionError(f"unexpected pre-hash text for {key!r}: {parts!r}")
        self._int_heads[key] = head
        return head

    def _member(self, key: str, raw: object) -> tuple[int, tuple[str, ...]]:
        """What one top-level member adds: ``(position, (text,))`` in the ordered part, or
        ``(-1, parts)`` to sort with the rest (as :meth:`_Builder.event` does it)."""
        handler = _TOP.get(key)
        ignore = self._ignore
        if handler is None:
            if raw is None or key in _EXCLUDED_TOP or key in _COMMENTS or key[:1] == "@":
                return _SKIP
            if ignore and self.name(key) in ignore:
                return _SKIP
            parts: list[str] = []
            self.generic(key, raw, parts)
            return -1, tuple(parts)
        if raw is None or (ignore and key in ignore):
            return _SKIP
        position, build = handler
        text = build(self, raw)
        if not text:
            return _SKIP
        if position < 0:
            return -1, (key + text,)
        return position, (text,)


def build_prehash(
    event: Mapping[str, Any],
    namespaces: Mapping[str, str],
    ignore_fields: Collection[str] = (),
) -> str:
    """The pre-hash string of ``event``; ``namespaces`` maps CURIE prefixes to IRIs."""
    return _Builder(namespaces, ignore_fields).event(event)


def builder(namespaces: Mapping[str, str], ignore_fields: Collection[str] = ()) -> _Builder:
    """A reusable builder for many events of one document (shares the name cache)."""
    return _Builder(namespaces, ignore_fields)


def memo_builder(namespaces: Mapping[str, str], ignore_fields: Collection[str] = ()) -> _Builder:
    """A reusable builder for a stream of similar events from one producer (the edge agent's
    sealing): what each member contributes is memoised by its value (bounded), see
    :class:`_MemoBuilder`. Same pre-hash strings as :func:`builder`."""
    return _MemoBuilder(namespaces, ignore_fields)
