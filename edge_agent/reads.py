"""What the pipeline consumes: a :class:`foodtrace.reader.TagRead` stamped with the edge clock.

Readers have no wall clock, so the agent stamps each tag read with the host's clock when the
frame arrived (``time.time_ns()``, kept right by NTP/chrony). The reader driver may hand bare
``TagRead`` values to :meth:`edge_agent.pipeline.Pipeline.feed`; the pipeline stamps them on
arrival. Sensor tags add a temperature (sensor_reporting stations).
"""

from __future__ import annotations

from dataclasses import dataclass

from foodtrace.reader.records import TagRead

__all__ = ["StampedRead", "TagRead"]


@dataclass(frozen=True, slots=True)
class StampedRead:
    """One tag read with the edge time it happened.

    ``time_ns`` is Unix time in nanoseconds from the host clock; ``temperature_c`` is the
    temperature a sensor tag reported with this read, in degrees Celsius.
    """

    tag: TagRead
    time_ns: int
    temperature_c: float | None = None

    @property
    def antenna(self) -> int:
        """1-based antenna; readers that do not report one have a single antenna, 1."""
        return self.tag.antenna if self.tag.antenna is not None else 1
