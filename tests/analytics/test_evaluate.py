"""``foodtrace analytics evaluate``: precision, recall and F1 against a scenario's labels."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from analytics.cli import app as analytics_app
from analytics.detectors import Finding
from analytics.evaluate import Label, metrics
from analytics.vocab import ANOMALY_TYPES


def _finding(kind: str, epc: str, score: float, threshold: float = 1.0) -> Finding:
    return Finding(kind, "t", "1", score, threshold, epc, "x", ("q", score, "1"), epcs=(epc,))


def test_metrics_at_deployed_and_best_threshold() -> None:
    labels = [Label(f"A{i}", "clone", frozenset({f"e{i}"}), frozenset({f"e{i}"})) for i in range(4)]
    findings = [
        _finding("clone", "e0", 3.0),
        _finding("clone", "e1", 2.0),
        _finding("clone", "e2", 0.5),  # true, below the deployed threshold
        _finding("clone", "g1", 1.5),  # false alarm
        _finding("clone", "g2", 0.4),  # below both
    ]
    report = metrics(findings, labels, genuine_epcs=1000)
    clone = report["per_type"]["clone"]
    assert (clone["warnings"], clone["true_positives"]) == (3, 2)
    assert clone["precision"] == round(2 / 3, 4) and clone["recall"] == 0.5
    assert clone["best"]["threshold"] == 0.5
    assert clone["best"]["recall"] == 0.75 and clone["best"]["precision"] == 0.75
    assert report["false_alarms"] == 1
    assert report["false_alarms_per_10k_genuine_epcs"] == 10.0
    assert report["genuine_epcs_flagged_share"] == 0.001


def test_cli_evaluate(world_dirs: dict[float, Path]) -> None:
    result = CliRunner().invoke(
        analytics_app, ["evaluate", "--scenario", str(world_dirs[0.9]), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = orjson.loads(result.output)
    assert set(report["per_type"]) == set(ANOMALY_TYPES)
    assert report["overall"]["f1"] == 1.0
    assert report["false_alarms"] == 0
    table = CliRunner().invoke(analytics_app, ["evaluate", "--scenario", str(world_dirs[1.0])])
    assert table.exit_code == 0
    assert "false alarms: 0" in table.output


def test_cli_evaluate_refuses_a_non_scenario(tmp_path: Path) -> None:
    result = CliRunner().invoke(analytics_app, ["evaluate", "--scenario", str(tmp_path)])
    assert result.exit_code != 0
    assert "not a scenario directory" in str(result.exception) + result.output


def test_evaluate_learned_detectors(world_dirs: dict[float, Path]) -> None:
    from analytics.evaluate import evaluate

    report = evaluate(world_dirs[1.0], learned=True)
    assert set(report["learned"]) == {"learned.transitions", "learned.isolation_forest"}
    for part in report["learned"].values():
        assert 0.0 <= part["any_type"]["f1"] <= 1.0
        assert part["any_type"]["labels"] == report["overall"]["labels"]
    forest = report["learned"]["learned.isolation_forest"]["any_type"]
    assert forest["warnings"] > 0 and forest["precision"] > 0.5
