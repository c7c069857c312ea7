"""Read filters: RSSI floor, EPC hex prefix, GS1 company prefix, a regular expression.

Each check returns ``None`` to keep the read or the reason it was dropped; the reason becomes the
``reason`` label of ``foodtrace_edge_reads_filtered_total``. Cheap checks on the raw read run
before the EPC is decoded, the others on the pure-identity URN.
"""

from __future__ import annotations

import re

from edge_agent.config import FilterSettings

__all__ = ["GS1_SCHEMES", "ReadFilter", "company_prefix"]

_HEX = re.compile(r"^[0-9A-Fa-f]+$")

# Pure-identity schemes whose first URN component is a GS1 company prefix.
GS1_SCHEMES = frozenset(
    [
        "sgtin",
        "sscc",
        "sgln",
        "grai",
        "giai",
        "gsrn",
        "gsrnp",
        "gdti",
        "cpi",
        "sgcn",
        "ginc",
        "gsin",
        "itip",
        "upui",
        "pgln",
    ]
)


def company_prefix(uri: str) -> str | None:
    """The GS1 company prefix of a pure-identity EPC URN, or ``None`` (raw, GID, DoD, ADI)."""
    if not uri.startswith("urn:epc:id:"):
        return None
    scheme, _, rest = uri[len("urn:epc:id:") :].partition(":")
    if scheme not in GS1_SCHEMES:
        return None
    prefix = rest.split(".", 1)[0]
    return prefix if prefix.isdigit() else None


class ReadFilter:
    """The station's configured filters, compiled once."""

    def __init__(self, settings: FilterSettings) -> None:
        self._min_rssi = settings.min_rssi_dbm
        self._hex_prefixes = tuple(p.upper() for p in settings.hex_prefixes)
        self._company_prefixes = frozenset(settings.company_prefixes)
        self._pattern = re.compile(settings.uri_pattern) if settings.uri_pattern else None

    def check_read(self, epc_hex: str, rssi_dbm: float | None) -> str | None:
        """Checks on the raw read: ``bad_hex``, ``rssi``, ``hex_prefix``."""
        if not self.hex_ok(epc_hex):
            return "bad_hex"
        if not self.rssi_ok(rssi_dbm):
            return "rssi"
        return self.check_hex_prefix(epc_hex)

    @staticmethod
    def hex_ok(epc_hex: str) -> bool:
        """Whether the EPC is an even number of hex digits (else ``bad_hex``)."""
        return bool(epc_hex) and not len(epc_hex) % 2 and _HEX.match(epc_hex) is not None

    def rssi_ok(self, rssi_dbm: float | None) -> bool:
        """Whether the read is at or above the RSSI floor, if there is one (else ``rssi``)."""
        return self._min_rssi is None or rssi_dbm is None or not rssi_dbm < self._min_rssi

    def check_hex_prefix(self, epc_hex: str) -> str | None:
        """``hex_prefix`` when prefixes are configured and the EPC has none of them."""
        if self._hex_prefixes and not epc_hex.upper().startswith(self._hex_prefixes):
            return "hex_prefix"
        return None

    def check_uri(self, uri: str) -> str | None:
        """Checks on the decoded EPC: ``company_prefix``, ``uri_pattern``."""
        if self._company_prefixes and company_prefix(uri) not in self._company_prefixes:
            return "company_prefix"
        if self._pattern is not None and not self._pattern.search(uri):
            return "uri_pattern"
        return None
