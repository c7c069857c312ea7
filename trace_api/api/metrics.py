"""Prometheus metrics of the REST interface, served at ``/metrics``.

``foodtrace_http_requests_total{method, route, status}`` and
``foodtrace_http_request_duration_seconds{method, route}`` (wall-clock time), labelled with the
route template (``/epcis/events/{event_id}``), never the raw path, so label cardinality stays
bounded. Each app has its own registry (several apps can live in one process, as in tests).
"""

from __future__ import annotations

import time

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

__all__ = ["install_metrics"]


def _route(request: Request) -> str:
    """The path template of the route that answered.

    FastAPI leaves the selected route in the scope: for a route of an included router, its
    "effective route context" (``scope["fastapi"]``) holds the template with the prefix.
    """
    context = request.scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(context, "path", None)
    if not isinstance(path, str) or not path:
        path = getattr(request.scope.get("route"), "path", None)
    return path if isinstance(path, str) else "unmatched"


def install_metrics(app: FastAPI) -> CollectorRegistry:
    """Count and time every request of ``app``; expose the metrics at ``GET /metrics``."""
    registry = CollectorRegistry()
    requests = Counter(
        "foodtrace_http_requests",
        "HTTP requests answered.",
        ["method", "route", "status"],
        registry=registry,
    )
    duration = Histogram(
        "foodtrace_http_request_duration_seconds",
        "Wall-clock time to answer an HTTP request.",
        ["method", "route"],
        registry=registry,
    )

    async def measure(request: Request, call_next: RequestResponseEndpoint) -> Response:
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = _route(request)
            duration.labels(request.method, route).observe(time.perf_counter() - started)
            requests.labels(request.method, route, str(status)).inc()

    app.add_middleware(BaseHTTPMiddleware, dispatch=measure)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return registry
