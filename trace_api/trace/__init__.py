"""Trace back and forward: genealogy graph, journey timeline and current holders over the
stored EPCIS events (aggregation windows, transformations, shipping and receiving,
commissioning; corrections honoured)."""

from trace_api.trace.resolve import Resolved, resolve
from trace_api.trace.service import Trace, trace

__all__ = ["Resolved", "Trace", "resolve", "trace"]
