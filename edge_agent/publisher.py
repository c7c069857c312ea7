"""Publish the outbox over MQTT (paho-mqtt, callback API v2): QoS 1, persistent session, PUBACK
deletes.

How a batch travels:

1. The worker thread takes the next events after its cursor from the outbox, in seq order: a full
   batch (``batch.max_events`` or ``batch.max_bytes``) at once, a partial one after
   ``batch.linger_ms``, and no faster than ``outbox.replay_rate`` events/s.
2. It publishes them as one EPCISDocument on ``…/events`` (QoS 1) and checks ``info.rc``:
   ``MQTT_ERR_SUCCESS`` and ``MQTT_ERR_NO_CONN`` mean paho holds the message and will (re)send it;
   any other code (``MQTT_ERR_QUEUE_SIZE``: paho's queue or its 65,535 message ids are exhausted)
   means refused: counted, the cursor stays, the events are tried again.
3. At most ``mqtt.max_unacked`` messages are unacknowledged at any time.
4. On PUBACK (paho's network thread calls ``on_publish``) the batch is queued for deletion; the
   worker deletes acknowledged ranges in one transaction every 50 ms. An MQTT 5 PUBACK with a
   failure reason code keeps the events and retries them later.

Across a connection loss paho keeps the unacknowledged messages and resends them (DUP) after it
reconnected; until they are acknowledged nothing newer is published, so the broker sees seq order.
Across a restart of the agent the outbox is published again from its oldest event (QoS 1 is
at-least-once; the centre is idempotent by eventID).

The connection is opened in the background and re-established by paho with exponential backoff
(``mqtt.reconnect_min_s`` … ``reconnect_max_s``). Loss and recovery are logged once each, not per
attempt. A retained ``…/status`` says ``online`` after every connect; the last will (retained)
says ``offline`` when the connection dies; a clean shutdown publishes ``offline`` itself.
"""

from __future__ import annotations

import contextlib
import ssl
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import paho.mqtt.client as mqtt
import structlog
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from edge_agent.config import StationConfig
from edge_agent.document import creation_date, document_bytes
from edge_agent.exceptions import OutboxError, PublisherError
from edge_agent.metrics import Metrics
from edge_agent.outbox import Outbox, OutboxRow
from edge_agent.throttle import TokenBucket
from edge_agent.topics import Topics, drops_payload, heartbeat_payload, status_payload

__all__ = ["Publisher"]

log = structlog.get_logger("edge_agent.publisher")

_DELETE_EVERY_S = 0.05
_PRUNE_EVERY_S = 10.0
_RETRY_AFTER_S = 5.0
_REFUSED_BACKOFF_S = 0.2
_MAX_IDLE_WAIT_S = 1.0
_READ_AHEAD_BATCHES = 8
_REFUSAL_LOG_EVERY_S = 60.0


@dataclass(frozen=True, slots=True)
class _Message:
    kind: Literal["events", "drops"]
    first_seq: int = 0
    last_seq: int = 0
    count: int = 0
    drop_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class _Ack:
    mid: int
    failure: str | None


def _rc_name(rc: MQTTErrorCode | int) -> str:
    try:
        return MQTTErrorCode(rc).name.removeprefix("MQTT_ERR_").lower()
    except ValueError:
        return f"rc_{int(rc)}"


class Publisher:
    """Drains the outbox to the broker. ``start()`` once, ``close()`` once."""

    def __init__(
        self,
        config: StationConfig,
        outbox: Outbox,
        metrics: Metrics,
        *,
        clock: Callable[[], float] = time.time,
        version: str = "0",
    ) -> None:
        self._config = config
        self._mqtt = config.mqtt
        self._batch = config.batch
        self._outbox = outbox
        self._metrics = metrics
        self._clock = clock
        self._version = version
        self.topics = Topics(config.mqtt.topic_root, config.station.site, config.station.id)
        self._log = log.bind(station=config.station.id, broker=self._broker)

        self._cond = threading.Condition()
        # Everything below is guarded by _cond. Never call into paho while holding it: paho
        # calls on_publish with its own message lock held (lock-order inversion otherwise).
        self._connected = False
        self._ever_connected = False
        self._lost_at: float | None = None
        self._failed_attempts = 0
        # Refusals already logged: CONNACK codes until a connect succeeds, PUBACK failure codes
        # until a message is acknowledged, publish() return codes at most once a minute each.
        self._connack_logged: set[str] = set()
        self._puback_logged: set[str] = set()
        self._refusal_logged: dict[str, float] = {}
        self._inflight: dict[int, _Message] = {}
        self._acks: deque[_Ack] = deque()
        self._barrier = False
        self._cursor = 0
        self._retry: list[tuple[int, int]] = []
        self._retry_at = 0.0
        self._pending_deletes: list[tuple[int, int]] = []
        self._ready: deque[list[OutboxRow]] = deque()  # worker thread only
        # A partial batch left to linger (worker thread only): the rows after the cursor already
        # read, and the outbox's drop count then. The next look reads only what follows them.
        self._lingering: list[OutboxRow] = []
        self._lingering_drops = 0
        self._closing = False
        self._close_deadline = float("inf")
        self._stopped = False
        self._dirty = True  # something changed since the worker last looked
        self._wake_at = 0.0

        now = clock()
        self._started_at = now
        self._last_delete = now
        self._last_prune = now
        self._next_heartbeat = now + self._mqtt.heartbeat_s
        self._backoff_until = 0.0
        self._bucket = TokenBucket(config.outbox.replay_rate, self._batch.max_events, now)

        self.client = self._make_client()
        self._worker = threading.Thread(
            target=self._run, name=f"edge-publisher-{config.station.id}", daemon=True
        )
        outbox.add_listener(self.wake)

    # -- setup -------------------------------------------------------------------------------

    @property
    def _broker(self) -> str:
        return f"{self._mqtt.host}:{self._mqtt.effective_port}"

    def _make_client(self) -> mqtt.Client:
        settings = self._mqtt
        client_id = self._config.client_id
        if settings.protocol == "5":
            client = mqtt.Client(
                CallbackAPIVersion.VERSION2,
                client_id=client_id,
                protocol=MQTTProtocolVersion.MQTTv5,
            )
        else:
            client = mqtt.Client(
                CallbackAPIVersion.VERSION2,
                client_id=client_id,
                clean_session=False,
                protocol=MQTTProtocolVersion.MQTTv311,
            )
        if settings.tls is not None:
            try:
                context = ssl.create_default_context(
                    cafile=str(settings.tls.ca_file) if settings.tls.ca_file else None
                )
                if settings.tls.cert_file is not None and settings.tls.key_file is not None:
                    context.load_cert_chain(str(settings.tls.cert_file), str(settings.tls.key_file))
            except (ssl.SSLError, OSError) as exc:
                raise PublisherError(f"cannot set up TLS for {self._broker}: {exc}") from None
            client.tls_set_context(context)
        if settings.username is not None and settings.password is not None:
            client.username_pw_set(settings.username, settings.password.get_secret_value())
        client.will_set(
            self.topics.status,
            status_payload(self.topics, "offline", None, reason="connection lost"),
            qos=1,
            retain=True,
        )
        client.reconnect_delay_set(settings.reconnect_min_s, settings.reconnect_max_s)
        client.on_connect = self._on_connect
        client.on_connect_fail = self._on_connect_fail
        client.on_disconnect = self._on_disconnect
        client.on_publish = self._on_publish
        return client

    def start(self) -> None:
        """Connect in the background and start publishing."""
        properties: Properties | None = None
        kwargs: dict[str, Any] = {}
        if self._mqtt.protocol == "5":
            properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
            properties.SessionExpiryInterval = self._mqtt.session_expiry_s
            kwargs = {"clean_start": False, "properties": properties}
        try:
            self.client.connect_async(
                self._mqtt.host, self._mqtt.effective_port, self._mqtt.keepalive_s, **kwargs
            )
        except (ValueError, OSError) as exc:
            raise PublisherError(f"cannot connect to {self._broker}: {exc}") from None
        self.client.loop_start()
        self._worker.start()
        self._log.info("publisher started", topic=self.topics.events)

    # -- state for callers -------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        with self._cond:
            return self._connected

    @property
    def inflight_count(self) -> int:
        with self._cond:
            return len(self._inflight)

    def wake(self) -> None:
        """Tell the worker that something changed (new events in the outbox)."""
        with self._cond:
            self._poke()

    def _poke(self) -> None:
        """Under _cond."""
        self._dirty = True
        self._cond.notify_all()

    def wait_drained(self, timeout: float) -> bool:
        """Block until the outbox is empty and nothing is in flight (tests, benchmarks)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._cond:
                idle = not self._inflight and not self._pending_deletes and not self._acks
            if idle and self._outbox.depth == 0:
                return True
            time.sleep(0.01)
        return False

    # -- paho callbacks (paho's network thread) ----------------------------------------------

    def _on_connect(
        self,
        client: mqtt.Client,
        _userdata: Any,
        flags: mqtt.ConnectFlags,
        reason_code: ReasonCode,
        _properties: Properties | None,
    ) -> None:
        if reason_code.is_failure:
            self._metrics.connect_failures.inc()
            with self._cond:
                first = str(reason_code) not in self._connack_logged
                self._connack_logged.add(str(reason_code))
            if first:
                self._log.error("broker refused the connection", reason=str(reason_code))
            return
        now = self._clock()
        with self._cond:
            recovered = self._ever_connected
            down_s = now - self._lost_at if self._lost_at is not None else 0.0
            attempts = self._failed_attempts
            self._connected = True
            self._ever_connected = True
            self._lost_at = None
            self._failed_attempts = 0
            self._connack_logged.clear()
            self._poke()
        self._metrics.connected.set(1)
        if recovered:
            self._metrics.reconnects.inc()
            self._log.info(
                "mqtt connection recovered",
                down_s=round(down_s, 1),
                failed_attempts=attempts,
                session_present=flags.session_present,
                outbox_depth=self._outbox.depth,
            )
        else:
            self._log.info("mqtt connected", session_present=flags.session_present)
        info = client.publish(
            self.topics.status,
            status_payload(self.topics, "online", now, version=self._version),
            qos=1,
            retain=True,
        )
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            self._metrics.publish_refused.labels(reason=_rc_name(info.rc)).inc()

    def _on_connect_fail(self, _client: mqtt.Client, _userdata: Any) -> None:
        self._metrics.connect_failures.inc()
        with self._cond:
            self._failed_attempts += 1
            first = self._failed_attempts == 1 and not self._ever_connected
        if first:
            self._log.warning("mqtt broker unreachable, retrying with backoff")

    def _on_disconnect(
        self,
        _client: mqtt.Client,
        _userdata: Any,
        _flags: mqtt.DisconnectFlags,
        reason_code: ReasonCode,
        _properties: Properties | None,
    ) -> None:
        with self._cond:
            was_connected = self._connected
            self._connected = False
            if was_connected:
                self._lost_at = self._clock()
            if self._inflight:
                self._barrier = True
            inflight = len(self._inflight)
            closing = self._closing
            self._poke()
        self._metrics.connected.set(0)
        if was_connected and not closing:
            self._log.warning(
                "mqtt connection lost",
                reason=str(reason_code),
                unacknowledged_messages=inflight,
            )

    def _on_publish(
        self,
        _client: mqtt.Client,
        _userdata: Any,
        mid: int,
        reason_code: ReasonCode,
        _properties: Properties | None,
    ) -> None:
        failure = str(reason_code) if reason_code.is_failure else None
        with self._cond:
            self._acks.append(_Ack(mid, failure))
            self._poke()

    # -- worker thread -----------------------------------------------------------------------

    def _run(self) -> None:
        error_logged = False
        while True:
            with self._cond:
                if self._should_exit():
                    break
            try:
                progressed = self._step()
                error_logged = False
            except OutboxError as exc:
                if not error_logged:
                    self._log.error("outbox failed; publishing paused", error=str(exc))
                    error_logged = True
                progressed = False
                self._wake_at = self._clock() + 1.0
            except Exception:
                self._log.exception("publisher step failed")
                progressed = False
                self._wake_at = self._clock() + 1.0
            if progressed:
                continue
            with self._cond:
                if self._should_exit():
                    break
                if not self._dirty:
                    wait = min(max(self._wake_at - self._clock(), 0.0), _MAX_IDLE_WAIT_S)
                    if self._closing:
                        wait = min(wait, 0.05)
                    self._cond.wait(wait)
        with contextlib.suppress(OutboxError):
            self._process_acks()
            self._flush_deletes(force=True)

    def _should_exit(self) -> bool:
        """Under _cond."""
        if self._stopped:
            return True
        if not self._closing:
            return False
        if self._clock() >= self._close_deadline or not self._connected:
            return True
        return not self._inflight and not self._acks and self._outbox.depth == 0

    def _step(self) -> bool:
        with self._cond:
            self._dirty = False
        now = self._clock()
        self._wake_at = now + _MAX_IDLE_WAIT_S
        self._process_acks()
        self._flush_deletes()
        if now - self._last_prune >= _PRUNE_EVERY_S:
            self._last_prune = now
            self._outbox.prune()
            self._metrics.outbox_depth.set(self._outbox.depth)
        self._maybe_heartbeat(now)
        with self._cond:
            ready = (
                self._connected
                and not self._barrier
                and len(self._inflight) < self._mqtt.max_unacked
                and now >= self._backoff_until
            )
            if not ready and now < self._backoff_until:
                self._wake_at = min(self._wake_at, self._backoff_until)
        if not ready:
            return False
        if self._publish_drops():
            return True
        return self._publish_events(now)

    def _process_acks(self) -> None:
        deleted_events = 0
        messages = 0
        reported_drops: list[int] = []
        failures: list[tuple[_Message, str]] = []
        with self._cond:
            while self._acks:
                ack = self._acks.popleft()
                message = self._inflight.pop(ack.mid, None)
                if message is None:
                    continue  # status messages
                if ack.failure is not None:
                    failures.append((message, ack.failure))
                    if message.kind == "events":
                        self._retry.append((message.first_seq, message.last_seq))
                        self._retry.sort()
                        self._retry_at = self._clock() + _RETRY_AFTER_S
                    continue
                messages += 1
                if message.kind == "events":
                    self._pending_deletes.append((message.first_seq, message.last_seq))
                    deleted_events += message.count
                else:
                    reported_drops.extend(message.drop_ids)
            if not self._inflight:
                self._barrier = False
            if messages:
                self._puback_logged.clear()
            inflight = len(self._inflight)
        self._metrics.inflight.set(inflight)
        if deleted_events:
            self._metrics.published_events.inc(deleted_events)
        if messages:
            self._metrics.published_messages.inc(messages)
        for message, reason in failures:
            self._metrics.publish_refused.labels(reason="puback_failure").inc()
            with self._cond:
                first = reason not in self._puback_logged
                self._puback_logged.add(reason)
            if first:  # once per reason and connection; the counter has every refusal
                self._log.error(
                    "broker refused a message; it stays in the outbox and is retried",
                    reason=reason,
                    kind=message.kind,
                    first_seq=message.first_seq,
                    last_seq=message.last_seq,
                )
        if reported_drops:
            self._outbox.mark_drops_reported(reported_drops)

    def _flush_deletes(self, force: bool = False) -> None:
        now = self._clock()
        with self._cond:
            if not self._pending_deletes:
                return
            if not force and now - self._last_delete < _DELETE_EVERY_S:
                self._wake_at = min(self._wake_at, self._last_delete + _DELETE_EVERY_S)
                return
            spans, self._pending_deletes = self._pending_deletes, []
        self._last_delete = now
        try:
            self._outbox.delete(spans)
        except OutboxError:
            with self._cond:
                self._pending_deletes = spans + self._pending_deletes
            raise
        self._metrics.outbox_depth.set(self._outbox.depth)

    def _maybe_heartbeat(self, now: float) -> None:
        if self._mqtt.heartbeat_s <= 0:
            return
        if now < self._next_heartbeat:
            self._wake_at = min(self._wake_at, self._next_heartbeat)
            return
        self._next_heartbeat = now + self._mqtt.heartbeat_s
        self._wake_at = min(self._wake_at, self._next_heartbeat)
        if not self.connected:
            return
        payload = heartbeat_payload(
            self.topics, now, now - self._started_at, self._metrics.snapshot()
        )
        info = self.client.publish(self.topics.heartbeat, payload, qos=0)
        if info.rc not in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            self._metrics.publish_refused.labels(reason=_rc_name(info.rc)).inc()

    def _publish_drops(self) -> bool:
        if not self._outbox.has_unreported_drops:
            return False
        with self._cond:
            if any(m.kind == "drops" for m in self._inflight.values()):
                return False
        drops = self._outbox.unreported_drops()
        if not drops:
            return False
        message = _Message("drops", drop_ids=tuple(d.id for d in drops))
        return self._publish(self.topics.dropped, drops_payload(self.topics, drops), message)

    def _split(self, rows: list[OutboxRow]) -> list[list[OutboxRow]]:
        """Cut rows into messages of at most ``max_events`` events and ``max_bytes`` (but at
        least one event each)."""
        batches: list[list[OutboxRow]] = []
        current: list[OutboxRow] = []
        size = 0
        for row in rows:
            grown = size + len(row.payload) + 1
            if current and (
                len(current) == self._batch.max_events or grown > self._batch.max_bytes
            ):
                batches.append(current)
                current, grown = [], len(row.payload) + 1
            current.append(row)
            size = grown
        if current:
            batches.append(current)
        return batches

    def _next_rows(self, now: float) -> list[OutboxRow] | None:
        """The next batch to send, or ``None`` (nothing ready; ``_wake_at`` says when).

        Full batches are read ahead, several per query (``_ready``); a partial batch is sent
        only once its oldest event has waited ``linger_ms`` (or at shutdown)."""
        with self._cond:
            retry = self._retry[0] if self._retry and now >= self._retry_at else None
            if self._retry and retry is None:
                self._wake_at = min(self._wake_at, self._retry_at)
            cursor = self._cursor
            closing = self._closing
        if retry is not None:
            rows = self._outbox.range(*retry)
            with self._cond:
                self._retry.remove(retry)
            return rows or None
        if self._ready:
            return self._ready[0]
        limit = self._batch.max_events * _READ_AHEAD_BATCHES
        known, self._lingering = self._lingering, []
        if not known or known[0].seq <= cursor or self._lingering_drops != self._outbox.drops:
            known = []  # the cursor moved or events were dropped since: read it all again
        after = known[-1].seq if known else cursor
        rows, more = self._outbox.peek(after, limit - len(known))
        if known:
            rows = known + rows
        if not rows:
            return None
        batches = self._split(rows)
        tail = batches.pop()
        if len(tail) == self._batch.max_events:
            batches.append(tail)
        if batches:  # the partial tail (if any) is read again with what follows it
            self._ready.extend(batches)
            return self._ready[0]
        if not more and not closing:
            deadline = tail[0].created_at + self._batch.linger_ms / 1000
            if now < deadline:
                self._wake_at = min(self._wake_at, deadline)
                self._lingering = tail
                self._lingering_drops = self._outbox.drops
                return None
        return tail

    def _publish_events(self, now: float) -> bool:
        rows = self._next_rows(now)
        if rows is None:
            return False
        from_ready = bool(self._ready) and rows is self._ready[0]
        wait = self._bucket.take(len(rows), now)
        if wait > 0:
            self._put_back(rows)
            self._wake_at = min(self._wake_at, now + wait)
            return False
        payload = document_bytes([row.payload for row in rows], creation_date(now))
        message = _Message("events", rows[0].seq, rows[-1].seq, len(rows))
        if not self._publish(self.topics.events, payload, message):
            self._bucket.refund(len(rows))
            self._put_back(rows)
            return False
        if from_ready:
            self._ready.popleft()
        with self._cond:
            self._cursor = max(self._cursor, rows[-1].seq)
        return True

    def _put_back(self, rows: list[OutboxRow]) -> None:
        """A batch that could not be sent now: a retried range goes back to the retry list
        (new batches stay in ``_ready`` or are read again after the cursor)."""
        with self._cond:
            if rows[0].seq <= self._cursor:
                self._retry.insert(0, (rows[0].seq, rows[-1].seq))

    def _publish(self, topic: str, payload: bytes, message: _Message) -> bool:
        """Publish at QoS 1 and track the message. False if paho refused it."""
        try:
            info = self.client.publish(topic, payload, qos=1)
        except ValueError as exc:  # invalid topic or oversized payload: a bug, not weather
            self._metrics.publish_refused.labels(reason="invalid").inc()
            self._log.error("paho rejected a publish", error=str(exc), topic=topic)
            self._backoff_until = self._clock() + _RETRY_AFTER_S
            return False
        rc = info.rc
        if rc in (MQTTErrorCode.MQTT_ERR_SUCCESS, MQTTErrorCode.MQTT_ERR_NO_CONN):
            with self._cond:
                self._inflight[info.mid] = message
                if rc == MQTTErrorCode.MQTT_ERR_NO_CONN:
                    self._barrier = True  # paho sends it after the reconnect; keep order
                inflight = len(self._inflight)
            self._metrics.inflight.set(inflight)
            return True
        reason = _rc_name(rc)
        self._metrics.publish_refused.labels(reason=reason).inc()
        now = self._clock()
        with self._cond:
            first = now - self._refusal_logged.get(reason, -_REFUSAL_LOG_EVERY_S) >= (
                _REFUSAL_LOG_EVERY_S
            )
            if first:
                self._refusal_logged[reason] = now
        if first:  # at most once a minute per code; the counter has every refusal
            self._log.warning(
                "paho refused a publish; the events stay in the outbox",
                rc=reason,
                inflight=self.inflight_count,
            )
        self._backoff_until = self._clock() + _REFUSED_BACKOFF_S
        return False

    # -- shutdown ----------------------------------------------------------------------------

    def close(self, timeout: float = 5.0) -> None:
        """Publish what can be published within ``timeout``, say ``offline``, disconnect.

        Events not acknowledged by then stay in the outbox for the next start."""
        with self._cond:
            self._closing = True
            self._close_deadline = self._clock() + timeout
            self._poke()
        if self._worker.is_alive():
            self._worker.join(timeout + 5.0)
        with self._cond:
            self._stopped = True
            connected = self._connected
        if connected:
            info = self.client.publish(
                self.topics.status,
                status_payload(self.topics, "offline", self._clock(), reason="shutdown"),
                qos=1,
                retain=True,
            )
            if info.rc == MQTTErrorCode.MQTT_ERR_SUCCESS:
                with contextlib.suppress(RuntimeError, ValueError):
                    info.wait_for_publish(timeout=2.0)
        self.client.disconnect()
        self.client.loop_stop()
        # paho closes its loop's wake-up socket pair only in Client.__del__; the client sits in
        # a reference cycle with our callbacks, so that would wait for the cyclic GC (and warn).
        self.client._reset_sockets()
        self._metrics.connected.set(0)
        self._log.info("publisher stopped", outbox_depth=self._outbox.depth)
