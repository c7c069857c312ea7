"""A scenario: the tag population in front of the simulated reader over time, and line faults.

Times are seconds since the simulator started. A scenario is plain data (frozen dataclasses);
:func:`load_scenario` reads one from a TOML file (format and examples: ``docs/firmware-sim.md``)
and :func:`parse_scenario` from an already-parsed mapping.

Top-level keys: ``read_rate`` (tag reads per second on air, default 300), ``antennas``
(connected antenna ports, default 1-4), ``miss_probability`` (0-1, default 0), ``rssi_at_1m_dbm``
(-45), ``path_loss_exponent`` (2.0: free space), ``rssi_noise_db`` (1.0, Gaussian σ), ``seed`` (0).
``[[tag]]`` tables: ``epc`` (hex, or a pure-identity / tag URN encoded with
:mod:`foodtrace.gs1.epc`), ``antenna`` (1), ``enter`` (0.0), ``leave`` (never),
``distance_m`` (1.0), ``miss_probability`` (the global one), ``temperature_c`` (a sensor tag).
``[[fault]]`` tables: ``kind`` (``garbage``, ``split``, ``corrupt``, ``vanish``), ``at``,
``duration`` (split/vanish, seconds) and ``count`` (garbage: bytes; corrupt: tag records).
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, cast

from firmware_sim.exceptions import ScenarioError
from foodtrace.exceptions import FoodtraceError
from foodtrace.gs1.epc import encode

__all__ = [
    "FAULT_KINDS",
    "Fault",
    "FaultKind",
    "Scenario",
    "TagSpec",
    "epc_bytes",
    "load_scenario",
    "parse_scenario",
]

FaultKind = Literal["garbage", "split", "corrupt", "vanish"]
FAULT_KINDS: Final = ("garbage", "split", "corrupt", "vanish")
_MAX_EPC_BYTES: Final = 62


def epc_bytes(value: str) -> bytes:
    """An EPC given as hex or as a URN (``urn:epc:id:…`` / ``urn:epc:tag:…``) → its bytes."""
    text = value.strip()
    if text.lower().startswith("urn:"):
        try:
            text = encode(text)
        except (FoodtraceError, ValueError) as exc:
            raise ScenarioError(f"EPC {value!r} does not encode: {exc}") from None
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise ScenarioError(f"EPC {value!r} is neither hex nor an EPC URN") from None
    if not raw or len(raw) % 2 or len(raw) > _MAX_EPC_BYTES:
        raise ScenarioError(
            f"EPC {value!r} must be 2-62 bytes in whole 16-bit words, got {len(raw)} bytes"
        )
    return raw


@dataclass(frozen=True, slots=True)
class TagSpec:
    """One tag's stay in one antenna's field: from ``enter_s`` until ``leave_s`` (None: stays)."""

    epc: bytes
    antenna: int = 1
    enter_s: float = 0.0
    leave_s: float | None = None
    distance_m: float = 1.0
    miss_probability: float | None = None
    temperature_c: float | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.antenna <= 8:
            raise ScenarioError(f"tag antenna must be 1..8, got {self.antenna}")
        if self.enter_s < 0 or (self.leave_s is not None and self.leave_s < self.enter_s):
            raise ScenarioError(f"tag must enter at >= 0 and leave after entering: {self}")
        if not self.distance_m > 0:
            raise ScenarioError(f"distance_m must be > 0, got {self.distance_m}")
        _probability(self.miss_probability)
        if self.temperature_c is not None and not -100 <= self.temperature_c <= 300:
            raise ScenarioError(f"temperature_c must be -100..300, got {self.temperature_c}")

    @property
    def epc_hex(self) -> str:
        return self.epc.hex().upper()

    def present(self, t: float) -> bool:
        return self.enter_s <= t and (self.leave_s is None or t < self.leave_s)


@dataclass(frozen=True, slots=True)
class Fault:
    """A line fault at ``at_s``: ``garbage`` (``count`` random bytes), ``split`` (frames written
    in pieces for ``duration_s``), ``corrupt`` (the next ``count`` tag records get a bad
    checksum/CRC), ``vanish`` (the port disappears for ``duration_s``)."""

    kind: FaultKind
    at_s: float
    duration_s: float = 0.0
    count: int = 1

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ScenarioError(f"fault kind must be one of {', '.join(FAULT_KINDS)}")
        if self.at_s < 0 or self.duration_s < 0 or self.count < 1:
            raise ScenarioError(f"fault needs at >= 0, duration >= 0, count >= 1: {self}")


@dataclass(frozen=True, slots=True)
class Scenario:
    """The whole scenario. ``Scenario()`` is an empty field with default radio figures."""

    tags: tuple[TagSpec, ...] = ()
    faults: tuple[Fault, ...] = ()
    read_rate: float = 300.0
    antennas: tuple[int, ...] = (1, 2, 3, 4)
    miss_probability: float = 0.0
    rssi_at_1m_dbm: float = -45.0
    path_loss_exponent: float = 2.0
    rssi_noise_db: float = 1.0
    seed: int = 0
    _by_antenna: dict[int, tuple[TagSpec, ...]] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        if not self.read_rate > 0 or math.isinf(self.read_rate):
            raise ScenarioError(f"read_rate must be a positive number, got {self.read_rate}")
        if not self.antennas or any(not 1 <= a <= 8 for a in self.antennas):
            raise ScenarioError(f"antennas must be 1..8, got {self.antennas}")
        _probability(self.miss_probability)
        if self.rssi_noise_db < 0:
            raise ScenarioError("rssi_noise_db must be >= 0")
        for tag in self.tags:
            self._by_antenna.setdefault(tag.antenna, ())
            self._by_antenna[tag.antenna] += (tag,)

    def tags_on(self, antenna: int, t: float) -> list[TagSpec]:
        """The tags in ``antenna``'s field at time ``t`` (none if the antenna is not connected)."""
        if antenna not in self.antennas:
            return []
        return [tag for tag in self._by_antenna.get(antenna, ()) if tag.present(t)]

    def rssi_dbm(self, tag: TagSpec) -> float:
        """Mean RSSI of ``tag`` (log-distance path loss from ``rssi_at_1m_dbm``)."""
        return self.rssi_at_1m_dbm - 10 * self.path_loss_exponent * math.log10(tag.distance_m)

    def miss(self, tag: TagSpec) -> float:
        return self.miss_probability if tag.miss_probability is None else tag.miss_probability


def _probability(value: float | None) -> None:
    if value is not None and not 0 <= value <= 1:
        raise ScenarioError(f"a probability must be 0..1, got {value}")


_TOP_KEYS: Final = {
    "read_rate",
    "antennas",
    "miss_probability",
    "rssi_at_1m_dbm",
    "path_loss_exponent",
    "rssi_noise_db",
    "seed",
    "tag",
    "fault",
}
_TAG_KEYS: Final = {
    "epc",
    "antenna",
    "enter",
    "leave",
    "distance_m",
    "miss_probability",
    "temperature_c",
}
_FAULT_KEYS: Final = {"kind", "at", "duration", "count"}


def _check_keys(where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _number(where: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ScenarioError(f"{where} must be a number, got {value!r}")
    return float(value)


def _integer(where: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScenarioError(f"{where} must be an integer, got {value!r}")
    return value


def _optional(table: Mapping[str, Any], key: str, where: str) -> float | None:
    return None if key not in table else _number(f"{where}.{key}", table[key])


def _tag(index: int, table: Mapping[str, Any]) -> TagSpec:
    where = f"tag[{index}]"
    _check_keys(where, table, _TAG_KEYS)
    if not isinstance(table.get("epc"), str):
        raise ScenarioError(f"{where}.epc is required (hex or an EPC URN)")
    return TagSpec(
        epc=epc_bytes(table["epc"]),
        antenna=_integer(f"{where}.antenna", table.get("antenna", 1)),
        enter_s=_number(f"{where}.enter", table.get("enter", 0.0)),
        leave_s=_optional(table, "leave", where),
        distance_m=_number(f"{where}.distance_m", table.get("distance_m", 1.0)),
        miss_probability=_optional(table, "miss_probability", where),
        temperature_c=_optional(table, "temperature_c", where),
    )


def _fault(index: int, table: Mapping[str, Any]) -> Fault:
    where = f"fault[{index}]"
    _check_keys(where, table, _FAULT_KEYS)
    kind = table.get("kind")
    if kind not in FAULT_KINDS:
        raise ScenarioError(f"{where}.kind must be one of {', '.join(FAULT_KINDS)}, got {kind!r}")
    if "at" not in table:
        raise ScenarioError(f"{where}.at is required (seconds since start)")
    return Fault(
        kind=cast(FaultKind, kind),
        at_s=_number(f"{where}.at", table["at"]),
        duration_s=_number(f"{where}.duration", table.get("duration", 0.0)),
        count=_integer(f"{where}.count", table.get("count", 1)),
    )


def parse_scenario(data: Mapping[str, Any]) -> Scenario:
    """A :class:`Scenario` from a TOML-shaped mapping (see the module docstring)."""
    _check_keys("scenario", data, _TOP_KEYS)
    tags = data.get("tag", [])
    faults = data.get("fault", [])
    if not isinstance(tags, list) or not isinstance(faults, list):
        raise ScenarioError("tag and fault must be arrays of tables ([[tag]], [[fault]])")
    antennas = data.get("antennas", [1, 2, 3, 4])
    if not isinstance(antennas, list):
        raise ScenarioError("antennas must be an array of antenna ports")
    defaults = Scenario()
    return Scenario(
        tags=tuple(_tag(i, t) for i, t in enumerate(tags)),
        faults=tuple(sorted((_fault(i, f) for i, f in enumerate(faults)), key=lambda f: f.at_s)),
        read_rate=_number("read_rate", data.get("read_rate", defaults.read_rate)),
        antennas=tuple(_integer("antennas[]", a) for a in antennas),
        miss_probability=_number(
            "miss_probability", data.get("miss_probability", defaults.miss_probability)
        ),
        rssi_at_1m_dbm=_number("rssi_at_1m_dbm", data.get("rssi_at_1m_dbm", -45.0)),
        path_loss_exponent=_number("path_loss_exponent", data.get("path_loss_exponent", 2.0)),
        rssi_noise_db=_number("rssi_noise_db", data.get("rssi_noise_db", 1.0)),
        seed=_integer("seed", data.get("seed", 0)),
    )


def load_scenario(path: Path) -> Scenario:
    """Read a TOML scenario file; :class:`ScenarioError` names what is wrong."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    try:
        return parse_scenario(data)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: {exc}") from None
