"""The links this resolver offers for a key, as an RFC 9264 linkset and as a ``Link`` header.

Link types (GS1 Web vocabulary, ``gs1:`` = ``https://gs1.org/voc/``):

==================  ===========================================================  ============
``gs1:pip``         the consumer page (HTML, en + zh); also the default link       every key
``gs1:traceability`` the public journey as JSON (what the page shows)              lot, item, SSCC
``gs1:recallStatus`` whether the lot (or a lot it was made from) is recalled, JSON  lot, item
``gs1:epcis``       the EPCIS 2.0 events of the key (307 to ``/epcis/events``;      lot, item, SSCC
                    a bearer token is needed there)
==================  ===========================================================  ============

Every link of a key is on this resolver: ``{base}{key path}?linkType=…``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from trace_api.web.consumer.keys import Requested

__all__ = [
    "GS1_VOC",
    "LINKSET_JSON",
    "ResolverLink",
    "epcis_location",
    "link_header",
    "links_for",
    "linkset",
]

GS1_VOC = "https://gs1.org/voc/"
LINKSET_JSON = "application/linkset+json"
_LINKSET_PROFILE = "https://www.gs1.org/voc/?show=linktypes"


@dataclass(frozen=True, slots=True)
class ResolverLink:
    link_type: str  # short form, "gs1:pip"
    href: str
    title: str
    media_type: str
    hreflang: tuple[str, ...] = ()

    @property
    def relation(self) -> str:
        return GS1_VOC + self.link_type.removeprefix("gs1:")

    def member(self) -> dict[str, Any]:
        """The link's target object in a linkset."""
        target: dict[str, Any] = {"href": self.href, "title": self.title, "type": self.media_type}
        if self.hreflang:
            target["hreflang"] = list(self.hreflang)
        return target


def _self(base: str, requested: Requested, link_type: str) -> str:
    return f"{base}{requested.path}?linkType={link_type}"


def epcis_location(base: str, requested: Requested) -> str:
    """The EPCIS 2.0 events query of the key (``gs1:epcis``)."""
    name = "MATCH_anyEPCClass" if requested.kind == "lot" else "MATCH_anyEPC"
    return f"{base}/epcis/events?{urlencode({name: requested.canonical}, quote_via=quote)}"


def links_for(base: str, requested: Requested) -> list[ResolverLink]:
    """The links of ``requested`` (module docstring), the default link first."""
    links = [
        ResolverLink(
            "gs1:pip",
            f"{base}{requested.path}",
            "Product information and origin / 产品信息与溯源",
            "text/html",
            ("en", "zh"),
        )
    ]
    if requested.kind != "gtin":
        links.append(
            ResolverLink(
                "gs1:traceability",
                _self(base, requested, "gs1:traceability"),
                "Journey from farm to shop",
                "application/json",
            )
        )
    if requested.kind in ("lot", "item"):
        links.append(
            ResolverLink(
                "gs1:recallStatus",
                _self(base, requested, "gs1:recallStatus"),
                "Recall status of the lot",
                "application/json",
            )
        )
    if requested.kind != "gtin":
        links.append(
            ResolverLink(
                "gs1:epcis",
                epcis_location(base, requested),
                "EPCIS 2.0 events (authorised users)",
                "application/ld+json",
            )
        )
    return links


def linkset(base: str, requested: Requested, links: list[ResolverLink]) -> dict[str, Any]:
    """The RFC 9264 linkset document of the key."""
    entry: dict[str, Any] = {"anchor": f"{base}{requested.path}"}
    entry[GS1_VOC + "defaultLink"] = [links[0].member()]
    for link in links:
        entry.setdefault(link.relation, []).append(link.member())
    entry["owl:sameAs"] = [{"href": requested.link.to_uri("https://id.gs1.org", with_query=False)}]
    return {"linkset": [entry]}


def link_header(base: str, requested: Requested, links: list[ResolverLink]) -> str:
    """The ``Link`` header: the linkset first, then every link with its relation type."""
    parts = [
        f'<{base}{requested.path}?linkType=all>; rel="linkset"; type="{LINKSET_JSON}"; '
        f'profile="{_LINKSET_PROFILE}"'
    ]
    parts += [f'<{link.href}>; rel="{link.relation}"; type="{link.media_type}"' for link in links]
    parts.append(
        f'<{requested.link.to_uri("https://id.gs1.org", with_query=False)}>; rel="owl:sameAs"'
    )
    return ", ".join(parts)
