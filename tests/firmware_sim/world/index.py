"""An index of a generated scenario that the tests check the labels against."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from firmware_sim.world.geo import haversine_km
from firmware_sim.world.loader import Scenario

FT_STATION = "ft:stationID"


def when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def gln_of(sgln_urn: str) -> str:
    """The 13-digit GLN of ``urn:epc:id:sgln:PPPPPPP.LLLLL.X``."""
    from foodtrace.gs1.checkdigit import with_check_digit

    prefix, ref, _ = sgln_urn.rsplit(":", 1)[1].split(".")
    return with_check_digit(prefix + ref)


def epcs_of(event: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
        found.extend(event.get(key, ()))
    if "parentID" in event:
        found.append(event["parentID"])
    return found


class ScenarioIndex:
    """Events by ID and by EPC, master data by GLN, lots' best-before dates."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.events: dict[str, dict[str, Any]] = {}
        self.order: list[str] = []
        self.by_epc: dict[str, list[str]] = defaultdict(list)
        self.commissioned: set[str] = set()
        self.best_before: dict[str, str] = {}  # lot URN → date
        self.lot_of_epc: dict[str, str] = {}
        master = scenario.masterdata()
        self.locations = {loc["gln"]: loc for loc in master["locations"]}
        self.products = {p["gtin"]: p for p in master["products"]}
        for event in scenario.iter_events():
            eid = event["eventID"]
            self.events[eid] = event
            self.order.append(eid)
            for epc in epcs_of(event):
                self.by_epc[epc].append(eid)
            if event.get("action") == "ADD" and event.get("bizStep") == "commissioning":
                self._commission(event, event.get("epcList", []), event.get("quantityList", []))
            if event["type"] == "TransformationEvent":
                self._commission(event, event["outputEPCList"], event["outputQuantityList"])

    def _commission(self, event: dict[str, Any], epcs: list[str], quantities: list[Any]) -> None:
        self.commissioned.update(epcs)
        lot = quantities[0]["epcClass"]
        self.best_before[lot] = event["ilmd"]["cbvmda:bestBeforeDate"]
        for epc in epcs:
            self.lot_of_epc[epc] = lot

    def product_of_lot(self, lot: str) -> dict[str, Any]:
        """The master-data product of ``urn:epc:class:lgtin:PPPPPPP.IIIIII.LOT``."""
        from foodtrace.gs1.checkdigit import with_check_digit

        prefix, item, _ = lot.rsplit(":", 1)[1].split(".", 2)
        product: dict[str, Any] = self.products[with_check_digit(item[0] + prefix + item[1:])]
        return product

    def location(self, event: dict[str, Any], key: str = "bizLocation") -> dict[str, Any] | None:
        return self.locations.get(gln_of(event[key]["id"]))

    def read_gln(self, event: dict[str, Any]) -> str:
        return gln_of(event["readPoint"]["id"])

    def speed_kmh(self, first: dict[str, Any], second: dict[str, Any]) -> float:
        a = self.locations[self.read_gln(first)]
        b = self.locations[self.read_gln(second)]
        km = haversine_km(a["latitude"], a["longitude"], b["latitude"], b["longitude"])
        hours = (when(second["eventTime"]) - when(first["eventTime"])).total_seconds() / 3600
        return km / hours if hours > 0 else float("inf")

    def labelled_ids(self) -> set[str]:
        return {eid for label in self.scenario.labels for eid in label.event_ids}
