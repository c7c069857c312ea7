"""CPU seconds of processes from ``/proc`` (Linux): what a run cost each part, whatever else the
machine was doing meanwhile (wall-clock rates on a shared machine move with its load; CPU per
event moves much less)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["CpuMeter", "children_of", "cpu_seconds"]

_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of one process, ``None`` once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


def children_of(pid: int) -> list[int]:
    """``pid`` and its direct children (a PostgreSQL postmaster and its backends)."""
    found = [pid]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


class CpuMeter:
    """CPU seconds a set of processes used between :meth:`start` and :meth:`stop` (processes
    that appear meanwhile count from zero; ones that exit meanwhile are not counted)."""

    def __init__(self, pids: Iterable[int] | None = None, *, tree_of: int | None = None) -> None:
        self._pids = list(pids or [])
        self._tree_of = tree_of
        self._before: dict[int, float] = {}

    def _sample(self) -> dict[int, float]:
        pids = children_of(self._tree_of) if self._tree_of is not None else self._pids
        return {pid: cpu for pid in pids if (cpu := cpu_seconds(pid)) is not None}

    def start(self) -> None:
        self._before = self._sample()

    def stop(self) -> float:
        after = self._sample()
        return sum(cpu - self._before.get(pid, 0.0) for pid, cpu in after.items())
