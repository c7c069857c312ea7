"""The coordinator without a reader: reads fed in, time injected or ticking by itself."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path

import orjson
from structlog.testing import capture_logs

from edge_agent.pipeline import Pipeline
from edge_agent.reads import StampedRead, TagRead
from tests.edge_agent.conftest import sgtin_hex, sgtin_uri, sscc_hex, station_config, wait_until


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def stored(pipeline: Pipeline) -> list[dict[str, object]]:
    rows, _ = pipeline.outbox.peek(0, 10_000)
    return [orjson.loads(r.payload) for r in rows]


def test_bare_tag_reads_are_stamped_with_the_edge_clock(tmp_path: Path) -> None:
    clock = Clock(1_780_000_000.25)
    config = station_config(tmp_path)
    with Pipeline.from_config(config, clock=clock, publish=False) as pipeline:
        assert pipeline.feed([TagRead(sgtin_hex(1), None, None)]) == 1
        clock.now += 2
        pipeline.feed([TagRead(sgtin_hex(2), 2, -60)])
        events = stored(pipeline)
        assert [e["eventTime"] for e in events] == [
            "2026-05-28T21:26:40.250+01:00",
            "2026-05-28T21:26:42.250+01:00",
        ]
        # a reader without antenna numbers is a one-antenna reader: antenna 1
        assert pipeline.stats()["present"] == 2
        assert pipeline.metrics.value("foodtrace_edge_last_seq") == 2


def test_ticker_thread_detects_departures_by_itself(tmp_path: Path) -> None:
    config = station_config(
        tmp_path,
        role={"kind": "receiving", "depart_biz_step": "departing"},
        presence={"depart_after_s": 0.2},
    )
    with Pipeline.from_config(config, publish=False) as pipeline:
        pipeline.start(tick_interval=0.05)
        pipeline.feed([TagRead(sgtin_hex(1), 1, -50)])
        wait_until(lambda: len(stored(pipeline)) == 2, 5, "the departure event")
        assert [e["bizStep"] for e in stored(pipeline)] == ["receiving", "departing"]
        assert pipeline.stats()["present"] == 0


def test_close_judges_an_open_packing_window(tmp_path: Path) -> None:
    config = station_config(tmp_path, role={"kind": "packing", "idle_close_s": 60})
    pipeline = Pipeline.from_config(config, publish=False)
    pipeline.feed([TagRead(sscc_hex(77), 1, -50), TagRead(sgtin_hex(5), 1, -50)])
    assert pipeline.outbox.depth == 0  # the window is still open
    pipeline.close()
    pipeline.close()  # idempotent
    with Pipeline.from_config(config, publish=False) as reopened:
        (event,) = stored(reopened)
    assert event["type"] == "AggregationEvent" and event["childEPCs"] == [sgtin_uri(5)]


def test_frame_errors_and_metrics_endpoint(tmp_path: Path) -> None:
    config = station_config(tmp_path, metrics={"enabled": True, "port": 0})
    with Pipeline.from_config(config, publish=False) as pipeline:
        pipeline.add_frame_errors(4)
        pipeline.add_frame_errors(0)
        pipeline.feed([StampedRead(TagRead(sgtin_hex(1), 1, -50), time.time_ns())])
        assert pipeline.metrics_server is not None
        url = f"http://127.0.0.1:{pipeline.metrics_server.port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            body = response.read().decode()
    assert "foodtrace_edge_reader_frame_errors_total 4.0" in body
    assert 'foodtrace_edge_events_total{type="ObjectEvent"} 1.0' in body
    assert 'foodtrace_edge_observations_total{kind="arrive"} 1.0' in body


def test_events_that_cannot_be_stored_are_counted_and_logged(tmp_path: Path) -> None:
    config = station_config(tmp_path)
    with capture_logs() as logs, Pipeline.from_config(config, publish=False) as pipeline:
        pipeline.outbox.close()  # the disk went away
        assert pipeline.feed([TagRead(sgtin_hex(1), 1, -50)]) == 0
        value = pipeline.metrics.value
        assert value("foodtrace_edge_dropped_events_total", {"reason": "not_stored"}) == 1
    errors = [e for e in logs if e["event"] == "events could not be stored"]
    assert len(errors) == 1 and "closed" in errors[0]["error"]
