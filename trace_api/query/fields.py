"""Conditions on parts of an event that only its stored JSON holds: extension fields,
``persistentDisposition`` and ``errorDeclaration.correctiveEventIDs``.

A :class:`JsonField` names where the values are (a *scope*: the event itself, its ``ilmd``,
``errorDeclaration``, each ``sensorElement``, its ``sensorMetadata``, each ``sensorReport``,
the ``readPoint`` or ``bizLocation`` object, or a list such as ``persistentDisposition.set``),
the field's name in that scope (``None``: every element of the list), whether the field may
be *inner* (nested at any depth inside a top-level extension element of the scope, the
standard's ``INNER_``) and a :class:`Predicate` on the values found.
(PostgreSQL reads the JSON path in lax mode and silently: a missing or mistyped part of an
event selects nothing rather than raising.)

It compiles to a correlated ``EXISTS`` over the event's ``raw`` JSON text: on SQLite a chain
of ``json_each`` (``json_tree`` for inner fields); on PostgreSQL ``jsonb_path_query`` over
``raw::jsonb`` with a JSON path. No index serves these conditions: each candidate row's JSON is
read, so they are meant to narrow a query that indexed parameters (time, bizStep, EPC …)
already select, not to search the whole database on their own.

Field names are matched as the event writes them (``example:temperature``, with the prefix the
capturing document bound), not through the namespace IRI.

Typing follows the standard: a value that reads as a number matches JSON numbers equal to it,
a date-time matches JSON strings holding the same instant, ``true``/``false`` match booleans;
any value also matches a JSON string equal to it. ``GT_``/``GE_``/``LT_``/``LE_`` compare
numbers with numbers and date-times with date-times (strings ``YYYY-MM-DDThh:mm[:ss[.f]]`` with
``Z`` or an offset), and match nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from trace_api.models import metadata

__all__ = ["SCOPES", "JsonField", "Predicate", "utc_text"]

_EVENT = metadata.tables["event"]

#: query-parameter scope word → path of steps from the event (``*``: each element of a list)
SCOPES: dict[str, tuple[str, ...]] = {
    "": (),
    "ILMD": ("ilmd",),
    "ERROR_DECLARATION": ("errorDeclaration",),
    "SENSORELEMENT": ("sensorElementList", "*"),
    "SENSORMETADATA": ("sensorElementList", "*", "sensorMetadata"),
    "SENSORREPORT": ("sensorElementList", "*", "sensorReport", "*"),
    "readPoint": ("readPoint",),
    "bizLocation": ("bizLocation",),
}

# A date-time string we are willing to compare as an instant (and cast on PostgreSQL).
_TIME_GLOB = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]*"
_TIME_REGEX = (
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d"
    r"(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$"
)


def utc_text(value: datetime) -> str:
    """An instant as SQLite's ``strftime('%Y-%m-%dT%H:%M:%f', …)`` writes it (UTC, ms)."""
    utc = value.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}"


@dataclass(frozen=True, slots=True)
class Predicate:
    """What a found value must be: any of ``strings`` / ``numbers`` / ``times`` / ``booleans``
    (equality), or ``comparator`` against ``number`` or ``time``; ``exists``: anything."""

    strings: tuple[str, ...] = ()
    numbers: tuple[float, ...] = ()
    times: tuple[datetime, ...] = ()
    booleans: tuple[bool, ...] = ()
    comparator: str | None = None
    number: float | None = None
    time: datetime | None = None
    exists: bool = False


@dataclass(frozen=True, slots=True)
class _Spec:
    scope: tuple[str, ...]
    name: str | None
    inner: bool
    predicate: Predicate = field(default_factory=Predicate)


class JsonField(ColumnElement[bool]):
    """Condition: the event has, in ``scope``, a field ``name`` (or, with ``name=None``, a
    list element) whose value satisfies ``predicate`` (see the module docstring)."""

    inherit_cache = False  # the spec is read at compile time: never reuse compiled SQL
    type = sa.Boolean()

    def __init__(
        self, scope: tuple[str, ...], name: str | None, predicate: Predicate, *, inner: bool = False
    ) -> None:
        self.spec = _Spec(scope, name, inner, predicate)


_OPERATORS = {"EQ": "=", "GT": ">", "GE": ">=", "LT": "<", "LE": "<="}


def _bind(compiler: Any, value: Any, **kw: Any) -> str:
    return str(compiler.process(sa.literal(value), **kw))


def _in(compiler: Any, column: str, values: tuple[Any, ...], **kw: Any) -> str:
    return f"{column} IN ({', '.join(_bind(compiler, v, **kw) for v in values)})"


def _quote_key(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- SQLite: json_each / json_tree -------------------------------------------------------


def _sqlite_path(steps: list[str]) -> str:
    return "$" + "".join(f".{_quote_key(step)}" for step in steps)


def _sqlite_predicate(compiler: Any, p: Predicate, **kw: Any) -> str:
    if p.exists:
        return "1 = 1"
    numeric = "jf.type IN ('integer', 'real')"
    is_time = f"jf.type = 'text' AND jf.value GLOB '{_TIME_GLOB}'"
    as_time = "strftime('%Y-%m-%dT%H:%M:%f', jf.value)"
    if p.comparator is not None:
        op = _OPERATORS[p.comparator]
        if p.number is not None:
            return f"{numeric} AND jf.value {op} {_bind(compiler, p.number, **kw)}"
        assert p.time is not None
        return f"{is_time} AND {as_time} {op} {_bind(compiler, utc_text(p.time), **kw)}"
    parts = []
    if p.strings:
        parts.append(f"(jf.type = 'text' AND {_in(compiler, 'jf.value', p.strings, **kw)})")
    if p.numbers:
        parts.append(f"({numeric} AND {_in(compiler, 'jf.value', p.numbers, **kw)})")
    if p.times:
        texts = tuple(utc_text(t) for t in p.times)
        parts.append(f"({is_time} AND {_in(compiler, as_time, texts, **kw)})")
    parts.extend(f"jf.type = '{'true' if boolean else 'false'}'" for boolean in p.booleans)
    return " OR ".join(parts) if parts else "1 = 0"


@compiles(JsonField, "sqlite")
def _json_field_sqlite(element: JsonField, compiler: Any, **kw: Any) -> str:
    spec = element.spec
    sources: list[str] = []
    current = str(compiler.process(_EVENT.c.raw, **kw))
    pending: list[str] = []
    for step in spec.scope:
        if step != "*":
            pending.append(step)
            continue
        alias = f"j{len(sources)}"
        path = _bind(compiler, _sqlite_path(pending), **kw)
        sources.append(f"json_each({current}, {path}) AS {alias}")
        current, pending = f"{alias}.value", []
    path = _bind(compiler, _sqlite_path(pending), **kw)
    conditions = []
    if spec.inner:
        sources.append(f"json_each({current}, {path}) AS jm")
        sources.append("json_tree(jm.value) AS jf")
        conditions.append("jm.key LIKE '%:%' AND jm.type IN ('object', 'array')")
    else:
        sources.append(f"json_each({current}, {path}) AS jf")
    if spec.name is not None:
        conditions.append(f"jf.key = {_bind(compiler, spec.name, **kw)}")
    conditions.append(f"({_sqlite_predicate(compiler, spec.predicate, **kw)})")
    # Every value in this text is a bound parameter; the rest is fixed SQL.
    return f"EXISTS (SELECT 1 FROM {', '.join(sources)} WHERE {' AND '.join(conditions)})"  # noqa: S608


# --- PostgreSQL: jsonb_path_query ---------------------------------------------------------


def _jsonpath(spec: _Spec) -> str:
    path = "$"
    for step in spec.scope:
        path += "[*]" if step == "*" else f".{_quote_key(step)}"
    if spec.inner:
        path += '.keyvalue() ? (@.key like_regex ":").value.**'
        if spec.name is not None:
            path += ' ? (@.type() == "object")'
    if spec.name is None:
        return path + ("" if spec.inner else "[*]")
    return path + f".{_quote_key(spec.name)}"


def _pg_predicate(compiler: Any, p: Predicate, **kw: Any) -> str:
    if p.exists:
        return "true"
    text = "(jf.value #>> '{}')"
    numeric = "jsonb_typeof(jf.value) = 'number'"
    number = f"CAST({text} AS double precision)"
    is_time = f"jsonb_typeof(jf.value) = 'string' AND {text} ~ {_bind(compiler, _TIME_REGEX, **kw)}"
    as_time = f"CAST({text} AS timestamptz)"
    if p.comparator is not None:
        op = _OPERATORS[p.comparator]
        if p.number is not None:
            value = _bind(compiler, p.number, **kw)
            return f"CASE WHEN {numeric} THEN {number} {op} {value} ELSE false END"
        assert p.time is not None
        value = _bind(compiler, p.time, **kw)
        return f"CASE WHEN {is_time} THEN {as_time} {op} {value} ELSE false END"
    parts = []
    if p.strings:
        parts.append(
            f"(jsonb_typeof(jf.value) = 'string' AND {_in(compiler, text, p.strings, **kw)})"
        )
    if p.numbers:
        parts.append(f"CASE WHEN {numeric} THEN {_in(compiler, number, p.numbers, **kw)} END")
    if p.times:
        parts.append(f"CASE WHEN {is_time} THEN {_in(compiler, as_time, p.times, **kw)} END")
    parts.extend(f"jf.value = '{str(boolean).lower()}'::jsonb" for boolean in p.booleans)
    return " OR ".join(parts) if parts else "false"


@compiles(JsonField)
def _json_field_postgres(element: JsonField, compiler: Any, **kw: Any) -> str:
    spec = element.spec
    raw = str(compiler.process(_EVENT.c.raw, **kw))
    path = _bind(compiler, _jsonpath(spec), **kw)
    source = (
        f"jsonb_path_query(CAST({raw} AS jsonb), CAST({path} AS jsonpath), '{{}}', true)"
        " AS jf(value)"
    )
    predicate = _pg_predicate(compiler, spec.predicate, **kw)
    return f"EXISTS (SELECT 1 FROM {source} WHERE {predicate})"  # noqa: S608 (values are bound)
