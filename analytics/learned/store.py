"""Persisted learned models: ``DIR/models.joblib`` and ``DIR/manifest.json`` with the format
version, the models' names and versions, when and on how many journeys they were trained,
and the file's sha-256 — checked before the file is unpickled (a file that does not match is
never loaded)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from analytics.exceptions import ModelError

__all__ = ["FORMAT", "load_models", "save_models"]

FORMAT = "foodtrace-analytics-models/1"
_FILE = "models.joblib"
_MANIFEST = "manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_models(directory: Path, models: list[Any], journeys: int) -> dict[str, Any]:
    """Write the models and their manifest; returns the manifest."""
    import joblib

    directory.mkdir(parents=True, exist_ok=True)
    path = directory / _FILE
    joblib.dump(models, path)
    manifest = {
        "format": FORMAT,
        "created": datetime.now(UTC).isoformat(),
        "journeys": journeys,
        "models": [{"name": m.name, "version": m.version} for m in models],
        "sha256": _sha256(path),
    }
    (directory / _MANIFEST).write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    return manifest


def load_models(directory: Path) -> list[Any]:
    """The models of ``directory``; :class:`ModelError` when missing, of another format or
    corrupted (checksum mismatch)."""
    import joblib

    manifest_path, path = directory / _MANIFEST, directory / _FILE
    if not manifest_path.is_file() or not path.is_file():
        raise ModelError(f"{directory}: no trained models (run foodtrace analytics train)")
    try:
        manifest = orjson.loads(manifest_path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ModelError(f"{manifest_path}: not JSON ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise ModelError(f"{directory}: model format {manifest.get('format')!r}, expected {FORMAT}")
    if _sha256(path) != manifest.get("sha256"):
        raise ModelError(f"{path}: checksum does not match the manifest (file changed)")
    models: list[Any] = joblib.load(path)
    return models
