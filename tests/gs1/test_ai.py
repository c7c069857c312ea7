"""Tests for foodtrace.gs1.ai: the AI table, value validation and element strings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foodtrace.exceptions import ApplicationIdentifierError, CheckDigitError
from foodtrace.gs1.ai import (
    AI_BY_ALIAS,
    AI_TABLE,
    CSET39,
    CSET82,
    PRIMARY_KEYS,
    AIValue,
    CharSet,
    decimal_value,
    element_string,
    get_ai,
    mod10,
    parse_element_string,
    validate_ai_value,
)
from foodtrace.gs1.checkdigit import check_digit, with_check_digit


def test_character_sets_have_their_sizes() -> None:
    assert len(CSET82) == 82
    assert len(CSET39) == 39


@pytest.mark.parametrize(
    ("code", "fmt", "fixed", "check_at"),
    [
        ("00", "N18", True, 17),
        ("01", "N14", True, 13),
        ("10", "X..20", False, None),
        ("21", "X..20", False, None),
        ("253", "N13+[X..17]", False, 12),
        ("255", "N13+[N..12]", False, 12),
        ("8003", "N1+N13+[X..16]", False, 13),
        ("8006", "N14+N4", True, 13),
        ("8010", "Y..30", False, None),
        ("402", "N17", True, 16),
        ("7007", "N6+[N6]", False, None),
    ],
)
def test_formats(code: str, fmt: str, fixed: bool, check_at: int | None) -> None:
    ai = get_ai(code)
    assert ai.format == fmt
    assert ai.is_fixed_length is fixed
    assert ai.check_digit_position == check_at


def test_primary_keys_and_qualifiers() -> None:
    for code in (
        "00",
        "01",
        "253",
        "255",
        "401",
        "402",
        "414",
        "417",
        "8003",
        "8004",
        "8006",
        "8010",
        "8013",
        "8017",
        "8018",
    ):
        assert code in PRIMARY_KEYS
    for code in ("10", "21", "17", "254", "3103"):
        assert code not in PRIMARY_KEYS
    assert get_ai("01").qualifier_paths == (("22", "10", "21"), ("235",))
    assert get_ai("414").qualifier_paths == (("254",), ("7040",))
    assert get_ai("8006").qualifier_paths == (("22", "10", "21"),)
    assert get_ai("8010").qualifier_paths == (("8011",),)
    assert get_ai("00").qualifier_paths == ()


def test_food_traceability_attributes_are_present() -> None:
    titles = {
        c: AI_TABLE[c].title
        for c in (
            "11",
            "13",
            "15",
            "16",
            "17",
            "7007",
            "422",
            "423",
            "424",
            "425",
            "426",
            "10",
            "21",
        )
    }
    assert titles["11"] == "PROD DATE"
    assert titles["7007"] == "HARVEST DATE"
    assert titles["422"] == "ORIGIN"
    assert titles["426"] == "COUNTRY - FULL PROCESS"


def test_ranges_expand_with_decimals() -> None:
    assert [AI_TABLE[f"310{n}"].decimals for n in range(6)] == [0, 1, 2, 3, 4, 5]
    assert "3106" not in AI_TABLE
    assert AI_TABLE["3925"].decimals == 5
    assert AI_TABLE["7033"].title == "PROCESSOR # 3"
    assert AI_TABLE["7230"].title == "CERT # 1"
    assert AI_TABLE["10"].decimals is None


def test_aliases() -> None:
    assert AI_BY_ALIAS["gtin"] == "01"
    assert AI_BY_ALIAS["lot"] == "10"
    assert AI_BY_ALIAS["ser"] == "21"
    assert AI_BY_ALIAS["sscc"] == "00"
    assert AI_BY_ALIAS["gln"] == "414"


@pytest.mark.parametrize(
    ("code", "value"),
    [
        ("01", "09521234543213"),
        ("00", "106141412345678908"),
        ("10", "ABC123"),
        ("21", "a/b!\"%&'()*+,-:;<=>?"),
        ("17", "261231"),
        ("15", "240200"),  # day 00 = end of month
        ("7007", "240801"),
        ("7007", "240801240815"),
        ("7003", "2412312359"),
        ("3103", "001250"),
        ("422", "276"),
        ("423", "276528"),
        ("253", "4012345000054987"),
        ("253", "4012345000054"),
        ("8003", "0401234566666387"),
        ("8006", "040123451234560102"),
        ("8010", "061414111111111111111-A#/"),
        ("8011", "0"),
        ("8011", "1234"),
        ("7040", "1AB-"),
    ],
)
def test_valid_values(code: str, value: str) -> None:
    assert validate_ai_value(code, value) == value


@pytest.mark.parametrize(
    ("code", "value", "words"),
    [
        ("01", "0952123454321", "length 13"),
        ("01", "0952123454321X", "contains 'X'"),
        ("10", "A" * 21, "length 21"),
        ("10", "", "length 0"),
        ("10", "lot é", "contains ' '"),
        ("17", "261331", "month 13"),
        ("17", "260230", "day 30"),
        ("7006", "240100", "day 00"),
        ("7003", "2412312460", "time '2460'"),
        ("8003", "1401234566666387", "expected '0'"),
        ("8006", "040123451234560302", "piece 03 of total 02"),
        ("8011", "0123", "leading zero"),
        ("8010", "0614141abc", "contains 'a'"),
        ("423", "2765", "ISO 3166"),
        ("7040", "1AB!", "importer index"),
    ],
)
def test_invalid_values_name_ai_and_value(code: str, value: str, words: str) -> None:
    with pytest.raises(ApplicationIdentifierError) as info:
        validate_ai_value(code, value)
    message = str(info.value)
    assert f"({code})" in message
    assert repr(value) in message
    assert words in message


def test_check_digit_error() -> None:
    with pytest.raises(
        CheckDigitError,
        match=r"\(01\) GTIN: value '09521234543214' has check "
        r"digit 4, expected 3",
    ):
        validate_ai_value("01", "09521234543214")
    with pytest.raises(CheckDigitError, match=r"\(253\)"):
        validate_ai_value("253", "4012345000055987")


def test_unknown_ai() -> None:
    with pytest.raises(ApplicationIdentifierError, match="unknown application identifier '999'"):
        get_ai("999")
    with pytest.raises(ApplicationIdentifierError, match="not an application identifier"):
        validate_ai_value("gtin", "x")


def test_decimal_value() -> None:
    assert decimal_value("3103", "001250") == Decimal("1.250")
    assert decimal_value("3100", "000042") == Decimal(42)
    assert decimal_value("3932", "978123456") == Decimal("1234.56")
    with pytest.raises(ApplicationIdentifierError, match="no implied decimal"):
        decimal_value("10", "1")


def test_element_string_round_trip() -> None:
    elements = (AIValue("01", "09521234543213"), AIValue("10", "AB(C)1"), AIValue("17", "261231"))
    text = element_string(elements)
    assert text == "(01)09521234543213(10)AB(C)1(17)261231"
    assert parse_element_string(text) == elements


def test_parse_element_string_errors() -> None:
    with pytest.raises(ApplicationIdentifierError, match="must start with"):
        parse_element_string("0109521234543213")
    with pytest.raises(CheckDigitError):
        parse_element_string("(01)09521234543214")
    assert parse_element_string("(01)09521234543214", validate=False)[0].value == "09521234543214"


@settings(deadline=None, max_examples=60)
@given(body=st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_any_gtin_with_its_check_digit_is_valid(body: str) -> None:
    gtin = with_check_digit(body)
    assert validate_ai_value("01", gtin) == gtin
    wrong = gtin[:-1] + str((int(gtin[-1]) + 1) % 10)
    with pytest.raises(CheckDigitError):
        validate_ai_value("01", wrong)


@settings(deadline=None, max_examples=60)
@given(value=st.text(alphabet=sorted(CSET82), min_size=1, max_size=20))
def test_any_set82_text_is_a_valid_serial(value: str) -> None:
    assert validate_ai_value("21", value) == value
    assert AI_TABLE["21"].components[0].charset is CharSet.X


@settings(deadline=None, max_examples=100)
@given(body=st.text(alphabet="0123456789", min_size=1, max_size=40))
def test_fast_mod10_equals_the_reference_check_digit(body: str) -> None:
    assert mod10(body) == check_digit(body)
