"""``foodtrace analytics run|evaluate|train|stream|bpad``.

Registered in ``foodtrace/cli/app.py``; only typer is imported at module level.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from analytics.bpad.cli import bpad

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True)
app.command("bpad")(bpad)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $FOODTRACE_DB, then the config file).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (one object per line).")]
RoutesOption = Annotated[
    Path | None,
    typer.Option(
        "--routes",
        help="Expected routes per product (scenario routes.json format).",
        exists=True,
        dir_okay=False,
    ),
]
ModelsOption = Annotated[
    Path | None, typer.Option("--models", help="Directory of trained models (analytics train).")
]
PublishOption = Annotated[
    bool,
    typer.Option(
        "--publish",
        help="Publish new warnings on MQTT (settings: FOODTRACE_WARNINGS__HOST, …).",
    ),
]


WebhookOption = Annotated[
    bool,
    typer.Option(
        "--webhook",
        help="POST new warnings, HMAC-signed (FOODTRACE_WEBHOOK__URL, FOODTRACE_WEBHOOK__SECRET).",
    ),
]


class _Notifier:
    """Sends new warnings to the MQTT broker and/or the webhook, as asked."""

    def __init__(self, publish: bool, webhook: bool) -> None:
        self.publisher = _publisher() if publish else None
        self.sender = _sender() if webhook else None

    def __call__(self, warnings: list[dict[str, Any]]) -> None:
        if self.publisher is not None:
            self.publisher.publish(warnings)
        if self.sender is not None:
            self.sender.deliver(warnings)

    @property
    def active(self) -> bool:
        return self.publisher is not None or self.sender is not None

    def close(self) -> None:
        if self.publisher is not None:
            self.publisher.close()
        if self.sender is not None:
            self.sender.close()


def _sender() -> Any:
    from pydantic import ValidationError

    from analytics.warnings.webhook import WebhookSender, WebhookSettings
    from trace_api.exceptions import ConfigError

    try:
        settings = WebhookSettings()  # type: ignore[call-arg]
    except ValidationError as exc:
        raise ConfigError("no webhook URL: set FOODTRACE_WEBHOOK__URL") from exc
    return WebhookSender(settings)


def _engine(db: str | None) -> Engine:
    from trace_api.core.config import load_settings
    from trace_api.core.db import create_engine
    from trace_api.migrate import require_head

    engine = create_engine(db or load_settings().db)
    require_head(engine)
    return engine


def _line(value: Any) -> None:
    import orjson

    typer.echo(orjson.dumps(value).decode())


def _flat(warning: dict[str, Any]) -> dict[str, Any]:
    return {**warning, "event_ids": warning["evidence"].get("event_ids", [])}


def _publisher() -> Any:
    from analytics.warnings.publish import WarningPublisher
    from analytics.warnings.settings import PublishSettings

    return WarningPublisher(PublishSettings())


@app.command("run")
def run(
    db: DbOption = None,
    json: JsonOption = False,
    routes: RoutesOption = None,
    models: ModelsOption = None,
    publish: PublishOption = False,
    webhook: WebhookOption = False,
) -> None:
    """Score every journey in the database and record early warnings (one per incident)."""
    from analytics.run import run_batch

    engine = _engine(db)
    notify = _Notifier(publish, webhook)
    try:
        recorded = run_batch(engine, routes, models, notify if notify.active else None)
    finally:
        notify.close()
        engine.dispose()
    if json:
        for r in recorded:
            _line({**_flat(r.warning), "new": r.new})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("severity", "type", "subject", "score", "explanation")
    for r in recorded:
        w = r.warning
        subject = (w["lots"] or w["epcs"] or [""])[0].removeprefix("https://id.gs1.org/")
        table.add_row(w["severity"], w["type"], subject, f"{w['score']:.3g}", w["explanation"])
    Console().print(table)
    new = sum(1 for r in recorded if r.new)
    typer.echo(f"{len(recorded)} warning(s), {new} new")


@app.command("evaluate")
def evaluate(
    scenario: Annotated[
        Path, typer.Option("--scenario", help="Scenario directory.", exists=True, file_okay=False)
    ],
    json: JsonOption = False,
    learned: Annotated[
        bool,
        typer.Option(
            "--learned", help="Also fit the learned detectors on the scenario and report them."
        ),
    ] = False,
) -> None:
    """Precision, recall and F1 per anomaly type and overall against the scenario's labels."""
    from analytics.evaluate import evaluate as run_evaluation

    report = run_evaluation(scenario, learned=learned)
    if json:
        _line(report)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(
        "type",
        "labels",
        "warnings",
        "P",
        "R",
        "F1",
        "threshold",
        "best P",
        "best R",
        "best F1",
        "best thr.",
    )
    for kind, e in report["per_type"].items():
        b = e["best"]
        table.add_row(
            kind,
            str(e["labels"]),
            str(e["warnings"]),
            f"{e['precision']:.3f}",
            f"{e['recall']:.3f}",
            f"{e['f1']:.3f}",
            f"{e['threshold']:.3g}" if e["threshold"] is not None else "-",
            f"{b['precision']:.3f}",
            f"{b['recall']:.3f}",
            f"{b['f1']:.3f}",
            f"{b['threshold']:.3g}" if b["threshold"] is not None else "-",
        )
    o = report["overall"]
    table.add_row(
        "overall",
        str(o["labels"]),
        str(o["warnings"]),
        f"{o['precision']:.3f}",
        f"{o['recall']:.3f}",
        f"{o['f1']:.3f}",
        "",
        f"{o['best']['precision']:.3f}",
        f"{o['best']['recall']:.3f}",
        f"{o['best']['f1']:.3f}",
        "",
    )
    Console().print(table)
    typer.echo(
        f"false alarms: {report['false_alarms']} "
        f"({report['false_alarms_per_10k_genuine_epcs']} per 10,000 genuine EPCs; "
        f"{report['genuine_epcs_flagged_share']:.3%} of genuine EPCs flagged)"
    )
    for name, part in report.get("learned", {}).items():
        o, a = part["overall"], part["any_type"]
        typer.echo(
            f"{name} alone: P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f} "
            f"(best F1 {o['best']['f1']:.3f}); any type: P {a['precision']:.3f} "
            f"R {a['recall']:.3f} F1 {a['f1']:.3f}; "
            f"{part['false_alarms_per_10k_genuine_epcs']} false alarms per 10,000 genuine EPCs"
        )


@app.command("train")
def train(
    db: DbOption = None,
    models: Annotated[Path, typer.Option("--models", help="Where to write the models.")] = Path(
        "analytics-models"
    ),
    routes: RoutesOption = None,
    json: JsonOption = False,
) -> None:
    """Train the learned detectors (transition likelihood, isolation forest) on the database's
    history and save them, versioned and check-summed."""
    from analytics.learned.outliers import OutlierModel
    from analytics.learned.store import save_models
    from analytics.learned.transitions import TransitionModel
    from analytics.run import load_db

    engine = _engine(db)
    try:
        context, journeys, _ = load_db(engine, routes)
    finally:
        engine.dispose()
    fitted = [TransitionModel().fit(journeys, context), OutlierModel().fit(journeys, context)]
    manifest = save_models(models, fitted, len(journeys.items()))
    if json:
        _line(manifest)
    else:
        typer.echo(f"trained {len(fitted)} model(s) on {manifest['journeys']} journeys → {models}")


@app.command("stream")
def stream(
    db: DbOption = None,
    routes: RoutesOption = None,
    models: ModelsOption = None,
    publish: PublishOption = False,
    webhook: WebhookOption = False,
    json: JsonOption = False,
    poll: Annotated[
        float, typer.Option("--poll", help="Seconds between polls when idle.", min=0.01)
    ] = 0.1,
    duration: Annotated[
        float | None, typer.Option("--duration", help="Stop after this many seconds.", min=0)
    ] = None,
) -> None:
    """Score events as the ingest commits them and record warnings within a second."""
    import time

    from analytics.run import StreamScorer

    engine = _engine(db)
    notify = _Notifier(publish, webhook)

    def emit(warnings: list[dict[str, Any]]) -> None:
        notify(warnings)
        for w in warnings:
            if json:
                _line(_flat(w))
            else:
                typer.echo(f"{w['severity']:<22} {w['type']:<22} {w['explanation']}")

    scorer = StreamScorer(engine, routes, models, emit)
    deadline = None if duration is None else time.monotonic() + duration
    try:
        scorer.run(poll, None if deadline is None else (lambda: time.monotonic() >= deadline))
    except KeyboardInterrupt:
        pass
    finally:
        notify.close()
        engine.dispose()
