"""The GS1 Digital Link resolver at the root: ``/01/{gtin}[/10/{lot}][/21/{serial}]``,
``/00/{sscc}`` (and the aliases ``/gtin/``, ``/sscc/``, ``/lot/``, ``/ser/``), the resolver
description at ``/.well-known/gs1resolver`` and the page's static files.

Per request (see :mod:`~trace_api.web.consumer.links` for the link types):

* ``?linkType=all``, or ``Accept: application/linkset+json`` without a ``linkType``: the RFC
  9264 linkset (``application/linkset+json``).
* ``?linkType=gs1:traceability``: the public journey as JSON; ``gs1:recallStatus``: the
  lot's recall status as JSON; ``gs1:epcis``: 307 to the EPCIS events query.
* otherwise (no ``linkType``, ``gs1:pip``, ``gs1:defaultLink``, or a link type this key does not
  have — the default link then, as GS1 resolvers do): the consumer page for browsers; an API
  client that asks for JSON (``Accept: application/json``) gets the linkset.

A code that is not a valid Digital Link (wrong check digit, unknown AI, bad qualifier order,
a value of the wrong syntax) is a 400 page for browsers and a 400 problem+json for API clients;
a code nothing is known about is a 404 the same way. Every answer carries ``Link`` (the
linkset and each link) and ``Vary: Accept, Accept-Language, Cookie``.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Path, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from foodtrace.exceptions import GS1Error
from trace_api.api.deps import EngineDep
from trace_api.api.problems import problem_response
from trace_api.web.consumer import negotiate
from trace_api.web.consumer.facts import ConsumerFacts, gather, is_known
from trace_api.web.consumer.i18n import COOKIE, choose_language
from trace_api.web.consumer.keys import Requested, parse_request
from trace_api.web.consumer.links import (
    LINKSET_JSON,
    epcis_location,
    link_header,
    links_for,
    linkset,
)
from trace_api.web.consumer.pages import render_error, render_page

__all__ = ["router"]

router = APIRouter(tags=["GS1 Digital Link resolver"])

HTML_SECURITY = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
VARY = "Accept, Accept-Language, Cookie"
_PAGE_CACHE = "public, max-age=60"
_STATIC_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}
_DEFAULT_TYPES = frozenset({None, "gs1:pip", "gs1:defaultLink", "gs1:defaultLinkMulti"})
_COOKIE_AGE = 365 * 24 * 3600


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _toggle_url(request: Request, lang: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", "en" if lang == "zh" else "zh"))
    return f"{request.url.path}?{urlencode(params)}"


def _html(body: str, status: int, lang: str, set_cookie: bool, cache: str) -> Response:
    headers = dict(HTML_SECURITY)
    headers["Vary"] = VARY
    headers["Content-Language"] = "zh-CN" if lang == "zh" else "en"
    headers["Cache-Control"] = "private, no-cache" if set_cookie else cache
    response = Response(body, status, headers=headers, media_type="text/html; charset=utf-8")
    if set_cookie:
        response.set_cookie(
            COOKIE, lang, max_age=_COOKIE_AGE, httponly=True, samesite="lax", path="/"
        )
    return response


def _json(body: Any, media_type: str, headers: dict[str, str], cache: str) -> Response:
    return Response(
        orjson.dumps(body),
        200,
        headers=headers | {"Cache-Control": cache},
        media_type=media_type,
    )


def _error(
    request: Request, status: int, detail: str, wants: str, lang: str, set_cookie: bool
) -> Response:
    cache = "public, max-age=300" if status == 400 else "public, max-age=60"
    if wants == negotiate.HTML:
        body = render_error(status, detail, lang, _toggle_url(request, lang))
        return _html(body, status, lang, set_cookie, cache)
    response = problem_response(request, status, detail)
    response.headers["Vary"] = VARY
    response.headers["Cache-Control"] = cache
    return response


def _recall_status(facts: ConsumerFacts) -> dict[str, Any]:
    r = facts.requested
    return {
        "gtin": r.gtin,
        "lot": r.lot,
        "digitalLink": r.lot_canonical,
        "linkType": "gs1:recallStatus",
        "recalled": facts.recalled,
        "recalls": [
            {
                "lot": c.lot,
                "reason": c.reason,
                "declaredAt": c.declared.isoformat(),
                "scope": "this lot" if c.own else "an ingredient lot",
            }
            for c in facts.recalls
        ],
    }


async def _resolve(request: Request, engine: EngineDep) -> Response:
    wants = negotiate.preferred(request.headers.get("accept"))
    lang, set_cookie = choose_language(
        request.query_params.get("lang"),
        request.cookies.get(COOKIE),
        request.headers.get("accept-language"),
    )
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    base = _base(request)
    try:
        requested = parse_request(base, raw_path.decode("ascii", "replace"), request.url.query)
    except GS1Error as exc:
        return _error(request, 400, str(exc), wants, lang, set_cookie)
    links = links_for(base, requested)
    headers = {"Link": link_header(base, requested, links), "Vary": VARY}
    link_type = requested.params.get("linkType")
    available = {link.link_type for link in links}
    if link_type not in available and link_type != "all":
        link_type = None  # unknown or not offered for this key: the default link
    if link_type == "all" or (
        link_type in _DEFAULT_TYPES and wants in (negotiate.LINKSET, negotiate.JSON)
    ):
        media = "application/json" if wants == negotiate.JSON else LINKSET_JSON
        if not await run_in_threadpool(is_known, engine, requested):
            return _not_found(request, requested, wants, lang, set_cookie)
        return _json(linkset(base, requested, links), media, headers, "public, max-age=300")
    if link_type == "gs1:epcis":
        return RedirectResponse(
            epcis_location(base, requested),
            307,
            headers=headers | {"Cache-Control": "public, max-age=300"},
        )
    facts = await run_in_threadpool(gather, engine, requested)
    if not facts.known:
        return _not_found(request, requested, wants, lang, set_cookie)
    if link_type == "gs1:traceability":
        return _json(facts.to_public(), "application/json", headers, "public, max-age=60")
    if link_type == "gs1:recallStatus":
        return _json(_recall_status(facts), "application/json", headers, "no-cache")
    body = render_page(facts, lang, _toggle_url(request, lang), f"{requested.path}?linkType=all")
    response = _html(body, 200, lang, set_cookie, _PAGE_CACHE)
    response.headers.update(headers)
    return response


def _not_found(
    request: Request, requested: Requested, wants: str, lang: str, set_cookie: bool
) -> Response:
    what = f"GTIN {requested.gtin}" if requested.gtin else f"SSCC {requested.sscc}"
    detail = f"nothing is known about {requested.link.element_string()} ({what})"
    return _error(request, 404, detail, wants, lang, set_cookie)


_KEY_DOC = "The rest of the GS1 Digital Link path (key value and qualifiers)."


@router.get("/01/{rest:path}", response_class=Response)
async def resolve_gtin(
    request: Request, engine: EngineDep, rest: Annotated[str, Path(description=_KEY_DOC)]
) -> Response:
    """Resolve a GTIN, lot or serialised item Digital Link (consumer page, linkset, links)."""
    del rest
    return await _resolve(request, engine)


@router.get("/00/{rest:path}", response_class=Response)
async def resolve_sscc(
    request: Request, engine: EngineDep, rest: Annotated[str, Path(description=_KEY_DOC)]
) -> Response:
    """Resolve an SSCC Digital Link (a logistic unit: pallet, case)."""
    del rest
    return await _resolve(request, engine)


async def resolve_alias_or_head(request: Request, engine: EngineDep, rest: str) -> Response:
    """The aliases ``/gtin/…`` and ``/sscc/…``, and HEAD on every resolver path."""
    del rest
    return await _resolve(request, engine)


for _path in ("/gtin/{rest:path}", "/sscc/{rest:path}"):
    router.add_api_route(
        _path,
        resolve_alias_or_head,
        methods=["GET"],
        response_class=Response,
        include_in_schema=False,
    )
for _path in ("/01/{rest:path}", "/00/{rest:path}", "/gtin/{rest:path}", "/sscc/{rest:path}"):
    router.add_api_route(
        _path,
        resolve_alias_or_head,
        methods=["HEAD"],
        response_class=Response,
        include_in_schema=False,
    )


@router.get("/.well-known/gs1resolver")
async def resolver_description(request: Request) -> dict[str, Any]:
    """The resolver description file of a GS1-conformant resolver."""
    base = _base(request)
    return {
        "name": "foodtrace GS1 Digital Link resolver",
        "resolverRoot": base,
        "supportedPrimaryKeys": ["01", "00"],
        "linkTypeDefaultCanBeLinkset": False,
        "supportedLinkType": [
            {"namespace": "https://gs1.org/voc/", "prefix": "gs1:", "profile": lt}
            for lt in ("pip", "traceability", "recallStatus", "epcis", "defaultLink")
        ],
        "supportedContextValuesEnumerated": [],
        "supportedLanguages": ["en", "zh"],
    }


@router.get("/static/consumer/{name}", include_in_schema=False)
async def static_file(name: str) -> Response:
    """The page's CSS and SVG icons (immutable for a release: cached a day)."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    media = _STATIC_TYPES.get(suffix)
    folder = resources.files("trace_api.web.consumer") / "static"
    if media is None or "/" in name or name.startswith("."):
        return Response("not found", 404, media_type="text/plain")
    item = folder / name
    if not item.is_file():
        return Response("not found", 404, media_type="text/plain")
    return Response(
        item.read_bytes(),
        media_type=media,
        headers={"Cache-Control": "public, max-age=86400", "X-Content-Type-Options": "nosniff"},
    )
