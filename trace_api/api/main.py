"""The router registry: every route module's router, under its base path.

EPCIS 2.0 binding under ``/epcis``; foodtrace's own API under ``/api/v1``. Add a router with
one ``include_router`` line here.
"""

from __future__ import annotations

from fastapi import APIRouter

from trace_api.api.routes import (
    epcis_capture,
    epcis_events,
    epcis_queries,
    epcis_resources,
    health,
    recalls,
    trace,
)

__all__ = ["api_router", "epcis_router"]

epcis_router = APIRouter(prefix="/epcis")
epcis_router.include_router(epcis_capture.router)
epcis_router.include_router(epcis_events.router)
epcis_router.include_router(epcis_resources.router)
epcis_router.include_router(epcis_queries.router)

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(health.router)
api_router.include_router(trace.router)
api_router.include_router(recalls.router)
