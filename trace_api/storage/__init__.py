"""Repository functions of the traceability database.

Ingest path: :func:`prepare_event` (pure, per event) then :func:`store_events` (per batch, one
transaction, idempotent). Everything takes a :data:`Target`: an engine, a connection or a
session.
"""

from trace_api.storage.captures import create_capture_job, finish_capture_job
from trace_api.storage.connection import Target
from trace_api.storage.context import PreparedContext, prepare_context
from trace_api.storage.dead_letters import record_dead_letter
from trace_api.storage.events import RawEvent, StoreResult, get_events_raw, store_events
from trace_api.storage.master import MasterDataCounts, load_master_data, load_master_file
from trace_api.storage.prepare import FOODTRACE_NS, PreparedEvent, prepare_event
from trace_api.storage.stations import (
    SequenceState,
    record_station_seqs,
    station_gaps,
    station_sequence,
)

__all__ = [
    "FOODTRACE_NS",
    "MasterDataCounts",
    "PreparedContext",
    "PreparedEvent",
    "RawEvent",
    "SequenceState",
    "StoreResult",
    "Target",
    "create_capture_job",
    "finish_capture_job",
    "get_events_raw",
    "load_master_data",
    "load_master_file",
    "prepare_context",
    "prepare_event",
    "record_dead_letter",
    "record_station_seqs",
    "station_gaps",
    "station_sequence",
    "store_events",
]
