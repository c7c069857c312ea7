"""Invalid input raises a precise error that names what is wrong (one test per rule)."""

from __future__ import annotations

import pytest

from foodtrace.exceptions import (
    CheckDigitError,
    EPCBinaryError,
    EPCError,
    EPCHeaderError,
    EPCURIError,
    GS1Error,
)
from foodtrace.gs1.epc import decode_hex, decode_int, encode, from_ai, parse_uri

GOOD = "3074257BF7194E4000001A85"  # urn:epc:tag:sgtin-96:3.0614141.812345.6789


def sgtin96(partition: int, cp: int, ref: int, serial: int, filter_value: int = 3) -> str:
    cp_bits = (40, 37, 34, 30, 27, 24, 20, 20)[partition]
    value = (0x30 << 88) | (filter_value << 85) | (partition << 82)
    value |= (cp << (82 - cp_bits)) | (ref << 38) | serial
    return f"{value:024X}"


def test_errors_are_gs1_value_errors() -> None:
    assert issubclass(EPCHeaderError, EPCBinaryError)
    assert issubclass(EPCBinaryError, EPCError)
    assert issubclass(EPCURIError, EPCError)
    assert issubclass(EPCError, GS1Error)
    assert issubclass(GS1Error, ValueError)


# --- binary ------------------------------------------------------------------------------------


def test_wrong_length_names_expected_and_given_bits() -> None:
    with pytest.raises(EPCBinaryError, match=r"SGTIN-96 needs 96 bits, got 64 \(16 hex digits"):
        decode_hex(GOOD[:16])
    with pytest.raises(EPCBinaryError, match="SGTIN-198 needs 198 bits, got 96"):
        decode_hex("36" + GOOD[2:])


def test_variable_length_binary_cut_short() -> None:
    # CPI-var from TDS E.3 without its last word: the 40-bit serial is missing.
    with pytest.raises(EPCBinaryError, match="CPI-VAR serial: the binary ends before this field"):
        decode_hex("3D74257BF75411DEF6B4CC000")


def test_no_terminator_in_6bit_string() -> None:
    with pytest.raises(EPCBinaryError, match="no 6-bit terminator"):
        decode_hex("3D74257BF7" + "5" * 6)


@pytest.mark.parametrize(
    ("hex_text", "header", "why"),
    [
        ("E2001026760E017915907125", 0xE2, "TID"),
        ("000000000000000000000000", 0x00, "unprogrammed"),
        ("F7" + "0" * 22, 0xF7, r"SGTIN\+"),
        ("3A" + "0" * 22, 0x3A, "GDTI-113"),
        ("596F596F", 0x59, "not a GS1 EPC header"),
    ],
)
def test_unknown_header_is_a_typed_error_with_the_value(
    hex_text: str, header: int, why: str
) -> None:
    with pytest.raises(EPCHeaderError, match=f"unknown EPC header 0x{header:02X}.*{why}") as info:
        decode_hex(hex_text)
    assert info.value.header == header


@pytest.mark.parametrize("hex_text", [sgtin96(7, 0, 0, 0), "361C" + "0" * 48, "3FFC" + "0" * 20])
def test_bad_partition_value(hex_text: str) -> None:
    with pytest.raises(EPCBinaryError, match="bad partition value 7"):
        decode_hex(hex_text)


def test_company_prefix_field_beyond_its_digits() -> None:
    with pytest.raises(
        EPCBinaryError, match="company prefix: value 1099511627775 does not fit in 12"
    ):
        decode_hex(sgtin96(0, (1 << 40) - 1, 0, 0))


def test_item_reference_field_beyond_its_digits() -> None:
    with pytest.raises(EPCBinaryError, match="item reference: value 15 does not fit in 1 digits"):
        decode_hex(sgtin96(0, 1, 15, 0))


def test_reserved_bits_must_be_zero() -> None:
    with pytest.raises(EPCBinaryError, match="24 reserved bits after the serial reference"):
        decode_hex("3174257BF4499602D2000001")


def test_non_zero_padding_after_the_epc() -> None:
    with pytest.raises(EPCBinaryError, match="non-zero bits after the end of the EPC"):
        decode_hex(GOOD + "0001")


def test_7bit_string_with_garbage_after_its_end() -> None:
    # SGTIN-198 "32a/b" then a stray 1 bit (bit 191) inside the serial field, after the string
    hex_text = "3674257BF6B7A659B2C2BF10".ljust(52, "0")
    hex_text = hex_text[:47] + "1" + hex_text[48:]
    with pytest.raises(EPCBinaryError, match="serial: non-zero bits after the end of the string"):
        decode_hex(hex_text)


def test_7bit_character_outside_set_82() -> None:
    # serial "#" (0x23) is not in GS1 AI character set 82
    value = (0x36 << 190) | (3 << 187) | (5 << 184) | (614141 << 160) | (812345 << 140)
    value |= 0x23 << 133
    with pytest.raises(EPCBinaryError, match="character 0x23 is not in GS1 AI character set 82"):
        decode_int(value, 198)


def test_empty_7bit_string() -> None:
    with pytest.raises(EPCBinaryError, match="SGTIN-198 serial: empty string"):
        decode_hex("3674257BF7194E" + "0" * 38)


def test_sgcn_numeric_string_must_start_with_1() -> None:
    with pytest.raises(EPCBinaryError, match="not a numeric string"):
        decode_hex("3F74F4E4E612640000000000")


@pytest.mark.parametrize(
    ("hex_text", "message"),
    [("", "too short"), ("3", "too short"), ("30Z4", "invalid character 'Z'"),
     ("0x3074", "invalid character 'x'"), ("30 74", "invalid character ' '"),
     ("30_74", "invalid character '_'")],
)  # fmt: skip
def test_not_hex(hex_text: str, message: str) -> None:
    with pytest.raises(EPCBinaryError, match=message):
        decode_hex(hex_text)


# --- URIs --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("urn:epc:tag:sgtin-96:8.0614141.812345.6789", "filter value 8 out of range 0-7"),
        ("urn:epc:tag:usdod-96:16.CAGEY.5678", "filter value 16 out of range 0-15"),
        ("urn:epc:tag:adi-var:03.35962.PQ7.M37", "filter value '03' has leading zeros"),
        ("urn:epc:tag:sgtin-96:0614141.812345.6789", "must start with a filter value 0-7"),
        ("urn:epc:tag:sgtin-96:1.0614141.812345", "3 dot-separated components"),
        ("urn:epc:id:sgtin:06141A1.812345.6789", "company prefix '06141A1' is not numeric"),
        ("urn:epc:id:sgtin:06141.8123456.6789", "has 5 digits; a GS1 Company Prefix has 6 to 12"),
        (
            "urn:epc:id:sgtin:0614141.81234.6789",
            r"item reference '81234' has 5 digits, but with a 7-digit company prefix "
            r"\(partition 5\) it must have 6",
        ),
        (
            "urn:epc:id:sscc:0614141.123456789",
            "serial reference '123456789' has 9 digits, but with a 7-digit company prefix",
        ),
        (
            "urn:epc:tag:sgtin-96:0.0614141.812345.274877906944",
            r"serial 274877906944 is too large for its 38 bits \(maximum 274877906943\)",
        ),
        (
            "urn:epc:tag:sgln-96:0.0614141.12345.2199023255552",
            r"extension 2199023255552 is too large for its 41 bits",
        ),
        ("urn:epc:tag:sgtin-96:0.0614141.812345.0123", "leading zeros"),
        ("urn:epc:tag:gid-96:031415.271828.1414", "manager '031415' has leading zeros"),
        ("urn:epc:tag:sgtin-96:0.0614141.812345.12a", "not a decimal integer"),
        ("urn:epc:id:sgtin:0614141.812345.ab#c", "invalid character '#'"),
        ("urn:epc:id:sgtin:0614141.812345.a%41", "invalid percent-escape '%41'"),
        ("urn:epc:id:sgtin:0614141.812345." + "a" * 21, "21 characters; at most 20"),
        ("urn:epc:id:sgtin:0614141.812345.", "SGTIN-198 serial must not be empty"),
        ("urn:epc:tag:grai-170:0.0614141.12345." + "x" * 17, "at most 16"),
        (
            "urn:epc:tag:giai-202:0.0614141." + "x" * 24,
            "24 characters; at most 23 fit with a 7-digit company prefix",
        ),
        ("urn:epc:tag:cpi-96:0.0614141.012.5", "part reference '012' has leading zeros"),
        ("urn:epc:tag:cpi-96:0.061414112345.1234.5", "at most 3 digits with a 12-digit"),
        ("urn:epc:id:cpi:0614141.AB_C.5", "invalid character '_'"),
        ("urn:epc:tag:sgcn-96:0.4012345.67890.0123456789012", "13 digits; at most 12"),
        ("urn:epc:tag:itip-110:0.4012345.012345.1.02.981", "piece '1' must have exactly 2 digits"),
        ("urn:epc:id:usdod:CAGIO.5678", "CAGE code or 6-character DoDAAC"),
        ("urn:epc:id:adi:35962.PQ%237.M37", "'#' is only allowed as the first character"),
        ("urn:epc:id:adi:35962.PQ#7.M37", "invalid character '#'"),
        ("urn:epc:id:adi:35962.PQ7.M%233", "'#' is only allowed as the first character"),
        ("urn:epc:id:adi:35962.PQ7.", "ADI-VAR serial: must not be empty"),
        ("urn:epc:id:xyz:1.2.3", "unknown EPC scheme 'xyz'"),
        ("urn:epc:id:lgtin:0614141.812345.L1", "has no binary \\(RFID tag\\) encoding"),
        ("urn:epc:tag:sgtin-97:0.0614141.812345.1", "unknown EPC binary coding scheme 'sgtin-97'"),
        ("urn:epc:tag:SGTIN-96:0.0614141.812345.1", "unknown EPC binary coding scheme"),
        ("urn:epc:tag:[umi=1]sgtin-96:0.0614141.812345.1", "control fields"),
        ("urn:epc:raw:96.x3074257BF7194E4000001A85", "not a pure-identity EPC URN"),
        ("https://id.gs1.org/01/80614141123458/21/6789", "not a pure-identity EPC URN"),
    ],
)
def test_bad_uris_name_the_problem(uri: str, message: str) -> None:
    with pytest.raises(EPCURIError, match=message):
        encode(uri)
    with pytest.raises(EPCURIError, match=message):
        parse_uri(uri)


def test_filter_argument_out_of_range() -> None:
    with pytest.raises(EPCURIError, match="filter value 9 out of range 0-7"):
        encode("urn:epc:id:sgtin:0614141.812345.6789", filter=9)
    with pytest.raises(EPCURIError, match="gid-96 has no filter value"):
        encode("urn:epc:id:gid:31415.271828.1414", filter=1)


def test_scheme_argument_of_another_family_or_too_small() -> None:
    with pytest.raises(EPCURIError, match="scheme sscc-96 encodes sscc EPCs, not sgtin"):
        encode("urn:epc:id:sgtin:0614141.812345.6789", scheme="sscc-96")
    with pytest.raises(EPCURIError, match="unknown EPC binary coding scheme 'sgtin-64'"):
        encode("urn:epc:id:sgtin:0614141.812345.6789", scheme="sgtin-64")
    with pytest.raises(EPCURIError, match="SGTIN-96 serial 'A1' is not a decimal integer"):
        encode("urn:epc:id:sgtin:0614141.812345.A1", scheme="sgtin-96")


# --- AI values ----------------------------------------------------------------------------------


def test_wrong_check_digit_from_ai_values() -> None:
    message = r"AI \(01\) value '80614141123459' has check digit 9, expected 8"
    with pytest.raises(CheckDigitError, match=message):
        from_ai([("01", "80614141123459"), ("21", "6789")], 7)
    with pytest.raises(CheckDigitError, match="expected 8"):
        from_ai([("00", "106141412345678909")], 7)
    with pytest.raises(CheckDigitError, match="AI \\(414\\)"):
        from_ai([("414", "0614141123453")], 7)
