"""decode/encode/parse behaviour: defaults, overrides, the EPC value, the fast decoders."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.epc_crosscheck import random_case
from foodtrace.exceptions import EPCBinaryError, EPCURIError
from foodtrace.gs1.epc import EPC, decode_hex, decode_int, encode, parse_uri
from foodtrace.gs1.epc.fast import FAST_DECODERS, FAST_PACKERS
from foodtrace.gs1.epc.layout import pack, unpack
from foodtrace.gs1.epc.schemes import FAMILIES, SCHEMES, SCHEMES_BY_HEADER, scheme_named
from foodtrace.gs1.epc.uri import format_pure

E3_SGTIN = "3074257BF7194E4000001A85"


def test_decoded_epc_value() -> None:
    epc = decode_hex(E3_SGTIN)
    assert epc == EPC(
        scheme="sgtin-96",
        filter=3,
        fields=(("company_prefix", "0614141"), ("item_reference", "812345"), ("serial", "6789")),
        uri="urn:epc:id:sgtin:0614141.812345.6789",
    )
    assert epc.family == "sgtin"
    assert epc.values == ("0614141", "812345", "6789")
    assert epc.tag_uri == "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
    assert epc.hex == E3_SGTIN
    assert epc.binary == (int(E3_SGTIN, 16), 96)
    assert epc.ai == (("01", "80614141123458"), ("21", "6789"))
    assert epc.element_string == "(01)80614141123458(21)6789"
    assert hash(epc) == hash(decode_hex(E3_SGTIN.lower()))
    with pytest.raises(AttributeError):
        epc.filter = 1  # type: ignore[misc]


def test_digital_link_and_json_summary() -> None:
    epc = decode_hex(E3_SGTIN)
    assert epc.digital_link() == "https://id.gs1.org/01/80614141123458/21/6789"
    assert (
        epc.digital_link("https://example.com") == "https://example.com/01/80614141123458/21/6789"
    )
    assert epc.to_dict() == {
        "scheme": "sgtin-96",
        "filter": 3,
        "uri": "urn:epc:id:sgtin:0614141.812345.6789",
        "tag_uri": "urn:epc:tag:sgtin-96:3.0614141.812345.6789",
        "hex": E3_SGTIN,
        "fields": {"company_prefix": "0614141", "item_reference": "812345", "serial": "6789"},
        "ai": [["01", "80614141123458"], ["21", "6789"]],
        "digital_link": "https://id.gs1.org/01/80614141123458/21/6789",
    }
    gid = decode_hex("350007AB70425D4000000586")
    assert gid.ai == ()
    assert gid.to_dict()["digital_link"] is None
    assert gid.filter is None
    assert gid.tag_uri == "urn:epc:tag:gid-96:31415.271828.1414"


@pytest.mark.parametrize(
    ("uri", "scheme"),
    [
        ("urn:epc:id:sgtin:0614141.812345.6789", "sgtin-96"),
        ("urn:epc:id:sgtin:0614141.812345.274877906943", "sgtin-96"),
        ("urn:epc:id:sgtin:0614141.812345.274877906944", "sgtin-198"),
        ("urn:epc:id:sgtin:0614141.812345.06789", "sgtin-198"),
        ("urn:epc:id:sgtin:0614141.812345.A%2Fb", "sgtin-198"),
        ("urn:epc:id:sgln:0614141.12345.0", "sgln-96"),
        ("urn:epc:id:sgln:0614141.12345.x", "sgln-195"),
        ("urn:epc:id:grai:0614141.12345.00", "grai-170"),
        ("urn:epc:id:giai:0614141.12345", "giai-96"),
        ("urn:epc:id:giai:0614141.012345", "giai-202"),
        ("urn:epc:id:gdti:0614141.12345.2199023255552", "gdti-174"),
        ("urn:epc:id:cpi:0614141.123456.5", "cpi-96"),
        ("urn:epc:id:cpi:0614141.12-456.5", "cpi-var"),
        ("urn:epc:id:cpi:0614141.123456.2147483648", "cpi-var"),
        ("urn:epc:id:itip:4012345.012345.01.02.981", "itip-110"),
        ("urn:epc:id:itip:4012345.012345.01.02.mw133", "itip-212"),
        ("urn:epc:id:sscc:0614141.1234567890", "sscc-96"),
        ("urn:epc:id:gid:31415.271828.1414", "gid-96"),
        ("urn:epc:id:adi:35962.PQ7VZ4.M37GXB92", "adi-var"),
    ],
)
def test_pure_identity_default_scheme_is_96_bit_when_it_fits(uri: str, scheme: str) -> None:
    epc = parse_uri(uri)
    assert epc.scheme == scheme
    assert epc.filter == (None if scheme == "gid-96" else 0)
    assert decode_hex(encode(uri)) == epc


def test_tag_uri_keeps_scheme_and_filter_and_arguments_override() -> None:
    tag = "urn:epc:tag:sgtin-96:3.0614141.812345.6789"
    assert parse_uri(tag).scheme == "sgtin-96"
    assert parse_uri(tag).filter == 3
    assert encode(tag) == E3_SGTIN
    assert decode_hex(encode(tag, filter=1)).tag_uri == "urn:epc:tag:sgtin-96:1.0614141.812345.6789"
    assert decode_hex(encode(tag, scheme="SGTIN-198")).tag_uri == (
        "urn:epc:tag:sgtin-198:3.0614141.812345.6789"
    )
    epc = decode_hex(E3_SGTIN)
    assert encode(epc) == E3_SGTIN
    assert encode(epc, filter=0) == "3014257BF7194E4000001A85"


def test_encode_emits_whole_words() -> None:
    assert len(encode("urn:epc:tag:sgtin-198:3.0614141.712345.32a%2Fb")) == 52
    assert len(encode("urn:epc:tag:sgln-195:3.0614141.12345.32a%2Fb")) == 52
    assert len(encode("urn:epc:tag:itip-110:0.4012345.012345.01.02.981")) == 28
    for scheme in SCHEMES:
        if scheme.bits is not None:
            assert scheme.hex_digits == -(-scheme.bits // 16) * 4


def test_every_scheme_of_table_14_1_is_present() -> None:
    names = {s.name for s in SCHEMES}
    assert names == {
        "sgtin-96", "sgtin-198", "sscc-96", "sgln-96", "sgln-195", "grai-96", "grai-170",
        "giai-96", "giai-202", "gsrn-96", "gsrnp-96", "gdti-96", "gdti-174", "sgcn-96",
        "cpi-96", "cpi-var", "itip-110", "itip-212", "gid-96", "usdod-96", "adi-var",
    }  # fmt: skip
    headers = {s.name: s.header for s in SCHEMES}
    assert headers["sgtin-96"] == 0x30
    assert headers["gdti-96"] == 0x2C
    assert headers["itip-212"] == 0x41
    assert len(SCHEMES_BY_HEADER) == len(SCHEMES)
    assert set(FAMILIES) == {s.family for s in SCHEMES}


def test_decode_int_checks_its_arguments() -> None:
    with pytest.raises(EPCBinaryError, match="cannot hold"):
        decode_int(1 << 96, 96)
    with pytest.raises(EPCBinaryError, match="cannot hold"):
        decode_int(1, 4)


# --- the specialised 96-bit decoders agree with the reference decoder ---------------------------

FAST_HEADERS = sorted(FAST_DECODERS)


def _reference(value: int, nbits: int) -> EPC | str:
    scheme = SCHEMES_BY_HEADER[value >> (nbits - 8)]
    try:
        filter_value, comps = unpack(scheme, value, nbits)
    except EPCBinaryError as exc:
        return str(exc)
    return EPC(scheme.name, filter_value, tuple(zip(scheme.names, comps, strict=True)),
               format_pure(scheme, comps))  # fmt: skip


def _fast(value: int, nbits: int) -> EPC | str:
    try:
        return FAST_DECODERS[value >> (nbits - 8)](value, nbits)
    except EPCBinaryError as exc:
        return str(exc)


def test_fast_decoders_cover_the_96_bit_partitioned_schemes() -> None:
    names = {SCHEMES_BY_HEADER[h].name for h in FAST_HEADERS}
    assert names == {"sgtin-96", "sscc-96", "sgln-96", "grai-96", "giai-96", "gsrn-96",
                     "gsrnp-96", "gdti-96", "cpi-96"}  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    header=st.sampled_from(FAST_HEADERS),
    rest=st.integers(0, (1 << 88) - 1),
    partition=st.integers(0, 7),
    padding=st.sampled_from([0, 16, 32]),
)
def test_fast_and_reference_decoders_agree(
    header: int, rest: int, partition: int, padding: int
) -> None:
    # Random bodies hit both valid values and every error path (partition 7, fields too large).
    value = (header << 88) | (rest & ~(7 << 82)) | (partition << 82)
    assert _fast(value << padding, 96 + padding) == _reference(value << padding, 96 + padding)


def test_fast_and_reference_decoders_agree_on_valid_values() -> None:
    rnd = random.Random(5)
    for header in FAST_HEADERS:
        scheme = SCHEMES_BY_HEADER[header]
        for _ in range(200):
            partition = rnd.randint(0, 6)
            value = header << 88 | rnd.randint(0, 7) << 85 | partition << 82
            pos = 82
            for field in scheme.layouts[partition]:
                pos -= field.bits
                if field.kind.name != "ZERO":
                    value |= rnd.randrange(field.limit) << pos
            result = _fast(value, 96)
            assert isinstance(result, EPC)
            assert result == _reference(value, 96)
            assert encode(result) == f"{value:024X}"


# --- the specialised 96-bit packers agree with the reference packer -----------------------------

_MUTATIONS = ["", "0", "00", "01", "7", "x", "1" * 13, "274877906944", "4398046511104", "٣", "1.5"]


@settings(max_examples=400, deadline=None)
@given(
    name=st.sampled_from(sorted(FAST_PACKERS)),
    rnd=st.randoms(use_true_random=False),
    mutate=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(_MUTATIONS)), max_size=2),
    filter_value=st.integers(-1, 8),
)
def test_fast_packer_encodes_exactly_what_the_reference_accepts(
    name: str, rnd: random.Random, mutate: list[tuple[int, str]], filter_value: int
) -> None:
    scheme = scheme_named(name)
    assert scheme is not None
    while (case := random_case(rnd, scheme.family)).scheme != name:
        pass
    comps = list(parse_uri(case.uri).values)
    for index, text in mutate:
        if index < len(comps):
            comps[index] = text
    fast = FAST_PACKERS[name](filter_value, tuple(comps))
    try:
        reference: tuple[int, int] | None = pack(scheme, filter_value, tuple(comps))
    except EPCURIError:
        reference = None
    assert (None if fast is None else (fast, 96)) == reference
