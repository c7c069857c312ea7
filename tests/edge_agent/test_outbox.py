"""Durable outbox: survives SIGKILL, never reuses a seq, bounded by count and age, accounted."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
import pytest

from edge_agent.exceptions import OutboxError, OutboxMismatchError
from edge_agent.outbox import DropRecord, Outbox

ROOT = Path(__file__).parents[2]


def plain_seal(event: Mapping[str, Any], seq: int) -> tuple[str, bytes]:
    """A stand-in for events.seal: the outbox does not care how events are sealed."""
    return f"id-{seq}", orjson.dumps({**event, "seq": seq})


def events(n: int, size: int = 10) -> list[dict[str, Any]]:
    return [{"n": i, "pad": "x" * size} for i in range(n)]


def pending(box: Outbox) -> bool:
    return box.has_unreported_drops


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_append_assigns_consecutive_seqs_and_peek_reads_in_order(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.db", station_id="s1") as box:
        assert box.next_seq == 1 and box.last_seq == 0 and box.depth == 0
        assert box.append(events(3), plain_seal) == [(1, "id-1"), (2, "id-2"), (3, "id-3")]
        assert box.append([], plain_seal) == []
        assert box.append(events(2), plain_seal) == [(4, "id-4"), (5, "id-5")]
        rows, more = box.peek(0, 3)
        assert [r.seq for r in rows] == [1, 2, 3] and more
        rows, more = box.peek(3, 10)
        assert [r.seq for r in rows] == [4, 5] and not more
        assert orjson.loads(rows[0].payload) == {"n": 0, "pad": "x" * 10, "seq": 4}
        assert box.depth == 5


def test_peek_respects_max_bytes_but_returns_at_least_one(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.db", station_id="s1") as box:
        box.append(events(5, size=100), plain_seal)
        size = len(box.peek(0, 1)[0][0].payload) + 1
        rows, more = box.peek(0, 10, max_bytes=2 * size)
        assert [r.seq for r in rows] == [1, 2] and more
        rows, more = box.peek(0, 10, max_bytes=10)
        assert [r.seq for r in rows] == [1] and more


def test_delete_acknowledged_ranges_and_seq_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    with Outbox(path, station_id="s1") as box:
        box.append(events(10), plain_seal)
        assert box.delete([(1, 4), (6, 6)]) == 5
        assert box.depth == 5
        assert [r.seq for r in box.range(1, 10)] == [5, 7, 8, 9, 10]
    with Outbox(path, station_id="s1") as box:
        assert box.depth == 5
        assert box.delete([(1, 10)]) == 5
    with Outbox(path, station_id="s1") as box:  # empty, yet the numbering goes on
        assert box.depth == 0
        assert box.append(events(1), plain_seal) == [(11, "id-11")]


def test_durable_settings(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.db", station_id="s1"):
        db = sqlite3.connect(tmp_path / "o.db")
        try:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            db.close()
    box = Outbox(tmp_path / "o.db", station_id="s1")
    try:
        assert box._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        box.append(events(2), plain_seal)
        box.delete([(1, 1)])  # deletes skip their own fsync, and restore FULL afterwards
        assert box._db.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        box.close()


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import orjson
    from edge_agent.outbox import Outbox

    def seal(event, seq):
        return f"id-{seq}", orjson.dumps({"seq": seq})

    box = Outbox(Path(sys.argv[1]), station_id="s1")
    print("ready", box.next_seq, flush=True)
    while True:
        for seq, _ in box.append([{}, {}, {}], seal):
            print(seq, flush=True)
    """
)


def test_everything_committed_survives_sigkill_and_seq_continues(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    with Outbox(path, station_id="s1") as box:
        box.append(events(2), plain_seal)  # seqs 1 and 2 exist before the writer starts
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    try:
        assert proc.stdout.readline().split() == [b"ready", b"3"]
        acknowledged = [int(proc.stdout.readline()) for _ in range(300)]
    finally:
        proc.send_signal(signal.SIGKILL)  # mid-write: no chance to clean up
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert acknowledged == list(range(3, 303))
    with Outbox(path, station_id="s1") as box:  # the lock of the dead process is gone
        stored = [row.seq for row in box.range(1, 10**9)]
        # every append the writer saw return is there, with nothing missing in between
        assert stored[: len(acknowledged) + 2] == list(range(1, len(acknowledged) + 3))
        assert stored == list(range(1, len(stored) + 1))
        assert box.depth == len(stored)
        # numbering continues after the last committed seq, never reusing one
        assert box.next_seq == stored[-1] + 1
        new = box.append(events(1), plain_seal)
        assert new[0][0] == stored[-1] + 1 > acknowledged[-1]


def test_count_bound_drops_oldest_and_records_the_range(tmp_path: Path) -> None:
    dropped: list[DropRecord] = []
    clock = Clock()
    with Outbox(
        tmp_path / "o.db", station_id="s1", max_events=5, clock=clock, on_drop=dropped.append
    ) as box:
        box.append(events(4), plain_seal)
        box.delete([(2, 2)])  # seq 2 was published and acknowledged
        box.append(events(4), plain_seal)  # 7 stored > 5: drop the two oldest unpublished
        assert [r.seq for r in box.range(1, 100)] == [4, 5, 6, 7, 8]
        assert box.depth == 5
        assert [(d.first_seq, d.last_seq, d.count, d.reason) for d in dropped] == [
            (1, 3, 2, "max_events")
        ]
        assert dropped[0].dropped_at == clock.now
        assert box.unreported_drops() == dropped and pending(box)
        assert box.all_drops() == dropped
        box.mark_drops_reported([dropped[0].id])
        box.mark_drops_reported([dropped[0].id])  # twice: still counted once
        assert box.unreported_drops() == [] and not pending(box)
        assert box.all_drops() == dropped
        assert box.next_seq == 9  # dropping never frees a number


def test_age_bound_drops_expired_events(tmp_path: Path) -> None:
    dropped: list[DropRecord] = []
    clock = Clock()
    path = tmp_path / "o.db"
    with Outbox(path, station_id="s1", max_age_s=60, clock=clock, on_drop=dropped.append) as box:
        box.append(events(3), plain_seal)
        clock.now += 30
        box.append(events(2), plain_seal)
        clock.now += 31  # the first three are 61 s old
        assert box.prune() == dropped
        assert [(d.first_seq, d.last_seq, d.count, d.reason) for d in dropped] == [
            (1, 3, 3, "max_age")
        ]
        assert [r.seq for r in box.range(1, 100)] == [4, 5]
        assert box.prune() == []
        clock.now += 30
        box.append(events(1), plain_seal)  # appending also drops what has expired
        assert [(d.first_seq, d.last_seq) for d in dropped] == [(1, 3), (4, 5)]
        assert box.depth == 1
    with Outbox(path, station_id="s1") as box:  # drop records are durable
        assert [(d.first_seq, d.last_seq) for d in box.unreported_drops()] == [(1, 3), (4, 5)]
        assert box.has_unreported_drops


def test_one_process_per_file_and_one_station_per_file(tmp_path: Path) -> None:
    path = tmp_path / "o.db"
    with (
        Outbox(path, station_id="s1"),
        pytest.raises(OutboxError, match="in use by another process"),
    ):
        Outbox(path, station_id="s1")
    with pytest.raises(OutboxMismatchError, match="belongs to station 's1'"):
        Outbox(path, station_id="s2")
    Outbox(path, station_id="s1").close()  # the refused opens left no lock behind


def test_unusable_files_are_outbox_errors(tmp_path: Path) -> None:
    not_db = tmp_path / "garbage.db"
    not_db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(OutboxError, match="not usable"):
        Outbox(not_db, station_id="s1")
    box = Outbox(tmp_path / "o.db", station_id="s1")
    box.close()
    with pytest.raises(OutboxError, match="closed"):
        box.append(events(1), plain_seal)


def test_a_failing_seal_stores_nothing(tmp_path: Path) -> None:
    def bad_seal(event: Mapping[str, Any], seq: int) -> tuple[str, bytes]:
        if seq == 3:
            raise ValueError("cannot hash")
        return plain_seal(event, seq)

    with Outbox(tmp_path / "o.db", station_id="s1") as box:
        with pytest.raises(ValueError, match="cannot hash"):
            box.append(events(3), bad_seal)
        assert box.depth == 0 and box.next_seq == 1
        assert box.append(events(1), plain_seal) == [(1, "id-1")]


def test_depth_stays_exact_while_appends_and_deletes_race(tmp_path: Path) -> None:
    """The pipeline appends in one thread while the publisher deletes in another."""
    import threading

    with Outbox(tmp_path / "o.db", station_id="s1", synchronous="NORMAL") as box:
        done = threading.Event()

        def appender() -> None:
            for _ in range(300):
                box.append(events(3), plain_seal)
            done.set()

        thread = threading.Thread(target=appender)
        thread.start()
        deleted_through = 0
        while not done.is_set() or deleted_through < box.last_seq:
            last = box.last_seq
            if last > deleted_through:
                box.delete([(deleted_through + 1, last)])
                deleted_through = last
        thread.join()
        assert box.depth == 0
        assert box._db.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
        assert box.next_seq == 901
