"""The EPCIS test documents in ``tests/data/epcis`` (see the SOURCE.md of each folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

DATA = Path(__file__).resolve().parents[1] / "data" / "epcis"
EXAMPLES = sorted((DATA / "examples").glob("*.jsonld"))
INVALID = sorted((DATA / "invalid").glob("*.json"))
FSMA204 = sorted((DATA / "fsma204").glob("*.jsonld"))

# The five GS1 field-coverage fixtures fill every field, and some of their values contradict
# rules the schema cannot check (a meanValue below the minValue, sensor times after the
# eventTime, ...). They are schema-valid; tests/epcis/test_validate.py pins what they break.
ALL_FIELDS = [path for path in EXAMPLES if path.name.endswith("_all_possible_fields.jsonld")]


def load(path: Path) -> Any:
    """A test document; FSMA 204 files lose their non-EPCIS ``_comment_gs1us_mapping`` key."""
    doc = orjson.loads(path.read_bytes())
    if isinstance(doc, dict):
        doc.pop("_comment_gs1us_mapping", None)
    return doc


def events_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The event list of a capture or query document."""
    body = doc["epcisBody"]
    events: list[dict[str, Any]] = (
        body["queryResults"]["resultsBody"]["eventList"]
        if "queryResults" in body
        else body["eventList"]
    )
    return events
