"""Batch and streaming scoring over the traceability database.

* :func:`load_db` reads the context (master data, recalls, routes) and every stored event.
* :func:`run_batch` scores every journey and records the warnings (one per incident), with
  trace-back origin and trace-forward holders, and publishes the new ones.
* :class:`StreamScorer` follows the ``event`` table by primary key (the order the ingest
  commits in) and re-scores only the journeys the new events touch.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from analytics.context import Context, context_from_db
from analytics.journeys import JourneySet
from analytics.pipeline import score
from analytics.profile import learn_routes
from analytics.source import DbCursor
from analytics.warnings.enrich import origin_and_holders
from analytics.warnings.store import Recorded, record_findings

__all__ = ["StreamScorer", "StreamStats", "load_db", "run_batch", "touched_objects"]

Publish = Callable[[list[dict[str, Any]]], object]


def load_db(engine: Any, routes: Path | None = None) -> tuple[Context, JourneySet, DbCursor]:
    """The context and journeys of everything stored; the cursor is after the last event."""
    context = context_from_db(engine, routes)
    journeys = JourneySet()
    cursor = DbCursor(engine)
    while batch := cursor.fetch():
        for pk, raw, recorded in batch:
            journeys.add(raw, pk, recorded)
    context.routes.update(learn_routes(journeys, context))
    return context, journeys, cursor


def _learned(models: Path | None) -> list[Any]:
    if models is None:
        return []
    from analytics.learned.store import load_models

    return load_models(models)


def run_batch(
    engine: Any,
    routes: Path | None = None,
    models: Path | None = None,
    publish: Publish | None = None,
) -> list[Recorded]:
    """Score every journey of the database and record the warnings."""
    context, journeys, _ = load_db(engine, routes)
    findings = score(journeys, context, learned=_learned(models))
    recorded = record_findings(engine, findings, context, partial(origin_and_holders, engine))
    if publish is not None:
        publish([r.warning for r in recorded if r.new])
    return recorded


@dataclass
class StreamStats:
    events: int = 0
    warnings: int = 0
    latencies_s: list[float] = field(default_factory=list)


class StreamScorer:
    """Scores events as the ingest commits them (poll the event table by id)."""

    def __init__(
        self,
        engine: Any,
        routes: Path | None = None,
        models: Path | None = None,
        publish: Publish | None = None,
        from_start: bool = False,
        enrich: bool = True,
    ) -> None:
        self.engine = engine
        self.publish = publish
        self.enrich = partial(origin_and_holders, engine) if enrich else None
        self.learned = _learned(models)
        self.context, self.journeys, self.cursor = load_db(engine, routes)
        self.stats = StreamStats()
        if from_start:
            self.cursor.after = 0
            self.journeys = JourneySet()
        elif self.journeys.events:
            self._catch_up()

    def _catch_up(self) -> None:
        """Score what was stored while no scorer ran: incidents already recorded merge into
        their warnings (nothing is raised twice), new ones are raised and sent."""
        findings = score(self.journeys, self.context, learned=self.learned)
        recorded = record_findings(self.engine, findings, self.context, self.enrich)
        fresh = [r.warning for r in recorded if r.new]
        self.stats.warnings += len(fresh)
        if fresh and self.publish is not None:
            self.publish(fresh)

    def step(self) -> list[Recorded]:
        """Read what was committed since the last step, score the journeys it touches and
        record (and publish) the warnings."""
        batch = self.cursor.fetch()
        if not batch:
            return []
        js = self.journeys
        new = [js.add(raw, pk, recorded).idx for pk, raw, recorded in batch]
        touched = touched_objects(js, new)
        touched += self._recalled(new)
        findings = score(js, self.context, touched, new, learned=self.learned)
        recorded = record_findings(self.engine, findings, self.context, self.enrich)
        now = time.time()
        fresh = [r.warning for r in recorded if r.new]
        self.stats.events += len(batch)
        self.stats.warnings += len(fresh)
        last_commit = max(r for _, _, r in batch)
        self.stats.latencies_s += [now - last_commit] * len(fresh)
        if fresh and self.publish is not None:
            self.publish(fresh)
        return recorded

    def _recalled(self, new: Sequence[int]) -> list[str]:
        """Recalls among the new events: put them in force and return the recalled lots'
        items, whose journeys must be scored again."""
        lots: set[str] = set()
        for idx in new:
            e = self.journeys.events[idx]
            if e.disposition == "recalled":
                for lot in e.classes:
                    self.context.recalls[lot] = min(e.time, self.context.recalls.get(lot, e.time))
                    lots.add(lot)
        if not lots:
            return []
        return [item for item in self.journeys.items() if self.journeys.lot(item) in lots]

    def run(self, poll_s: float = 0.1, until: Callable[[], bool] | None = None) -> None:
        """Step until ``until()`` is true (forever by default), sleeping ``poll_s`` when idle."""
        while until is None or not until():
            if not self.step():
                time.sleep(poll_s)


def touched_objects(journeys: JourneySet, new: Sequence[int]) -> list[str]:
    """Objects named by the events ``new`` and the ones packed inside them."""
    found: dict[str, None] = {}
    for idx in new:
        e = journeys.events[idx]
        for obj in e.objects:
            found[obj] = None
            for inner in journeys.contained(obj, e.time):
                found[inner] = None
    return list(found)
