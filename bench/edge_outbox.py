"""Edge agent: durable outbox write rate and publisher throughput to a real Mosquitto.

What it measures (cases interleaved round by round; figures are medians over the rounds):

  outbox     events/s appended to :class:`edge_agent.outbox.Outbox` (SQLite WAL, one file on
             the local disk), pre-sealed ≈ 520-byte events, for
               * single-event transactions (one ``append`` per event: one commit each) and
               * batched transactions (``--txn`` events per ``append``),
             each with ``synchronous=FULL`` (the agent's setting: a commit survives power loss)
             and ``synchronous=NORMAL`` side by side.
  feed       events/s through ``Pipeline.feed`` with no broker: EPC decode, filters, presence,
             event building, CBV 2.0 hash, seal and the outbox commit (FULL), one ``feed`` call
             per ``--txn`` reads (every read a new tag, so every read is an event).
  publisher  events/s delivered to a paho subscriber (its own process) by the agent's publisher
             (QoS 1, ``replay_rate`` 0 = unthrottled, default ``max_unacked`` 100), for documents
             of 50 events and of 1 event: once it is connected, the events are committed to its
             outbox in one transaction, and the time runs from that commit to the last message
             at the subscriber (reading the outbox, building documents, publishing, PUBACK-driven
             deletes included).
  raw paho   the same payloads (the very documents the agent sent, same sizes) published by a
             bare paho client (QoS 1, at most 1,000 unacknowledged, paho's in-flight window 20)
             to the same broker and subscriber: the transport ceiling for that message size.

The broker is Mosquitto from ``tests/support/mosquitto.py`` (``new_broker()``: persistence on,
passwords, loopback), started by this script. Publisher, broker and subscriber share the
machine's 2 cores. The reference in ``shared/notes/limits.md`` (≈ 18,400 QoS 1 600-byte
messages/s) used a broker with persistence off and anonymous access.

    .venv/bin/python bench/edge_outbox.py                 # 3 rounds
    .venv/bin/python bench/edge_outbox.py --rounds 1 --quick
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # as a script: keep bench/ off sys.path (no shadowing)
    _here = Path(__file__).resolve().parent
    sys.path[:] = [str(_here.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _here]

import argparse
import multiprocessing as mp
import multiprocessing.connection
import statistics
import tempfile
import threading
import time
from collections.abc import Mapping
from typing import Any

import orjson
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode

from edge_agent.config import StationConfig, load_config
from edge_agent.outbox import Outbox
from edge_agent.pipeline import Pipeline
from edge_agent.reads import StampedRead, TagRead
from tests.support.mosquitto import MosquittoBroker, new_broker, remove_broker

READ_POINT = "urn:epc:id:sgln:4012345.00001.0"
BASE = "bench/site/st-1"


def sgtin_hex(serial: int) -> str:
    value = (0x30 << 88) | (3 << 85) | (5 << 82) | (614141 << 58) | (812345 << 38)
    return f"{value | serial:024X}"


def config(directory: Path, broker: MosquittoBroker | None, batch: int) -> StationConfig:
    mqtt_section: dict[str, Any] = {"host": "127.0.0.1", "heartbeat_s": 0}
    if broker is not None:
        user, password = broker.credentials()
        mqtt_section.update(port=broker.port, username=user, password=password)
    return load_config(
        None,
        station={"id": "st-1", "site": "site", "read_point": READ_POINT},
        reader={"port": "loop://", "region": "etsi"},
        role={
            "kind": "shipping",
            "destinations": [{"type": "owning_party", "id": "urn:epc:id:pgln:4098765.00000"}],
        },
        mqtt={**mqtt_section, "topic_root": "bench"},
        batch={"max_events": batch, "linger_ms": 0, "max_bytes": 4_000_000},
        outbox={"path": str(directory / "outbox.sqlite3"), "replay_rate": 0},
        metrics={"enabled": False},
    )


def sealed_events(n: int) -> list[bytes]:
    """``n`` real sealed events (hash included), as the agent stores them."""
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline.from_config(config(Path(tmp), None, 50), publish=False)
        now = time.time_ns()
        pipeline.feed(StampedRead(TagRead(sgtin_hex(i), 1, -50), now) for i in range(n))
        rows, _ = pipeline.outbox.peek(0, n)
        pipeline.close()
    return [row.payload for row in rows]


# --- outbox ---------------------------------------------------------------------------------


def bench_outbox(payloads: list[bytes], per_txn: int, sync: str) -> float:
    def seal(_event: Mapping[str, Any], seq: int) -> tuple[str, bytes]:
        return f"id-{seq}", payloads[seq % len(payloads)]

    with tempfile.TemporaryDirectory() as tmp:
        box = Outbox(Path(tmp) / "o.sqlite3", station_id="st-1", synchronous=sync)  # type: ignore[arg-type]
        events: list[dict[str, Any]] = [{}] * per_txn
        n = len(payloads)
        start = time.perf_counter()
        for _ in range(n // per_txn):
            box.append(events, seal)
        elapsed = time.perf_counter() - start
        box.close()
    return (n // per_txn) * per_txn / elapsed


def bench_feed(n: int, per_call: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        pipeline = Pipeline.from_config(config(Path(tmp), None, 50), publish=False)
        now = time.time_ns()
        reads = [StampedRead(TagRead(sgtin_hex(i), 1, -50), now) for i in range(n)]
        start = time.perf_counter()
        for i in range(0, n, per_call):
            pipeline.feed(reads[i : i + per_call])
        elapsed = time.perf_counter() - start
        pipeline.close()
    return n / elapsed


# --- MQTT -----------------------------------------------------------------------------------


def subscriber_main(
    host: str, port: int, user: str, password: str, topic: str, conn: mp.connection.Connection
) -> None:
    """Child process: count messages and events; report the time of the last one."""
    expected = conn.recv()
    state: dict[str, float] = {"messages": 0, "events": 0}
    done = threading.Event()
    subscribed = threading.Event()

    def on_connect(client: mqtt.Client, *_args: Any) -> None:
        client.subscribe(topic, qos=1)

    def on_subscribe(*_args: Any) -> None:
        subscribed.set()

    def on_message(_client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        state["messages"] += 1
        state["events"] += message.payload.count(b'"ft:seq"')
        if state["messages"] >= expected:
            state["last"] = time.time()
            done.set()

    while expected:
        client = mqtt.Client(CallbackAPIVersion.VERSION2, clean_session=True)
        client.username_pw_set(user, password)
        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        client.connect(host, port)
        client.loop_start()
        subscribed.wait(10)
        conn.send("ready")
        done.wait(600)
        conn.send((state["messages"], state["events"], state.get("last", 0.0)))
        client.disconnect()
        client.loop_stop()
        client._reset_sockets()  # paho closes its socket pair only in __del__
        state.update(messages=0, events=0)
        done.clear()
        subscribed.clear()
        expected = conn.recv()


class Subscriber:
    def __init__(self, broker: MosquittoBroker, topic: str) -> None:
        user, password = broker.credentials()
        self.conn, child = mp.Pipe()
        self.proc = mp.get_context("spawn").Process(
            target=subscriber_main, args=(broker.host, broker.port, user, password, topic, child)
        )
        self.proc.start()

    def expect(self, messages: int) -> None:
        self.conn.send(messages)
        assert self.conn.recv() == "ready"

    def result(self) -> tuple[int, int, float]:
        messages, events, last = self.conn.recv()
        return int(messages), int(events), float(last)

    def close(self) -> None:
        self.conn.send(0)
        self.proc.join(10)
        self.conn.close()


def bench_publisher(
    broker: MosquittoBroker, sub: Subscriber, payloads: list[bytes], batch: int
) -> tuple[float, list[bytes]]:
    """Events/s delivered, and the documents the agent sent (for the raw paho case)."""
    messages = -(-len(payloads) // batch)
    with tempfile.TemporaryDirectory() as tmp:
        settings = config(Path(tmp), broker, batch)
        pipeline = Pipeline.from_config(settings)
        publisher = pipeline.publisher
        assert publisher is not None
        docs: list[bytes] = []
        original = publisher.client.publish

        def recording(topic: str, payload: Any = None, *args: Any, **kwargs: Any) -> Any:
            if topic.endswith("/events"):
                docs.append(payload)
            return original(topic, payload, *args, **kwargs)

        publisher.client.publish = recording  # type: ignore[method-assign]
        pipeline.start(tick_interval=None)
        deadline = time.monotonic() + 10
        while not publisher.connected and time.monotonic() < deadline:
            time.sleep(0.01)
        sub.expect(messages)
        # one transaction: the publisher is woken when it commits; the clock starts then
        pipeline.outbox.append([{}] * len(payloads), lambda _e, seq: (f"{seq}", payloads[seq - 1]))
        start = time.time()
        got_messages, got_events, last = sub.result()
        assert publisher.wait_drained(60)
        pipeline.close()
    assert (got_messages, got_events) == (messages, len(payloads)), (got_messages, got_events)
    return len(payloads) / (last - start), docs


def bench_raw_paho(
    broker: MosquittoBroker, sub: Subscriber, docs: list[bytes], window: int = 1000
) -> float:
    """Events/s when a bare paho client publishes the same documents (QoS 1)."""
    user, password = broker.credentials()
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id="raw-paho", clean_session=True)
    client.username_pw_set(user, password)
    acked = threading.Semaphore(window)
    client.on_publish = lambda *_args: acked.release()
    connected = threading.Event()
    client.on_connect = lambda *_args: connected.set()
    client.connect(broker.host, broker.port)
    client.loop_start()
    connected.wait(10)
    sub.expect(len(docs))
    events = sum(d.count(b'"ft:seq"') for d in docs)
    start = time.time()
    for doc in docs:
        acked.acquire()
        info = client.publish(f"{BASE}/events", doc, qos=1)
        if info.rc != MQTTErrorCode.MQTT_ERR_SUCCESS:
            raise RuntimeError(f"publish refused: {info.rc}")
    got_messages, got_events, last = sub.result()
    client.disconnect()
    client.loop_stop()
    client._reset_sockets()
    assert (got_messages, got_events) == (len(docs), events)
    return events / (last - start)


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    parser.add_argument("--txn", type=int, default=100, help="events per batched transaction")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args()
    scale = 0.2 if args.quick else 1.0
    n_batched = int(20_000 * scale)
    n_single_full = int(2_000 * scale)
    n_single_normal = int(10_000 * scale)
    n_pub50 = int(20_000 * scale)
    n_pub1 = int(5_000 * scale)

    print("preparing sealed events …", flush=True)
    payloads = sealed_events(max(n_batched, n_pub50))
    print(f"event size: median {statistics.median(len(p) for p in payloads)} bytes", flush=True)

    results: dict[str, list[float]] = {}

    def record(name: str, value: float) -> None:
        results.setdefault(name, []).append(value)
        print(f"  {name:<48} {value:>12,.0f}", flush=True)

    broker = new_broker()
    broker.start()
    sub = Subscriber(broker, f"{BASE}/events")
    try:
        for round_no in range(1, args.rounds + 1):
            print(f"round {round_no}", flush=True)
            for sync in ("FULL", "NORMAL"):
                n_single = n_single_full if sync == "FULL" else n_single_normal
                record(f"outbox {sync}, 1 event/txn", bench_outbox(payloads[:n_single], 1, sync))
                record(
                    f"outbox {sync}, {args.txn} events/txn",
                    bench_outbox(payloads[:n_batched], args.txn, sync),
                )
            record(f"feed (decode+hash+outbox), {args.txn} reads/call", bench_feed(
                n_batched // 2, args.txn))  # fmt: skip
            for batch, n in ((50, n_pub50), (1, n_pub1)):
                rate, docs = bench_publisher(broker, sub, payloads[:n], batch)
                record(f"publisher, {batch} events/message", rate)
                size = statistics.median(len(d) for d in docs)
                record(
                    f"raw paho, same {size:,.0f}-byte messages", bench_raw_paho(broker, sub, docs)
                )
    finally:
        sub.close()
        remove_broker(broker)

    print("\n| case | events/s (median) | min | max | runs |\n|---|---:|---:|---:|---:|")
    for name, values in results.items():
        print(
            f"| {name} | {statistics.median(values):,.0f} | {min(values):,.0f} | "
            f"{max(values):,.0f} | {len(values)} |"
        )
    if args.json:
        args.json.write_text(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
