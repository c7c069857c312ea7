"""Prometheus metrics of the ingest worker, in a registry of its own (one per worker)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["IngestMetrics"]

_LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class IngestMetrics:
    """Counters and timings; ``registry`` is what ``/metrics`` serves."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.messages = Counter(
            "foodtrace_ingest_messages", "MQTT messages processed", ["outcome"], registry=r
        )
        self.events = Counter(
            "foodtrace_ingest_events", "Events by outcome", ["outcome"], registry=r
        )
        self.dead_letters = Counter(
            "foodtrace_ingest_dead_letters", "Dead letters written", ["reason"], registry=r
        )
        self.batch_seconds = Histogram(
            "foodtrace_ingest_batch_seconds",
            "Decode, validate, prepare and store one batch",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.commit_seconds = Histogram(
            "foodtrace_ingest_commit_seconds",
            "Database transaction of one batch",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.lag_seconds = Gauge(
            "foodtrace_ingest_lag_seconds",
            "Receipt of the oldest message of the last batch to its commit",
            registry=r,
        )
        self.queue_depth = Gauge(
            "foodtrace_ingest_queue_messages",
            "Messages received and not yet committed",
            registry=r,
        )
        self.db_retries = Counter(
            "foodtrace_ingest_db_retries", "Batches retried after a database error", registry=r
        )
