"""The MQTT topic scheme and the small JSON payloads next to the event documents.

=======================================  ====  ========  =======================================
topic                                    QoS   retained  payload
=======================================  ====  ========  =======================================
``{root}/{site}/{station}/events``       1     no        EPCISDocument, 1..``batch.max_events``
                                                         events in ``ft:seq`` order
``{root}/{site}/{station}/status``       1     yes       ``{"state": "online"|"offline", …}``;
                                                         ``offline`` is also the last will
``{root}/{site}/{station}/heartbeat``    0     no        counters, every ``mqtt.heartbeat_s``
``{root}/{site}/{station}/dropped``      1     no        seq ranges the outbox had to drop
=======================================  ====  ========  =======================================

``root`` is ``mqtt.topic_root`` (default ``foodtrace/v1``). Payloads are UTF-8 JSON with
camelCase keys; times are RFC 3339 UTC.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from edge_agent.document import creation_date
from edge_agent.outbox import DropRecord

__all__ = ["Topics", "drops_payload", "heartbeat_payload", "status_payload"]

AGENT = "foodtrace-edge"


@dataclass(frozen=True, slots=True)
class Topics:
    root: str
    site: str
    station: str

    @property
    def base(self) -> str:
        return f"{self.root}/{self.site}/{self.station}"

    @property
    def events(self) -> str:
        return f"{self.base}/events"

    @property
    def status(self) -> str:
        return f"{self.base}/status"

    @property
    def heartbeat(self) -> str:
        return f"{self.base}/heartbeat"

    @property
    def dropped(self) -> str:
        return f"{self.base}/dropped"


def _identity(topics: Topics) -> dict[str, Any]:
    return {"site": topics.site, "station": topics.station}


def status_payload(
    topics: Topics,
    state: str,
    now: float | None,
    reason: str | None = None,
    version: str | None = None,
) -> bytes:
    """``now`` is left out for the last will (it would be stale when the broker sends it)."""
    body: dict[str, Any] = {"state": state, **_identity(topics)}
    if now is not None:
        body["time"] = creation_date(now)
    if reason is not None:
        body["reason"] = reason
    if version is not None:
        body["agent"] = f"{AGENT} {version}"
    return orjson.dumps(body)


def heartbeat_payload(
    topics: Topics, now: float, uptime_s: float, counters: Mapping[str, int]
) -> bytes:
    body: dict[str, Any] = {
        **_identity(topics),
        "time": creation_date(now),
        "uptimeS": round(uptime_s, 1),
        **counters,
    }
    return orjson.dumps(body)


def drops_payload(topics: Topics, drops: Sequence[DropRecord]) -> bytes:
    body = {
        **_identity(topics),
        "ranges": [
            {
                "firstSeq": d.first_seq,
                "lastSeq": d.last_seq,
                "count": d.count,
                "reason": d.reason,
                "droppedAt": creation_date(d.dropped_at),
            }
            for d in drops
        ],
    }
    return orjson.dumps(body)
