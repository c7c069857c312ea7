"""Read a scenario directory back (contract A): :func:`load_scenario` → :class:`Scenario`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from firmware_sim.exceptions import ScenarioError

__all__ = ["Label", "Scenario", "load_scenario"]

FORMAT = "foodtrace-scenario/1"


@dataclass(frozen=True, slots=True)
class Label:
    """One injected anomaly."""

    id: str
    type: str
    epcs: list[str]
    lots: list[str]
    event_ids: list[str]
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Scenario:
    """A generated scenario: paths and parsed metadata, routes, recalls and labels."""

    directory: Path
    meta: dict[str, Any]
    routes: dict[str, Any]
    recalls: list[dict[str, Any]]
    labels: list[Label]
    event_files: list[Path]

    @property
    def masterdata_path(self) -> Path:
        return self.directory / "masterdata.json"

    @property
    def seed(self) -> int:
        return int(self.meta["seed"])

    @property
    def read_rate(self) -> float:
        return float(self.meta["read_rate"])

    def masterdata(self) -> dict[str, Any]:
        data: dict[str, Any] = _read_json(self.masterdata_path)
        return data

    def iter_documents(self) -> Iterator[dict[str, Any]]:
        """The EPCIS documents, parsed, in order (one file at a time in memory)."""
        for path in self.event_files:
            doc: dict[str, Any] = _read_json(path)
            yield doc

    def iter_raw_documents(self) -> Iterator[tuple[Path, bytes]]:
        for path in self.event_files:
            yield path, path.read_bytes()

    def iter_events(self) -> Iterator[dict[str, Any]]:
        """Every event, in eventTime order."""
        for doc in self.iter_documents():
            yield from doc["epcisBody"]["eventList"]


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except orjson.JSONDecodeError as exc:
        raise ScenarioError(f"{path}: not valid JSON: {exc}") from exc


def load_scenario(directory: Path | str) -> Scenario:
    """Open a scenario directory written by ``foodtrace scenario generate``."""
    root = Path(directory)
    meta = _read_json(root / "scenario.json")
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ScenarioError(f"{root}: scenario.json is not format {FORMAT!r}")
    routes = _read_json(root / "routes.json")
    recalls = _read_json(root / "recalls.json").get("recalls", [])
    labels: list[Label] = []
    try:
        lines = (root / "labels.jsonl").read_bytes().splitlines()
    except OSError as exc:
        raise ScenarioError(f"{root / 'labels.jsonl'}: cannot read: {exc.strerror or exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
            labels.append(Label(item["id"], item["type"], item["epcs"], item["lots"],
                                item["event_ids"], item["params"]))  # fmt: skip
        except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
            raise ScenarioError(f"{root / 'labels.jsonl'}: line {n}: {exc}") from exc
    files = sorted((root / "events").glob("*.json"))
    return Scenario(root, meta, routes, recalls, labels, files)
