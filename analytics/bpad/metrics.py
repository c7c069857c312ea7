"""The BPAD metric: best F1 over all thresholds, and average precision, at trace level."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import (  # type: ignore[import-untyped]
    average_precision_score,
    precision_recall_curve,
)

__all__ = ["Score", "best_f1"]


@dataclass(frozen=True)
class Score:
    """Best F1 with its precision, recall and threshold; average precision over all thresholds."""

    f1: float
    precision: float
    recall: float
    threshold: float
    average_precision: float


def best_f1(labels: np.ndarray, scores: np.ndarray) -> Score:
    """Best F1 over all thresholds of ``scores`` (higher = more anomalous) vs 0/1 ``labels``."""
    labels = np.asarray(labels)
    scores = np.asarray(scores, dtype=float)
    if labels.shape != scores.shape:
        raise ValueError(f"{labels.shape[0]} labels but {scores.shape[0]} scores")
    if not labels.any():
        raise ValueError("no anomalous case: F1 is undefined")
    precision, recall, thresholds = precision_recall_curve(labels, scores)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    # The last (precision 1, recall 0) point has no threshold. Thresholds ascend: on a tie the
    # highest threshold (fewest alarms) wins.
    candidates = f1[:-1]
    best = len(candidates) - 1 - int(np.argmax(candidates[::-1]))
    return Score(
        f1=float(f1[best]),
        precision=float(precision[best]),
        recall=float(recall[best]),
        threshold=float(thresholds[best]),
        average_precision=float(average_precision_score(labels, scores)),
    )
