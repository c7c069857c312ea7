"""Direction values are part of the JSON contract (``"direction"`` of ``reader decode``)."""

from __future__ import annotations

from foodtrace.reader.direction import Direction


def test_values() -> None:
    assert [d.value for d in Direction] == ["host->reader", "reader->host"]
    assert Direction("reader->host") is Direction.READER_TO_HOST
