"""The durable outbox: every event is on disk before it is published, and leaves only on PUBACK.

Storage is one SQLite file in WAL mode with ``synchronous=FULL``: a commit is on the disk when
``append`` returns, so it survives ``kill -9`` and a power cut (the WAL is fsynced at every
commit). The sequence number is assigned inside the same transaction as the row, from a counter
stored in the file, so numbers continue after a crash and are never reused: not after a restart,
not after rows were published and deleted, not after rows were dropped.

The outbox is bounded by count (``max_events``) and by age (``max_age_s``). When it must drop,
it drops the oldest events, in the same transaction, records the dropped seq range in the
``drops`` table (published on ``…/dropped`` so the centre can tell a known drop from a loss) and
reports it through ``on_drop`` (a metric and one log line). It never drops silently.

Deletes after PUBACK need no fsync of their own to be correct: a delete lost in a power cut
only means the event is published again (QoS 1 is at-least-once; the centre is idempotent by
eventID), so the publisher deletes acknowledged ranges in batches.

One process owns an outbox file at a time (an ``flock`` on ``<path>.lock``); the file remembers
the station id it was created for and refuses another.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from edge_agent.exceptions import OutboxError, OutboxMismatchError

__all__ = ["DropRecord", "Outbox", "OutboxRow", "Seal"]

SCHEMA_VERSION = 1

DropReason = Literal["max_events", "max_age"]

Seal = Callable[[Mapping[str, Any], int], tuple[str, bytes]]
"""``seal(event, seq) -> (eventID, serialised event)``: called inside the append transaction."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL,
    created_at REAL NOT NULL,
    payload BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS drops (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    count INTEGER NOT NULL,
    reason TEXT NOT NULL,
    dropped_at REAL NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0
);
"""


@dataclass(frozen=True, slots=True)
class OutboxRow:
    seq: int
    event_id: str
    created_at: float
    payload: bytes


@dataclass(frozen=True, slots=True)
class DropRecord:
    """Events ``first_seq..last_seq`` were dropped unpublished (``count`` of them: seqs in the
    range that are not counted had been published before)."""

    id: int
    first_seq: int
    last_seq: int
    count: int
    reason: DropReason
    dropped_at: float

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> DropRecord:
        i, first, last, count, reason, dropped_at = row
        return cls(int(i), int(first), int(last), int(count), reason, float(dropped_at))


class Outbox:
    """A durable, bounded FIFO of sealed events with per-station sequence numbers.

    Thread-safe: the pipeline appends while the publisher reads and deletes.
    """

    def __init__(
        self,
        path: Path,
        *,
        station_id: str,
        max_events: int = 150_000,
        max_age_s: float = 7 * 24 * 3600.0,
        synchronous: Literal["FULL", "NORMAL"] = "FULL",
        clock: Callable[[], float] = time.time,
        on_drop: Callable[[DropRecord], None] | None = None,
    ) -> None:
        self.path = path
        self.station_id = station_id
        self.max_events = max_events
        self.max_age_s = max_age_s
        self._synchronous = synchronous
        self._clock = clock
        self._on_drop = on_drop
        self._lock = threading.RLock()
        self._listeners: list[Callable[[], None]] = []
        self._closed = False
        self._next_seq = 1
        self._depth = 0
        self._unreported = 0
        self._drops = 0
        self._lock_file = self._acquire_file_lock(path)
        try:
            self._db = self._connect(path, synchronous)
            self._init_schema()
        except BaseException:
            self._release_file_lock()
            raise

    # -- opening -----------------------------------------------------------------------------

    @staticmethod
    def _acquire_file_lock(path: Path) -> int:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise OutboxError(f"cannot create outbox {path}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise OutboxError(f"outbox {path} is in use by another process") from None
        return fd

    def _release_file_lock(self) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
        with contextlib.suppress(OSError):
            os.close(self._lock_file)

    @staticmethod
    def _connect(path: Path, synchronous: str) -> sqlite3.Connection:
        try:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise OutboxError(f"cannot open outbox {path}: {exc}") from None
        try:
            mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise OutboxError(f"outbox {path}: cannot switch to WAL mode (got {mode!r})")
            db.execute(f"PRAGMA synchronous={synchronous}")
            db.execute("PRAGMA busy_timeout=5000")
        except sqlite3.Error as exc:
            db.close()
            raise OutboxError(f"outbox {path} is not usable: {exc}") from None
        except OutboxError:
            db.close()
            raise
        return db

    def _init_schema(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
                    self._db.execute(statement)
                meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
                if not meta:
                    self._db.executemany(
                        "INSERT INTO meta(key, value) VALUES (?, ?)",
                        [
                            ("schema_version", str(SCHEMA_VERSION)),
                            ("station_id", self.station_id),
                            ("next_seq", "1"),
                        ],
                    )
                    meta = {"station_id": self.station_id, "next_seq": "1"}
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            if meta.get("station_id") != self.station_id:
                raise OutboxMismatchError(
                    f"outbox {self.path} belongs to station {meta.get('station_id')!r}, not "
                    f"{self.station_id!r}; give this station its own outbox.path"
                )
            self._next_seq = int(meta["next_seq"])
            self._depth = int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
            self._unreported = int(
                self._db.execute("SELECT COUNT(*) FROM drops WHERE reported = 0").fetchone()[0]
            )
        except sqlite3.Error as exc:
            self._db.close()
            raise OutboxError(f"outbox {self.path} is not usable: {exc}") from None
        except OutboxError:
            self._db.close()
            raise

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` under the lock; sqlite3 errors become OutboxError."""
        with self._lock:
            if self._closed:
                raise OutboxError(f"outbox {self.path} is closed")
            try:
                self._db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise OutboxError(f"outbox {self.path}: cannot begin: {exc}") from None
            try:
                yield self._db
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise OutboxError(f"outbox {self.path}: write failed: {exc}") from None
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            if self._closed:
                raise OutboxError(f"outbox {self.path} is closed")
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise OutboxError(f"outbox {self.path}: read failed: {exc}") from None

    # -- state -------------------------------------------------------------------------------

    @property
    def depth(self) -> int:
        """Events waiting for a PUBACK."""
        with self._lock:
            return self._depth

    @property
    def drops(self) -> int:
        """How many times events were dropped since the outbox was opened (a change counter:
        a reader of rows ahead of time knows they may be gone)."""
        with self._lock:
            return self._drops

    @property
    def next_seq(self) -> int:
        """The sequence number the next appended event will get."""
        with self._lock:
            return self._next_seq

    @property
    def last_seq(self) -> int:
        """The last sequence number ever assigned (0 if none)."""
        with self._lock:
            return self._next_seq - 1

    # -- writing -----------------------------------------------------------------------------

    def append(self, events: Sequence[Mapping[str, Any]], seal: Seal) -> list[tuple[int, str]]:
        """Assign sequence numbers, seal and store ``events`` in one durable transaction.

        Returns ``[(seq, eventID), …]``. When the outbox is over ``max_events`` afterwards, the
        oldest events are dropped in the same transaction (and recorded).
        """
        if not events:
            return []
        now = self._clock()
        drops: list[DropRecord] = []
        # The counters change under the same lock as the transaction, after its COMMIT: a
        # delete from the publisher's thread cannot slip in between. (The drop callbacks run
        # after, unlocked.)
        with self._lock:
            with self._transaction() as db:
                first = self._next_seq
                rows = []
                for offset, event in enumerate(events):
                    event_id, payload = seal(event, first + offset)
                    rows.append((first + offset, event_id, now, payload))
                db.executemany(
                    "INSERT INTO events(seq, event_id, created_at, payload) VALUES (?, ?, ?, ?)",
                    rows,
                )
                next_seq = first + len(rows)
                db.execute("UPDATE meta SET value = ? WHERE key = 'next_seq'", (str(next_seq),))
                excess = self._depth + len(rows) - self.max_events
                if excess > 0:
                    record = self._drop_oldest(db, excess, "max_events", now)
                    if record is not None:
                        drops.append(record)
                record = self._drop_expired(db, now)
                if record is not None:
                    drops.append(record)
            self._next_seq = next_seq
            self._depth += len(rows) - sum(d.count for d in drops)
        self._report(drops)
        for listener in self._listeners:
            listener()
        return [(row[0], row[1]) for row in rows]

    def _drop_oldest(
        self, db: sqlite3.Connection, count: int, reason: DropReason, now: float
    ) -> DropRecord | None:
        found = db.execute(
            "SELECT seq FROM events ORDER BY seq LIMIT 1 OFFSET ?", (count - 1,)
        ).fetchone()
        if found is None:
            return None
        return self._drop_through(db, int(found[0]), reason, now)

    def _drop_expired(self, db: sqlite3.Connection, now: float) -> DropRecord | None:
        cutoff = now - self.max_age_s
        oldest = db.execute("SELECT created_at FROM events ORDER BY seq LIMIT 1").fetchone()
        if oldest is None or oldest[0] >= cutoff:
            return None
        last = db.execute("SELECT MAX(seq) FROM events WHERE created_at < ?", (cutoff,)).fetchone()
        if last is None or last[0] is None:
            return None
        return self._drop_through(db, int(last[0]), "max_age", now)

    @staticmethod
    def _drop_through(
        db: sqlite3.Connection, last_seq: int, reason: DropReason, now: float
    ) -> DropRecord | None:
        first = db.execute("SELECT MIN(seq) FROM events").fetchone()[0]
        deleted = db.execute("DELETE FROM events WHERE seq <= ?", (last_seq,)).rowcount
        if not deleted:
            return None
        cursor = db.execute(
            "INSERT INTO drops(first_seq, last_seq, count, reason, dropped_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (first, last_seq, deleted, reason, now),
        )
        return DropRecord(int(cursor.lastrowid or 0), int(first), last_seq, deleted, reason, now)

    def prune(self) -> list[DropRecord]:
        """Drop events older than ``max_age_s`` (the publisher calls this periodically)."""
        now = self._clock()
        drops: list[DropRecord] = []
        with self._lock:
            with self._transaction() as db:
                record = self._drop_expired(db, now)
                if record is not None:
                    drops.append(record)
            self._depth -= sum(d.count for d in drops)
        self._report(drops)
        return drops

    def _report(self, drops: list[DropRecord]) -> None:
        if not drops:
            return
        with self._lock:
            self._unreported += len(drops)
            self._drops += len(drops)
        if self._on_drop is not None:
            for record in drops:
                self._on_drop(record)

    def delete(self, ranges: Iterable[tuple[int, int]]) -> int:
        """Delete acknowledged events (inclusive seq ranges) in one transaction.

        The commit is not fsynced on its own (``synchronous=NORMAL`` for this transaction): the
        next append's fsync of the write-ahead log makes it durable too. A delete lost in a power
        cut only means those events are published once more."""
        spans = list(ranges)
        if not spans:
            return 0
        with self._lock:
            self._set_synchronous("NORMAL")
            try:
                with self._transaction() as db:
                    deleted = 0
                    for first, last in spans:
                        deleted += db.execute(
                            "DELETE FROM events WHERE seq BETWEEN ? AND ?", (first, last)
                        ).rowcount
            finally:
                self._set_synchronous(self._synchronous)
            self._depth -= deleted
        return deleted

    def _set_synchronous(self, mode: str) -> None:
        """Under the lock, outside a transaction."""
        if self._closed:
            return
        try:
            self._db.execute(f"PRAGMA synchronous={mode}")
        except sqlite3.Error as exc:
            raise OutboxError(f"outbox {self.path}: cannot set synchronous: {exc}") from None

    # -- reading -----------------------------------------------------------------------------

    def peek(
        self, after_seq: int, limit: int, max_bytes: int | None = None
    ) -> tuple[list[OutboxRow], bool]:
        """Up to ``limit`` events with ``seq > after_seq`` in seq order, at most ``max_bytes``
        of payload together (but always at least one event). The flag says whether more events
        follow (the batch was cut by ``limit`` or ``max_bytes``)."""
        rows = self._query(
            "SELECT seq, event_id, created_at, payload FROM events WHERE seq > ? "
            "ORDER BY seq LIMIT ?",
            (after_seq, limit + 1),
        )
        out: list[OutboxRow] = []
        size = 0
        for seq, event_id, created_at, payload in rows[:limit]:
            size += len(payload) + 1
            if out and max_bytes is not None and size > max_bytes:
                return out, True
            out.append(OutboxRow(int(seq), str(event_id), float(created_at), bytes(payload)))
        return out, len(rows) > limit

    def range(self, first_seq: int, last_seq: int) -> list[OutboxRow]:
        """The events still stored in ``first_seq..last_seq``, in seq order."""
        rows = self._query(
            "SELECT seq, event_id, created_at, payload FROM events "
            "WHERE seq BETWEEN ? AND ? ORDER BY seq",
            (first_seq, last_seq),
        )
        return [OutboxRow(int(s), str(e), float(c), bytes(p)) for s, e, c, p in rows]

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` after every committed append (the publisher wakes up)."""
        self._listeners.append(callback)

    # -- drops -------------------------------------------------------------------------------

    @property
    def has_unreported_drops(self) -> bool:
        """Cheap check (no query) before :meth:`unreported_drops`."""
        with self._lock:
            return self._unreported > 0

    def unreported_drops(self, limit: int = 100) -> list[DropRecord]:
        rows = self._query(
            "SELECT id, first_seq, last_seq, count, reason, dropped_at FROM drops "
            "WHERE reported = 0 ORDER BY id LIMIT ?",
            (limit,),
        )
        return [DropRecord.from_row(row) for row in rows]

    def all_drops(self) -> list[DropRecord]:
        rows = self._query(
            "SELECT id, first_seq, last_seq, count, reason, dropped_at FROM drops ORDER BY id"
        )
        return [DropRecord.from_row(row) for row in rows]

    def mark_drops_reported(self, ids: Iterable[int]) -> None:
        keys = [(i,) for i in ids]
        if keys:
            with self._transaction() as db:
                marked = sum(
                    db.execute(
                        "UPDATE drops SET reported = 1 WHERE id = ? AND reported = 0", key
                    ).rowcount
                    for key in keys
                )
            with self._lock:
                self._unreported -= marked

    # -- closing -----------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._db.close()
            finally:
                self._release_file_lock()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
