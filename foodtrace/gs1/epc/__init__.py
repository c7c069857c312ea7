"""EPC codec per the GS1 EPC Tag Data Standard: binary/hex ↔ pure-identity URN ↔ tag URI.

    >>> epc = decode_hex("3074257BF7194E4000001A85")
    >>> epc.uri, epc.tag_uri
    ('urn:epc:id:sgtin:0614141.812345.6789', 'urn:epc:tag:sgtin-96:3.0614141.812345.6789')
    >>> epc.ai
    (('01', '80614141123458'), ('21', '6789'))
    >>> encode("urn:epc:tag:sgtin-96:3.0614141.812345.6789")
    '3074257BF7194E4000001A85'

Also: :func:`from_ai` / :func:`from_digital_link` (GS1 keys → EPC, check digits verified),
:func:`decode_pc_epc` / :func:`decode_epc_bank` (reader PC word and EPC bank, StoredCRC),
:func:`raw_uri` for reads that are not GS1 EPCs (header 0xE2 TIDs raise ``EPCHeaderError``).

Modules: ``schemes`` (the scheme tables), ``partition`` (partition tables), ``layout`` (generic
bit packing), ``fast`` (specialised 96-bit decoders/packers), ``bits`` (7-bit/6-bit/CAGE strings),
``escape`` (URI escaping, TDS Table A-1), ``uri`` (URN/tag URI syntax), ``elements`` (GS1
element strings), ``codec`` (the public decode/encode functions), ``model`` (:class:`EPC`),
``pc`` (Gen2 PC word, whole EPC bank, StoredCRC), ``raw`` (``urn:epc:raw:`` URIs).
"""

from foodtrace.gs1.epc.codec import (
    decode_bytes,
    decode_hex,
    decode_int,
    encode,
    from_ai,
    from_digital_link,
    parse_uri,
)
from foodtrace.gs1.epc.elements import parse_element_string
from foodtrace.gs1.epc.model import EPC
from foodtrace.gs1.epc.pc import (
    EPCBankRead,
    ProtocolControl,
    crc16_genibus,
    decode_epc_bank,
    decode_pc_epc,
    parse_pc,
)
from foodtrace.gs1.epc.raw import raw_uri
from foodtrace.gs1.epc.schemes import SCHEMES

__all__ = [
    "EPC",
    "SCHEMES",
    "EPCBankRead",
    "ProtocolControl",
    "crc16_genibus",
    "decode_bytes",
    "decode_epc_bank",
    "decode_hex",
    "decode_int",
    "decode_pc_epc",
    "encode",
    "from_ai",
    "from_digital_link",
    "parse_element_string",
    "parse_pc",
    "parse_uri",
    "raw_uri",
]
