"""``foodtrace analytics bpad``: the BPAD protocol (P2P), our detectors beside the published."""

from __future__ import annotations

import json
from typing import Annotated

import typer

__all__ = ["bpad"]


def bpad(
    logs: Annotated[
        str, typer.Option("--logs", help="'all' (the protocol's 36 logs) or 'quick' (3 logs).")
    ] = "all",
    seed: Annotated[int, typer.Option("--seed", help="Generator seed (protocol: 1337).")] = 1337,
    size: Annotated[int, typer.Option("--size", min=50, help="Cases per log.")] = 5000,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object on stdout.")] = False,
) -> None:
    """Generate the BPAD P2P logs and print trace-level best F1 / AP per detector."""
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

    from analytics.bpad.benchmark import PUBLISHED_P2P, QUICK, run_protocol, summarise
    from analytics.bpad.log import protocol_logs

    if logs not in ("all", "quick"):
        raise typer.BadParameter("expected 'all' or 'quick'", param_hint="--logs")
    pairs = list(QUICK) if logs == "quick" else protocol_logs()
    err = Console(stderr=True)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("BPAD logs", total=len(pairs))
        results = run_protocol(
            pairs, seed=seed, size=size, progress=lambda _name: progress.advance(task)
        )
    summaries = summarise(results)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "protocol": {"model": "p2p", "seed": seed, "size": size, "logs": len(pairs)},
                    "summary": [
                        {
                            "detector": s.detector,
                            "logs": s.logs,
                            "mean_best_f1": round(s.mean_f1, 4),
                            "mean_average_precision": round(s.mean_ap, 4),
                            "min_best_f1": round(s.min_f1, 4),
                            "cases_per_second": round(s.cases_per_second),
                        }
                        for s in summaries
                    ],
                    "logs": [
                        {
                            "log": r.log,
                            "anomaly_p": r.anomaly_p,
                            "num_attr": r.num_attr,
                            "detector": r.detector,
                            "best_f1": round(r.score.f1, 4),
                            "precision": round(r.score.precision, 4),
                            "recall": round(r.score.recall, 4),
                            "average_precision": round(r.score.average_precision, 4),
                            "anomalies": r.anomalies,
                            "cases": r.cases,
                        }
                        for r in results
                    ],
                    "published_p2p": {
                        k: {"best_f1": f1, "average_precision": ap}
                        for k, (f1, ap) in PUBLISHED_P2P.items()
                    },
                }
            )
        )
        return
    table = Table(title=f"BPAD protocol, P2P, trace level — {len(pairs)} logs, seed {seed}")
    for column in ("detector", "mean best F1", "mean AP", "min F1", "cases/s"):
        table.add_column(column)
    for s in summaries:
        table.add_row(
            f"foodtrace {s.detector}",
            f"{s.mean_f1:.3f}",
            f"{s.mean_ap:.3f}",
            f"{s.min_f1:.3f}",
            f"{s.cases_per_second:,.0f}",
        )
    for name, (f1, ap) in PUBLISHED_P2P.items():
        table.add_row(f"published {name}", f"{f1:.3f}", f"{ap:.3f}", "", "")
    Console().print(table)
