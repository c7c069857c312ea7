"""The demo's story: who is who, which stations read what, and the lots of one run.

Two farms near Hangzhou pack their harvest in the field into RFID-tagged retail packs (spinach at
Green Valley, strawberries at Sunny Hill). The packs leave each farm through a dock door, are
received at the Fresh Pack packhouse, then at an East China cold-chain distribution centre, and
finally at a City Fresh store. Six reader stations (both reader protocols) see them:

===============  ===========  ========  ================================================
station          site         protocol  role
===============  ===========  ========  ================================================
farm1-gate       farm1        r2000     shipping (to the packhouse), spinach packs
farm2-gate       farm2        mercury   shipping (to the packhouse), strawberry packs
packer-dock      packer       mercury   receiving, every pack
dc-dock          dc           r2000     receiving, every pack
dc-coldroom      dc           mercury   sensor_reporting: each pack's temperature label
store-dock       store        mercury   receiving, every pack
===============  ===========  ========  ================================================

The farms' own software records the harvest (an ``ObjectEvent`` ADD naming the lot) and the
field packing (a ``TransformationEvent``: lot in, serialised packs out); those back-office
documents are captured directly (:func:`back_office_document`). Every run of the demo is a new
harvest day: run ``n`` has its own lots and pack serials, so running the demo again adds a day
instead of repeating one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from foodtrace.epcis.hash import event_hash_id, namespaces_from_context
from foodtrace.gs1.checkdigit import with_check_digit

__all__ = [
    "COMPANY",
    "PRODUCTS",
    "STAGE_GAP_S",
    "STATIONS",
    "STORY_START_S",
    "DemoProduct",
    "DemoStation",
    "RunLots",
    "back_office_document",
    "master_data",
    "run_lots",
    "sgln",
]

COMPANY: Final = "0690123"
PACKS_PER_LOT: Final = 6
#: Seconds after the simulated readers start when the packs reach the first stations; every
#: later stage follows ``STAGE_GAP_S`` later, and the packs stay ``DWELL_S`` in each field.
STORY_START_S: Final = 6.0
STAGE_GAP_S: Final = 4.0
DWELL_S: Final = 2.5

_CONTEXT: Final[list[Any]] = [
    "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
    {"cbvmda": "urn:epcglobal:cbv:mda:"},
]


def sgln(location_ref: str) -> str:
    """The SGLN URN of one of the demo company's locations (extension 0)."""
    return f"urn:epc:id:sgln:{COMPANY}.{location_ref}.0"


def pgln(party_ref: str) -> str:
    return f"urn:epc:id:pgln:{COMPANY}.{party_ref}"


@dataclass(frozen=True, slots=True)
class DemoProduct:
    """A retail pack: GTIN-14 = indicator 0 + company prefix + item reference + check digit."""

    item_ref: str  # 5 digits (7-digit company prefix)
    lot_prefix: str
    farm: str  # station id of the farm that grows and packs it
    name_en: str
    name_zh: str
    ingredient_en: str
    ingredient_zh: str
    shelf_life_days: int

    @property
    def gtin(self) -> str:
        return with_check_digit(f"0{COMPANY}{self.item_ref}")

    def sgtin(self, serial: int) -> str:
        return f"urn:epc:id:sgtin:{COMPANY}.0{self.item_ref}.{serial}"

    def lgtin(self, lot: str) -> str:
        return f"urn:epc:class:lgtin:{COMPANY}.0{self.item_ref}.{lot}"


PRODUCTS: Final = (
    DemoProduct(
        "45101", "GV", "farm1-gate", "Baby spinach, washed, 200 g", "嫩菠菜（已清洗）200克",
        "spinach", "菠菜", 7,
    ),
    DemoProduct(
        "45102", "SH", "farm2-gate", "Strawberries, 250 g", "草莓 250克",
        "strawberries", "草莓", 5,
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoStation:
    """One simulated reader station and where it stands in the story."""

    id: str
    site: str
    protocol: str
    role: str
    location_ref: str
    stage: int  # 0: farms, 1: packhouse, 2: DC, 3: store
    destination_ref: str | None = None
    extension: str = "0"  # the SGLN extension of its read point (a door, a room)
    delay_s: float = 0.0  # after the stage's start
    sensor: bool = False  # the packs' temperature labels report to this reader

    @property
    def read_point(self) -> str:
        return f"urn:epc:id:sgln:{COMPANY}.{self.location_ref}.{self.extension}"

    @property
    def biz_location(self) -> str:
        return sgln(self.location_ref)

    @property
    def party(self) -> str:
        """The party that owns the station's site (master data)."""
        return pgln(LOCATION_PARTY[self.location_ref])


#: Which party owns each location (as in :func:`master_data`).
LOCATION_PARTY: Final = {
    "00011": "00001",
    "00012": "00002",
    "00021": "00003",
    "00031": "00004",
    "00041": "00005",
}

STATIONS: Final = (
    DemoStation("farm1-gate", "farm1", "r2000", "shipping", "00011", 0, "00021"),
    DemoStation("farm2-gate", "farm2", "mercury", "shipping", "00012", 0, "00021"),
    DemoStation("packer-dock", "packer", "mercury", "receiving", "00021", 1),
    DemoStation("dc-dock", "dc", "r2000", "receiving", "00031", 2),
    DemoStation(
        "dc-coldroom",
        "dc",
        "mercury",
        "sensor_reporting",
        "00031",
        2,
        extension="1",
        delay_s=1.5,
        sensor=True,
    ),
    DemoStation("store-dock", "store", "mercury", "receiving", "00041", 3),
)


@dataclass(frozen=True, slots=True)
class RunLots:
    """The lots and packs of demo run ``run`` (1, 2, …)."""

    run: int

    def lot(self, product: DemoProduct) -> str:
        return f"{product.lot_prefix}{self.run:04d}"

    def serials(self) -> range:
        return range(self.run * 1000 + 1, self.run * 1000 + 1 + PACKS_PER_LOT)

    def packs(self, product: DemoProduct) -> list[str]:
        return [product.sgtin(serial) for serial in self.serials()]

    def packs_seen_by(self, station: DemoStation) -> list[str]:
        """The SGTIN URNs that pass in front of ``station`` in this run."""
        return [
            epc
            for product in PRODUCTS
            if station.stage > 0 or product.farm == station.id
            for epc in self.packs(product)
        ]


def run_lots(run: int) -> RunLots:
    return RunLots(run)


def master_data() -> dict[str, Any]:
    """Parties, locations and products in the format of ``trace_api/storage/master.py``."""
    parties = [
        ("00001", "Green Valley Farms Co., Ltd.", "绿谷农场有限公司", "grower"),
        ("00002", "Sunny Hill Berry Farm", "阳坡莓园", "grower"),
        ("00003", "Fresh Pack Produce Co., Ltd.", "鲜包果蔬有限公司", "packer"),
        ("00004", "East China Cold Chain Logistics", "华东冷链物流", "distributor"),
        ("00005", "City Fresh Supermarkets", "城市鲜超市", "retailer"),
    ]
    locations = [
        ("00011", "Green Valley Farm, field 3", "绿谷农场三号地", "Xiaoshan District, Hangzhou",
         30.1834, 120.2647, "farm", "00001"),
        ("00012", "Sunny Hill Berry Farm", "阳坡莓园", "Jiande, Hangzhou",
         29.4766, 119.2790, "farm", "00002"),
        ("00021", "Fresh Pack packhouse", "鲜包果蔬包装厂", "Yuhang District, Hangzhou",
         30.4189, 120.3005, "packer", "00003"),
        ("00031", "East China cold-chain DC, Jiaxing", "华东冷链嘉兴配送中心", "Jiaxing, Zhejiang",
         30.7522, 120.7555, "dc", "00004"),
        ("00041", "City Fresh, Wulin store", "城市鲜武林店", "Wulin Road 1, Hangzhou",
         30.2741, 120.1551, "retail", "00005"),
    ]  # fmt: skip
    return {
        "parties": [
            {"gln": pgln(ref), "name": {"en": en, "zh": zh}, "role": role}
            for ref, en, zh, role in parties
        ],
        "locations": [
            {
                "gln": sgln(ref),
                "name": {"en": en, "zh": zh},
                "address": address,
                "country": "CN",
                "latitude": lat,
                "longitude": lon,
                "kind": kind,
                "party": pgln(party),
            }
            for ref, en, zh, address, lat, lon, kind, party in locations
        ],
        "products": [
            {
                "gtin": p.gtin,
                "name": {"en": p.name_en, "zh": p.name_zh},
                "ingredients": [{"en": p.ingredient_en, "zh": p.ingredient_zh}],
                "shelf_life_days": p.shelf_life_days,
                "temp_min_c": 0,
                "temp_max_c": 5,
                "brand_owner": pgln("00003"),
            }
            for p in PRODUCTS
        ],
    }


def _stamp(event: dict[str, Any], when: datetime) -> dict[str, Any]:
    offset = when.strftime("%z")
    event["eventTime"] = when.isoformat(timespec="milliseconds")
    event["eventTimeZoneOffset"] = f"{offset[:3]}:{offset[3:]}"
    event["eventID"] = event_hash_id(event, namespaces_from_context(_CONTEXT))
    return event


def back_office_document(lots: RunLots, now: datetime) -> dict[str, Any]:
    """The farms' harvest and field-packing events of one run (EPCIS 2.0 JSON-LD).

    Harvest two hours before ``now`` (an ``ObjectEvent`` ADD naming the lot), field packing one
    hour before (a ``TransformationEvent`` from the lot to its serialised packs)."""
    events: list[dict[str, Any]] = []
    for product in PRODUCTS:
        lot = lots.lot(product)
        farm = next(s for s in STATIONS if s.id == product.farm)
        place = {"id": farm.read_point}
        best_before = (now + timedelta(days=product.shelf_life_days)).date().isoformat()
        harvest = {
            "type": "ObjectEvent",
            "action": "ADD",
            "bizStep": "commissioning",
            "disposition": "active",
            "epcList": [],
            "quantityList": [{"epcClass": product.lgtin(lot), "quantity": PACKS_PER_LOT}],
            "readPoint": place,
            "bizLocation": place,
            "ilmd": {
                "cbvmda:lotNumber": lot,
                "cbvmda:harvestStartDate": (now - timedelta(hours=2)).date().isoformat(),
                "cbvmda:countryOfOrigin": "CN",
            },
        }
        packing = {
            "type": "TransformationEvent",
            "inputQuantityList": [{"epcClass": product.lgtin(lot), "quantity": PACKS_PER_LOT}],
            "outputEPCList": lots.packs(product),
            "bizStep": "commissioning",
            "disposition": "active",
            "readPoint": place,
            "bizLocation": place,
            "ilmd": {"cbvmda:lotNumber": lot, "cbvmda:bestBeforeDate": best_before},
        }
        events.append(_stamp(harvest, now - timedelta(hours=2)))
        events.append(_stamp(packing, now - timedelta(hours=1)))
    return {
        "@context": _CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": now.isoformat(timespec="seconds"),
        "epcisBody": {"eventList": events},
    }
