"""GS1 Digital Link URIs: parse, validate, build, and reduce to the constrained canonical form.

``https://{domain}[/{prefix…}]/{primary AI}/{value}[/{qualifier AI}/{value}…][?{AI}={value}&…]``

* The primary key and its qualifiers are found from the end of the path, so a brand may put
  any path prefix before them (``https://brand.example/products/01/…``).
* AIs may be numeric (``01``) or the GS1 Digital Link 1.0 aliases (``gtin``, ``lot``, ``ser``,
  ``sscc``, ``gln``, …); output always uses numeric AIs.
* Qualifiers must follow the standard's order for the key (``01``: ``22`` → ``10`` → ``21``, or
  ``235`` alone; ``414``: ``254`` or ``7040``; ``8006``: ``22`` → ``10`` → ``21``; ``8010``:
  ``8011``; ``8017``/``8018``: ``8019``; ``417``/``8004``: ``7040``; ``415``: ``8020``).
* GTIN-8, GTIN-12 and GTIN-13 are zero-padded to GTIN-14. Check digits are verified.
* Query parameters with numeric names are AI data attributes (``?17=261231``) and are validated;
  others (``linkType``, ``context``, …) are kept apart in ``other_params``.

The **constrained canonical form** (what the CBV 2.0 event hash uses) has the domain
``https://id.gs1.org``, no path prefix, no query string, numeric AIs, and only the finest
identification level: the CPV (``22``) is dropped, and a lot (``10``) is dropped when a serial
(``21``) is present. That gives ``01``, ``01+21``, ``01+10``, ``01+235``, ``00``, ``253``,
``255``, ``401``, ``402``, ``414``, ``414+254``, ``417``, ``8003``, ``8004``, ``8006``,
``8006+21``, ``8006+10``, ``8010``, ``8010+8011``, ``8013``, ``8017``, ``8018``; qualifiers
that identify a finer instance (``7040``, ``8019``, ``8020``) are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from foodtrace.exceptions import ApplicationIdentifierError, DigitalLinkError
from foodtrace.gs1.ai import AI_BY_ALIAS, AI_TABLE, AIValue, ApplicationIdentifier
from foodtrace.gs1.digital_link.escaping import dl_decode, dl_encode

__all__ = ["CANONICAL_DOMAIN", "DigitalLink", "parse_digital_link"]

CANONICAL_DOMAIN = "https://id.gs1.org"

# Path-segment name (numeric code or alias) → AI, for the AIs that may appear in a path.
_PATH_AI: dict[str, ApplicationIdentifier] = {
    code: ai for code, ai in AI_TABLE.items() if ai.is_primary_key
}
_QUALIFIER_CODES = frozenset(q for ai in _PATH_AI.values() for q in ai.qualifiers)
for _code in _QUALIFIER_CODES:
    _PATH_AI[_code] = AI_TABLE[_code]
for _alias, _code in AI_BY_ALIAS.items():
    if _code in _PATH_AI:
        _PATH_AI[_alias] = AI_TABLE[_code]

# Per primary key: for each qualifier path, qualifier → position in that path.
_QUALIFIER_RANK: dict[str, tuple[dict[str, int], ...]] = {
    code: tuple({q: i for i, q in enumerate(path)} for path in ai.qualifier_paths)
    for code, ai in AI_TABLE.items()
    if ai.is_primary_key
}
_GTIN_SHORT_LENGTHS = frozenset((8, 12, 13))


@dataclass(frozen=True, slots=True)
class DigitalLink:
    """A parsed, validated GS1 Digital Link. Values are unescaped AI values.

    Build one with :func:`parse_digital_link` or with :meth:`build`; constructing it directly
    validates every value too (``__post_init__``).
    """

    primary: AIValue
    qualifiers: tuple[AIValue, ...] = ()
    attributes: tuple[AIValue, ...] = ()
    other_params: tuple[tuple[str, str], ...] = ()
    #: Scheme and authority, e.g. ``https://id.gs1.org``.
    domain: str = CANONICAL_DOMAIN
    #: Path before the primary key, ``""`` or e.g. ``/products``.
    path_prefix: str = ""

    def __post_init__(self) -> None:
        _validate(self.primary, self.qualifiers, self.attributes)
        if not self.domain.startswith(("https://", "http://")) or self.domain.endswith("/"):
            raise DigitalLinkError(
                f"Digital Link domain {self.domain!r} must be 'http(s)://host' without a "
                "trailing slash"
            )
        if self.path_prefix and (
            not self.path_prefix.startswith("/") or self.path_prefix.endswith("/")
        ):
            raise DigitalLinkError(
                f"Digital Link path prefix {self.path_prefix!r} must start with '/' and not "
                "end with '/'"
            )

    @classmethod
    def build(
        cls,
        primary_ai: str,
        value: str,
        qualifiers: Iterable[tuple[str, str]] = (),
        attributes: Iterable[tuple[str, str]] | Mapping[str, str] = (),
        other_params: Iterable[tuple[str, str]] | Mapping[str, str] = (),
        domain: str = CANONICAL_DOMAIN,
    ) -> DigitalLink:
        """Build a Digital Link from AI codes and raw values; ``domain`` may carry a prefix.

        GTIN-8/12/13 are padded to 14 digits; everything is validated.
        """
        domain, prefix = _split_domain(domain)
        if isinstance(attributes, Mapping):
            attributes = attributes.items()
        if isinstance(other_params, Mapping):
            other_params = other_params.items()
        if primary_ai == "01" and len(value) in _GTIN_SHORT_LENGTHS:
            value = value.zfill(14)
        return cls(
            primary=AIValue(primary_ai, value),
            qualifiers=tuple(AIValue(a, v) for a, v in qualifiers),
            attributes=tuple(AIValue(a, v) for a, v in attributes),
            other_params=tuple(other_params),
            domain=domain,
            path_prefix=prefix,
        )

    @property
    def key_elements(self) -> tuple[AIValue, ...]:
        """The primary key followed by its qualifiers."""
        return (self.primary, *self.qualifiers)

    def path(self) -> str:
        """The GS1 part of the path: ``/01/09521234543213/10/ABC123``."""
        return "".join(f"/{e.ai}/{dl_encode(e.value)}" for e in self.key_elements)

    def query(self) -> str:
        """The query string without ``?``: AI attributes first, then the other parameters."""
        parts = [f"{e.ai}={dl_encode(e.value)}" for e in self.attributes]
        parts += [f"{dl_encode(k)}={dl_encode(v)}" for k, v in self.other_params]
        return "&".join(parts)

    def to_uri(self, domain: str | None = None, *, with_query: bool = True) -> str:
        """The URI; ``domain`` (which may carry a path prefix) replaces domain and prefix."""
        base = self.domain + self.path_prefix if domain is None else domain.rstrip("/")
        query = self.query() if with_query else ""
        return f"{base}{self.path()}?{query}" if query else base + self.path()

    def element_string(self) -> str:
        """The bracketed form: ``(01)09521234543213(10)ABC123(17)261231``."""
        return "".join(str(e) for e in (*self.key_elements, *self.attributes))

    def canonical(self) -> DigitalLink:
        """The constrained canonical form (module docstring)."""
        qualifiers = _finest(self.primary.ai, self.qualifiers)
        if (
            qualifiers == self.qualifiers
            and not self.attributes
            and not self.other_params
            and self.domain == CANONICAL_DOMAIN
            and not self.path_prefix
        ):
            return self
        return _trusted(self.primary, qualifiers)

    def canonical_uri(self) -> str:
        """The constrained canonical form as a URI string."""
        return (
            CANONICAL_DOMAIN
            + _trusted(self.primary, _finest(self.primary.ai, self.qualifiers)).path()
        )

    def __str__(self) -> str:
        return self.to_uri()


def _trusted(primary: AIValue, qualifiers: tuple[AIValue, ...]) -> DigitalLink:
    """A canonical-domain link from already validated parts (no second validation)."""
    link = object.__new__(DigitalLink)
    for name, value in (
        ("primary", primary),
        ("qualifiers", qualifiers),
        ("attributes", ()),
        ("other_params", ()),
        ("domain", CANONICAL_DOMAIN),
        ("path_prefix", ""),
    ):
        object.__setattr__(link, name, value)
    return link


def _finest(primary_ai: str, qualifiers: tuple[AIValue, ...]) -> tuple[AIValue, ...]:
    if primary_ai not in ("01", "8006") or not qualifiers:
        return qualifiers
    codes = [q.ai for q in qualifiers]
    if "22" not in codes and not ("10" in codes and "21" in codes):
        return qualifiers
    has_serial = "21" in codes
    return tuple(q for q in qualifiers if q.ai != "22" and not (has_serial and q.ai == "10"))


def _split_domain(domain: str) -> tuple[str, str]:
    domain = domain.rstrip("/")
    scheme_end = domain.find("://")
    slash = domain.find("/", scheme_end + 3) if scheme_end >= 0 else -1
    if slash < 0:
        return domain, ""
    return domain[:slash], domain[slash:]


def _validate(
    primary: AIValue, qualifiers: tuple[AIValue, ...], attributes: tuple[AIValue, ...]
) -> None:
    ai = AI_TABLE.get(primary.ai)
    if ai is None:
        raise ApplicationIdentifierError(f"unknown application identifier {primary.ai!r}")
    if not ai.is_primary_key:
        raise DigitalLinkError(
            f"AI ({primary.ai}) {ai.title} is not a GS1 Digital Link primary key"
        )
    ai.validate(primary.value)
    if qualifiers:
        _check_qualifier_order(ai, qualifiers)
        for q in qualifiers:
            AI_TABLE[q.ai].validate(q.value)
    seen: set[str] = set()
    for attribute in attributes:
        attr_ai = AI_TABLE.get(attribute.ai)
        if attr_ai is None:
            raise ApplicationIdentifierError(
                f"unknown application identifier {attribute.ai!r} in the query string"
            )
        if attr_ai.is_primary_key or attribute.ai in ai.qualifiers:
            raise DigitalLinkError(
                f"AI ({attribute.ai}) {attr_ai.title} is a key or key qualifier and must be in "
                "the path, not the query string"
            )
        if attribute.ai in seen:
            raise DigitalLinkError(f"AI ({attribute.ai}) appears twice in the query string")
        seen.add(attribute.ai)
        attr_ai.validate(attribute.value)


def _check_qualifier_order(ai: ApplicationIdentifier, qualifiers: tuple[AIValue, ...]) -> None:
    ranks = _QUALIFIER_RANK[ai.code]
    for rank in ranks:
        last = -1
        for q in qualifiers:
            position = rank.get(q.ai, -1)
            if position <= last:
                break
            last = position
        else:
            return
    got = "/".join(q.ai for q in qualifiers)
    if not ranks:
        raise DigitalLinkError(f"AI ({ai.code}) {ai.title} takes no key qualifiers, got {got}")
    allowed = " or ".join("→".join(path) for path in ai.qualifier_paths)
    raise DigitalLinkError(
        f"key qualifiers {got} after AI ({ai.code}) {ai.title} break the allowed order "
        f"{allowed} (each optional, in that order, none repeated)"
    )


def _decoded(segment: str, what: str) -> str:
    try:
        return dl_decode(segment)
    except ValueError as exc:
        raise DigitalLinkError(f"{what}: {exc}") from None


def parse_digital_link(uri: str) -> DigitalLink:
    """Parse and validate a GS1 Digital Link URI (module docstring for the rules).

    Raises :class:`DigitalLinkError` for a URI that is not a Digital Link or breaks its
    structure (qualifier order, key in the query), :class:`ApplicationIdentifierError` for an
    unknown AI or a value of the wrong syntax, :class:`CheckDigitError` for a wrong check digit.
    """
    domain, prefix, primary, qualifiers, attributes, others = _parse(uri)
    return DigitalLink(primary, qualifiers, attributes, others, domain, prefix)


_Parsed = tuple[
    str, str, AIValue, tuple[AIValue, ...], tuple[AIValue, ...], tuple[tuple[str, str], ...]
]


def _parse(uri: str) -> _Parsed:
    if uri.startswith("https://"):
        start = 8
    elif uri.startswith("http://"):
        start = 7
    else:
        raise DigitalLinkError(f"{uri!r} is not a GS1 Digital Link: it must start with https://")
    end = uri.find("#", start)
    if end < 0:
        end = len(uri)
    query_at = uri.find("?", start, end)
    path_end = end if query_at < 0 else query_at
    slash = uri.find("/", start, path_end)
    if slash <= start:
        raise DigitalLinkError(f"{uri!r} is not a GS1 Digital Link: no host or no path")
    segments = uri[slash + 1 : path_end].split("/")
    if segments[-1] == "" and len(segments) > 1:
        segments.pop()  # one trailing slash is tolerated

    # Walk (AI, value) pairs from the end of the path until the primary key.
    i = len(segments) - 2
    pairs: list[AIValue] = []
    primary_ai: ApplicationIdentifier | None = None
    while i >= 0:
        ai = _PATH_AI.get(segments[i])
        if ai is None:
            break
        value = _decoded(segments[i + 1], f"{uri!r}: AI ({ai.code}) value")
        if ai.is_primary_key:
            primary_ai = ai
            if ai.code == "01" and len(value) in _GTIN_SHORT_LENGTHS and value.isdigit():
                value = value.zfill(14)
            pairs.append(AIValue(ai.code, value))
            break
        pairs.append(AIValue(ai.code, value))
        i -= 2
    if primary_ai is None:
        what = segments[i] if i >= 0 else "/".join(segments)
        if what.isdigit() and 2 <= len(what) <= 4 and what not in AI_TABLE:
            raise ApplicationIdentifierError(
                f"{uri!r}: unknown application identifier {what!r} in the path"
            )
        raise DigitalLinkError(
            f"{uri!r} is not a GS1 Digital Link: no primary key (e.g. /01/, /00/, /414/) "
            f"before its key qualifiers; {what!r} is not a primary key or qualifier AI"
        )
    prefix = "/" + "/".join(segments[:i]) if i > 0 else ""
    pairs.reverse()

    attributes: list[AIValue] = []
    others: list[tuple[str, str]] = []
    if query_at >= 0:
        for param in uri[query_at + 1 : end].split("&"):
            if not param:
                continue
            name, _, raw = param.partition("=")
            name = _decoded(name, f"{uri!r}: query parameter name")
            value = _decoded(raw, f"{uri!r}: query parameter {name!r}")
            if name.isdigit():
                attributes.append(AIValue(name, value))
            else:
                others.append((name, value))
    return (
        uri[:slash],
        prefix,
        pairs[0],
        tuple(pairs[1:]),
        tuple(attributes),
        tuple(others),
    )
