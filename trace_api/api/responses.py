"""OpenAPI documentation of the problem responses a route can give.

``responses=problems(400, 401, 403, 404)`` on a route declares those statuses with the
``application/problem+json`` body :mod:`trace_api.api.problems` writes, described by
:class:`Problem`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = ["Problem", "problems"]

_DESCRIPTIONS = {
    400: "Bad request: a malformed parameter or body (the detail names it)",
    401: "No bearer token, or an unknown one",
    403: "The token's role may not do this",
    404: "No such resource (or not visible to this caller)",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict with the stored state",
    413: "Over the advertised limits",
    415: "Unsupported media type",
    503: "The database is unavailable",
}


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    type: str = Field(description="the EPCIS 2.0 exception, e.g. `epcisException:…`")
    title: str
    status: int
    detail: str
    instance: str = Field(description="the request path")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="per-item problems: eventIndex, pointer, message, rule"
    )


_SCHEMA = Problem.model_json_schema()


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry for a route that can answer with these problem statuses."""
    return {
        status: {
            "description": _DESCRIPTIONS.get(status, "Error"),
            "content": {"application/problem+json": {"schema": _SCHEMA}},
        }
        for status in statuses
    }
