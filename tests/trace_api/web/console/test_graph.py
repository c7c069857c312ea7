"""The trace graph picture: places in columns by stage, arrows for moves and transformation
inputs, recalled goods marked (SQLite and PostgreSQL)."""

from __future__ import annotations

from itertools import pairwise
from xml.etree import ElementTree

from sqlalchemy.engine import Engine

from tests.trace_api.trace.chain import DC, FARM_A, H1, L1, PACKER, R1, R2, c
from trace_api.recall import declare_recall
from trace_api.trace import trace
from trace_api.web.console.graph import draw, layout
from trace_api.web.console.i18n import words


def test_layers_and_arrows_of_a_lot(export_db: Engine) -> None:
    picture = layout(trace(export_db, L1, "both").to_dict(), words("en"))
    assert picture.columns == ["Farms", "Packers", "Distribution centres", "Stores"]
    columns = {b.name: b.column for b in picture.boxes.values()}
    assert columns == {"Farm A": 0, "Packhouse": 1, "DC": 2, "Shop One": 3, "Shop Two": 3}
    arrows = {(a.source, a.target): a for a in picture.arrows}
    assert set(arrows) == {
        (c(FARM_A), c(PACKER)),
        (c(PACKER), c(DC)),
        (c(DC), c(R1)),
        (c(DC), c(R2)),
    }
    assert arrows[(c(FARM_A), c(PACKER))].kind == "transformation"
    assert sorted(arrows[(c(FARM_A), c(PACKER))].objects) == ["H1", "H2"]
    assert arrows[(c(DC), c(R1))].kind == "shipment" and arrows[(c(DC), c(R1))].objects == ["L1"]
    boxes = sorted(picture.boxes.values(), key=lambda b: (b.column, b.y))
    for upper, lower in pairwise(boxes):
        if upper.column == lower.column:
            assert upper.y + upper.height < lower.y  # no overlap
    svg = ElementTree.fromstring(draw(picture, "L1"))
    assert svg.tag.endswith("svg")
    assert not [b for b in picture.boxes.values() if b.recalled]


def test_recalled_goods_are_marked_and_chinese_names_used(export_db: Engine) -> None:
    declare_recall(export_db, [H1], "test")
    picture = layout(trace(export_db, H1, "forward").to_dict(), words("zh"), "zh")
    recalled = {b.name for b in picture.boxes.values() if b.recalled}
    assert "甲农场" in recalled  # Farm A's Chinese name; it held the recalled lot H1
    assert picture.columns[0] == "农场"
    assert 'class="node recalled"' in draw(picture, "H1")
