"""``generate``: a whole scenario directory (contract A) from a seed, a size and options.

Day by day, units (one harvest-to-shop journey of one or more lots) are planned with their start
times, built, given their anomalies, thinned by missed reads and handed to the ordered writer.
Randomness comes from generators seeded per purpose and per unit (string seeds, hashed with
SHA-512 by :mod:`random`), so the same seed and options give byte-identical files, and the read
rate changes which reads are missed but nothing else.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from firmware_sim.exceptions import ScenarioError
from firmware_sim.world.anomalies import ANOMALY_TYPES, Context, LabelCounter, inject, parse_spec
from firmware_sim.world.chain import ChainBuilder
from firmware_sim.world.events import HOUR_MS, TZ, format_time
from firmware_sim.world.ids import EventIds
from firmware_sim.world.masterdata import build_world
from firmware_sim.world.products import FAMILIES
from firmware_sim.world.readrate import ReadStats, apply_read_rate
from firmware_sim.world.routes import routes_document
from firmware_sim.world.writer import MAX_EVENTS_PER_DOCUMENT, SPOOL, OrderedWriter

__all__ = ["FORMAT", "SIZES", "GenerateResult", "generate"]

FORMAT = "foodtrace-scenario/1"
#: size → (days, journeys started per day); about 60 events per journey.
SIZES: dict[str, tuple[int, int]] = {
    "tiny": (4, 6),
    "small": (14, 12),
    "city": (60, 280),
    "large": (365, 470),
}
DEFAULT_START = "2026-03-02"
_OUTPUTS = ("scenario.json", "masterdata.json", "routes.json", "recalls.json", "labels.jsonl")


@dataclass(frozen=True, slots=True)
class GenerateResult:
    directory: Path
    events: int
    files: int
    labels: int
    peak_day: int
    meta: dict[str, Any]


def _prepare(out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"{out}: exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        if not force:
            raise ScenarioError(f"{out}: not empty (use --force to replace a scenario there)")
        known = {*_OUTPUTS, "events", SPOOL}
        strangers = sorted(p.name for p in out.iterdir() if p.name not in known)
        if strangers:
            raise ScenarioError(f"{out}: holds files that are not a scenario's: {strangers[:3]}")
        shutil.rmtree(out / "events", ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def _dump(path: Path, data: Any) -> None:
    path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")


def generate(
    out: Path,
    *,
    seed: int,
    size: str = "small",
    read_rate: float = 1.0,
    anomalies: str | Mapping[str, float] = "default",
    start: str = DEFAULT_START,
    days: int | None = None,
    per_day: int | None = None,
    force: bool = False,
    per_document: int = MAX_EVENTS_PER_DOCUMENT,
    progress: Callable[[int, int, int], None] | None = None,
) -> GenerateResult:
    """Write a scenario to ``out``; ``progress(day, days, events written)`` after each day."""
    if size not in SIZES:
        raise ScenarioError(f"unknown size {size!r} (one of {', '.join(SIZES)})")
    if not 0.0 < read_rate <= 1.0:
        raise ScenarioError(f"read rate must be within (0, 1], got {read_rate}")
    rates = parse_spec(anomalies) if isinstance(anomalies, str) else dict(anomalies)
    unknown = set(rates) - set(ANOMALY_TYPES)
    if unknown:
        raise ScenarioError(f"unknown anomaly types: {sorted(unknown)}")
    try:
        day0 = datetime.fromisoformat(start).replace(tzinfo=TZ)
    except ValueError:
        raise ScenarioError(f"--start must be a date YYYY-MM-DD, got {start!r}") from None
    n_days, n_per_day = SIZES[size]
    n_days = days if days is not None else n_days
    n_per_day = per_day if per_day is not None else n_per_day
    _prepare(out, force)

    world = build_world(seed, size)
    retail_dwell = {p.key: float(p.shelf_life_days * 24) for f in FAMILIES for p in f.sold}
    _dump(out / "masterdata.json", world.masterdata())
    _dump(out / "routes.json", routes_document(world, retail_dwell))

    chain = ChainBuilder(world, EventIds(seed), retail_dwell)
    ctx = Context(world, chain)
    counter = LabelCounter()
    writer = OrderedWriter(out / "events", per_document)
    stats = ReadStats()
    by_type: Counter[str] = Counter()
    genuine = lots = 0
    weights = [f.weight for f in FAMILIES]
    index = 0
    with (out / "labels.jsonl").open("wb") as labels_out:
        for day in range(n_days):
            plan_rng = random.Random(f"{seed}/plan/{day}")  # noqa: S311 (a simulation, not secrets)
            base = int((day0 + timedelta(days=day)).timestamp() * 1000)
            count = plan_rng.randint(max(1, n_per_day * 4 // 5), max(1, n_per_day * 6 // 5))
            plan = sorted(
                (base + int(plan_rng.uniform(5.0, 15.0) * HOUR_MS),
                 plan_rng.choices(range(len(FAMILIES)), weights)[0])
                for _ in range(count)
            )  # fmt: skip
            for t0, family_index in plan:
                unit = chain.unit(
                    index,
                    FAMILIES[family_index],
                    t0,
                    random.Random(f"{seed}/u/{index}"),  # noqa: S311 (a simulation, not secrets)
                )
                for label in inject(unit, ctx, rates, counter, random.Random(f"{seed}/a/{index}")):  # noqa: S311 (a simulation, not secrets)
                    by_type[label.type] += 1
                    labels_out.write(orjson.dumps(label.to_dict()) + b"\n")
                events = apply_read_rate(
                    unit.events,
                    read_rate,
                    random.Random(f"{seed}/r/{index}"),  # noqa: S311 (a simulation)
                    stats,
                )
                for ev in events:
                    if ev.t < unit.start:  # an injector must never go before the unit
                        raise AssertionError(f"event before its unit's start: {ev.eid}")
                writer.flush_before(unit.start)
                writer.push(events)
                genuine += unit.genuine_epcs
                lots += len(unit.raw_lots) + (len(unit.lots) if unit.family.outputs else 0)
                index += 1
            if progress is not None:
                progress(day + 1, n_days, writer.events)
    writer.close()
    _dump(out / "recalls.json", {"recalls": ctx.recalls})
    meta: dict[str, Any] = {
        "format": FORMAT,
        "seed": seed,
        "size": size,
        "read_rate": read_rate,
        "start": format_time(writer.first_time or int(day0.timestamp() * 1000)),
        "end": format_time(writer.last_time or int(day0.timestamp() * 1000)),
        "counts": {
            "events": writer.events,
            "epcs": genuine + ctx.fake_epcs,
            "lots": lots,
            "anomalies": {name: by_type.get(name, 0) for name in ANOMALY_TYPES},
        },
        "genuine_epcs": genuine,
        "journeys": index,
        "documents": writer.files,
        "anomaly_rates": {name: rates.get(name, 0.0) for name in ANOMALY_TYPES},
        "read_stats": stats.to_dict(),
    }
    _dump(out / "scenario.json", meta)
    return GenerateResult(out, writer.events, writer.files, counter.n, writer.peak_day, meta)
