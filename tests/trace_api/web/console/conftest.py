"""The export chain's database for the console tests."""

from tests.trace_api.export.conftest import export_db

__all__ = ["export_db"]
