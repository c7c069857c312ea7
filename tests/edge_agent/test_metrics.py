"""Metrics: served over HTTP on loopback, and the heartbeat snapshot reads the same numbers."""

from __future__ import annotations

import urllib.request

from edge_agent.metrics import Metrics, MetricsServer


def test_endpoint_serves_the_station_registry_on_loopback() -> None:
    metrics = Metrics()
    metrics.reads.inc(7)
    metrics.frame_errors.inc(2)
    metrics.dropped.labels(reason="max_age").inc(3)
    server = MetricsServer(metrics, port=0)
    try:
        assert server.host == "127.0.0.1" and server.port > 0
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/metrics", timeout=5) as r:
            body = r.read().decode()
    finally:
        server.close()
    assert "foodtrace_edge_reads_total 7.0" in body
    assert "foodtrace_edge_reader_frame_errors_total 2.0" in body
    assert 'foodtrace_edge_dropped_events_total{reason="max_age"} 3.0' in body
    for name in (
        "foodtrace_edge_outbox_depth",
        "foodtrace_edge_published_events_total",
        "foodtrace_edge_mqtt_reconnects_total",
        "foodtrace_edge_mqtt_connected",
    ):
        assert name in body


def test_two_stations_in_one_process_do_not_share_counters() -> None:
    a, b = Metrics(), Metrics()
    a.reads.inc()
    assert (a.snapshot()["reads"], b.snapshot()["reads"]) == (1, 0)


def test_snapshot_sums_labelled_counters() -> None:
    metrics = Metrics()
    metrics.events.labels(type="ObjectEvent").inc(4)
    metrics.events.labels(type="AggregationEvent").inc(1)
    metrics.reads_filtered.labels(reason="rssi").inc(2)
    metrics.reads_filtered.labels(reason="non_gs1").inc(1)
    metrics.outbox_depth.set(9)
    snap = metrics.snapshot()
    assert (snap["events"], snap["readsFiltered"], snap["outboxDepth"]) == (5, 3, 9)
