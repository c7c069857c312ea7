"""Run the protocol: every log, every detector, best F1 and AP per log and their means.

The published figures (trace level, P2P, BPAD README) are kept here so every report prints ours
beside them. How BPAD combines its 36 logs into one figure is not stated in its README; we report
the plain mean over the logs and say so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from analytics.bpad.anomalies import Case
from analytics.bpad.detectors import DETECTORS
from analytics.bpad.log import SEED, generate_log, protocol_logs
from analytics.bpad.metrics import Score, best_f1

__all__ = ["PUBLISHED_P2P", "LogResult", "Summary", "run_protocol", "summarise"]

#: Trace-level best F1 and AP on the P2P logs, from the BPAD README (Guan et al. 2025).
PUBLISHED_P2P: dict[str, tuple[float, float]] = {
    "Naive": (0.901, 0.887),
    "Likelihood": (0.941, 0.975),
    "GAMA": (0.942, 0.978),
    "WAKE (10 % labels)": (0.959, 0.982),
}

#: A quick subset: one log per anomaly share extreme and attribute count.
QUICK = ((0.05, 1), (0.25, 2), (0.45, 4))


@dataclass(frozen=True)
class LogResult:
    """One detector on one log."""

    log: str
    anomaly_p: float
    num_attr: int
    detector: str
    score: Score
    seconds: float
    cases: int
    anomalies: int


@dataclass(frozen=True)
class Summary:
    """One detector over all logs: mean best F1 and mean AP."""

    detector: str
    logs: int
    mean_f1: float
    mean_ap: float
    min_f1: float
    cases_per_second: float


def run_protocol(
    pairs: Iterable[tuple[float, int]] | None = None,
    *,
    detectors: Sequence[str] = tuple(DETECTORS),
    seed: int = SEED,
    size: int = 5000,
    progress: Callable[[str], None] | None = None,
) -> list[LogResult]:
    """Generate each (anomaly_p, num_attr) log and score it with each detector."""
    results = []
    for anomaly_p, num_attr in pairs if pairs is not None else protocol_logs():
        log = generate_log(anomaly_p=anomaly_p, num_attr=num_attr, size=size, seed=seed)
        labels = log.labels
        for name in detectors:
            started = time.perf_counter()
            scores = DETECTORS[name](log.cases)
            seconds = time.perf_counter() - started
            results.append(
                LogResult(
                    log.name,
                    anomaly_p,
                    num_attr,
                    name,
                    best_f1(labels, scores),
                    seconds,
                    len(log.cases),
                    int(labels.sum()),
                )
            )
        if progress is not None:
            progress(log.name)
    return results


def summarise(results: Sequence[LogResult]) -> list[Summary]:
    """Mean best F1 and AP per detector, in the order the detectors first appear."""
    order = list(dict.fromkeys(r.detector for r in results))
    summaries = []
    for name in order:
        mine = [r for r in results if r.detector == name]
        f1 = np.array([r.score.f1 for r in mine])
        ap = np.array([r.score.average_precision for r in mine])
        seconds = sum(r.seconds for r in mine)
        cases = sum(r.cases for r in mine)
        summaries.append(
            Summary(
                name,
                len(mine),
                float(f1.mean()),
                float(ap.mean()),
                float(f1.min()),
                cases / seconds if seconds > 0 else float("inf"),
            )
        )
    return summaries


def score_cases(cases: Sequence[Case], detector: str = "context") -> np.ndarray:
    """Scores of ``cases`` by one detector (for callers with their own logs)."""
    return DETECTORS[detector](cases)
