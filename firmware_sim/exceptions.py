"""Errors raised by the firmware simulator.

The simulator never raises on bytes a host sends (a real reader ignores or refuses bad frames on
the wire); only a refused scenario or a port it cannot open is an exception.

Our exception hierarchy::

    FoodtraceError
    └── SimulatorError
        ├── ScenarioError (also a ValueError) ... a scenario file or value is refused: bad TOML,
        │                                         unknown key, an EPC that does not encode, ...;
        │                                         for world scenarios (``firmware_sim.world``) a
        │                                         bad size, rate or --anomalies spec, an --out
        │                                         that holds other files, an unreadable DIR
        └── PortError (also an OSError) ......... the pty or TCP port cannot be opened
"""

from __future__ import annotations

from foodtrace.exceptions import FoodtraceError

__all__ = ["PortError", "ScenarioError", "SimulatorError"]


class SimulatorError(FoodtraceError):
    """Base of every error the firmware simulator raises."""


class ScenarioError(SimulatorError, ValueError):
    """A scenario (file or value) is refused; the message names the offending entry."""


class PortError(SimulatorError, OSError):
    """The simulated serial port (pty or TCP listener) cannot be opened."""
