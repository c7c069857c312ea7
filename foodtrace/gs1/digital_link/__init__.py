"""GS1 Digital Link: parse and build URIs, the constrained canonical form, EPC URI conversion.

``link``      :class:`DigitalLink` and :func:`parse_digital_link` (syntax, qualifier order,
              check digits, aliases, GTIN padding, the constrained canonical form).
``epc``       EPC URI ↔ Digital Link.
``canonical`` :func:`canonical_identifier`: any identifier → constrained canonical Digital Link
              (what the CBV 2.0 event hash uses).
``escaping``  percent-encoding for Digital Links and TDS Table A-1 escaping for EPC URIs.
"""

from foodtrace.gs1.digital_link.canonical import canonical_identifier
from foodtrace.gs1.digital_link.epc import (
    digital_link_to_epc,
    epc_to_digital_link,
    epc_to_digital_link_value,
)
from foodtrace.gs1.digital_link.link import CANONICAL_DOMAIN, DigitalLink, parse_digital_link

__all__ = [
    "CANONICAL_DOMAIN",
    "DigitalLink",
    "canonical_identifier",
    "digital_link_to_epc",
    "epc_to_digital_link",
    "epc_to_digital_link_value",
    "parse_digital_link",
]
