"""Firmware simulator: speaks the real reader serial protocols byte for byte over a pty or TCP,
and plays scripted tag populations with line faults (``docs/firmware-sim.md``).

* :mod:`.scenario` — :class:`~.scenario.Scenario` (tags over time, RSSI, misses, faults) and the
  TOML loader; :mod:`.air` — which tags answer, with what RSSI (seeded)
* :mod:`.r2000`, :mod:`.mercury` — the two firmwares' state machines; :mod:`.output` — the
  transmit queue
* :mod:`.device` — :class:`~.device.SimulatedReader`: bytes in, bytes out, on an injected clock
* :mod:`.pacing` — the line rate; :mod:`.transport` — pty and TCP endpoints; :mod:`.serve` —
  ``serve_pty`` / ``serve_tcp`` runners and the ``serving`` context manager for tests
* :mod:`.cli` — ``foodtrace sim reader``; :mod:`.exceptions` — the error tree

Importing the package is cheap (nothing is imported here), so ``foodtrace --help`` stays fast.
"""
