"""The BPAD protocol (P2P, trace level): our detectors on the 36 logs, beside the published table.

Generates the 36 labelled logs (5,000 cases; anomaly share 0.05…0.45; 1–4 attributes; seed 1337)
with ``analytics.bpad``, scores each with every detector (fitted and scored on the same log, as
the protocol does), and prints per detector the mean best F1 and mean average precision over the
logs, the worst log, the scoring speed, and — for foodtrace's detector — the recall of each
anomaly type at each log's best threshold. Published figures (BPAD README) are printed beside.

    .venv/bin/python bench/bpad.py                 # all 36 logs (a few minutes)
    .venv/bin/python bench/bpad.py --logs quick    # 3 logs
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from analytics.bpad.anomalies import ANOMALY_TYPES
from analytics.bpad.benchmark import PUBLISHED_P2P, QUICK, run_protocol, summarise
from analytics.bpad.detectors import DETECTORS
from analytics.bpad.log import generate_log, protocol_logs
from analytics.bpad.metrics import best_f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", choices=("all", "quick"), default="all")
    parser.add_argument("--seed", type=int, default=1337)
    args = parser.parse_args()
    pairs = list(QUICK) if args.logs == "quick" else protocol_logs()

    started = time.perf_counter()
    results = run_protocol(pairs, seed=args.seed)
    wall = time.perf_counter() - started
    print(f"{len(pairs)} logs, seed {args.seed}, {wall:.0f} s wall (generation + scoring)\n")
    print("| detector | mean best F1 | mean AP | worst log F1 | cases scored/s |")
    print("|---|---|---|---|---|")
    for s in summarise(results):
        print(
            f"| foodtrace {s.detector} | {s.mean_f1:.3f} | {s.mean_ap:.3f} | {s.min_f1:.3f} "
            f"| {s.cases_per_second:,.0f} |"
        )
    for name, (f1, ap) in PUBLISHED_P2P.items():
        print(f"| published {name} | {f1:.3f} | {ap:.3f} | | |")

    # Recall per anomaly type of the context detector at each log's best threshold.
    caught: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    for anomaly_p, num_attr in pairs:
        log = generate_log(anomaly_p=anomaly_p, num_attr=num_attr, seed=args.seed)
        scores = DETECTORS["context"](log.cases)
        threshold = best_f1(log.labels, scores).threshold
        for case, score in zip(log.cases, scores, strict=True):
            if case.anomaly is not None:
                total[case.anomaly] += 1
                caught[case.anomaly] += int(score >= threshold)
    print("\nfoodtrace context detector, recall per anomaly type at each log's best threshold:")
    print("| " + " | ".join(ANOMALY_TYPES) + " |")
    print("|" + "---|" * len(ANOMALY_TYPES))
    print("| " + " | ".join(f"{caught[t] / total[t]:.3f}" for t in ANOMALY_TYPES) + " |")
    per_type = np.mean(list(total.values()))
    print(f"(anomalous cases: {sum(total.values()):,}; {per_type:.0f} per type)")


if __name__ == "__main__":
    main()
