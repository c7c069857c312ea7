"""The ingest worker: MQTT (shared subscription, QoS 1, manual ack) → batched idempotent store.

Guarantees, and how:

* **Nothing lost.** The client connects with a fixed client id, ``clean_start=False`` and a
  session expiry (default: never), so the broker queues the worker's share of the messages
  while it is away; the broker must not cap that queue (``max_queued_messages 0``, see
  ``trace_api/broker/mosquitto_conf.py``). Each message is acknowledged (``PUBACK``, paho
  ``manual_ack``) only after the transaction holding its events — or its dead letter — has
  committed. A worker killed before the commit leaves the messages unacknowledged, and the
  broker sends them again when it reconnects.
* **Nothing twice.** Redelivered events are recognised by ``eventID`` (the CBV 2.0 hash when
  the producer gave none) and counted as duplicates (``store_events``).
* **Never crashes on input.** Every refusal (not UTF-8, not JSON, invalid EPCIS, wrong station,
  place not owned, a row the database rejects) becomes a dead letter with the raw bytes and the
  precise reason, and the message is acknowledged after that commit (no redelivery loop).
  Database outages are retried with backoff; nothing is acknowledged meanwhile.
* **Throughput.** Messages are decoded, validated and prepared as they arrive, and stored in
  batches of ``batch_events`` events or ``linger_ms`` after the first, one transaction each.
  ``commit_connections`` batches are committed at once, each on its own connection (the
  database server works on one while the next is sent), and acknowledged strictly in the order
  the batches were formed (:class:`_AckTurns`), so PUBACKs leave in the order the messages
  came. Concurrent batches are safe for the same reasons concurrent workers are: rows go in in
  eventID order with ``ON CONFLICT DO NOTHING``, station rows are locked in station order.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from trace_api.capture import CaptureOutcome, Refusal, store_checked
from trace_api.exceptions import IngestError
from trace_api.ingest.acceptance import StationDirectory
from trace_api.ingest.batcher import Batcher
from trace_api.ingest.config import IngestSettings
from trace_api.ingest.decode import DecodedMessage, dead_letter_reason, decode_message
from trace_api.ingest.metrics import IngestMetrics
from trace_api.storage import record_dead_letter

__all__ = ["IngestWorker", "WorkerStats"]

log = logging.getLogger("trace_api.ingest")

_CONNECT_TIMEOUT_S = 10.0
_POLL_S = 0.1
_RETRY_MAX_S = 5.0
_STORE_FAILED = "store_failed"


@dataclass(slots=True)
class _Received:
    topic: str
    payload: bytes
    mid: int
    qos: int
    received_at: float


@dataclass(slots=True)
class WorkerStats:
    """Totals since the worker started (also exported as metrics)."""

    messages: int = 0
    stored: int = 0
    duplicates: int = 0
    refused: int = 0
    dead_letters: int = 0
    batches: int = 0


_Item = tuple[_Received, DecodedMessage]


@dataclass(slots=True)
class _Batch:
    number: int  # 0, 1, 2 … in the order the consumer formed the batches
    items: list[_Item]


class _AckTurns:
    """Batches commit concurrently but are acknowledged in the order they were formed."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._broken = False

    def wait(self, number: int) -> bool:
        """Block until batch ``number`` may acknowledge; ``False`` once :meth:`abort` ran."""
        with self._cond:
            while self._next != number and not self._broken:
                self._cond.wait()
            return not self._broken

    def done(self, number: int) -> None:
        with self._cond:
            self._next = number + 1
            self._cond.notify_all()

    def abort(self) -> None:
        with self._cond:
            self._broken = True
            self._cond.notify_all()


class IngestWorker:
    """One worker. :meth:`run` blocks until ``stop`` is set (or it was idle ``idle_exit_s``)."""

    def __init__(
        self,
        settings: IngestSettings,
        engine: Engine,
        *,
        metrics: IngestMetrics | None = None,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.metrics = metrics if metrics is not None else IngestMetrics()
        self.stats = WorkerStats()
        self.stations = StationDirectory(
            engine,
            refresh_s=settings.station_refresh_s,
            accept_unknown=settings.accept_unknown_stations,
        )
        self._inbox: queue.SimpleQueue[_Received] = queue.SimpleQueue()
        self._connected = threading.Event()
        self._connect_error: str | None = None
        self._ever_connected = False
        self._client: mqtt.Client | None = None
        self._committing = 0  # messages handed to the committers, not yet acknowledged
        self._committing_lock = threading.Lock()
        self._stats_lock = threading.Lock()  # committers count concurrently
        sqlite = engine.dialect.name == "sqlite"  # one writer at a time: no concurrent commits
        self.commit_connections = 1 if sqlite else settings.commit_connections

    # -- MQTT ----------------------------------------------------------------------------------

    def _make_client(self) -> mqtt.Client:
        s = self.settings
        if s.protocol == "3.1.1":  # a persistent session is clean_session=False there
            client = mqtt.Client(
                CallbackAPIVersion.VERSION2,
                client_id=s.client_id,
                protocol=MQTTProtocolVersion.MQTTv311,
                clean_session=False,
                manual_ack=True,
            )
        else:
            client = mqtt.Client(
                CallbackAPIVersion.VERSION2,
                client_id=s.client_id,
                protocol=MQTTProtocolVersion.MQTTv5,
                manual_ack=True,
            )
        client.username_pw_set(s.username, s.resolved_password())
        if s.tls:
            client.tls_set(ca_certs=str(s.ca_file) if s.ca_file is not None else None)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.reconnect_delay_set(1, 10)
        return client

    def _on_connect(
        self,
        client: mqtt.Client,
        _userdata: Any,
        flags: mqtt.ConnectFlags,
        reason_code: ReasonCode,
        _properties: Properties | None,
    ) -> None:
        if reason_code.is_failure:
            self._connect_error = f"broker refused the connection: {reason_code}"
            log.error("ingest: %s", self._connect_error)
            return
        client.subscribe(self.settings.subscription, qos=1)
        log.info(
            "ingest: connected as %s (session present: %s), subscribed to %s",
            self.settings.client_id,
            flags.session_present,
            self.settings.subscription,
        )
        self._ever_connected = True
        self._connected.set()

    def _on_disconnect(
        self,
        _client: mqtt.Client,
        _userdata: Any,
        _flags: mqtt.DisconnectFlags,
        reason_code: ReasonCode,
        _properties: Properties | None,
    ) -> None:
        self._connected.clear()
        if not self._ever_connected and self._connect_error is None:
            self._connect_error = (
                f"the broker closed the connection before accepting it ({reason_code}); "
                "check TLS on/off for this port"
            )
        log.warning("ingest: disconnected from the broker (%s)", reason_code)

    def _on_message(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        self._inbox.put(
            _Received(
                message.topic, bytes(message.payload), message.mid, message.qos, time.monotonic()
            )
        )

    def _connect(self) -> mqtt.Client:
        s = self.settings
        client = self._make_client()
        try:
            if s.protocol == "3.1.1":
                client.connect(s.host, s.port, s.keepalive_s)
            else:
                properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
                properties.SessionExpiryInterval = s.session_expiry_s
                properties.ReceiveMaximum = s.receive_maximum
                client.connect(
                    s.host, s.port, s.keepalive_s, clean_start=False, properties=properties
                )
        except OSError as exc:
            raise IngestError(f"cannot reach the MQTT broker at {s.host}:{s.port}: {exc}") from exc
        client.loop_start()
        deadline = time.monotonic() + _CONNECT_TIMEOUT_S
        while not self._connected.wait(_POLL_S):
            if self._connect_error is not None or time.monotonic() > deadline:
                client.loop_stop()
                client.disconnect()
                raise IngestError(
                    self._connect_error or f"no answer from the MQTT broker at {s.host}:{s.port}"
                )
        return client

    # -- main loop -----------------------------------------------------------------------------

    def run(
        self, stop: threading.Event | None = None, *, idle_exit_s: float | None = None
    ) -> WorkerStats:
        """Consume until ``stop`` is set; with ``idle_exit_s``, also stop after that long
        without a message. Commits and acknowledges what it holds before returning.

        This thread decodes, validates and prepares the next batch while ``commit_connections``
        committer threads store the previous ones (acknowledged in the order they were formed)."""
        stop = stop if stop is not None else threading.Event()
        self.stations.refresh()
        client = self._connect()
        self._client = client
        batches: queue.Queue[_Batch | None] = queue.Queue(maxsize=1)
        failure: list[BaseException] = []
        turns = _AckTurns()
        committers = [
            threading.Thread(
                target=self._committer,
                args=(client, batches, turns, stop, failure),
                name=f"ingest-commit-{i}",
                daemon=True,
            )
            for i in range(self.commit_connections)
        ]
        for committer in committers:
            committer.start()
        try:
            self._consume(batches, stop, idle_exit_s, failure)
        finally:
            for _ in committers:
                batches.put(None)
            for committer in committers:
                committer.join()
            client.disconnect()
            client.loop_stop()
            self._client = None
        if failure:
            raise failure[0]
        return self.stats

    def _consume(
        self,
        batches: queue.Queue[_Batch | None],
        stop: threading.Event,
        idle_exit_s: float | None,
        failure: list[BaseException],
    ) -> None:
        number = 0
        batcher: Batcher[_Item] = Batcher(
            self.settings.batch_events, self.settings.linger_ms / 1000
        )
        last_message = time.monotonic()
        while not failure:
            left = batcher.remaining()
            wait = _POLL_S if left is None else min(left, _POLL_S)
            try:
                received = self._inbox.get(timeout=wait) if wait > 0 else self._inbox.get_nowait()
            except queue.Empty:
                pass
            else:
                last_message = time.monotonic()
                self._take(batcher, received)
                while not batcher.full():  # drain what is already here
                    try:
                        self._take(batcher, self._inbox.get_nowait())
                    except queue.Empty:
                        break
            self.metrics.queue_depth.set(len(batcher) + self._inbox.qsize() + self._committing)
            stopping = stop.is_set() or (
                idle_exit_s is not None
                and not len(batcher)
                and not self._committing
                and time.monotonic() - last_message >= idle_exit_s
            )
            if len(batcher) and (batcher.due() or stopping):
                items = batcher.take()
                self._add_committing(len(items))
                batches.put(_Batch(number, items))
                number += 1
            if stopping and not len(batcher):
                return

    def _committer(
        self,
        client: mqtt.Client,
        batches: queue.Queue[_Batch | None],
        turns: _AckTurns,
        stop: threading.Event,
        failure: list[BaseException],
    ) -> None:
        try:
            while (batch := batches.get()) is not None:
                if failure:  # another committer failed: leave the rest unacknowledged
                    continue
                self._commit(client, batch, turns, stop)
                self._add_committing(-len(batch.items))
        except BaseException as exc:  # a bug, not input: stop the worker, unacknowledged
            failure.append(exc)
            turns.abort()
            while batches.get() is not None:
                pass

    def _add_committing(self, count: int) -> None:
        with self._committing_lock:
            self._committing += count

    def _take(self, batcher: Batcher[_Item], received: _Received) -> None:
        decoded = decode_message(received.topic, received.payload, self.stations)
        batcher.add((received, decoded), max(1, len(decoded.checked.accepted)))

    # -- storing -------------------------------------------------------------------------------

    def _commit(
        self, client: mqtt.Client, batch: _Batch, turns: _AckTurns, stop: threading.Event
    ) -> None:
        started = time.perf_counter()
        items = batch.items
        outcomes = self._store_retrying(items, stop)
        if not turns.wait(batch.number):
            return  # another committer failed: the worker stops, this batch unacknowledged
        try:
            if outcomes is None:
                return  # unacknowledged: the broker keeps them for this session
            for (received, _), outcome in zip(items, outcomes, strict=True):
                if outcome is not None:
                    client.ack(received.mid, received.qos)
        finally:
            turns.done(batch.number)
        now = time.monotonic()
        self.metrics.lag_seconds.set(now - items[0][0].received_at)
        self.metrics.batch_seconds.observe(time.perf_counter() - started)
        with self._stats_lock:
            self.stats.batches += 1

    def _store_retrying(
        self, items: list[_Item], stop: threading.Event
    ) -> list[CaptureOutcome | None] | None:
        """Store the batch, retrying while the database is unavailable; ``None`` when the
        worker stops before it could commit."""
        delay = 0.2
        while True:
            try:
                return self._store(items)
            except (OperationalError, InterfaceError) as exc:
                if stop.is_set():
                    log.error(
                        "ingest: stopping without committing %d messages: %s", len(items), exc
                    )
                    return None
                self.metrics.db_retries.inc()
                log.warning("ingest: database unavailable, retrying in %.1f s: %s", delay, exc)
                time.sleep(delay)
                delay = min(delay * 2, _RETRY_MAX_S)
            except SQLAlchemyError as exc:
                log.warning("ingest: batch refused by the database (%s); storing one by one", exc)
                return self._store_each(items)

    def _store(self, items: Sequence[_Item]) -> list[CaptureOutcome | None]:
        started = time.perf_counter()
        with self.engine.begin() as connection:
            outcomes = store_checked(connection, [d.checked for _, d in items])
            for (received, decoded), outcome in zip(items, outcomes, strict=True):
                if outcome.refusals:
                    self._dead_letter(connection, received, decoded, outcome.refusals)
        self.metrics.commit_seconds.observe(time.perf_counter() - started)
        for outcome in outcomes:
            self._count(outcome)
        return list(outcomes)

    def _store_each(self, items: Sequence[_Item]) -> list[CaptureOutcome | None]:
        """One transaction per message; a message the database rejects becomes a dead letter."""
        results: list[CaptureOutcome | None] = []
        for item in items:
            try:
                results.extend(self._store([item]))
                continue
            except DBAPIError as exc:
                reason = " ".join(str(exc.orig).split()) if exc.orig is not None else str(exc)
            received, decoded = item
            refusal = Refusal(
                None, "", f"the database refused the events: {reason}", "store_failed"
            )
            try:
                with self.engine.begin() as connection:
                    self._dead_letter(connection, received, decoded, [refusal])
            except SQLAlchemyError as exc:
                log.error("ingest: cannot write a dead letter (message not acknowledged): %s", exc)
                results.append(None)
                continue
            outcome = CaptureOutcome(decoded.checked.event_count, refusals=[refusal])
            self._count(outcome)
            results.append(outcome)
        return results

    def _dead_letter(
        self,
        connection: Connection,
        received: _Received,
        decoded: DecodedMessage,
        refusals: list[Refusal],
    ) -> None:
        code, message = dead_letter_reason(refusals)
        record_dead_letter(
            connection,
            source="mqtt",
            raw=received.payload,
            reason_code=code,
            message=message,
            station_id=decoded.station_id,
            source_detail=received.topic,
        )
        with self._stats_lock:
            self.stats.dead_letters += 1
        self.metrics.dead_letters.labels(code).inc()

    def _count(self, outcome: CaptureOutcome) -> None:
        stored, duplicates = outcome.stored, outcome.duplicates
        refused = outcome.refused
        with self._stats_lock:
            self.stats.messages += 1
            self.stats.stored += stored
            self.stats.duplicates += duplicates
            self.stats.refused += refused
        self.metrics.messages.labels("refused" if outcome.refusals else "ok").inc()
        self.metrics.events.labels("stored").inc(stored)
        self.metrics.events.labels("duplicate").inc(duplicates)
        self.metrics.events.labels("refused").inc(refused)
