"""The trace graph as an SVG people can read: the places a trace went through, layered left to
right by stage (farms, packers, processors, distribution centres, shops), with arrows for the
moves between them (shipments, solid) and for inputs consumed by a transformation elsewhere
(dashed). Each box names the place, its business, and the traced lots or items seen there;
a place holding recalled goods is drawn in red.

The picture is derived from a trace result (:meth:`trace_api.trace.Trace.to_dict`): an item's
or logistic unit's timeline gives its sequence of places, consecutive different places being a
move; a lot, which can be in several places at once, moves only by its shipments
(``shipped_to``) and by the transformations that consume it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any
from xml.sax.saxutils import escape

__all__ = ["GraphPicture", "draw", "layout"]

_STAGES = ("farm", "port", "packer", "processor", "lab", "dc", "retail")
_BOX_W, _COL_GAP, _ROW_GAP, _LINE = 200, 110, 28, 16
_MARGIN_X, _MARGIN_TOP = 20, 44
_MAX_OBJECTS = 4


@dataclass(slots=True)
class Box:
    id: str
    name: str
    business: str | None
    kind: str | None
    objects: list[str] = field(default_factory=list)
    recalled: bool = False
    column: int = 0
    x: float = 0
    y: float = 0
    height: float = 0


@dataclass(slots=True)
class Arrow:
    source: str
    target: str
    kind: str  # shipment | transformation
    objects: list[str] = field(default_factory=list)


@dataclass(slots=True)
class GraphPicture:
    boxes: dict[str, Box]
    arrows: list[Arrow]
    columns: list[str]
    width: float
    height: float


def _short(identifier: str) -> str:
    """``…/01/04012345333336/10/L1`` → ``L1``; SSCC, serials likewise."""
    parts = identifier.removeprefix("https://id.gs1.org/").split("/")
    if len(parts) >= 4:
        return parts[3]
    return parts[-1]


def layout(result: dict[str, Any], labels: dict[str, str], lang: str = "en") -> GraphPicture:
    """Boxes and arrows of a trace result, placed in columns."""
    nodes = {n["id"]: n for n in result["nodes"]}
    recalled = {n["id"] for n in result["nodes"] if n.get("recalled")}
    boxes: dict[str, Box] = {}

    def box(location: str) -> Box:
        if location not in boxes:
            node = nodes.get(location, {})
            name = (node.get("name_zh") if lang == "zh" else None) or node.get("name")
            boxes[location] = Box(
                location,
                name or _short(location),
                node.get("party_name"),
                node.get("location_kind"),
            )
        return boxes[location]

    sequences: dict[str, list[tuple[str, dict[str, Any], bool]]] = defaultdict(list)
    for entry in result["timeline"]:
        if not entry.get("location"):
            continue
        place = box(entry["location"])
        for obj in entry["objects"]:
            sequences[obj].append((entry["location"], entry, True))
            if _short(obj) not in place.objects:
                place.objects.append(_short(obj))
            place.recalled |= obj in recalled
        for obj in entry.get("via", {}):
            sequences[obj].append((entry["location"], entry, False))
    arrows: dict[tuple[str, str], Arrow] = {}

    def arrow(source: str, target: str, kind: str, obj: str) -> None:
        if source == target:
            return
        found = arrows.setdefault((source, target), Arrow(source, target, kind))
        if kind == "shipment":
            found.kind = "shipment"
        if _short(obj) not in found.objects:
            found.objects.append(_short(obj))

    consumed = {
        (e["source"], e["event"]) for e in result["edges"] if e["kind"] == "transformed_into"
    }
    for obj, steps in sequences.items():
        if nodes.get(obj, {}).get("kind") in ("lot", "gtin"):
            # A lot can be in several places at once: only its shipments (below) and the
            # transformations consuming it are moves, not the order of its sightings.
            for index, (after, entry, _) in enumerate(steps):
                if (obj, entry["event"]) in consumed and index > 0:
                    arrow(steps[index - 1][0], after, "transformation", obj)
            continue
        for (before, _, _), (after, entry, _) in pairwise(steps):
            kind = "transformation" if (obj, entry["event"]) in consumed else "shipment"
            arrow(before, after, kind, obj)
    timeline_places = {e["event"]: e.get("location") for e in result["timeline"]}
    for edge in result["edges"]:
        target = nodes.get(edge["target"], {})
        if edge["kind"] == "shipped_to" and target.get("kind") == "location":
            origin = timeline_places.get(edge["event"])
            if origin:
                box(edge["target"])
                arrow(origin, edge["target"], "shipment", edge["source"])
    return _place(boxes, list(arrows.values()), labels)


def _place(boxes: dict[str, Box], arrows: list[Arrow], labels: dict[str, str]) -> GraphPicture:
    depth = dict.fromkeys(boxes, 0)
    for _ in range(len(boxes)):  # longest path, for places without a known stage
        changed = False
        for a in arrows:
            if depth[a.target] < depth[a.source] + 1:
                depth[a.target] = depth[a.source] + 1
                changed = True
        if not changed:
            break
    ranks: dict[str, tuple[int, int]] = {}
    for key, b in boxes.items():
        # A known stage is the column; a place without master data goes by its depth, after
        # the known stages it follows.
        if b.kind in _STAGES:
            ranks[key] = (_STAGES.index(b.kind), 0)
        else:
            ranks[key] = (len(_STAGES), depth[key])
    order = sorted(set(ranks.values()))
    columns: list[list[Box]] = [[] for _ in order]
    for key, b in sorted(boxes.items(), key=lambda kv: (ranks[kv[0]], kv[1].name)):
        b.column = order.index(ranks[key])
        columns[b.column].append(b)
    height = 0.0
    for index, column in enumerate(columns):
        y = float(_MARGIN_TOP)
        for b in column:
            lines = 2 + min(len(b.objects), _MAX_OBJECTS) + (1 if b.business else 0)
            b.height = 12 + lines * _LINE
            b.x = _MARGIN_X + index * (_BOX_W + _COL_GAP)
            b.y = y
            y += b.height + _ROW_GAP
        height = max(height, y)
    titles = []
    for column in columns:
        kinds = {b.kind for b in column}
        kind = kinds.pop() if len(kinds) == 1 else None
        titles.append(labels.get(f"stage_{kind}", labels.get("stage_other", "")))
    width = _MARGIN_X * 2 + len(columns) * _BOX_W + max(0, len(columns) - 1) * _COL_GAP
    return GraphPicture(boxes, arrows, titles, width, height + 10)


def _text(x: float, y: float, text: str, cls: str) -> str:
    return f'<text x="{x:.0f}" y="{y:.0f}" class="{cls}">{escape(text)}</text>'


def draw(picture: GraphPicture, title: str) -> str:
    """The SVG markup (inline, styled by the console's CSS classes)."""
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trace-graph" role="img" '
        f'viewBox="0 0 {picture.width:.0f} {picture.height:.0f}" width="{picture.width:.0f}" '
        f'height="{picture.height:.0f}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'class="arrow-head"/></marker></defs>',
    ]
    for index, name in enumerate(picture.columns):
        x = _MARGIN_X + index * (_BOX_W + _COL_GAP)
        out.append(_text(x, 24, name, "column-title"))
    for a in picture.arrows:
        s, t = picture.boxes[a.source], picture.boxes[a.target]
        forward = t.column > s.column
        x1 = s.x + _BOX_W if forward else s.x
        x2 = t.x if forward else t.x + _BOX_W
        y1, y2 = s.y + s.height / 2, t.y + t.height / 2
        bend = max(40.0, abs(x2 - x1) / 2) * (1 if forward else -1)
        cls = "edge edge-" + a.kind
        out.append(
            f'<path class="{cls}" d="M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} '
            f'{x2 - bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}" marker-end="url(#arrow)">'
            f"<title>{escape(', '.join(a.objects))}</title></path>"
        )
        label = ", ".join(a.objects[:2]) + (f" +{len(a.objects) - 2}" if len(a.objects) > 2 else "")
        if len(label) > 16:
            label = label[:15] + "…"
        out.append(_text(min(x1, x2) + 8, (y1 + y2) / 2 - 6, label, "edge-label"))
    for b in picture.boxes.values():
        cls = "node recalled" if b.recalled else "node"
        out.append(
            f'<g class="{cls}" data-id="{escape(b.id)}"><rect x="{b.x:.0f}" y="{b.y:.0f}" '
            f'width="{_BOX_W}" height="{b.height:.0f}" rx="6"/>'
        )
        y = b.y + 20
        out.append(_text(b.x + 10, y, b.name, "node-name"))
        if b.business:
            y += _LINE
            out.append(_text(b.x + 10, y, b.business, "node-business"))
        y += _LINE
        out.append(_text(b.x + 10, y, b.id.removeprefix("https://id.gs1.org/"), "node-id"))
        shown = b.objects[:_MAX_OBJECTS]
        for obj in shown:
            y += _LINE
            out.append(_text(b.x + 16, y, "• " + obj, "node-object"))
        if len(b.objects) > len(shown):
            out.append(_text(b.x + 120, y, f"+{len(b.objects) - len(shown)}", "node-more"))
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
