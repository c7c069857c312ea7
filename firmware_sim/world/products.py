"""Products and recipes of the simulated food chain (names in Chinese and English).

Five families: two fresh produce lines packed at a packhouse (spinach, strawberries) and three
processed lines whose raw lots are transformed many-to-many into packaged products with new lots
(pork from Jinhua pigs, pasteurised milk from Anji dairy farms, chilled large yellow croaker
landed at Shenjiamen). Raw milk travels untagged, by quantity (litres); every other unit is an
RFID-tagged case (SGTIN) or animal.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FAMILIES", "Family", "Product"]


@dataclass(frozen=True, slots=True)
class Product:
    """A trade item; the GTIN is given by :class:`~firmware_sim.world.masterdata.World`."""

    key: str
    item_ref: int
    name_en: str
    name_zh: str
    ingredients: tuple[tuple[str, str], ...]
    shelf_life_days: int
    temp_min_c: float | None
    temp_max_c: float | None
    tagged: bool = True


@dataclass(frozen=True, slots=True)
class Family:
    """How one product line flows: origin kind, site kind, raw product, outputs, lot sizes."""

    key: str
    origin_kind: str  # farm | port
    origin_name: tuple[str, str]  # en, zh of the origin's activity
    site_kind: str  # packer | processor
    raw: Product
    outputs: tuple[Product, ...]  # empty: the raw product itself is packed and sold
    raw_lots: tuple[int, int]
    raw_units: tuple[int, int]  # cases/animals per raw lot, or litres when untagged
    output_lots: tuple[int, int]  # per output product
    output_cases: tuple[int, int]
    weight: int  # relative share of units

    @property
    def sold(self) -> tuple[Product, ...]:
        return self.outputs or (self.raw,)


_SPINACH = Product(
    "spinach",
    10010,
    "Baby spinach, washed, 10 × 200 g",
    "嫩菠菜（已清洗）200克×10",
    (("spinach", "菠菜"),),
    7,
    0.0,
    5.0,
)
_STRAWBERRY = Product(
    "strawberry",
    10020,
    "Jiande strawberries, 8 × 250 g",
    "建德草莓 250克×8",
    (("strawberry", "草莓"),),
    5,
    0.0,
    4.0,
)
_PIG = Product(
    "pig",
    20010,
    "Live pig, Jinhua two-end-black",
    "金华两头乌生猪",
    (("pork", "猪肉"),),
    3,
    None,
    None,
)
_LOIN = Product(
    "pork_loin",
    20020,
    "Chilled pork loin, 10 × 500 g",
    "冷鲜猪里脊 500克×10",
    (("pork", "猪肉"),),
    6,
    0.0,
    4.0,
)
_RIBS = Product(
    "pork_ribs",
    20030,
    "Chilled pork ribs, 10 × 500 g",
    "冷鲜猪肋排 500克×10",
    (("pork", "猪肉"),),
    6,
    0.0,
    4.0,
)
_RAW_MILK = Product(
    "raw_milk",
    30010,
    "Raw cow milk",
    "生鲜牛乳",
    (("cow milk", "生牛乳"),),
    2,
    0.0,
    6.0,
    tagged=False,
)
_MILK = Product(
    "milk",
    30020,
    "Pasteurised whole milk, 12 × 950 ml",
    "巴氏杀菌全脂鲜牛奶 950毫升×12",
    (("cow milk", "生牛乳"),),
    7,
    2.0,
    6.0,
)
_CROAKER = Product(
    "croaker",
    40010,
    "Large yellow croaker, whole, iced, 10 kg box",
    "冰鲜大黄鱼 10千克/箱",
    (("large yellow croaker", "大黄鱼"),),
    4,
    0.0,
    4.0,
)
_FILLET = Product(
    "croaker_fillet",
    40020,
    "Chilled yellow croaker fillets, 8 × 300 g",
    "冰鲜大黄鱼鱼片 300克×8",
    (("large yellow croaker", "大黄鱼"), ("salt", "食盐")),
    5,
    0.0,
    4.0,
)

FAMILIES: tuple[Family, ...] = (
    Family("spinach", "farm", ("spinach", "菠菜"), "packer", _SPINACH, (), (1, 1), (24, 48),
           (0, 0), (0, 0), 3),
    Family("strawberry", "farm", ("strawberry", "草莓"), "packer", _STRAWBERRY, (), (1, 1),
           (24, 48), (0, 0), (0, 0), 2),
    Family("pork", "farm", ("pig", "生猪"), "processor", _PIG, (_LOIN, _RIBS), (2, 3), (6, 12),
           (1, 1), (16, 30), 2),
    Family("milk", "farm", ("dairy", "奶牛"), "processor", _RAW_MILK, (_MILK,), (2, 4),
           (3000, 8000), (1, 2), (20, 36), 2),
    Family("croaker", "port", ("fishing", "渔业"), "processor", _CROAKER, (_FILLET,), (2, 3),
           (10, 24), (1, 2), (16, 30), 1),
)  # fmt: skip
