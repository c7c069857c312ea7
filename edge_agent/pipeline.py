"""The coordinator: reads in → filters → dedup/arrive-depart → events → outbox → publisher.

The reader driver (or a test) calls :meth:`Pipeline.feed` with tag reads and
:meth:`Pipeline.add_frame_errors` with the frames its parser rejected. Time-driven work
(departures, packing windows, outbox recovery) happens in :meth:`Pipeline.tick`, called by a
ticker thread after :meth:`Pipeline.start` or by the test itself with an injected clock.

Everything from a read to the outbox commit happens under one lock, in the caller's thread: when
``feed`` returns, the events it produced are on disk. Publishing runs in the publisher's thread.
:meth:`Pipeline.close` judges an open packing window, publishes what can be published within the
timeout, and leaves everything else in the outbox for the next start.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, Literal

import structlog

from edge_agent.config import StationConfig
from edge_agent.events import Hasher, StationHasher, epc_uri, seal
from edge_agent.exceptions import NonGS1EPCError, OutboxError
from edge_agent.filters import ReadFilter
from edge_agent.metrics import Metrics, MetricsServer
from edge_agent.outbox import DropRecord, Outbox
from edge_agent.presence import ObservationKind, PresenceTracker
from edge_agent.publisher import Publisher
from edge_agent.reads import StampedRead, TagRead
from edge_agent.roles import EventFactory, Outcome
from foodtrace import __version__
from foodtrace.exceptions import EPCISError

__all__ = ["Pipeline"]

log = structlog.get_logger("edge_agent.pipeline")


def _to_ns(seconds: float) -> int:
    """Seconds → ns without the float error of ``seconds * 1e9`` at today's epoch values."""
    whole = math.floor(seconds)
    return whole * 1_000_000_000 + round((seconds - whole) * 1_000_000_000)


_EPC_CACHE_SIZE = 4096


def _epc_classifier(
    read_filter: ReadFilter, non_gs1: Literal["refuse", "raw"]
) -> Callable[[str], tuple[str | None, str]]:
    """EPC hex → ``(reason, uri)``: what the filters that look only at the EPC say (``bad_hex``,
    ``hex_prefix``, ``non_gs1``, ``company_prefix``, ``uri_pattern`` or ``None``) and its URN.

    Memoised (LRU) per distinct EPC: a population is read over and over, so each tag is
    checked and decoded once, not on every read. (The RSSI floor, which sits between
    ``bad_hex`` and ``hex_prefix``, depends on the read and is checked by the caller.)"""

    @lru_cache(maxsize=_EPC_CACHE_SIZE)
    def classify(epc_hex: str) -> tuple[str | None, str]:
        if not read_filter.hex_ok(epc_hex):
            return "bad_hex", ""
        reason = read_filter.check_hex_prefix(epc_hex)
        if reason is not None:
            return reason, ""
        try:
            uri = epc_uri(epc_hex, non_gs1)
        except NonGS1EPCError:
            return "non_gs1", ""
        return read_filter.check_uri(uri), uri

    return classify


@dataclass(slots=True)
class _DropEpisode:
    """Drops since the outbox last had room: logged when it starts and when it ends."""

    events: int = 0
    first_seq: int = 0
    last_seq: int = 0


class Pipeline:
    """One reader station's processing chain. Use :meth:`from_config`."""

    def __init__(
        self,
        config: StationConfig,
        *,
        outbox: Outbox,
        metrics: Metrics,
        publisher: Publisher | None,
        clock: Callable[[], float] = time.time,
        hasher: Hasher | None = None,
        metrics_server: MetricsServer | None = None,
    ) -> None:
        self.config = config
        self.outbox = outbox
        self.metrics = metrics
        self.publisher = publisher
        self.metrics_server = metrics_server
        self._clock = clock
        self._seal = partial(
            seal,
            station_id=config.station.id,
            hasher=hasher if hasher is not None else StationHasher(),
        )
        self._filter = ReadFilter(config.filters)
        self._non_gs1 = config.filters.non_gs1
        self._tracker = PresenceTracker(config.presence)
        self._factory = EventFactory(config)
        self._classify = _epc_classifier(self._filter, self._non_gs1)
        self._reads = metrics.reads
        self._observed = {
            kind: metrics.observations.labels(kind=kind.value) for kind in ObservationKind
        }
        self._lock = threading.RLock()
        self._episode: _DropEpisode | None = None
        self._log = log.bind(station=config.station.id)
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()
        self._closed = False
        metrics.outbox_depth.set(outbox.depth)
        metrics.last_seq.set(outbox.last_seq)

    @classmethod
    def from_config(
        cls,
        config: StationConfig,
        *,
        clock: Callable[[], float] = time.time,
        hasher: Hasher | None = None,
        publish: bool = True,
    ) -> Pipeline:
        """Open the outbox, create metrics (and their HTTP endpoint if enabled) and the
        publisher (unless ``publish=False``: an offline pipeline, for tests and tools)."""
        metrics = Metrics()
        holder: list[Pipeline] = []

        def on_drop(record: DropRecord) -> None:
            if holder:
                holder[0]._on_drop(record)

        outbox = Outbox(
            config.outbox.path,
            station_id=config.station.id,
            max_events=config.outbox.max_events,
            max_age_s=config.outbox.max_age_s,
            clock=clock,
            on_drop=on_drop,
        )
        server: MetricsServer | None = None
        try:
            publisher = (
                Publisher(config, outbox, metrics, clock=clock, version=__version__)
                if publish
                else None
            )
            if config.metrics.enabled:
                server = MetricsServer(metrics, config.metrics.host, config.metrics.port)
        except BaseException:
            outbox.close()
            raise
        pipeline = cls(
            config,
            outbox=outbox,
            metrics=metrics,
            publisher=publisher,
            clock=clock,
            hasher=hasher,
            metrics_server=server,
        )
        holder.append(pipeline)
        if server is not None and server.host not in ("127.0.0.1", "::1", "localhost"):
            pipeline._log.warning(
                "metrics endpoint is reachable from the network", host=server.host
            )
        return pipeline

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, tick_interval: float | None = 0.25) -> None:
        """Start publishing and (unless ``tick_interval`` is None) the ticker thread."""
        if self.publisher is not None:
            self.publisher.start()
        if tick_interval is not None:
            self._ticker = threading.Thread(
                target=self._tick_loop,
                args=(tick_interval,),
                name=f"edge-ticker-{self.config.station.id}",
                daemon=True,
            )
            self._ticker.start()
        self._log.info(
            "pipeline started",
            role=self.config.role.kind,
            outbox_depth=self.outbox.depth,
            next_seq=self.outbox.next_seq,
        )

    def _tick_loop(self, interval: float) -> None:
        while not self._stop.wait(interval):
            try:
                self.tick()
            except Exception:
                self._log.exception("tick failed")

    def close(self, timeout: float = 5.0) -> None:
        """Stop: close an open packing window, flush within ``timeout``, close the outbox."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join(timeout=5.0)
        with self._lock:
            self._write(self._factory.flush())
        try:
            if self.publisher is not None:
                self.publisher.close(timeout)
        finally:
            self._log.info("pipeline stopped", outbox_depth=self.outbox.depth)
            self.outbox.close()
            if self.metrics_server is not None:
                self.metrics_server.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- input -------------------------------------------------------------------------------

    def feed(self, reads: Iterable[TagRead | StampedRead]) -> int:
        """Process tag reads; returns how many events were written to the outbox.

        A bare :class:`TagRead` is stamped with the edge clock now."""
        outcome = Outcome()
        now_ns: int | None = None
        count = 0
        one = self._one
        with self._lock:
            try:
                for item in reads:
                    if isinstance(item, StampedRead):
                        read = item
                    else:
                        if now_ns is None:
                            now_ns = self._now_ns()
                        read = StampedRead(item, now_ns)
                    count += 1
                    one(read, outcome)
            finally:
                if count:
                    self._reads.inc(count)
            return self._write(outcome)

    def _one(self, read: StampedRead, outcome: Outcome) -> None:
        tag = read.tag
        reason, uri = self._classify(tag.epc)
        if reason != "bad_hex" and not self._filter.rssi_ok(tag.rssi_dbm):
            reason = "rssi"
        if reason is not None:
            self.metrics.reads_filtered.labels(reason=reason).inc()
            return
        antenna = tag.antenna if tag.antenna is not None else 1
        for obs in self._tracker.observe(
            uri, antenna, read.time_ns, tag.rssi_dbm, read.temperature_c
        ):
            self._observed[obs.kind].inc()
            self._factory.add_observation(obs, outcome)

    def _now_ns(self) -> int:
        if self._clock is time.time:
            return time.time_ns()
        return _to_ns(self._clock())

    def add_frame_errors(self, count: int = 1) -> None:
        """The reader side reports serial frames it had to reject (checksum, length)."""
        if count > 0:
            self.metrics.frame_errors.inc(count)

    def tick(self, now: float | None = None) -> int:
        """Time-driven work: departures, packing windows, the end of a drop episode."""
        now_ns = self._now_ns() if now is None else _to_ns(now)
        outcome = Outcome()
        with self._lock:
            for obs in self._tracker.expire(now_ns):
                self._observed[obs.kind].inc()
                self._factory.add_observation(obs, outcome)
            outcome.extend(self._factory.poll(now_ns))
            written = self._write(outcome)
            self._end_drop_episode()
        return written

    # -- output ------------------------------------------------------------------------------

    def _write(self, outcome: Outcome) -> int:
        """Under the lock: store events, count what produced none."""
        for reason in outcome.skipped:
            self.metrics.skipped.labels(reason=reason).inc()
        for window in outcome.rejected_windows:
            self.metrics.skipped.labels(reason=f"packing_{window.rejection}").inc()
            self._log.warning(
                "packing window rejected: no AggregationEvent",
                reason=window.rejection,
                ssccs=list(window.ssccs),
                others=len(window.others),
            )
        events = outcome.events
        if not events:
            return 0
        try:
            self.outbox.append(events, self._seal)
        except (OutboxError, EPCISError) as exc:
            self.metrics.dropped.labels(reason="not_stored").inc(len(events))
            self._log.error("events could not be stored", count=len(events), error=str(exc))
            return 0
        types: dict[str, int] = {}
        for event in events:
            kind = event["type"]
            types[kind] = types.get(kind, 0) + 1
        for kind, count in types.items():
            self.metrics.events.labels(type=kind).inc(count)
        self.metrics.last_seq.set(self.outbox.last_seq)
        self.metrics.outbox_depth.set(self.outbox.depth)
        return len(events)

    def _on_drop(self, record: DropRecord) -> None:
        """Called by the outbox after it dropped events (any thread)."""
        self.metrics.dropped.labels(reason=record.reason).inc(record.count)
        with self._lock:
            self._note_drop(record)

    def _note_drop(self, record: DropRecord) -> None:
        episode = self._episode
        if episode is None:
            self._episode = _DropEpisode(record.count, record.first_seq, record.last_seq)
            self._log.warning(
                "outbox bound reached: dropping the oldest events (recorded, reported on the "
                "dropped topic)",
                reason=record.reason,
                first_seq=record.first_seq,
                last_seq=record.last_seq,
                count=record.count,
                max_events=self.outbox.max_events,
                max_age_s=self.outbox.max_age_s,
            )
            return
        episode.events += record.count
        episode.last_seq = record.last_seq

    def _end_drop_episode(self) -> None:
        episode = self._episode
        if episode is not None and self.outbox.depth < self.outbox.max_events:
            self._episode = None
            self._log.info(
                "outbox has room again; dropping stopped",
                dropped=episode.events,
                first_seq=episode.first_seq,
                last_seq=episode.last_seq,
            )

    # -- introspection -----------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        """Counters and state, for tools and tests."""
        return {
            **self.metrics.snapshot(),
            "present": len(self._tracker),
            "connected": self.publisher.connected if self.publisher else False,
        }
