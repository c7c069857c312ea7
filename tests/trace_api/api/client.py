"""Starlette's in-process ``TestClient``.

Starlette 1.10 warns at import that its TestClient should move from ``httpx`` to ``httpx2``;
``httpx2`` is not a dependency of this project, and the client works with ``httpx`` 0.28, so
that one import-time warning is silenced here (and only here).
"""

from __future__ import annotations

import warnings

from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from starlette.testclient import TestClient

__all__ = ["TestClient"]
