"""The app factory of the traceability service's REST interface.

``create_app(settings)`` opens the engine (the database must be at the newest revision),
reads or creates the page-token secret, installs the problem+json handlers and the Prometheus
metrics, and includes the routers of :mod:`trace_api.api.main`. OpenAPI is served at
``/api/v1/openapi.json`` and ``/api/v1/docs``. With ``deliveries=True`` (``foodtrace api
serve``) the webhook delivery worker runs in a background thread for the app's lifetime. The
engine is disposed at shutdown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.engine import Engine

from foodtrace import __version__
from trace_api.api.limits import CaptureLimits
from trace_api.api.main import include_routers
from trace_api.api.metrics import install_metrics
from trace_api.api.problems import install_fallback_handler, install_problem_handlers
from trace_api.core.config import Settings
from trace_api.core.db import create_engine
from trace_api.migrate import require_head
from trace_api.query import page_secret

__all__ = ["create_app"]


def create_app(
    settings: Settings,
    *,
    capture_limits: CaptureLimits | None = None,
    engine: Engine | None = None,
    deliveries: bool = False,
) -> FastAPI:
    """The FastAPI app on ``settings.db`` (or on ``engine``, which the caller then disposes)."""
    own_engine = engine is None
    db = engine or create_engine(
        settings.db, echo=settings.db_echo, busy_timeout_ms=settings.db_busy_timeout_ms
    )
    try:
        require_head(db)
        secret = page_secret(db)
    except BaseException:
        if own_engine:
            db.dispose()
        raise

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if deliveries:
            from trace_api.subscriptions import DeliveryConfig, DeliveryWorker

            worker = DeliveryWorker(db, DeliveryConfig.from_settings(settings), registry=registry)
            worker.start()
        try:
            yield
        finally:
            if worker is not None:
                await run_in_threadpool(worker.stop)
            if own_engine:
                db.dispose()

    app = FastAPI(
        title="foodtrace traceability service",
        version=__version__,
        description="EPCIS 2.0 capture and query (under /epcis) and foodtrace's own API.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = db
    app.state.capture_limits = capture_limits or CaptureLimits()
    app.state.page_secret = secret
    install_problem_handlers(app)
    install_fallback_handler(app)
    registry = install_metrics(app)
    include_routers(app)
    return app
