"""Expected processes: the bizSteps each product's EPCs go through, dwell and transit profiles.

``routes.json`` (contract A) is derived from here and from the world's lanes. Each step also
names the FSMA 204 critical tracking event it records (``ctes``, parallel to ``steps``):

==========================  =====================================================================
FSMA 204 CTE                CBV 2.0 representation
==========================  =====================================================================
harvesting                  ObjectEvent ADD ``commissioning`` at the farm, ILMD harvest dates
cooling                     ObjectEvent ``storing`` in the packer's cold store, with temperatures
initial packing             AggregationEvent ADD ``packing`` (cases → pallet SSCC)
first land-based receiving  ObjectEvent ADD ``commissioning`` at the fishing port, ILMD catch zone
shipping                    ObjectEvent ``shipping`` with source/destination and po/desadv
receiving                   ObjectEvent ``receiving``
transformation              TransformationEvent ``commissioning`` (raw lots → new product lots)
==========================  =====================================================================
"""

from __future__ import annotations

from typing import Any

from firmware_sim.world.geo import AUTHORISED_BBOX, haversine_km, transit_range_h
from firmware_sim.world.masterdata import Location, World
from firmware_sim.world.products import FAMILIES, Family

__all__ = ["DWELL_H", "RAW_STEPS", "SOLD_STEPS", "routes_document"]

#: Genuine dwell (hours from arrival to departure) per location kind.
DWELL_H: dict[str, tuple[float, float]] = {
    "farm": (0.5, 4.0),
    "port": (0.5, 4.0),
    "packer": (4.0, 30.0),
    "processor": (8.0, 36.0),
    "dc": (4.0, 40.0),
}

RAW_STEPS: tuple[tuple[str, str], ...] = (
    ("commissioning", "harvesting"),
    ("shipping", "shipping"),
    ("receiving", "receiving"),
)
_DOWNSTREAM: tuple[tuple[str, str], ...] = (
    ("storing", "cooling"),
    ("packing", "initial_packing"),
    ("shipping", "shipping"),
    ("receiving", "receiving"),
    ("storing", "storing"),
    ("shipping", "shipping"),
    ("receiving", "receiving"),
    ("retail_selling", "retail_selling"),
)
SOLD_STEPS = tuple(step for step, _ in _DOWNSTREAM)


def _lane_range(sources: list[Location], targets: list[Location]) -> list[float]:
    ranges = [
        transit_range_h(haversine_km(a.lat, a.lon, b.lat, b.lon)) for a in sources for b in targets
    ]
    return [round(min(r[0] for r in ranges), 2), round(max(r[1] for r in ranges), 2)]


def _steps(family: Family, sold: bool) -> list[tuple[str, str]]:
    harvest = "first_land_based_receiving" if family.origin_kind == "port" else "harvesting"
    raw = [("commissioning", harvest), *RAW_STEPS[1:]]
    if not sold:
        return raw
    if family.outputs:
        return [("commissioning", "transformation"), *_DOWNSTREAM]
    return [*raw, *_DOWNSTREAM]


def routes_document(world: World, retail_dwell_h: dict[str, float]) -> dict[str, Any]:
    """``routes.json``: per GTIN, the expected steps, transit and dwell ranges, partners, region."""
    products: dict[str, Any] = {}
    for family in FAMILIES:
        origins, site = world.origins[family.key], world.sites[family.key]
        parties = sorted(p.gln for p in world.family_parties(family))
        region = {"countries": ["CN"], "bbox": list(AUTHORISED_BBOX)}
        kinds = (family.origin_kind, family.site_kind)
        upstream = {f"{kinds[0]}->{kinds[1]}": _lane_range(origins, [site])}
        downstream = {
            f"{site.kind}->dc": _lane_range([site], world.dcs),
            "dc->retail": _lane_range(world.dcs, world.stores),
        }
        for product in (family.raw, *family.outputs):
            sold = product in family.sold
            steps = _steps(family, sold)
            transit = dict(upstream) if product is family.raw else {}
            dwell: dict[str, list[float]] = {}
            if product is family.raw:
                dwell[family.origin_kind] = list(DWELL_H[family.origin_kind])
            if sold:
                transit.update(downstream)
                dwell[site.kind] = list(DWELL_H[site.kind])
                dwell["dc"] = list(DWELL_H["dc"])
                dwell["retail"] = [1.0, retail_dwell_h[product.key]]
            products[world.gtins[product.key]] = {
                "name": {"en": product.name_en, "zh": product.name_zh},
                "steps": [s for s, _ in steps],
                "ctes": [c for _, c in steps],
                "transit_hours": transit,
                "dwell_hours": dwell,
                "authorised_parties": parties,
                "authorised_region": region,
                "temperature_c": [product.temp_min_c, product.temp_max_c],
                "shelf_life_days": product.shelf_life_days,
            }
    return {"products": products}
