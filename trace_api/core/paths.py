"""Per-user directories, following the XDG Base Directory specification.

Data lives in ``$XDG_DATA_HOME/foodtrace`` (default ``~/.local/share/foodtrace``), configuration
in ``$XDG_CONFIG_HOME/foodtrace`` (default ``~/.config/foodtrace``). Relative XDG values are
ignored, as the specification requires.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["config_dir", "data_dir"]

APP = "foodtrace"


def _xdg(name: str, fallback: str, environ: Mapping[str, str]) -> Path:
    value = environ.get(name, "")
    if value and os.path.isabs(value):
        return Path(value) / APP
    return Path(os.path.expanduser("~")) / fallback / APP


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Directory for the default SQLite database and other per-user data."""
    return _xdg("XDG_DATA_HOME", ".local/share", os.environ if environ is None else environ)


def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Directory holding ``config.toml``."""
    return _xdg("XDG_CONFIG_HOME", ".config", os.environ if environ is None else environ)
