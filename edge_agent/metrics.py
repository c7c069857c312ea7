"""Prometheus metrics of one station, and the HTTP endpoint that serves them (loopback only by
default).

Each :class:`Metrics` has its own registry, so several agents (tests) can live in one process.
The heartbeat reads the same numbers (:meth:`Metrics.snapshot`), so the dashboard and the MQTT
heartbeat never disagree.

=============================================  ======  ==========================================
metric                                         type    meaning
=============================================  ======  ==========================================
foodtrace_edge_reads_total                     counter tag reads received from the reader
foodtrace_edge_reads_filtered_total{reason}    counter reads dropped by a filter (``bad_hex``,
                                                       ``rssi``, ``hex_prefix``, ``non_gs1``,
                                                       ``company_prefix``, ``uri_pattern``)
foodtrace_edge_observations_total{kind}        counter arrive / report / depart
foodtrace_edge_events_total{type}              counter events written to the outbox
foodtrace_edge_skipped_total{reason}           counter observations that made no event
                                                       (``no_temperature``, ``packing_no_sscc``…)
foodtrace_edge_outbox_depth                    gauge   events waiting for a PUBACK
foodtrace_edge_last_seq                        gauge   last sequence number assigned
foodtrace_edge_published_events_total          counter events PUBACKed by the broker
foodtrace_edge_published_messages_total        counter MQTT messages (documents) PUBACKed
foodtrace_edge_publish_refused_total{reason}   counter publish() refusals (paho rc) and PUBACK
                                                       failure reason codes (MQTT 5)
foodtrace_edge_mqtt_inflight_messages          gauge   messages published, PUBACK pending
foodtrace_edge_dropped_events_total{reason}    counter events dropped by the outbox bounds
foodtrace_edge_mqtt_connected                  gauge   1 while connected to the broker
foodtrace_edge_mqtt_reconnects_total           counter successful connections after a loss
foodtrace_edge_mqtt_connect_failures_total     counter failed connection attempts
foodtrace_edge_reader_frame_errors_total       counter serial frames the reader side rejected
=============================================  ======  ==========================================
"""

from __future__ import annotations

import threading
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

__all__ = ["Metrics", "MetricsServer"]


class Metrics:
    """The station's metrics, registered in a registry of their own."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        p = "foodtrace_edge_"
        self.reads = Counter(f"{p}reads", "Tag reads received from the reader", registry=r)
        self.reads_filtered = Counter(
            f"{p}reads_filtered", "Reads dropped by a filter", ["reason"], registry=r
        )
        self.observations = Counter(
            f"{p}observations", "Presence observations (arrive/report/depart)", ["kind"], registry=r
        )
        self.events = Counter(f"{p}events", "Events written to the outbox", ["type"], registry=r)
        self.skipped = Counter(
            f"{p}skipped", "Observations that produced no event", ["reason"], registry=r
        )
        self.outbox_depth = Gauge(f"{p}outbox_depth", "Events waiting for a PUBACK", registry=r)
        self.last_seq = Gauge(f"{p}last_seq", "Last sequence number assigned", registry=r)
        self.published_events = Counter(
            f"{p}published_events", "Events acknowledged by the broker", registry=r
        )
        self.published_messages = Counter(
            f"{p}published_messages", "MQTT messages acknowledged by the broker", registry=r
        )
        self.publish_refused = Counter(
            f"{p}publish_refused", "Publishes refused by paho or the broker", ["reason"], registry=r
        )
        self.inflight = Gauge(
            f"{p}mqtt_inflight_messages", "Messages published and not yet acknowledged", registry=r
        )
        self.dropped = Counter(
            f"{p}dropped_events", "Events dropped by the outbox bounds", ["reason"], registry=r
        )
        self.connected = Gauge(f"{p}mqtt_connected", "1 while connected to the broker", registry=r)
        self.reconnects = Counter(
            f"{p}mqtt_reconnects", "Successful connections after a connection loss", registry=r
        )
        self.connect_failures = Counter(
            f"{p}mqtt_connect_failures", "Failed connection attempts", registry=r
        )
        self.frame_errors = Counter(
            f"{p}reader_frame_errors", "Serial frames rejected by the reader side", registry=r
        )

    def value(self, name: str, labels: dict[str, str] | None = None) -> float:
        """Current value of a sample (``foodtrace_edge_…``); 0 if it has none yet."""
        found = self.registry.get_sample_value(name, labels or {})
        return float(found) if found is not None else 0.0

    def total(self, name: str) -> float:
        """Sum over all label values of a counter sample (``…_total``)."""
        total = 0.0
        for metric in self.registry.collect():
            for sample in metric.samples:
                if sample.name == name:
                    total += sample.value
        return total

    def snapshot(self) -> dict[str, int]:
        """The heartbeat counters."""
        p = "foodtrace_edge_"
        return {
            "reads": int(self.value(f"{p}reads_total")),
            "readsFiltered": int(self.total(f"{p}reads_filtered_total")),
            "events": int(self.total(f"{p}events_total")),
            "published": int(self.value(f"{p}published_events_total")),
            "outboxDepth": int(self.value(f"{p}outbox_depth")),
            "lastSeq": int(self.value(f"{p}last_seq")),
            "frameErrors": int(self.value(f"{p}reader_frame_errors_total")),
            "reconnects": int(self.value(f"{p}mqtt_reconnects_total")),
            "dropped": int(self.total(f"{p}dropped_events_total")),
            "publishRefused": int(self.total(f"{p}publish_refused_total")),
        }


class MetricsServer:
    """``/metrics`` over HTTP on ``host:port`` (port 0: any free port, see :attr:`port`)."""

    def __init__(self, metrics: Metrics, host: str = "127.0.0.1", port: int = 9471) -> None:
        server, thread = start_http_server(port, addr=host, registry=metrics.registry)
        self._server: WSGIServer = server
        self._thread: threading.Thread = thread
        self.host = host
        self.port = int(server.server_port)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
