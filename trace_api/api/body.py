"""Read a JSON request body defensively: media type, size limit, UTF-8 JSON, nesting depth.

The body is read as a stream and abandoned as soon as it passes the limit (a lying or missing
``Content-Length`` does not help), so a huge body costs at most ``limit`` bytes of memory.
"""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import Request

from trace_api.api.limits import JSON_MEDIA_TYPES, MAX_JSON_DEPTH
from trace_api.exceptions import ApiError, CaptureLimitError

__all__ = ["UnsupportedMediaTypeError", "json_depth", "read_json_body"]


class UnsupportedMediaTypeError(ApiError):
    """A body that is not ``application/json`` or ``application/ld+json`` (415)."""

    status = 415
    exception = "ValidationException"


def json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = item.values()
        elif not isinstance(item, list):
            continue
        depth += 1
        if depth > deepest:
            deepest = depth
            if deepest > MAX_JSON_DEPTH:
                return deepest
        stack.extend((child, depth) for child in item if isinstance(child, dict | list))
    return deepest


async def read_json_body(request: Request, limit: int) -> Any:
    """The parsed JSON body, or an :class:`ApiError` (415, 413 or 400) saying why not."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in JSON_MEDIA_TYPES:
        shown = media_type or "none"
        raise UnsupportedMediaTypeError(
            f"content type {shown[:100]!r} is not supported; send application/json "
            "or application/ld+json"
        )
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise CaptureLimitError(f"the body has {declared} bytes; the limit is {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise CaptureLimitError(f"the body is larger than the limit of {limit} bytes")
        chunks.append(chunk)
    body = b"".join(chunks)
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):
            raise ApiError(f"the body nests deeper than {MAX_JSON_DEPTH} levels") from None
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise ApiError(f"the body is not UTF-8 ({bad.reason} at byte {bad.start})") from None
        raise ApiError(f"the body is not JSON: {exc}") from None
    if b"\\u0000" in body:
        raise ApiError("the body contains a NUL character (\\u0000), which cannot be stored")
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ApiError(f"the body nests deeper than {MAX_JSON_DEPTH} levels")
    return value
