"""The :class:`EPC` value: one decoded or parsed EPC with all its representations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foodtrace.exceptions import EPCError, GS1Error
from foodtrace.gs1.epc.elements import AIPairs, ai_pairs, element_string
from foodtrace.gs1.epc.layout import pack
from foodtrace.gs1.epc.schemes import Scheme, scheme_named
from foodtrace.gs1.epc.uri import format_tag

__all__ = ["EPC", "to_hex"]

DEFAULT_DOMAIN = "https://id.gs1.org"


def to_hex(value: int, nbits: int) -> str:
    """Upper-case hex of an ``nbits``-bit binary, zero-padded to whole 16-bit words."""
    words = -(-nbits // 16)
    return f"{value << (words * 16 - nbits):0{words * 4}X}"


@dataclass(frozen=True, slots=True)
class EPC:
    """An EPC encoded with one binary coding scheme and filter value.

    ``scheme``  binary coding scheme, e.g. ``"sgtin-96"`` (for an EPC parsed from a
                pure-identity URN: the scheme :func:`~foodtrace.gs1.epc.encode` would choose).
    ``filter``  filter value (``None`` for GID-96, which has none; 0 for a parsed URN).
    ``fields``  the components in URI order as ``(name, value)`` pairs, values unescaped,
                e.g. ``(("company_prefix", "0614141"), ("item_reference", "812345"), …)``.
    ``uri``     the pure-identity URN, e.g. ``urn:epc:id:sgtin:0614141.812345.6789``.

    Build one with :func:`~foodtrace.gs1.epc.decode_hex`, :func:`~foodtrace.gs1.epc.parse_uri`
    or :func:`~foodtrace.gs1.epc.from_ai`; the constructor does not validate.
    """

    scheme: str
    filter: int | None
    fields: tuple[tuple[str, str], ...]
    uri: str

    @property
    def _scheme(self) -> Scheme:
        scheme = scheme_named(self.scheme)
        if scheme is None:
            raise EPCError(f"unknown EPC binary coding scheme {self.scheme!r}")
        return scheme

    @property
    def family(self) -> str:
        """The pure-identity scheme, e.g. ``"sgtin"``."""
        return self._scheme.family

    @property
    def values(self) -> tuple[str, ...]:
        """The component values in URI order (unescaped)."""
        return tuple(value for _, value in self.fields)

    @property
    def tag_uri(self) -> str:
        """The EPC tag URI, e.g. ``urn:epc:tag:sgtin-96:3.0614141.812345.6789``."""
        return format_tag(self._scheme, self.filter, self.uri)

    @property
    def binary(self) -> tuple[int, int]:
        """``(value, bit length)`` of the binary encoding (without padding)."""
        return pack(self._scheme, self.filter, self.values)

    @property
    def hex(self) -> str:
        """The EPC bank contents from word 2 on, upper-case hex, padded to whole 16-bit words."""
        return to_hex(*self.binary)

    @property
    def ai(self) -> AIPairs:
        """GS1 element string as AI pairs, e.g. ``(("01", "80614141123458"), ("21", "6789"))``.

        Empty for GID-96, USDoD-96 and ADI-var, which carry no GS1 key.
        """
        return ai_pairs(self.family, self.values)

    @property
    def element_string(self) -> str:
        """``(01)80614141123458(21)6789``; empty when the EPC has no GS1 key."""
        return element_string(self.ai)

    def digital_link(self, domain: str = DEFAULT_DOMAIN) -> str:
        """The GS1 Digital Link URI, e.g. ``https://id.gs1.org/01/80614141123458/21/6789``.

        Raises :class:`~foodtrace.exceptions.EPCURIError` for GID, USDoD and ADI EPCs.
        """
        from foodtrace.gs1.digital_link import epc_to_digital_link

        return epc_to_digital_link(self.uri, domain=domain)

    def to_dict(self, domain: str = DEFAULT_DOMAIN) -> dict[str, Any]:
        """A JSON-ready summary: scheme, filter, uri, tag_uri, hex, fields, ai, digital_link.

        ``digital_link`` is None when the EPC has no GS1 key (GID, USDoD, ADI) or its key is not
        a valid Digital Link although the TDS encodes it (e.g. an ITIP whose piece number is 0
        or above the total: GS1 General Specifications rule for AI 8006).
        """
        pairs = self.ai
        link: str | None = None
        if pairs:
            try:
                link = self.digital_link(domain)
            except GS1Error:
                link = None
        return {
            "scheme": self.scheme,
            "filter": self.filter,
            "uri": self.uri,
            "tag_uri": self.tag_uri,
            "hex": self.hex,
            "fields": dict(self.fields),
            "ai": [list(pair) for pair in pairs],
            "digital_link": link,
        }
