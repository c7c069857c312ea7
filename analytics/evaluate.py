"""Precision, recall and F1 of the detectors against a scenario's labels (contract A).

A warning (a finding at or above its threshold) is a true positive when a label of the same
type shares an EPC, a lot or an event ID with it; a label is found when some true-positive
warning matches it. Per type and overall (micro-averaged), at the deployed thresholds and at
the threshold that maximises F1 for that type (swept over the findings' scores). False alarms:
warnings matching no label, per 10,000 genuine EPCs, and the share of genuine EPCs named by
any false alarm.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from analytics.context import Context, context_from_files
from analytics.detectors import Finding
from analytics.exceptions import ScenarioError
from analytics.identifiers import canon
from analytics.journeys import JourneySet
from analytics.pipeline import merge, score
from analytics.profile import learn_routes
from analytics.source import scenario_events
from analytics.vocab import ANOMALY_TYPES

__all__ = ["Label", "Scenario", "evaluate", "load_labels", "load_scenario_dir", "metrics"]


@dataclass(frozen=True, slots=True)
class Label:
    id: str
    type: str
    keys: frozenset[str]
    epcs: frozenset[str]


@dataclass(slots=True)
class Scenario:
    directory: Path
    info: dict[str, Any]
    context: Context
    journeys: JourneySet
    labels: list[Label] = field(default_factory=list)


def load_labels(path: Path) -> list[Label]:
    labels = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = orjson.loads(line)
            epcs = frozenset(canon(e) for e in raw.get("epcs") or ())
            keys = (
                epcs | {canon(x) for x in raw.get("lots") or ()} | set(raw.get("event_ids") or ())
            )
            labels.append(Label(str(raw["id"]), str(raw["type"]), frozenset(keys), epcs))
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise ScenarioError(f"{path}:{n}: not a label ({exc})") from exc
    return labels


def load_scenario_dir(directory: Path) -> Scenario:
    """Read a scenario directory: context, journeys (every document) and labels."""
    info_path = directory / "scenario.json"
    if not info_path.is_file():
        raise ScenarioError(f"{directory}: no scenario.json (not a scenario directory)")
    info = orjson.loads(info_path.read_bytes())
    routes = directory / "routes.json"
    recalls = directory / "recalls.json"
    context = context_from_files(
        directory / "masterdata.json",
        routes if routes.is_file() else None,
        recalls if recalls.is_file() else None,
    )
    journeys = JourneySet()
    journeys.extend(scenario_events(directory))
    context.routes.update(learn_routes(journeys, context))
    labels_path = directory / "labels.jsonl"
    labels = load_labels(labels_path) if labels_path.is_file() else []
    return Scenario(directory, info, context, journeys, labels)


def _keys(f: Finding) -> set[str]:
    return {f.subject, *f.epcs, *f.lots, *f.event_ids}


def _prf(tp_w: int, n_w: int, found: int, n_l: int) -> dict[str, float]:
    p = tp_w / n_w if n_w else (1.0 if n_l == 0 else 0.0)
    r = found / n_l if n_l else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def metrics(
    findings: Sequence[Finding], labels: Sequence[Label], genuine_epcs: int
) -> dict[str, Any]:
    """The evaluation report (see the module docstring)."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        for key in label.keys:
            by_key[(label.type, key)].append(i)
    matches: list[set[int]] = [
        {i for k in _keys(f) for i in by_key.get((f.type, k), ())} for f in findings
    ]
    per_type: dict[str, Any] = {}
    totals = {"warnings": 0, "tp": 0, "labels": 0, "found": 0}
    best_totals = {"warnings": 0, "tp": 0, "found": 0}
    labelled_epcs = {e for label in labels for e in label.epcs}
    false_epcs: set[str] = set()
    false_alarms = 0
    present = {f.type for f in findings} | {lb.type for lb in labels}
    types = [t for t in ANOMALY_TYPES if t in present] + sorted(present - set(ANOMALY_TYPES))
    for kind in dict.fromkeys(types):
        idx = [i for i, f in enumerate(findings) if f.type == kind]
        n_labels = sum(1 for lb in labels if lb.type == kind)

        def at(pick: Sequence[int]) -> tuple[int, int, int]:
            tp = sum(1 for i in pick if matches[i])
            found = len({m for i in pick for m in matches[i]})
            return len(pick), tp, found

        deployed = [i for i in idx if findings[i].fires]
        n_w, tp, found = at(deployed)
        entry: dict[str, Any] = {
            "labels": n_labels,
            "warnings": n_w,
            "true_positives": tp,
            "threshold": findings[idx[0]].threshold if idx else None,
            **_prf(tp, n_w, found, n_labels),
        }
        for i in deployed:
            if not matches[i]:
                false_alarms += 1
                false_epcs.update(e for e in findings[i].epcs if e not in labelled_epcs)
        best = (entry["f1"], entry["threshold"], n_w, tp, found)
        for t in sorted({findings[i].score for i in idx}):
            picked = [i for i in idx if findings[i].score >= t]
            w, p, fo = at(picked)
            f1 = _prf(p, w, fo, n_labels)["f1"]
            if f1 > best[0]:
                best = (f1, t, w, p, fo)
        entry["best"] = {"threshold": best[1], **_prf(best[3], best[2], best[4], n_labels)}
        per_type[kind] = entry
        for k, v in (("warnings", n_w), ("tp", tp), ("labels", n_labels), ("found", found)):
            totals[k] += v
        for k, v in (("warnings", best[2]), ("tp", best[3]), ("found", best[4])):
            best_totals[k] += v
    genuine = max(genuine_epcs, 1)
    return {
        "per_type": per_type,
        "overall": {
            **_prf(totals["tp"], totals["warnings"], totals["found"], totals["labels"]),
            "labels": totals["labels"],
            "warnings": totals["warnings"],
            "best": _prf(
                best_totals["tp"], best_totals["warnings"], best_totals["found"], totals["labels"]
            ),
        },
        "false_alarms": false_alarms,
        "false_alarms_per_10k_genuine_epcs": round(false_alarms * 10_000 / genuine, 2),
        "genuine_epcs": genuine_epcs,
        "genuine_epcs_flagged_share": round(len(false_epcs) / genuine, 5),
    }


def _learned_report(scenario: Scenario, genuine: int) -> dict[str, Any]:
    """The learned detectors alone, fitted on the scenario's own journeys as their history
    (unsupervised: the labels are not used to fit them)."""
    from analytics.detectors import Scope
    from analytics.learned.outliers import OutlierModel
    from analytics.learned.transitions import TransitionModel

    js, context = scenario.journeys, scenario.context
    scope = Scope(js, context, items=js.items())
    report = {}
    anonymous = [replace(lb, type="anomaly") for lb in scenario.labels]
    for model in (TransitionModel().fit(js, context), OutlierModel().fit(js, context)):
        found = merge(model.detect(scope))
        typed = metrics(found, scenario.labels, genuine)
        typed["any_type"] = metrics(
            [replace(f, type="anomaly") for f in found], anonymous, genuine
        )["overall"]
        report[model.name] = typed
    return report


def evaluate(
    directory: Path, thresholds: dict[str, float] | None = None, learned: bool = False
) -> dict[str, Any]:
    """Load a scenario, score every journey and compare with its labels (with ``learned``,
    also the learned detectors on their own, under ``"learned"``)."""
    started = time.perf_counter()
    scenario = load_scenario_dir(directory)
    loaded = time.perf_counter()
    findings = score(scenario.journeys, scenario.context, thresholds=thresholds)
    scored = time.perf_counter()
    labelled = {e for label in scenario.labels for e in label.epcs}
    genuine = scenario.info.get("genuine_epcs")
    if not isinstance(genuine, int):
        genuine = sum(1 for i in scenario.journeys.items() if i not in labelled)
    report = metrics(findings, scenario.labels, genuine)
    report["scenario"] = {k: scenario.info.get(k) for k in ("seed", "size", "read_rate", "counts")}
    if learned:
        report["learned"] = _learned_report(scenario, genuine)
    report["timing_s"] = {
        "load": round(loaded - started, 3),
        "score": round(scored - loaded, 3),
        "journeys": len(scenario.journeys.by_object),
        "events": len(scenario.journeys.events),
    }
    return report
