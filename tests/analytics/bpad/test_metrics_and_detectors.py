"""The best-F1 metric against hand computation; detectors against a random scorer."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from analytics.bpad.detectors import DETECTORS
from analytics.bpad.log import generate_log
from analytics.bpad.metrics import best_f1
from foodtrace.cli.app import app


def test_best_f1_by_hand() -> None:
    labels = np.array([1, 0, 1, 0, 0, 1])
    scores = np.array([0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
    # Thresholds: >=0.9 → P 1, R 1/3, F1 .5; >=0.7 → P 2/3, R 2/3, F1 2/3;
    # >=0.1 → P 1/2, R 1, F1 2/3 (a tie: the higher threshold, 0.7, wins).
    score = best_f1(labels, scores)
    assert score.f1 == pytest.approx(2 / 3)
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == pytest.approx(2 / 3)
    assert score.threshold == pytest.approx(0.7)
    # AP = Σ (R_n − R_{n−1}) P_n = 1/3·1 + 1/3·2/3 + 1/3·1/2
    assert score.average_precision == pytest.approx(1 / 3 + 2 / 9 + 1 / 6)


def test_best_f1_refuses_unusable_input() -> None:
    with pytest.raises(ValueError, match="no anomalous"):
        best_f1(np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match="labels"):
        best_f1(np.ones(3), np.ones(2))


@pytest.mark.parametrize("anomaly_p", [0.1, 0.4])
def test_detectors_beat_random(anomaly_p: float) -> None:
    log = generate_log(anomaly_p=anomaly_p, num_attr=2, size=1500)
    rng = np.random.default_rng(0)
    chance = best_f1(log.labels, rng.random(len(log.cases))).f1
    f1 = {name: best_f1(log.labels, det(log.cases)).f1 for name, det in DETECTORS.items()}
    assert chance < 0.65
    assert f1["naive"] > chance + 0.15
    assert f1["likelihood"] > chance + 0.15
    assert f1["context"] > 0.95
    assert f1["context"] > max(f1["naive"], f1["likelihood"])


def test_cli_json() -> None:
    result = CliRunner().invoke(
        app, ["analytics", "bpad", "--logs", "quick", "--size", "300", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["protocol"] == {"model": "p2p", "seed": 1337, "size": 300, "logs": 3}
    assert [s["detector"] for s in report["summary"]] == ["naive", "likelihood", "context"]
    assert len(report["logs"]) == 9
    assert all(0.0 <= row["best_f1"] <= 1.0 for row in report["logs"])
    assert report["published_p2p"]["WAKE (10 % labels)"]["best_f1"] == 0.959


def test_cli_refuses_unknown_log_set() -> None:
    result = CliRunner().invoke(app, ["analytics", "bpad", "--logs", "some"])
    assert result.exit_code == 2
    assert "expected 'all' or 'quick'" in result.output
