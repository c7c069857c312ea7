"""``GET /api/v1/qr?uri=…&format=svg|png[&base=…]``: the QR code of the GS1 Digital Link of
an EPC URN, a lot class URN, a Digital Link or a GTIN. Public (a code carries no private data);
``base`` defaults to this resolver, so the code opens the consumer page here.

Errors: a ``uri`` that is none of those forms, or is malformed, is a 400 problem naming the
fault (the GS1 error).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from trace_api.qr import MEDIA_TYPES, qr_image, qr_link

__all__ = ["router"]

router = APIRouter(tags=["QR codes"])


@router.get(
    "/qr",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}, "image/png": {}}}},
)
async def get_qr(
    request: Request,
    uri: Annotated[str, Query(min_length=1, max_length=2000)],
    format: Annotated[Literal["svg", "png"], Query()] = "svg",
    base: Annotated[str | None, Query(max_length=500)] = None,
    scale: Annotated[int, Query(ge=1, le=40)] = 8,
) -> Response:
    """The QR code image; the encoded URI is in the ``GS1-Digital-Link`` header."""
    link = qr_link(uri, base or str(request.base_url).rstrip("/"))
    return Response(
        qr_image(link, format, scale),
        media_type=MEDIA_TYPES[format],
        headers={
            "GS1-Digital-Link": link,
            "Cache-Control": "public, max-age=86400",
            "X-Content-Type-Options": "nosniff",
        },
    )
