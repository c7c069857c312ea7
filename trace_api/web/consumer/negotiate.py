"""What a resolver client wants back, from its ``Accept`` header."""

from __future__ import annotations

__all__ = ["HTML", "JSON", "LINKSET", "preferred"]

HTML, JSON, LINKSET = "html", "json", "linkset"
_KINDS = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/json": JSON,
    "application/problem+json": JSON,
    "application/ld+json": JSON,
    "application/linkset+json": LINKSET,
}


def preferred(accept: str | None) -> str:
    """``html`` (browsers, ``*/*`` and no header: the default link is a page), ``json`` or
    ``linkset``; the highest quality wins, then the order written."""
    best: tuple[float, int, str] | None = None
    for position, item in enumerate((accept or "").split(",")):
        media, _, params = item.strip().partition(";")
        kind = _KINDS.get(media.strip().lower())
        if kind is None:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        candidate = (quality, -position, kind)
        if best is None or candidate[:2] > best[:2]:
            best = candidate
    return best[2] if best else HTML
