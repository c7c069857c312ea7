"""The GS1-* response headers of the EPCIS 2.0 REST binding."""

from __future__ import annotations

from trace_api.api.limits import CaptureLimits

__all__ = ["VERSION_HEADERS", "capture_headers", "discovery_headers"]

VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}


def discovery_headers(allow: str) -> dict[str, str]:
    """Headers of an ``OPTIONS`` answer: methods and supported versions."""
    return {
        "Allow": allow,
        "GS1-EPCIS-Min": "2.0.0",
        "GS1-EPCIS-Max": "2.0.0",
        "GS1-CBV-Min": "2.0.0",
        "GS1-CBV-Max": "2.0.0",
        "GS1-Extensions": "",
        **VERSION_HEADERS,
    }


def capture_headers(limits: CaptureLimits) -> dict[str, str]:
    """The capture limits and error behaviours ``/capture`` accepts."""
    return {
        "GS1-EPCIS-Capture-Limit": str(limits.max_events),
        "GS1-EPCIS-Capture-File-Size-Limit": str(limits.max_bytes),
        "GS1-Capture-Error-Behaviour": "rollback, proceed",
    }
