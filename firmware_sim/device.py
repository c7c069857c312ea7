"""``SimulatedReader``: one simulated reader as bytes in, bytes out, on an injected clock.

    reader = SimulatedReader("r2000", scenario, clock=time.monotonic)
    reader.write(RealTimeInventory().encode())     # what the host sends
    chunks = reader.read()                          # frames due by now, faults applied

Time is ``clock() - start`` in seconds (the scenario's time axis). The runners in
:mod:`firmware_sim.serve` move these bytes over a pty or TCP at the line rate; a test can drive
the object directly with a fake clock.

Faults applied here: ``garbage`` (random bytes, never the protocol's start byte, so they cannot
hide a real frame), ``corrupt`` (the checksum/CRC of the next tag records is flipped). ``split``
and ``vanish`` concern the transport: :meth:`split_active` and :meth:`take_vanish` tell the
runner.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from firmware_sim.air import Air
from firmware_sim.mercury import MercuryFirmware
from firmware_sim.output import OutputQueue
from firmware_sim.r2000 import R2000Firmware
from firmware_sim.scenario import Fault, Scenario
from foodtrace.reader import StreamParser, get_codec

__all__ = ["PROTOCOL_START_BYTES", "SimulatedReader", "SimulatorStats"]

PROTOCOL_START_BYTES: Final = {"r2000": 0xA0, "mercury": 0xFF}
_BURST: Final = 512


@dataclass(slots=True)
class SimulatorStats:
    """What the simulated reader has done (frames out include replies and tag records)."""

    commands: int = 0
    frames_out: int = 0
    tag_records: int = 0
    bytes_out: int = 0
    garbage_bytes: int = 0
    corrupted: int = 0
    power_cycles: int = 0


class SimulatedReader:
    """A reader's firmware behind a byte interface (see the module docstring)."""

    def __init__(
        self,
        protocol: str,
        scenario: Scenario | None = None,
        clock: Callable[[], float] = time.monotonic,
        *,
        address: int = 1,
        baudrate: int = 115200,
    ) -> None:
        if protocol not in PROTOCOL_START_BYTES:
            raise ValueError(f"unknown protocol {protocol!r}: r2000 or mercury")
        self.protocol = protocol
        self.scenario = scenario if scenario is not None else Scenario()
        self.clock = clock
        self.start = clock()
        self.stats = SimulatorStats()
        self.air = Air(self.scenario)
        self.out = OutputQueue()
        self._parser: StreamParser[Any] = get_codec(protocol).command_parser()
        self._firmware: R2000Firmware | MercuryFirmware
        if protocol == "r2000":
            self._firmware = R2000Firmware(self.air, self.out, address=address, baudrate=baudrate)
        else:
            self._firmware = MercuryFirmware(self.air, self.out, baudrate=baudrate)
        self._faults: list[Fault] = sorted(self.scenario.faults, key=lambda f: f.at_s)
        self._splits: list[Fault] = [f for f in self._faults if f.kind == "split"]
        self._corrupt_left = 0
        self._start_byte = PROTOCOL_START_BYTES[protocol]

    # -- time --------------------------------------------------------------------------------

    def elapsed(self) -> float:
        return self.clock() - self.start

    @property
    def baudrate(self) -> int:
        """The line rate the firmware runs at (changed by a set-baud-rate command)."""
        return self._firmware.baudrate

    @property
    def inventory_running(self) -> bool:
        return self._firmware.running(self.elapsed())

    # -- bytes in / out ----------------------------------------------------------------------

    def write(self, data: bytes) -> None:
        """Bytes from the host: complete commands are executed at the current time."""
        now = self.elapsed()
        for frame in self._parser.feed(data):
            self.stats.commands += 1
            self._firmware.receive(frame, now)

    def read(self, limit: int = _BURST) -> list[bytes]:
        """The chunks due on the line by now, in order (at most ``limit`` frames)."""
        now = self.elapsed()
        firmware = self._firmware
        if isinstance(firmware, MercuryFirmware):
            firmware.advance(now, limit)
        out: list[bytes] = []
        self._inject_garbage(now, out)
        stats = self.stats
        for item in self.out.pop_due(now, limit):
            data = item.data
            if item.tag:
                stats.tag_records += 1
                if self._corrupt_left:
                    self._corrupt_left -= 1
                    stats.corrupted += 1
                    data = data[:-1] + bytes((data[-1] ^ 0x5A,))
            stats.frames_out += 1
            stats.bytes_out += len(data)
            out.append(data)
        return out

    def next_due(self) -> float | None:
        """Seconds since start when the next frame is due (``None``: nothing scheduled)."""
        due = self.out.next_due()
        firmware = self._firmware
        if isinstance(firmware, MercuryFirmware) and firmware.reading is not None:
            step = 1.0 / self.scenario.read_rate
            candidate = max(self.elapsed(), firmware.next_read) + step
            due = candidate if due is None else min(due, candidate)
        faults = [f.at_s for f in self._faults if f.kind in ("garbage", "corrupt", "vanish")]
        if faults:
            due = faults[0] if due is None else min(due, faults[0])
        return due

    def _inject_garbage(self, now: float, out: list[bytes]) -> None:
        while self._faults and self._faults[0].at_s <= now:
            fault = self._faults[0]
            if fault.kind == "vanish":
                return  # the runner takes it (take_vanish)
            self._faults.pop(0)
            if fault.kind == "garbage":
                rng = self.air.rng
                junk = bytes(
                    b if b != self._start_byte else b ^ 0x01
                    for b in (rng.randrange(256) for _ in range(fault.count))
                )
                self.stats.garbage_bytes += len(junk)
                out.append(junk)
            elif fault.kind == "corrupt":
                self._corrupt_left += fault.count

    # -- transport faults --------------------------------------------------------------------

    def split_active(self) -> bool:
        """Whether frames should now be written in pieces (a ``split`` fault's window)."""
        now = self.elapsed()
        return any(f.at_s <= now < f.at_s + max(f.duration_s, 0.001) for f in self._splits)

    def take_vanish(self) -> Fault | None:
        """A due ``vanish`` fault (once): the runner closes the port for its duration."""
        now = self.elapsed()
        for i, fault in enumerate(self._faults):
            if fault.at_s > now:
                break
            if fault.kind == "vanish":
                return self._faults.pop(i)
        return None

    def power_cycle(self) -> None:
        """The module loses power (its USB cable was pulled): state and queue are lost."""
        self.stats.power_cycles += 1
        self._firmware.power_cycle()
        self._parser.reset()
