"""A simulated reader station: the firmware simulator on a pty and its edge agent, in threads.

Exactly the production code path of a station (``foodtrace sim reader --pty`` +
``foodtrace edge run``): the agent opens the pty with pyserial, handshakes with the simulated
firmware (R2000 or Mercury protocol), runs the inventory, turns reads into EPCIS events in its
durable outbox, and publishes them to the broker under its own account. Only the process
boundary is gone, so the demo can stop every part in order.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from edge_agent.config import StationConfig, load_config
from edge_agent.pipeline import Pipeline
from edge_agent.reader import run_reader
from firmware_sim.device import SimulatedReader
from firmware_sim.scenario import Scenario, TagSpec, epc_bytes
from firmware_sim.serve import serve_pty
from trace_api.demo.story import DWELL_S, STAGE_GAP_S, STORY_START_S, DemoStation, RunLots, sgln
from trace_api.exceptions import DemoError

__all__ = ["SimulatedStation", "station_config", "station_scenario"]

log = logging.getLogger("trace_api.demo")


def station_scenario(station: DemoStation, lots: RunLots) -> Scenario:
    """The packs of this run in front of ``station``: all at once, for ``DWELL_S`` seconds,
    ``STORY_START_S + stage × STAGE_GAP_S (+ delay)`` seconds after the simulator starts. In
    front of a sensor station each pack's temperature label reports 2.6–4.1 °C (the products'
    cold chain is 0–5 °C)."""
    enter = STORY_START_S + station.stage * STAGE_GAP_S + station.delay_s
    tags = tuple(
        TagSpec(
            epc_bytes(epc),
            antenna=1,
            enter_s=enter + 0.05 * i,
            leave_s=enter + DWELL_S,
            temperature_c=round(2.6 + 0.3 * (i % 6), 1) if station.sensor else None,
        )
        for i, epc in enumerate(lots.packs_seen_by(station))
    )
    return Scenario(tags=tags, antennas=(1,), read_rate=200, seed=lots.run)


def station_config(
    station: DemoStation, port: str, broker_port: int, password: str, outbox: Path
) -> StationConfig:
    role: dict[str, Any] = {"kind": station.role}
    if station.destination_ref is not None:
        role["destinations"] = [{"type": "location", "id": sgln(station.destination_ref)}]
    return load_config(
        None,
        station={
            "id": station.id,
            "site": station.site,
            "read_point": station.read_point,
            "biz_location": station.biz_location,
            "timezone": "Asia/Shanghai",
        },
        reader={"port": port, "protocol": station.protocol, "antennas": [1], "region": "china"},
        role=role,
        presence={"report_once": True, "depart_after_s": 1.0},
        batch={"linger_ms": 100},
        mqtt={
            "host": "127.0.0.1",
            "port": broker_port,
            "username": station.id,
            "password": password,
            "heartbeat_s": 10,
            "reconnect_min_s": 1,
            "reconnect_max_s": 2,
        },
        outbox={"path": str(outbox), "replay_rate": 0},
        metrics={"enabled": False},
    )


class SimulatedStation:
    """Start with :meth:`start`, stop with :meth:`close` (idempotent)."""

    def __init__(self, station: DemoStation, lots: RunLots) -> None:
        self.station = station
        self.reader = SimulatedReader(station.protocol, station_scenario(station, lots))
        self._sim_stop = threading.Event()
        self._agent_stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.pipeline: Pipeline | None = None
        self.failure: BaseException | None = None

    def start(self, broker_port: int, password: str, directory: Path) -> None:
        ready = threading.Event()
        urls: list[str] = []

        def on_ready(url: str) -> None:
            urls.append(url)
            ready.set()

        sim = threading.Thread(
            target=serve_pty,
            args=(self.reader, self._sim_stop),
            kwargs={"on_ready": on_ready},
            name=f"sim-{self.station.id}",
            daemon=True,
        )
        sim.start()
        self._threads.append(sim)
        if not ready.wait(5):
            raise DemoError(f"the simulated reader of {self.station.id} did not open its pty")
        config = station_config(
            self.station, urls[0], broker_port, password, directory / "outbox.sqlite3"
        )
        self.pipeline = Pipeline.from_config(config)
        self.pipeline.start()
        agent = threading.Thread(
            target=self._drive, args=(config,), name=f"edge-{self.station.id}", daemon=True
        )
        agent.start()
        self._threads.append(agent)

    def _drive(self, config: StationConfig) -> None:
        assert self.pipeline is not None
        try:
            run_reader(config, self.pipeline, self._agent_stop)
        except Exception as exc:  # the station stops; the demo reports it and runs on
            log.exception("demo: the reader driver of %s failed", self.station.id)
            self.failure = exc

    @property
    def handshaken(self) -> bool:
        return self.reader.stats.commands >= 2

    def close(self, flush_timeout: float = 2.0) -> None:
        self._agent_stop.set()
        for thread in self._threads[1:]:
            thread.join(10)
        if self.pipeline is not None:
            self.pipeline.close(flush_timeout)
            self.pipeline = None
        self._sim_stop.set()
        if self._threads:
            self._threads[0].join(10)
        self._threads.clear()
