"""What an export covers: a set of lots (traceability lot codes), or a product (GTIN) with an
optional date range of event times."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from trace_api.exceptions import ExportError
from trace_api.trace.resolve import resolve

__all__ = ["Selection", "make_selection", "parse_time"]


@dataclass(frozen=True, slots=True)
class Selection:
    """Canonical lot links, or a canonical GTIN link; ``start`` ≤ event time < ``end``."""

    lots: tuple[str, ...] = ()
    gtin: str | None = None
    start: datetime | None = None
    end: datetime | None = None

    def describe(self) -> str:
        """One line naming the selection (written into the exports)."""
        what = f"lots {', '.join(self.lots)}" if self.lots else f"product {self.gtin}"
        if self.start or self.end:
            low = self.start.isoformat() if self.start else "…"
            high = self.end.isoformat() if self.end else "…"
            what += f", events from {low} to {high}"
        return what

    def within(self, time: datetime) -> bool:
        """Whether an event time is inside the date range."""
        return (self.start is None or time >= self.start) and (self.end is None or time < self.end)


def parse_time(value: str, name: str) -> datetime:
    """An RFC 3339 time or a date (``YYYY-MM-DD``, midnight UTC); naive times are UTC."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise ExportError(f"{name} {value!r} is neither a date (YYYY-MM-DD) nor a time") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def make_selection(
    lots: Iterable[str] = (),
    gtin: str | None = None,
    start: datetime | str | None = None,
    end: datetime | str | None = None,
) -> Selection:
    """A checked selection: ``lots`` (LGTIN URNs or Digital Links with ``/10/``) or ``gtin``
    (a GTIN or its Digital Link), not both; ``start`` before ``end``."""
    lot_values = [v for v in lots if v.strip()]
    if bool(lot_values) == bool(gtin):
        raise ExportError("name either lots (--lot) or a product (--gtin), not both or neither")
    low = parse_time(start, "from") if isinstance(start, str) else start
    high = parse_time(end, "to") if isinstance(end, str) else end
    if low is not None and high is not None and low >= high:
        raise ExportError(f"the date range is empty: from {low.isoformat()} to {high.isoformat()}")
    canonical_lots = []
    for value in lot_values:
        resolved = resolve(value)
        if resolved.kind != "lot":
            raise ExportError(f"{value!r} is not a lot (an LGTIN, or a Digital Link with /10/)")
        canonical_lots.append(resolved.canonical)
    canonical_gtin = None
    if gtin:
        resolved = resolve(gtin)
        if resolved.kind != "gtin":
            raise ExportError(f"{gtin!r} is not a GTIN")
        canonical_gtin = resolved.canonical
    return Selection(tuple(sorted(set(canonical_lots))), canonical_gtin, low, high)
