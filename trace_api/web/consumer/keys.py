"""What a resolver request names: the Digital Link in its path, read strictly, and its query
string, read leniently.

The path must be a valid GS1 Digital Link (``/01/{gtin}[/10/{lot}][/21/{serial}]``,
``/00/{sscc}``; AI aliases such as ``/gtin/``, GTIN-8/12/13, percent-encoding; check digits
verified) or :func:`parse_request` raises the GS1 error naming the fault. In the query string
numeric names are AI data attributes (``?17=261231``): valid ones are kept, malformed ones are
ignored, as are parameters the resolver does not know; ``linkType``, ``lang`` and ``context``
are read.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from foodtrace.exceptions import DigitalLinkError, GS1Error
from foodtrace.gs1.ai import AI_TABLE, AIValue
from foodtrace.gs1.digital_link import DigitalLink, parse_digital_link

__all__ = ["Requested", "parse_request"]


@dataclass(frozen=True, slots=True)
class Requested:
    """A parsed resolver request."""

    link: DigitalLink
    #: ``gtin`` (product level), ``lot``, ``item`` (a serialised trade item) or ``sscc``
    kind: str
    attributes: dict[str, str]
    params: dict[str, str]

    @property
    def gtin(self) -> str | None:
        return self.link.primary.value if self.link.primary.ai == "01" else None

    def qualifier(self, ai: str) -> str | None:
        for q in self.link.qualifiers:
            if q.ai == ai:
                return q.value
        return None

    @property
    def lot(self) -> str | None:
        return self.qualifier("10")

    @property
    def serial(self) -> str | None:
        return self.qualifier("21")

    @property
    def sscc(self) -> str | None:
        return self.link.primary.value if self.link.primary.ai == "00" else None

    @property
    def canonical(self) -> str:
        """The constrained canonical Digital Link (what events are stored under)."""
        return self.link.canonical_uri()

    @property
    def path(self) -> str:
        """The GS1 path of this key on any resolver: ``/01/…/10/…``."""
        return self.link.path()

    @property
    def lot_canonical(self) -> str | None:
        """The canonical link of the lot named (an item's lot too, when the path has /10/)."""
        if self.gtin is None or self.lot is None:
            return None
        return DigitalLink.build("01", self.gtin, [("10", self.lot)]).canonical_uri()


def _kind(link: DigitalLink) -> str:
    if link.primary.ai == "00":
        return "sscc"
    codes = {q.ai for q in link.qualifiers}
    if "21" in codes or "235" in codes:
        return "item"
    if "10" in codes:
        return "lot"
    return "gtin"


def _query(raw: str) -> tuple[dict[str, str], dict[str, str]]:
    attributes: dict[str, str] = {}
    params: dict[str, str] = {}
    for part in raw.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        name, value = unquote(name.replace("+", " ")), unquote(value.replace("+", " "))
        if name.isdigit():
            ai = AI_TABLE.get(name)
            if ai is None or ai.is_primary_key or name in attributes:
                continue
            try:
                attributes[name] = ai.validate(value)
            except GS1Error:
                continue
        elif name not in params:
            params[name] = value
    return attributes, params


def parse_request(base: str, raw_path: str, raw_query: str) -> Requested:
    """The request for ``raw_path`` (still percent-encoded) on resolver ``base``."""
    link = parse_digital_link(base.rstrip("/") + raw_path)
    if link.path_prefix:
        raise DigitalLinkError(
            f"{raw_path!r}: the primary key must come first in the path, not after "
            f"{link.path_prefix!r}"
        )
    if link.primary.ai not in ("01", "00"):
        raise DigitalLinkError(
            f"AI ({link.primary.ai}) is not resolved here: only /01/ (GTIN) and /00/ (SSCC)"
        )
    attributes, params = _query(raw_query)
    for qualifier in link.qualifiers:
        attributes.pop(qualifier.ai, None)
    return Requested(link, _kind(link), attributes, params)


def attribute_values(attributes: dict[str, str]) -> tuple[AIValue, ...]:
    """The attributes as AI values (for building a Digital Link that keeps them)."""
    return tuple(AIValue(ai, value) for ai, value in attributes.items())
