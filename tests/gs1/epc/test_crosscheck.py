"""The ≥100k-per-family cross-check (bench/epc_crosscheck.py) at a small size: 2,000 per family."""

from __future__ import annotations

from bench.epc_crosscheck import crosscheck
from foodtrace.gs1.epc.schemes import FAMILIES


def test_crosscheck_2000_per_family_has_no_mismatch() -> None:
    results = crosscheck(2000, seed=20241125)
    assert [r.family for r in results] == list(FAMILIES)
    for result in results:
        assert result.cases == 2000
        assert set(result.schemes) == {s.name for s in FAMILIES[result.family]}, result.family
        assert sum(result.mismatches.values()) == 0, (result.family, result.examples)
