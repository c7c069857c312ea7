"""``foodtrace api``: run the REST interface (EPCIS 2.0 under /epcis, OpenAPI at /api/v1/docs).

Registered in ``foodtrace/cli/app.py`` as the ``api`` group; imports stay inside the command.
"""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)


@app.callback()
def _group() -> None:
    """The REST interface of the traceability service."""


@app.command()
def serve(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: $FOODTRACE_DB, then the config)."),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (loopback unless told).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port.")] = 8000,
    log_level: Annotated[str, typer.Option("--log-level", help="uvicorn log level.")] = "info",
) -> None:
    """Serve the API with uvicorn until interrupted (the database must be migrated)."""
    import uvicorn

    from trace_api.core.config import load_settings
    from trace_api.main import create_app

    settings = load_settings(db=db) if db else load_settings()
    application = create_app(settings, deliveries=settings.deliver_in_api)
    uvicorn.run(application, host=host, port=port, log_level=log_level, server_header=False)


@app.command()
def deliver(
    db: Annotated[
        str | None,
        typer.Option("--db", help="Database URL (default: $FOODTRACE_DB, then the config)."),
    ] = None,
    once: Annotated[
        bool, typer.Option("--once", help="One pass (collect, send what is due), then exit.")
    ] = False,
) -> None:
    """Deliver query subscriptions (webhooks) until interrupted, without serving the API."""
    import signal

    from trace_api.core.config import load_settings
    from trace_api.core.db import create_engine
    from trace_api.migrate import require_head
    from trace_api.subscriptions import DeliveryConfig, DeliveryWorker

    settings = load_settings(db=db) if db else load_settings()
    engine = create_engine(settings.db, busy_timeout_ms=settings.db_busy_timeout_ms)
    try:
        require_head(engine)
        worker = DeliveryWorker(engine, DeliveryConfig.from_settings(settings))
        if once:
            result = worker.run_once()
            worker.close()
            typer.echo(
                f"collected {result.collected}, delivered {result.delivered}, "
                f"failed {result.failed}, dead {result.dead}"
            )
            return
        previous = signal.signal(signal.SIGTERM, lambda *_: worker.request_stop())
        try:
            worker.run()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            worker.close()
    finally:
        engine.dispose()
