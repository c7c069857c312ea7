"""The simulated world's master data: parties, locations (GLN, coordinates) and products.

Built from a seed and a size. Places are real towns of Zhejiang (and, for diversion, grey-market
traders in Suzhou and Guangzhou, outside the authorised region); each location is jittered a
little around its town. :meth:`World.masterdata` is the file ``foodtrace db load-master`` reads
(format of ``trace_api/storage/master.py``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from firmware_sim.world.geo import AUTHORISED_BBOX, in_bbox
from firmware_sim.world.ids import CompanyPrefix, SgtinFamily, gln13, gtin14, pgln, sgln
from firmware_sim.world.products import FAMILIES, Family, Product

__all__ = ["Location", "Party", "World", "build_world"]


@dataclass(slots=True, eq=False)
class Party:
    key: str
    prefix: str
    name_en: str
    name_zh: str
    role: str
    licence: str
    sscc: CompanyPrefix
    next_location: int = 1
    gln: str = ""
    pgln: str = ""

    def __post_init__(self) -> None:
        self.gln = gln13(self.prefix, 0)
        self.pgln = pgln(self.gln)


@dataclass(slots=True, eq=False)
class Location:
    gln: str
    name_en: str
    name_zh: str
    address: str
    kind: str
    party: Party
    lat: float
    lon: float

    @property
    def sgln(self) -> str:
        return sgln(self.gln)

    def read_point(self, ext: int) -> str:
        return sgln(self.gln, str(ext))

    def station(self, ext: int) -> str:
        return f"st-{self.gln}-{ext}"

    @property
    def authorised_region(self) -> bool:
        return in_bbox(self.lat, self.lon, AUTHORISED_BBOX)


# Read point extensions, one station each: dock door, cold store, line, point of sale.
DOCK, COLD, LINE, POS = 1, 2, 3, 4

# (en, zh, lat, lon) of the towns each kind of location is placed around.
_ORIGINS: dict[str, list[tuple[str, str, float, float]]] = {
    "spinach": [
        ("Xiaoshan", "萧山", 30.16, 120.30),
        ("Tonglu", "桐庐", 29.80, 119.68),
        ("Fuyang", "富阳", 30.05, 119.95),
        ("Linping", "临平", 30.42, 120.30),
    ],
    "strawberry": [
        ("Jiande", "建德", 29.47, 119.28),
        ("Yangcunqiao", "杨村桥", 29.52, 119.45),
        ("Chun'an", "淳安", 29.61, 119.04),
    ],
    "pork": [
        ("Jinhua", "金华", 29.08, 119.65),
        ("Lanxi", "兰溪", 29.21, 119.46),
        ("Yiwu", "义乌", 29.31, 120.08),
        ("Dongyang", "东阳", 29.27, 120.24),
    ],
    "milk": [
        ("Anji", "安吉", 30.63, 119.68),
        ("Deqing", "德清", 30.54, 119.98),
        ("Changxing", "长兴", 31.02, 119.91),
    ],
    "croaker": [("Shenjiamen", "沈家门", 29.95, 122.30), ("Xiangshan", "象山", 29.48, 121.87)],
}
_SITES: dict[str, tuple[str, str, str, str, float, float]] = {
    # family: (party en, party zh, town en, town zh, lat, lon)
    "spinach": (
        "Xiaoshan Fresh Pack Co., Ltd.",
        "萧山鲜包果蔬有限公司",
        "Xiaoshan",
        "萧山",
        30.22,
        120.35,
    ),
    "strawberry": (
        "Jiande Berry Packhouse Co., Ltd.",
        "建德莓果包装有限公司",
        "Jiande",
        "建德",
        29.49,
        119.30,
    ),
    "pork": (
        "Jinhua Meat Products Co., Ltd.",
        "金华肉制品有限公司",
        "Jinhua",
        "金华",
        29.10,
        119.68,
    ),
    "milk": ("Hangzhou Dairy Co., Ltd.", "杭州乳业有限公司", "Xiasha", "下沙", 30.31, 120.37),
    "croaker": (
        "Zhoushan Ocean Foods Co., Ltd.",
        "舟山海洋食品有限公司",
        "Dinghai",
        "定海",
        30.02,
        122.11,
    ),
}
_DCS = [
    ("Hangzhou North DC", "杭州北配送中心", "Yuhang", 30.42, 120.25),
    ("Hangzhou South DC", "杭州南配送中心", "Binjiang", 30.20, 120.21),
    ("Hangzhou East DC", "杭州东配送中心", "Qiantang", 30.30, 120.45),
    ("Hangzhou West DC", "杭州西配送中心", "Xihu", 30.25, 120.05),
]
_CHAINS = [
    ("City Fresh Supermarkets", "城市鲜超市"),
    ("West Lake Mart", "西湖超市"),
    ("Qiantang Fresh", "钱塘生鲜"),
]
_DISTRICTS = [
    ("Shangcheng", "上城"),
    ("Gongshu", "拱墅"),
    ("Xihu", "西湖"),
    ("Binjiang", "滨江"),
    ("Xiaoshan", "萧山"),
    ("Yuhang", "余杭"),
    ("Linping", "临平"),
    ("Qiantang", "钱塘"),
]
_ROGUE = [
    ("Suzhou Grey Market Trading", "苏州灰市贸易", "Suzhou", 31.30, 120.62),
    ("Guangzhou Bulk Wholesale", "广州散货批发", "Guangzhou", 23.13, 113.26),
]
_SIZES = {
    "tiny": (2, 2, 6),
    "small": (2, 2, 6),
    "city": (3, 4, 30),
    "large": (4, 4, 80),
}  # origins, DCs, stores
# fmt: on


@dataclass(slots=True, eq=False)
class World:
    """Everything static: parties, locations, products, identifier allocators."""

    parties: list[Party] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    origins: dict[str, list[Location]] = field(default_factory=dict)
    sites: dict[str, Location] = field(default_factory=dict)
    dcs: list[Location] = field(default_factory=list)
    stores: list[Location] = field(default_factory=list)
    rogue: list[Location] = field(default_factory=list)
    gtins: dict[str, str] = field(default_factory=dict)
    sgtins: dict[str, SgtinFamily] = field(default_factory=dict)
    owners: dict[str, Party] = field(default_factory=dict)
    unknown_prefix: str = ""

    def location(self, gln: str) -> Location:
        for loc in self.locations:
            if loc.gln == gln:
                return loc
        raise KeyError(gln)

    def family_parties(self, family: Family) -> list[Party]:
        """The parties authorised to hold the family's goods."""
        seen: dict[str, Party] = {}
        for loc in [*self.origins[family.key], self.sites[family.key], *self.dcs, *self.stores]:
            seen.setdefault(loc.party.gln, loc.party)
        return list(seen.values())

    def masterdata(self) -> dict[str, Any]:
        products = [
            _product_entry(product, self.gtins[product.key], self.owners[product.key])
            for family in FAMILIES
            for product in (family.raw, *family.outputs)
        ]
        return {
            "parties": [
                {"gln": p.gln, "name": {"en": p.name_en, "zh": p.name_zh},
                 "licence_number": p.licence, "role": p.role}
                for p in self.parties
            ],
            "locations": [
                {"gln": loc.gln, "name": {"en": loc.name_en, "zh": loc.name_zh},
                 "address": loc.address, "country": "CN", "latitude": loc.lat,
                 "longitude": loc.lon, "kind": loc.kind, "party": loc.party.gln}
                for loc in self.locations
            ],
            "products": products,
        }  # fmt: skip


def _product_entry(product: Product, gtin: str, owner: Party) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "gtin": gtin,
        "name": {"en": product.name_en, "zh": product.name_zh},
        "ingredients": [{"en": en, "zh": zh} for en, zh in product.ingredients],
        "shelf_life_days": product.shelf_life_days,
    }
    if product.temp_min_c is not None:
        entry["temp_min_c"] = product.temp_min_c
        entry["temp_max_c"] = product.temp_max_c
    entry["brand_owner"] = owner.gln
    return entry


class _Builder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.world = World()
        self._prefixes: set[str] = set()

    def prefix(self) -> str:
        while True:
            value = f"69{self.rng.randrange(10_000, 100_000)}"
            if value not in self._prefixes:
                self._prefixes.add(value)
                return value

    def party(self, key: str, en: str, zh: str, role: str) -> Party:
        prefix = self.prefix()
        licence = f"JY{self.rng.randrange(10**13, 10**14)}"
        party = Party(key, prefix, en, zh, role, licence, CompanyPrefix(prefix))
        self.world.parties.append(party)
        return party

    def location(
        self,
        party: Party,
        en: str,
        zh: str,
        address: str,
        kind: str,
        lat: float,
        lon: float,
        jitter: float = 0.0,
    ) -> Location:
        if jitter:
            lat += self.rng.uniform(-jitter, jitter)
            lon += self.rng.uniform(-jitter, jitter)
        loc = Location(gln13(party.prefix, party.next_location), en, zh, address, kind, party,
                       round(lat, 4), round(lon, 4))  # fmt: skip
        party.next_location += 1
        self.world.locations.append(loc)
        return loc


def build_world(seed: int, size: str) -> World:
    """The world of a scenario (deterministic in ``seed`` and ``size``)."""
    rng = random.Random(f"world:{seed}:{size}")  # noqa: S311 (a simulation, not secrets)
    n_origins, n_dcs, n_stores = _SIZES.get(size, _SIZES["large"])
    b = _Builder(rng)
    world = b.world
    for family in FAMILIES:
        en, zh, town_en, _town_zh, lat, lon = _SITES[family.key]
        owner = b.party(f"site-{family.key}", en, zh,
                        "packer" if family.site_kind == "packer" else "processor")  # fmt: skip
        kind_zh = "包装厂" if family.site_kind == "packer" else "加工厂"
        world.sites[family.key] = b.location(
            owner,
            f"{en.split(' Co.')[0]} {family.site_kind}",
            f"{zh.removesuffix('有限公司')}{kind_zh}",
            f"{town_en}, Zhejiang",
            family.site_kind,
            lat,
            lon,
        )
        for product in (family.raw, *family.outputs):
            world.gtins[product.key] = gtin14(owner.prefix, product.item_ref)
            world.sgtins[product.key] = SgtinFamily(world.gtins[product.key])
            world.owners[product.key] = owner
        origins: list[Location] = []
        towns = _ORIGINS[family.key]
        act_en, act_zh = family.origin_name
        for i in range(n_origins):
            t_en, t_zh, t_lat, t_lon = towns[i % len(towns)]
            if family.origin_kind == "port":
                party = b.party(f"port-{i}", f"{t_en} Fishing Cooperative {i + 1}",
                                f"{t_zh}渔业合作社{i + 1}号", "grower")  # fmt: skip
                origins.append(b.location(party, f"{t_en} fishing port, landing {i + 1}",
                                          f"{t_zh}渔港{i + 1}号码头", f"{t_en}, Zhejiang", "port",
                                          t_lat, t_lon, 0.02))  # fmt: skip
            else:
                party = b.party(f"farm-{family.key}-{i}", f"{t_en} {act_en} farm {i + 1}",
                                f"{t_zh}{act_zh}农场{i + 1}号", "grower")  # fmt: skip
                origins.append(b.location(party, f"{t_en} {act_en} farm {i + 1}, field 1",
                                          f"{t_zh}{act_zh}农场{i + 1}号一号地",
                                          f"{t_en}, Zhejiang", "farm", t_lat, t_lon,
                                          0.08))  # fmt: skip
        world.origins[family.key] = origins
    distributor = b.party("dc", "Hangzhou Cold Chain Logistics Co., Ltd.", "杭州冷链物流有限公司",
                          "distributor")  # fmt: skip
    for i in range(n_dcs):
        en, zh, town, lat, lon = _DCS[i % len(_DCS)]
        world.dcs.append(b.location(distributor, en, zh, f"{town}, Hangzhou, Zhejiang", "dc",
                                    lat, lon, 0.01))  # fmt: skip
    chains = [b.party(f"chain-{i}", en, zh, "retailer") for i, (en, zh) in enumerate(_CHAINS)]
    for i in range(n_stores):
        chain = chains[i % len(chains)]
        d_en, d_zh = _DISTRICTS[i % len(_DISTRICTS)]
        world.stores.append(b.location(chain, f"{chain.name_en}, {d_en} store {i + 1}",
                                       f"{chain.name_zh}{d_zh}{i + 1}号店",
                                       f"{d_en} District, Hangzhou, Zhejiang", "retail",
                                       30.27, 120.16, 0.12))  # fmt: skip
    for i, (en, zh, town, lat, lon) in enumerate(_ROGUE):
        party = b.party(f"rogue-{i}", en, zh, "distributor")
        world.rogue.append(b.location(party, f"{en} warehouse", f"{zh}仓库", town, "dc", lat, lon))
    world.unknown_prefix = b.prefix()
    return world
