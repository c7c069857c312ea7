"""OpenAPI documentation of the problem responses a route can give.

``responses=problems(400, 401, 403, 404)`` on a route declares those statuses with the
``application/problem+json`` body :mod:`trace_api.api.problems` writes, described by
:class:`Problem`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field

__all__ = [
    "Problem",
    "install_problem_schema",
    "json_body",
    "no_content",
    "problems",
    "query_document",
]

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


def json_body(description: str) -> dict[int | str, dict[str, Any]]:
    """A ``200`` response with a JSON body (routes that build their own ``Response``)."""
    return {200: {"description": description, "content": {"application/json": {"schema": {}}}}}


def query_document(description: str) -> dict[int | str, dict[str, Any]]:
    """A ``200`` response whose body is an ``EPCISQueryDocument`` (paged by ``Link``)."""
    schema = {"type": "object", "description": "EPCIS 2.0 EPCISQueryDocument (JSON-LD)"}
    return {200: {"description": description, "content": {"application/json": {"schema": schema}}}}


def no_content(description: str, status: int = 204) -> dict[int | str, dict[str, Any]]:
    """A response without a body (its headers carry the answer)."""
    return {status: {"description": description}}


def install_problem_schema(app: FastAPI) -> None:
    """Document request validation errors as what they are: 400 problems, not FastAPI's
    default 422 ``HTTPValidationError`` (see :mod:`trace_api.api.problems`)."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        schema = original()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if responses.pop("422", None) is not None and "400" not in responses:
                    responses["400"] = problems(400)[400]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
