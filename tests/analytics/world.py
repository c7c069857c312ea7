"""A small food chain written in the scenario layout of contract A, with one injected anomaly
of every type and clean lots around them, for the detector tests.

Farm (Hangzhou) → distribution centre (Shanghai) → shop (Nanjing); 10 items per lot travel
together in ObjectEvents; a cold-chain sensor report at the DC. ``read_rate`` < 1 drops each
EPC from each event with probability 1 − read_rate (seeded), like missed reads; missed reads
are not labelled. Anomalies are injected on their own lots so each has a known answer.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from foodtrace.epcis.hash import event_hash_id, namespaces_from_context
from foodtrace.gs1.checkdigit import with_check_digit

CONTEXT = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"]
PREFIX = "0614141"
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def gln(ref: str) -> str:
    return with_check_digit(PREFIX + ref)


def sgln(ref: str) -> str:
    return f"urn:epc:id:sgln:{PREFIX}.{ref}.0"


def pgln(ref: str) -> str:
    return f"urn:epc:id:pgln:{PREFIX}.{ref}"


ITEM_REF = "100001"  # indicator 1 + item reference 00001
GTIN = with_check_digit("1" + PREFIX + "00001")
FARM, DC, SHOP, SHOP2, ROGUE = (
    sgln("00011"),
    sgln("00021"),
    sgln("00031"),
    sgln("00032"),
    sgln("00091"),
)
PARTIES = {"farm": "00010", "dc": "00020", "shop": "00030", "rogue": "00090"}


def epc(serial: int) -> str:
    return f"urn:epc:id:sgtin:{PREFIX}.{ITEM_REF}.{serial}"


def lgtin(lot: str) -> str:
    return f"urn:epc:class:lgtin:{PREFIX}.{ITEM_REF}.{lot}"


def master_data() -> dict[str, Any]:
    def loc(ref: str, party: str, kind: str, lat: float, lon: float, en: str) -> dict[str, Any]:
        return {
            "gln": sgln(ref),
            "name": {"en": en, "zh": en},
            "country": "CN",
            "latitude": lat,
            "longitude": lon,
            "kind": kind,
            "party": pgln(PARTIES[party]),
        }

    return {
        "parties": [
            {"gln": pgln(ref), "name": {"en": name, "zh": name}, "role": role}
            for name, ref, role in [
                ("farm", PARTIES["farm"], "grower"),
                ("dc", PARTIES["dc"], "distributor"),
                ("shop", PARTIES["shop"], "retailer"),
                ("rogue", PARTIES["rogue"], "retailer"),
            ]
        ],
        "locations": [
            loc("00011", "farm", "farm", 30.18, 120.26, "farm"),
            loc("00021", "dc", "dc", 31.23, 121.47, "DC"),
            loc("00031", "shop", "retail", 32.06, 118.80, "shop"),
            loc("00032", "shop", "retail", 32.04, 118.78, "shop 2"),
            loc("00091", "rogue", "retail", 31.82, 117.23, "rogue shop"),
        ],
        "products": [
            {
                "gtin": GTIN,
                "name": {"en": "Spinach 200 g", "zh": "菠菜200克"},
                "shelf_life_days": 10,
                "temp_min_c": 0,
                "temp_max_c": 5,
                "brand_owner": pgln(PARTIES["farm"]),
            }
        ],
    }


ROUTE_STEPS = ["commissioning", "shipping", "receiving", "shipping", "receiving", "retail_selling"]


def routes() -> dict[str, Any]:
    return {
        "products": {
            GTIN: {
                "steps": ROUTE_STEPS,
                "transit_hours": {"farm->dc": [2, 8], "dc->retail": [3, 10]},
                "dwell_hours": {"farm": [0, 12], "dc": [2, 72], "retail": [1, 120]},
                "authorised_parties": [gln(PARTIES[p]) for p in ("farm", "dc", "shop")],
                "authorised_region": {"countries": ["CN"], "bbox": [28.0, 115.0, 34.0, 123.0]},
            }
        }
    }


@dataclass
class World:
    read_rate: float = 1.0
    seed: int = 7
    events: list[dict[str, Any]] = field(default_factory=list)
    labels: list[dict[str, Any]] = field(default_factory=list)
    recalls: list[dict[str, Any]] = field(default_factory=list)
    serial: int = 1000
    lots: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    # -- event building -------------------------------------------------------------------
    def event(
        self,
        when: datetime,
        step: str,
        place: str,
        epcs: list[str],
        *,
        action: str = "OBSERVE",
        extra: dict[str, Any] | None = None,
        missable: bool = True,
    ) -> dict[str, Any] | None:
        if missable and self.read_rate < 1:
            epcs = [e for e in epcs if self.rng.random() < self.read_rate]
            if not epcs:
                return None
        event: dict[str, Any] = {
            "type": "ObjectEvent",
            "eventTime": when.isoformat().replace("+00:00", "Z"),
            "eventTimeZoneOffset": "+00:00",
            "epcList": epcs,
            "action": action,
            "bizStep": step,
            "readPoint": {"id": place},
            "bizLocation": {"id": place},
            **(extra or {}),
        }
        event["eventID"] = event_hash_id(event, namespaces_from_context(CONTEXT))
        self.events.append(event)
        return event

    def label(self, kind: str, epcs: list[str], lot: str | None, events: list[Any]) -> None:
        self.labels.append(
            {
                "id": f"A{len(self.labels) + 1:06d}",
                "type": kind,
                "epcs": epcs,
                "lots": [lot] if lot else [],
                "event_ids": [e["eventID"] for e in events if e],
                "params": {},
            }
        )

    # -- one lot's journey ------------------------------------------------------------------
    def lot(
        self,
        start: datetime,
        *,
        size: int = 10,
        dc_dwell_h: float = 20,
        shop: str = SHOP,
        dc_temp: float = 3.0,
        expiry_days: float = 10,
        skip_dc_receiving: bool = False,
    ) -> tuple[str, list[str], dict[str, dict[str, Any] | None]]:
        self.lots += 1
        lot_no = f"L{self.lots:03d}"
        items = [epc(self.serial + i) for i in range(size)]
        self.serial += size + 10
        t = start
        ev: dict[str, dict[str, Any] | None] = {}
        ev["commission"] = self.event(
            t,
            "commissioning",
            FARM,
            items,
            action="ADD",
            missable=False,  # commissioning encodes the tags: not a read that can be missed
            extra={
                "disposition": "active",
                "ilmd": {
                    "cbvmda:lotNumber": lot_no,
                    "cbvmda:itemExpirationDate": (t + timedelta(days=expiry_days))
                    .date()
                    .isoformat(),
                },
            },
        )
        t += timedelta(hours=4)
        ev["ship_farm"] = self.event(
            t,
            "shipping",
            FARM,
            items,
            extra={
                "disposition": "in_transit",
                "destinationList": [{"type": "location", "destination": DC}],
            },
        )
        t += timedelta(hours=4)
        if not skip_dc_receiving:
            ev["receive_dc"] = self.event(
                t, "receiving", DC, items, extra={"disposition": "in_progress"}
            )
        sensor_start = t + timedelta(hours=1)
        ev["sensor_dc"] = self.event(
            sensor_start + timedelta(hours=3),
            "sensor_reporting",
            DC,
            items,
            extra={
                "sensorElementList": [
                    {
                        "sensorMetadata": {
                            "startTime": sensor_start.isoformat().replace("+00:00", "Z"),
                            "endTime": (sensor_start + timedelta(hours=3))
                            .isoformat()
                            .replace("+00:00", "Z"),
                        },
                        "sensorReport": [
                            {"type": "gs1:Temperature", "meanValue": dc_temp, "uom": "CEL"}
                        ],
                    }
                ]
            },
        )
        t += timedelta(hours=dc_dwell_h)
        ev["ship_dc"] = self.event(
            t,
            "shipping",
            DC,
            items,
            extra={
                "disposition": "in_transit",
                "destinationList": [{"type": "location", "destination": shop}],
            },
        )
        t += timedelta(hours=5)
        ev["receive_shop"] = self.event(
            t, "receiving", shop, items, extra={"disposition": "sellable_accessible"}
        )
        t += timedelta(hours=30)
        ev["sell"] = self.event(
            t, "retail_selling", shop, items, extra={"disposition": "retail_sold"}
        )
        return lgtin(lot_no), items, ev

    # -- the anomalies ---------------------------------------------------------------------
    def build(self, clean_lots: int = 6) -> World:
        day = timedelta(days=1)
        for n in range(clean_lots):
            self.lot(START + n * day)
        base = START + clean_lots * day

        # clone: a second tag with the same EPC at another shop while the first is on sale
        lot, items, ev = self.lot(base)
        x = items[0]
        assert ev["receive_shop"] is not None
        t = datetime.fromisoformat(ev["receive_shop"]["eventTime"])
        copies = [
            self.event(t - timedelta(hours=30), "receiving", SHOP2, [x], missable=False),
            self.event(t + timedelta(hours=2), "retail_selling", SHOP2, [x], missable=False),
            self.event(t + timedelta(hours=3), "inspecting", SHOP2, [x], missable=False),
        ]
        self.label("clone", [x], lot, copies)

        # impossible travel: one item's shop receipt 20 minutes after it left the DC (270 km)
        lot, items, ev = self.lot(base + day, size=10)
        y = items[1]
        assert ev["ship_dc"] is not None
        t = datetime.fromisoformat(ev["ship_dc"]["eventTime"])
        fast = self.event(t + timedelta(minutes=20), "inspecting", SHOP, [y], missable=False)
        self.label("impossible_travel", [y], lot, [fast])

        # skipped step: a whole lot never received at the DC
        lot, items, ev = self.lot(base + 2 * day, skip_dc_receiving=True)
        self.label("skipped_step", items, lot, [ev["ship_farm"], ev["sensor_dc"]])

        # out of order: one item's own DC receipt recorded after its DC shipment
        lot, items, ev = self.lot(base + 3 * day)
        z = items[2]
        assert ev["ship_dc"] is not None
        t = datetime.fromisoformat(ev["ship_dc"]["eventTime"])
        late = self.event(t + timedelta(hours=1), "receiving", DC, [z], missable=False)
        self.label("out_of_order", [z], lot, [late])

        # inserted event: a step the route does not have
        lot, items, ev = self.lot(base + 4 * day)
        w = items[3]
        assert ev["receive_dc"] is not None
        t = datetime.fromisoformat(ev["receive_dc"]["eventTime"])
        odd = self.event(t + timedelta(hours=2), "repairing", DC, [w], missable=False)
        self.label("inserted_event", [w], lot, [odd])

        # replayed event: the DC receipt again under a new eventID
        lot, items, ev = self.lot(base + 5 * day)
        original = ev["receive_dc"]
        assert original is not None
        replay = dict(original)
        replay["eventID"] = "urn:uuid:5a3c9f6e-0000-4000-8000-000000000001"
        self.events.append(replay)
        self.label("replayed_event", list(original["epcList"]), lot, [replay])

        # tampered attribute: received at another shop than the shipment's destination
        lot, items, ev = self.lot(base + 6 * day, shop=SHOP)
        assert ev["receive_shop"] is not None and ev["ship_dc"] is not None
        self.events.remove(ev["receive_shop"])
        forged = dict(ev["receive_shop"], bizLocation={"id": SHOP2}, readPoint={"id": SHOP2})
        forged["eventID"] = "urn:uuid:5a3c9f6e-0000-4000-8000-000000000002"
        self.events.append(forged)
        self.label("tampered_attribute", list(forged["epcList"]), lot, [forged])

        # excessive dwell: 200 h at the DC (route allows 72 h)
        lot, items, ev = self.lot(base + 7 * day, dc_dwell_h=200, expiry_days=30)
        self.label("excessive_dwell", items, lot, [ev["receive_dc"], ev["ship_dc"]])

        # diversion: shipped to and sold by an unauthorised shop in Beijing
        lot, items, ev = self.lot(base + 8 * day, shop=ROGUE)
        self.label("diversion", items, lot, [ev["ship_dc"], ev["receive_shop"], ev["sell"]])

        # temperature excursion: 12 °C for 3 h at the DC (21 °C·h above 5 °C)
        lot, items, ev = self.lot(base + 9 * day, dc_temp=12.0)
        self.label("temperature_excursion", items, lot, [ev["sensor_dc"]])

        # expired on sale: expiry date the day after commissioning, sold on day 3
        lot, items, ev = self.lot(base + 10 * day, expiry_days=1)
        self.label("expired_on_sale", items, lot, [ev["sell"]])

        # recalled lot sighted: recall declared while the lot was at the DC
        lot, items, ev = self.lot(base + 11 * day)
        assert ev["ship_dc"] is not None
        declared = datetime.fromisoformat(ev["ship_dc"]["eventTime"]) - timedelta(hours=2)
        self.recalls.append(
            {
                "lot": lot,
                "declared": declared.isoformat().replace("+00:00", "Z"),
                "reason": "Listeria",
                "level": "I",
            }
        )
        self.label("recalled_lot_sighted", items, lot, [ev["receive_shop"], ev["sell"]])

        # never commissioned: a foreign serial joins a lot at the DC
        lot, items, ev = self.lot(base + 12 * day)
        fake = epc(990_000)
        assert ev["receive_dc"] is not None
        t = datetime.fromisoformat(ev["receive_dc"]["eventTime"])
        intruder = self.event(
            t + timedelta(hours=2), "receiving", DC, [fake, items[0], items[1]], missable=False
        )
        self.label("never_commissioned", [fake], None, [intruder])
        return self

    # -- output ----------------------------------------------------------------------------
    def document(self, events: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "@context": CONTEXT,
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": START.isoformat().replace("+00:00", "Z"),
            "epcisBody": {"eventList": events},
        }

    def write(self, directory: Path, per_file: int = 10_000) -> Path:
        ordered = sorted(self.events, key=lambda e: e["eventTime"])
        (directory / "events").mkdir(parents=True, exist_ok=True)
        for n in range(0, len(ordered), per_file):
            (directory / "events" / f"{n // per_file:05d}.json").write_bytes(
                orjson.dumps(self.document(ordered[n : n + per_file]))
            )
        labelled = {e for lb in self.labels for e in lb["epcs"]}
        all_epcs = {e for ev in self.events for e in ev.get("epcList", [])}
        info = {
            "format": "foodtrace-scenario/1",
            "seed": self.seed,
            "size": "test",
            "read_rate": self.read_rate,
            "start": START.isoformat(),
            "end": max(e["eventTime"] for e in self.events),
            "counts": {
                "events": len(self.events),
                "epcs": len(all_epcs),
                "lots": self.lots,
                "anomalies": {lb["type"]: 1 for lb in self.labels},
            },
            "genuine_epcs": len(all_epcs - labelled),
        }
        (directory / "scenario.json").write_bytes(orjson.dumps(info))
        (directory / "masterdata.json").write_bytes(orjson.dumps(master_data()))
        (directory / "routes.json").write_bytes(orjson.dumps(routes()))
        (directory / "recalls.json").write_bytes(orjson.dumps({"recalls": self.recalls}))
        (directory / "labels.jsonl").write_bytes(
            b"".join(orjson.dumps(lb) + b"\n" for lb in self.labels)
        )
        return directory
