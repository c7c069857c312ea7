"""RFC 9457 problem details (``application/problem+json``) for every error response.

Three handlers, installed by :func:`install_problem_handlers`: one for the service's own errors
(:class:`FoodtraceError`, mapped once here: an :class:`ApiError` carries its status and EPCIS
exception name, any other ``FoodtraceError`` from a lower layer is a 400 ``ValidationException``
except database unavailability, a 503), one for Starlette's ``HTTPException`` and one for
FastAPI's ``RequestValidationError``. The ``type`` is the EPCIS 2.0 exception URI
(``epcisException:QueryParameterException`` …); invalid documents add
``errors: [{eventIndex, pointer, message, rule}]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from foodtrace.exceptions import FoodtraceError
from trace_api.api.responses import install_problem_schema
from trace_api.exceptions import ApiError, DatabaseUnavailableError

__all__ = [
    "PROBLEM_JSON",
    "ProblemError",
    "install_fallback_handler",
    "install_problem_handlers",
    "problem_response",
]

PROBLEM_JSON = "application/problem+json"
_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    406: "Not Acceptable",
    409: "Conflict",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
_EXCEPTIONS = {
    401: "SecurityException",
    403: "SecurityException",
    404: "NoSuchResourceException",
    413: "CaptureLimitExceededException",
    500: "ImplementationException",
    503: "ImplementationException",
}


class ProblemError(ApiError):
    """An :class:`ApiError` with a list of per-event errors (invalid capture documents)."""

    def __init__(self, message: str, errors: Sequence[dict[str, Any]], status: int = 400):
        super().__init__(message)
        self.errors = list(errors)
        self.status = status


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    exception: str | None = None,
    errors: Sequence[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response for ``request``."""
    body: dict[str, Any] = {
        "type": f"epcisException:{exception or _EXCEPTIONS.get(status, 'ValidationException')}",
        "title": _TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = list(errors)
    return Response(orjson.dumps(body), status, headers=headers, media_type=PROBLEM_JSON)


def _foodtrace_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, FoodtraceError)
    if isinstance(exc, ApiError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        errors = exc.errors if isinstance(exc, ProblemError) else None
        return problem_response(
            request, exc.status, str(exc), exception=exc.exception, errors=errors, headers=headers
        )
    if isinstance(exc, DatabaseUnavailableError):
        return problem_response(request, 503, "the database is unavailable")
    return problem_response(request, 400, str(exc))


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _TITLES.get(exc.status_code, "Error")
    headers = dict(exc.headers) if exc.headers else None
    return problem_response(request, exc.status_code, detail, headers=headers)


def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {
            "pointer": "/" + "/".join(str(part) for part in error.get("loc", ())),
            "message": str(error.get("msg", "")),
            "rule": "request",
        }
        for error in exc.errors()
    ]
    first = errors[0] if errors else {"pointer": "", "message": "invalid request"}
    return problem_response(
        request,
        400,
        f"{first['pointer']}: {first['message']}",
        exception="QueryParameterException",
        errors=errors,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error response of ``app`` a problem+json document."""
    app.add_exception_handler(FoodtraceError, _foodtrace_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    install_problem_schema(app)


def _unexpected_error(request: Request, exc: Exception) -> Response:  # noqa: ARG001
    return problem_response(request, 500, "internal error; the service log has the details")


def install_fallback_handler(app: FastAPI) -> None:
    """Answer unexpected exceptions with a 500 problem (details stay in the log)."""
    app.add_exception_handler(Exception, _unexpected_error)
