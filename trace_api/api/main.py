"""The router registry: every route module's router, under its base path.

EPCIS 2.0 binding under ``/epcis``; foodtrace's own API under ``/api/v1``. Add a router with
one ``app.include_router(…)`` line in :func:`include_routers` (routers are included directly in
the app, not nested, so each route keeps its full path template for metrics and OpenAPI).
"""

from __future__ import annotations

from fastapi import FastAPI

from trace_api.api.routes import (
    epcis_capture,
    epcis_events,
    epcis_queries,
    epcis_resources,
    epcis_subscriptions,
    epcis_websocket,
    exports,
    health,
    masterdata,
    qr,
    recalls,
    stations,
    subscription_deliveries,
    trace,
    warnings,
)
from trace_api.web import consumer
from trace_api.web.console import pages as console_pages

__all__ = ["API", "EPCIS", "include_routers"]

EPCIS = "/epcis"
API = "/api/v1"


def include_routers(app: FastAPI) -> None:
    """Include every router of the service in ``app``."""
    app.include_router(epcis_capture.router, prefix=EPCIS)
    app.include_router(epcis_events.router, prefix=EPCIS)
    app.include_router(epcis_resources.router, prefix=EPCIS)
    app.include_router(epcis_queries.router, prefix=EPCIS)
    app.include_router(epcis_subscriptions.router, prefix=EPCIS)
    app.include_router(epcis_websocket.router, prefix=EPCIS)
    app.include_router(health.router, prefix=API)
    app.include_router(trace.router, prefix=API)
    app.include_router(recalls.router, prefix=API)
    app.include_router(subscription_deliveries.router, prefix=API)
    app.include_router(masterdata.router, prefix=API)
    app.include_router(stations.router, prefix=API)
    app.include_router(warnings.router, prefix=API)
    app.include_router(qr.router, prefix=API)
    app.include_router(consumer.router)
    app.include_router(exports.router, prefix=API)
    console_pages.include(app)
