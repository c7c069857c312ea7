"""Two ingest workers storing the same events at once: each event and its rows land once."""

from __future__ import annotations

import random
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from trace_api.models import Event, EventIdentifier, StationSequenceGap
from trace_api.storage import FOODTRACE_NS, StoreResult, prepare_event, station_gaps, store_events

CONTEXT = [{"ft": FOODTRACE_NS}]
WORKERS = 4


def _event(seq: int) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventID": f"urn:uuid:00000000-0000-4000-8000-{seq:012d}",
        "eventTime": "2026-03-01T10:00:00+08:00",
        "eventTimeZoneOffset": "+08:00",
        "action": "OBSERVE",
        "epcList": [
            f"urn:epc:id:sgtin:0614141.107346.{seq}",
            f"urn:epc:id:sgtin:0614141.107346.x{seq}",
        ],
        "ft:stationID": "dc-1",
        "ft:seq": seq,
    }


def test_concurrent_redelivery_stores_each_event_once(db: Engine) -> None:
    # Every worker gets all events 1..200 except 50..59, each in its own random order.
    seqs = [s for s in range(1, 201) if not 50 <= s < 60]
    results: list[StoreResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(WORKERS)

    def work(worker: int) -> None:
        mine = list(seqs)
        random.Random(worker).shuffle(mine)
        try:
            start.wait()
            for first in range(0, len(mine), 40):
                batch = [prepare_event(_event(s), CONTEXT) for s in mine[first : first + 40]]
                results.append(store_events(db, batch))
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    stored = [event_id for result in results for event_id in result.stored]
    assert len(stored) == len(seqs) == len(set(stored))
    duplicates = sum(len(result.duplicates) for result in results)
    assert duplicates == (WORKERS - 1) * len(seqs)
    with db.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(Event)).scalar_one()
        identifiers = connection.execute(
            sa.select(sa.func.count()).select_from(EventIdentifier)
        ).scalar_one()
        gap_rows = connection.execute(
            sa.select(sa.func.count()).select_from(StationSequenceGap)
        ).scalar_one()
    assert (count, identifiers) == (len(seqs), 2 * len(seqs))
    assert station_gaps(db, "dc-1") == [(50, 59)]
    assert gap_rows == 1
