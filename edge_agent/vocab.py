"""CBV 2.0 code lists and the identifier syntax checks the station configuration needs.

The lists are the enums of the official EPCIS 2.0 JSON Schema (``bizStep``, ``disposition``,
``source-dest-type``, ``bizTransaction-type``). A value outside a list must be an absolute URI
outside the CBV namespaces (a user vocabulary), which is what the schema accepts too.
"""

from __future__ import annotations

import re

__all__ = [
    "BIZ_STEPS",
    "BIZ_TRANSACTION_TYPES",
    "DISPOSITIONS",
    "SOURCE_DEST_TYPES",
    "check_sgln",
    "check_uri",
    "check_vocab",
]

BIZ_STEPS = frozenset(
    [
        "accepting",
        "arriving",
        "assembling",
        "collecting",
        "commissioning",
        "consigning",
        "creating_class_instance",
        "cycle_counting",
        "decommissioning",
        "departing",
        "destroying",
        "disassembling",
        "dispensing",
        "encoding",
        "entering_exiting",
        "holding",
        "inspecting",
        "installing",
        "killing",
        "loading",
        "other",
        "packing",
        "picking",
        "receiving",
        "removing",
        "repackaging",
        "repairing",
        "replacing",
        "reserving",
        "retail_selling",
        "shipping",
        "staging_outbound",
        "stock_taking",
        "stocking",
        "storing",
        "transporting",
        "unloading",
        "unpacking",
        "void_shipping",
        "sensor_reporting",
        "sampling",
    ]
)

DISPOSITIONS = frozenset(
    [
        "active",
        "container_closed",
        "damaged",
        "destroyed",
        "dispensed",
        "disposed",
        "encoded",
        "expired",
        "in_progress",
        "in_transit",
        "inactive",
        "no_pedigree_match",
        "non_sellable_other",
        "partially_dispensed",
        "recalled",
        "reserved",
        "retail_sold",
        "returned",
        "sellable_accessible",
        "sellable_not_accessible",
        "stolen",
        "unknown",
        "available",
        "completeness_verified",
        "completeness_inferred",
        "conformant",
        "container_open",
        "mismatch_instance",
        "mismatch_class",
        "mismatch_quantity",
        "needs_replacement",
        "non_conformant",
        "unavailable",
    ]
)

SOURCE_DEST_TYPES = frozenset({"owning_party", "possessing_party", "location"})

BIZ_TRANSACTION_TYPES = frozenset(
    [
        "bol",
        "cert",
        "desadv",
        "inv",
        "pedigree",
        "po",
        "poc",
        "prodorder",
        "recadv",
        "rma",
        "testprd",
        "testres",
        "upevt",
    ]
)

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]+$")
_CBV_NAMESPACE = re.compile(
    r"^(urn:epcglobal:cbv|https?://ns\.gs1\.org/cbv/|https?://ref\.gs1\.org/cbv/)"
)
# urn:epc:id:sgln:CompanyPrefix.LocationReference.Extension; the two numbers have 12 digits
# together (GLN without check digit), the extension is "0" or a GS1 AI 254 value, %-escaped.
_SGLN = re.compile(r"^urn:epc:id:sgln:(\d{6,12})\.(\d{0,6})\.([A-Za-z0-9!'()*+,\-.:;=_%]{1,20})$")


def check_uri(value: str, what: str) -> str:
    """Return ``value`` if it is an absolute URI (``scheme:rest``), else raise ``ValueError``."""
    if not _URI.match(value):
        raise ValueError(f"{what} must be an absolute URI (scheme:rest), got {value!r}")
    return value


def check_vocab(value: str, allowed: frozenset[str], what: str) -> str:
    """A CBV term (bare word, as in EPCIS 2.0 JSON) or a user-vocabulary URI."""
    if value in allowed:
        return value
    if _URI.match(value) and not _CBV_NAMESPACE.match(value):
        return value
    if _CBV_NAMESPACE.match(value):
        raise ValueError(
            f"{what} {value!r}: write CBV terms as bare words in EPCIS 2.0 JSON "
            f"(e.g. {sorted(allowed)[0]!r}), not as CBV URIs"
        )
    raise ValueError(
        f"{what} {value!r} is neither a CBV 2.0 term nor an absolute URI of your own vocabulary"
    )


def check_sgln(value: str, what: str) -> str:
    """An SGLN pure-identity URN ``urn:epc:id:sgln:CompanyPrefix.LocationRef.Extension``."""
    match = _SGLN.match(value)
    if match is None:
        raise ValueError(
            f"{what} must be an SGLN URN like 'urn:epc:id:sgln:4012345.00001.0', got {value!r}"
        )
    if len(match.group(1)) + len(match.group(2)) != 12:
        raise ValueError(
            f"{what} {value!r}: company prefix and location reference must have 12 digits together"
        )
    return value
