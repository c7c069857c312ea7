"""Answer an EPCIS query: parse, scope to the caller, run one page, build the response.

The response is an ``EPCISQueryDocument`` (events verbatim, see
:mod:`trace_api.query.document`); when more events follow, the ``Link`` header carries the
next page's URL (``rel="next"``, same parameters plus ``nextPageToken``) and
``GS1-Next-Page-Token-Expires`` its expiry.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import Request, Response
from sqlalchemy.engine import Engine

from trace_api.api.access import query_scope
from trace_api.api.headers import VERSION_HEADERS
from trace_api.auth.tokens import Principal
from trace_api.query import parse_query, query_document, run_query

__all__ = ["QUERY_MEDIA_TYPE", "answer_query"]

QUERY_MEDIA_TYPE = "application/json"


def answer_query(
    request: Request,
    engine: Engine,
    principal: Principal,
    secret: bytes,
    parameters: Sequence[tuple[str, str]],
    *,
    query_name: str = "SimpleEventQuery",
) -> Response:
    """The response to a query given as ``(name, value)`` pairs."""
    query = parse_query(parameters)
    page = run_query(engine, query, secret=secret, scope=query_scope(principal))
    headers = dict(VERSION_HEADERS)
    if page.next_token is not None and page.expires is not None:
        own = [(n, v) for n, v in request.query_params.multi_items() if n != "nextPageToken"]
        url = f"{request.url.path}?{urlencode([*own, ('nextPageToken', page.next_token)])}"
        headers["Link"] = f'<{url}>; rel="next"'
        expires = datetime.fromtimestamp(page.expires, UTC)
        headers["GS1-Next-Page-Token-Expires"] = expires.isoformat().replace("+00:00", "Z")
    body = query_document(page.events, query_name=query_name)
    return Response(body, media_type=QUERY_MEDIA_TYPE, headers=headers)
