"""Station roles: which EPCIS event an observation becomes at this station.

==================  ===========================  =============================  ================
role                event                        bizStep / disposition          on
==================  ===========================  =============================  ================
receiving           ObjectEvent OBSERVE          receiving / in_progress        arrive, report
shipping            ObjectEvent OBSERVE          shipping / in_transit          arrive, report
                    (+ destinationList, no
                    bizLocation)
commissioning       ObjectEvent ADD + ilmd       commissioning / active         arrive
packing             AggregationEvent ADD         packing / in_progress          closed window
                    parentID = SSCC
retail_selling      ObjectEvent OBSERVE          retail_selling / retail_sold   arrive
sensor_reporting    ObjectEvent OBSERVE +        sensor_reporting / (none)      arrive, report
                    sensorElementList                                           (with a reading)
==================  ===========================  =============================  ================

``role.biz_step`` / ``role.disposition`` replace the defaults; ``role.antennas.<n>`` replaces
bizStep, disposition and readPoint for reads on antenna ``n``. A departure yields an OBSERVE event
only when ``role.depart_biz_step`` is set (ObjectEvent roles only).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from edge_agent.config import (
    CommissioningRole,
    IlmdSettings,
    PackingRole,
    SensorReportingRole,
    ShippingRole,
    StationConfig,
)
from edge_agent.events import (
    Action,
    aggregation_event,
    event_time,
    object_event,
    temperature_element,
)
from edge_agent.packing import ClosedWindow, PackingWindow
from edge_agent.presence import Observation, ObservationKind

__all__ = ["DEFAULTS", "EventFactory", "Outcome", "ilmd_fields"]

# role kind -> (action, bizStep, disposition, observation kinds that make an event)
DEFAULTS: dict[str, tuple[Action, str, str | None, frozenset[ObservationKind]]] = {
    "receiving": (
        "OBSERVE",
        "receiving",
        "in_progress",
        frozenset({ObservationKind.ARRIVE, ObservationKind.REPORT}),
    ),
    "shipping": (
        "OBSERVE",
        "shipping",
        "in_transit",
        frozenset({ObservationKind.ARRIVE, ObservationKind.REPORT}),
    ),
    "commissioning": ("ADD", "commissioning", "active", frozenset({ObservationKind.ARRIVE})),
    "packing": ("ADD", "packing", "in_progress", frozenset({ObservationKind.ARRIVE})),
    "retail_selling": (
        "OBSERVE",
        "retail_selling",
        "retail_sold",
        frozenset({ObservationKind.ARRIVE}),
    ),
    "sensor_reporting": (
        "OBSERVE",
        "sensor_reporting",
        None,
        frozenset({ObservationKind.ARRIVE, ObservationKind.REPORT}),
    ),
}

_ILMD_NAMES = {
    "lot": "cbvmda:lotNumber",
    "harvest_date": "cbvmda:harvestStartDate",
    "harvest_end_date": "cbvmda:harvestEndDate",
    "pack_date": "cbvmda:productionDate",
    "best_before_date": "cbvmda:bestBeforeDate",
    "expiry_date": "cbvmda:itemExpirationDate",
    "country_of_origin": "cbvmda:countryOfOrigin",
}


def ilmd_fields(ilmd: IlmdSettings) -> dict[str, Any]:
    """The configured lot master data as ``cbvmda:`` ILMD fields (plus ``extra``)."""
    out: dict[str, Any] = {}
    for name, key in _ILMD_NAMES.items():
        value = getattr(ilmd, name)
        if value is not None:
            out[key] = value
    out.update(ilmd.extra)
    return out


@dataclass(slots=True)
class Outcome:
    """Events to write, and what was seen but produced no event (with the reason)."""

    events: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rejected_windows: list[ClosedWindow] = field(default_factory=list)

    def extend(self, other: Outcome) -> None:
        self.events.extend(other.events)
        self.skipped.extend(other.skipped)
        self.rejected_windows.extend(other.rejected_windows)


class EventFactory:
    """Turns observations into events according to the station role. Pure: no I/O, no clock."""

    def __init__(self, config: StationConfig) -> None:
        self._config = config
        self._role = config.role
        self._tz = config.station.tzinfo()
        action, biz_step, disposition, on = DEFAULTS[self._role.kind]
        self._action: Action = action
        self._biz_step = self._role.biz_step or biz_step
        self._disposition = self._role.disposition or disposition
        self._on = on
        self._biz_location = (
            None if isinstance(self._role, ShippingRole) else config.station.biz_location
        )
        self._ilmd = (
            ilmd_fields(self._role.ilmd) if isinstance(self._role, CommissioningRole) else None
        )
        self._sensor = isinstance(self._role, SensorReportingRole)
        self._window = (
            PackingWindow(self._role.idle_close_s, self._role.max_window_s)
            if isinstance(self._role, PackingRole)
            else None
        )

    # -- what varies per antenna -------------------------------------------------------------

    def _why_where(self, antenna: int) -> tuple[str | None, str | None, str]:
        override = self._role.antennas.get(antenna)
        read_point = self._config.station.read_point
        if override is None:
            return self._biz_step, self._disposition, read_point
        return (
            override.biz_step or self._biz_step,
            override.disposition or self._disposition,
            override.read_point or read_point,
        )

    # -- entry points ------------------------------------------------------------------------

    def on_observation(self, obs: Observation) -> Outcome:
        out = Outcome()
        self.add_observation(obs, out)
        return out

    def add_observation(self, obs: Observation, out: Outcome) -> None:
        """:meth:`on_observation` adding to an outcome the caller collects (no new one per read)."""
        if obs.kind is ObservationKind.DEPART:
            if self._role.depart_biz_step is not None and self._action == "OBSERVE":
                out.events.append(self._departure(obs))
            return
        if obs.kind not in self._on:
            return
        if self._window is not None:
            closed = self._window.add(obs.epc, obs.antenna, obs.time_ns)
            if closed is not None:
                out.extend(self._from_window(closed))
            return
        if self._sensor and obs.temperature_c is None:
            out.skipped.append("no_temperature")
            return
        out.events.append(self._object_event(obs))

    def poll(self, now_ns: int) -> Outcome:
        """Time-driven output: packing windows that closed by now."""
        if self._window is None:
            return Outcome()
        closed = self._window.poll(now_ns)
        return self._from_window(closed) if closed is not None else Outcome()

    def flush(self) -> Outcome:
        """Close what is open (shutdown): a packing window in progress is judged as it is."""
        if self._window is None:
            return Outcome()
        closed = self._window.close()
        return self._from_window(closed) if closed is not None else Outcome()

    # -- builders ----------------------------------------------------------------------------

    def _object_event(self, obs: Observation) -> dict[str, Any]:
        biz_step, disposition, read_point = self._why_where(obs.antenna)
        sensors: list[dict[str, Any]] = []
        if isinstance(self._role, SensorReportingRole) and obs.temperature_c is not None:
            when, _ = event_time(obs.time_ns, self._tz)
            sensors.append(temperature_element(when, obs.temperature_c, device_id=obs.epc))
        return object_event(
            time_ns=obs.time_ns,
            tz=self._tz,
            epcs=[obs.epc],
            action=self._action,
            read_point=read_point,
            biz_step=biz_step,
            disposition=disposition,
            biz_location=self._biz_location,
            biz_transactions=self._role.biz_transactions,
            sources=self._role.sources,
            destinations=self._role.destinations,
            ilmd=self._ilmd,
            sensor_elements=sensors,
        )

    def _departure(self, obs: Observation) -> dict[str, Any]:
        _, _, read_point = self._why_where(obs.antenna)
        return object_event(
            time_ns=obs.time_ns,
            tz=self._tz,
            epcs=[obs.epc],
            action="OBSERVE",
            read_point=read_point,
            biz_step=self._role.depart_biz_step,
            disposition=self._role.depart_disposition,
            biz_location=self._biz_location,
            biz_transactions=self._role.biz_transactions,
            sources=self._role.sources,
            destinations=self._role.destinations,
        )

    def _from_window(self, closed: ClosedWindow) -> Outcome:
        out = Outcome()
        if closed.parent is None:
            out.rejected_windows.append(closed)
            return out
        biz_step, disposition, read_point = self._why_where(closed.antenna)
        out.events.append(
            aggregation_event(
                time_ns=closed.last_ns,
                tz=self._tz,
                parent=closed.parent,
                children=closed.others,
                action=self._action,
                read_point=read_point,
                biz_step=biz_step,
                disposition=disposition,
                biz_location=self._biz_location,
                biz_transactions=self._role.biz_transactions,
                sources=self._role.sources,
                destinations=self._role.destinations,
            )
        )
        return out
