"""Read filters: each filter drops what it should and keeps the rest."""

from __future__ import annotations

import pytest

from edge_agent.config import FilterSettings
from edge_agent.filters import ReadFilter, company_prefix
from tests.edge_agent.conftest import SGTIN_HEX, SGTIN_URI


@pytest.mark.parametrize(
    ("uri", "prefix"),
    [
        (SGTIN_URI, "0614141"),
        ("urn:epc:id:sscc:0614141.1234567890", "0614141"),
        ("urn:epc:id:sgln:4012345.00001.0", "4012345"),
        ("urn:epc:id:gid:95100000.12345.400", None),
        ("urn:epc:raw:96.xE2801160600002054CC2096F", None),
    ],
)
def test_company_prefix(uri: str, prefix: str | None) -> None:
    assert company_prefix(uri) == prefix


def test_no_filters_keep_everything() -> None:
    f = ReadFilter(FilterSettings())
    assert f.check_read(SGTIN_HEX, -90) is None
    assert f.check_uri(SGTIN_URI) is None


@pytest.mark.parametrize("bad", ["", "ABC", "30GG", "30 74"])
def test_bad_hex(bad: str) -> None:
    assert ReadFilter(FilterSettings()).check_read(bad, None) == "bad_hex"


def test_rssi_floor() -> None:
    f = ReadFilter(FilterSettings(min_rssi_dbm=-70))
    assert f.check_read(SGTIN_HEX, -71) == "rssi"
    assert f.check_read(SGTIN_HEX, -70) is None
    assert f.check_read(SGTIN_HEX, None) is None  # readers without RSSI are not filtered


def test_hex_prefix_is_case_insensitive() -> None:
    f = ReadFilter(FilterSettings(hex_prefixes=["30", "3174"]))
    assert f.check_read(SGTIN_HEX.lower(), None) is None
    assert f.check_read("3174257BF4499602D2000000", None) is None
    assert f.check_read("3134257BF4499602D2000000", None) == "hex_prefix"


def test_company_prefix_and_pattern() -> None:
    f = ReadFilter(FilterSettings(company_prefixes=["0614141"], uri_pattern=r":sgtin:"))
    assert f.check_uri(SGTIN_URI) is None
    assert f.check_uri("urn:epc:id:sgtin:4012345.012345.1") == "company_prefix"
    assert f.check_uri("urn:epc:id:sscc:0614141.1234567890") == "uri_pattern"
