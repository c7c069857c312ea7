"""A small farm-to-shop story for the consumer page, captured through the real capture path.

Two lots of baby spinach (GTIN :data:`GTIN`) are packed from two harvest lots of Green Valley
Farm: :data:`LOT_OK` reaches the shop within 0–5 °C; :data:`LOT_RECALLED` is recalled (declared
through :func:`trace_api.recall.declare_recall`). The packer ships with an invoice (a business
transaction: private) and both lots go to the same shop; a third lot, :data:`LOT_OTHER`, goes
to another shop and must never show on the pages of the first two.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy.engine import Engine

from foodtrace.gs1.digital_link import digital_link_to_epc
from trace_api.capture import capture_document
from trace_api.recall import declare_recall
from trace_api.storage import load_master_data

GTIN = "06901234510010"  # packed spinach
RAW_GTIN = "06901234500011"  # harvested spinach, loose
LOT_OK, LOT_RECALLED, LOT_OTHER = "SP2611A", "SP2611B", "SP2611C"
SERIAL = "9001"
REASON = "Listeria monocytogenes found in a retained sample"
INVOICE = "urn:epcglobal:cbv:bt:0690123450006:INV-778899"
PRIVATE_LICENCE = "JY13301060000099"

FARM_CO, PACK_CO, SHOP_CO = "0690123450006", "0690123451003", "0690123452000"
FARM = "urn:epc:id:sgln:0690123.45001.0"
PACKHOUSE = "urn:epc:id:sgln:0690123.45101.0"
DC = "urn:epc:id:sgln:0690123.45150.0"
SHOP = "urn:epc:id:sgln:0690123.45201.0"
OTHER_SHOP = "urn:epc:id:sgln:0690123.45202.0"

MASTER: dict[str, Any] = {
    "parties": [
        {
            "gln": FARM_CO,
            "name": {"en": "Green Valley Farms Co., Ltd.", "zh": "绿谷农场有限公司"},
            "licence_number": PRIVATE_LICENCE,
            "role": "grower",
        },
        {
            "gln": PACK_CO,
            "name": {"en": "Fresh Pack Produce Co., Ltd.", "zh": "鲜包果蔬有限公司"},
            "role": "packer",
        },
        {
            "gln": SHOP_CO,
            "name": {"en": "City Fresh Supermarkets", "zh": "城市鲜超市"},
            "role": "retailer",
        },
    ],
    "locations": [
        {
            "gln": FARM,
            "name": {"en": "Green Valley Farm, field 3", "zh": "绿谷农场三号地"},
            "address": "Xiaoshan District, Hangzhou, Zhejiang",
            "country": "CN",
            "latitude": 30.1834,
            "longitude": 120.2647,
            "kind": "farm",
            "party": FARM_CO,
        },
        {
            "gln": PACKHOUSE,
            "name": {"en": "Fresh Pack packhouse", "zh": "鲜包果蔬包装厂"},
            "address": "Yuhang District, Hangzhou, Zhejiang",
            "country": "CN",
            "latitude": 30.4189,
            "longitude": 120.3005,
            "kind": "packer",
            "party": PACK_CO,
        },
        {
            "gln": DC,
            "name": {"en": "East China cold store", "zh": "华东冷库"},
            "country": "CN",
            "latitude": 30.9,
            "longitude": 121.1,
            "kind": "dc",
        },
        {
            "gln": SHOP,
            "name": {"en": "City Fresh, Wulin store", "zh": "城市鲜武林店"},
            "address": "Wulin Road 1, Hangzhou, Zhejiang",
            "country": "CN",
            "latitude": 30.2741,
            "longitude": 120.1551,
            "kind": "retail",
            "party": SHOP_CO,
        },
        {
            "gln": OTHER_SHOP,
            "name": {"en": "Other Town Market", "zh": "他城市场"},
            "country": "CN",
            "latitude": 31.23,
            "longitude": 121.47,
            "kind": "retail",
        },
    ],
    "products": [
        {
            "gtin": GTIN,
            "name": {"en": "Baby spinach, washed, 200 g", "zh": "嫩菠菜（已清洗）200克"},
            "ingredients": [{"en": "spinach", "zh": "菠菜"}],
            "shelf_life_days": 7,
            "temp_min_c": 0,
            "temp_max_c": 5,
            "brand_owner": PACK_CO,
            "certifications": [
                {
                    "scheme": "green-food",
                    "name": {"en": "China Green Food (Grade A)", "zh": "绿色食品A级"},
                    "number": "LB-15-2611010101A",
                    "valid_until": "2027-06-30",
                }
            ],
        },
        {"gtin": RAW_GTIN, "name": {"en": "Spinach, harvested", "zh": "菠菜（采收）"}},
    ],
}

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]


def lgtin(gtin: str, lot: str) -> str:
    """The LGTIN class URN of a lot (GS1 Company Prefix 6901234)."""
    return digital_link_to_epc(f"https://id.gs1.org/01/{gtin}/10/{lot}", 7)


def sgtin(gtin: str, serial: str) -> str:
    """The SGTIN URN of one pack."""
    return digital_link_to_epc(f"https://id.gs1.org/01/{gtin}/21/{serial}", 7)


_ZONE = timezone(timedelta(hours=8))
_START = datetime(2026, 11, 20, tzinfo=_ZONE)
#: when the recall is declared (fixed, so the README screenshots do not change run to run)
RECALL_DECLARED = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)


def _time(when: datetime) -> str:
    return when.isoformat(timespec="seconds")


def _event(kind: str, when: datetime, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": kind,
        "eventTime": _time(when),
        "eventTimeZoneOffset": "+08:00",
    }
    if "at" in fields:
        place = fields.pop("at")
        event["readPoint"] = {"id": place}
        event["bizLocation"] = {"id": place}
    event.update(fields)
    return event


def _temperature(when: datetime, celsius: float) -> list[dict[str, Any]]:
    return [
        {
            "sensorMetadata": {"time": _time(when)},
            "sensorReport": [{"type": "gs1:Temperature", "value": celsius, "uom": "CEL"}],
        }
    ]


def lot_events(
    lot: str, harvest: str, day: datetime, shop: str, temps: list[float]
) -> list[dict[str, Any]]:
    """The 8 events of one lot: harvest at the farm (a raw lot), shipped to the packhouse,
    received, packed (TransformationEvent with ILMD best-before and lot number, and one
    serialised pack), shipped to the cold store, received, shipped to ``shop``, received;
    ``temps`` are the three temperature readings on the way (°C). ``day`` is local midnight."""
    raw, packed = lgtin(RAW_GTIN, harvest), lgtin(GTIN, lot)
    raw_q = [{"epcClass": raw, "quantity": 500, "uom": "KGM"}]
    packed_q = [{"epcClass": packed, "quantity": 2400, "uom": "H87"}]
    at = [day + timedelta(hours=h) for h in (6, 9, 11, 14, 20, 28, 32, 34.5)]
    return [
        _event(
            "ObjectEvent",
            at[0],
            action="ADD",
            bizStep="commissioning",
            disposition="active",
            quantityList=raw_q,
            at=FARM,
        ),
        _event(
            "ObjectEvent",
            at[1],
            action="OBSERVE",
            bizStep="shipping",
            disposition="in_transit",
            quantityList=raw_q,
            readPoint={"id": FARM},
            destinationList=[{"type": "location", "destination": PACKHOUSE}],
            bizTransactionList=[{"type": "inv", "bizTransaction": INVOICE}],
        ),
        _event(
            "ObjectEvent",
            at[2],
            action="OBSERVE",
            bizStep="receiving",
            disposition="in_progress",
            quantityList=raw_q,
            at=PACKHOUSE,
        ),
        _event(
            "TransformationEvent",
            at[3],
            inputQuantityList=raw_q,
            outputQuantityList=packed_q,
            outputEPCList=[sgtin(GTIN, f"{lot}{SERIAL}")],
            bizStep="commissioning",
            disposition="active",
            at=PACKHOUSE,
            ilmd={
                "cbvmda:bestBeforeDate": (day + timedelta(days=7)).date().isoformat(),
                "cbvmda:lotNumber": lot,
            },
        ),
        _event(
            "ObjectEvent",
            at[4],
            action="OBSERVE",
            bizStep="shipping",
            disposition="in_transit",
            quantityList=packed_q,
            readPoint={"id": PACKHOUSE},
            destinationList=[{"type": "location", "destination": DC}],
            sensorElementList=_temperature(at[4], temps[0]),
        ),
        _event(
            "ObjectEvent",
            at[5],
            action="OBSERVE",
            bizStep="receiving",
            disposition="in_progress",
            quantityList=packed_q,
            at=DC,
            sensorElementList=_temperature(at[5], temps[1]),
        ),
        _event(
            "ObjectEvent",
            at[6],
            action="OBSERVE",
            bizStep="shipping",
            disposition="in_transit",
            quantityList=packed_q,
            readPoint={"id": DC},
            destinationList=[{"type": "location", "destination": shop}],
        ),
        _event(
            "ObjectEvent",
            at[7],
            action="OBSERVE",
            bizStep="receiving",
            disposition="in_progress",
            quantityList=packed_q,
            at=shop,
            sensorElementList=_temperature(at[7], temps[2]),
        ),
    ]


def events() -> list[dict[str, Any]]:
    """Every event of the story, in time order."""
    return [
        *lot_events(LOT_OK, "H2611A", _START, SHOP, [3.0, 2.5, 4.0]),
        *lot_events(LOT_RECALLED, "H2611B", _START + timedelta(days=1), SHOP, [3.5, 8.5, 4.0]),
        *lot_events(LOT_OTHER, "H2611C", _START + timedelta(days=2), OTHER_SHOP, [2.0] * 3),
    ]


def document() -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-24T00:00:00Z",
        "epcisBody": {"eventList": events()},
    }


def load_story(engine: Engine) -> None:
    """Master data, the events (through the capture pipeline) and the recall."""
    load_master_data(engine, MASTER)
    outcome = capture_document(engine, document())
    assert outcome.stored == len(events()), outcome.refusals
    declare_recall(engine, [lgtin(GTIN, LOT_RECALLED)], REASON, when=RECALL_DECLARED)
