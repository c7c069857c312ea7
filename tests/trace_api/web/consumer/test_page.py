"""The consumer page's content: language choice, public fields only, recall banner, map."""

from __future__ import annotations

import re

import pytest

from tests.trace_api.api.client import TestClient
from tests.trace_api.web.consumer.story import (
    GTIN,
    INVOICE,
    LOT_OK,
    LOT_OTHER,
    LOT_RECALLED,
    PRIVATE_LICENCE,
    REASON,
)

OK = f"/01/{GTIN}/10/{LOT_OK}"
RECALLED = f"/01/{GTIN}/10/{LOT_RECALLED}"
HTML = {"Accept": "text/html"}


def _lang(text: str) -> str:
    found = re.search(r'<html lang="([^"]+)">', text)
    assert found
    return found.group(1)


@pytest.mark.parametrize(
    ("accept_language", "expected"),
    [
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
        ("en-GB,en;q=0.9,zh;q=0.8", "en"),
        ("de-DE,zh-TW;q=0.5", "zh-CN"),
        ("fr", "en"),
        ("", "en"),
        ("en;q=0.2, zh;q=0.7", "zh-CN"),
    ],
)
def test_accept_language_picks_chinese_or_english(
    client: TestClient, accept_language: str, expected: str
):
    response = client.get(OK, headers=HTML | {"Accept-Language": accept_language})
    assert _lang(response.text) == expected
    assert ("嫩菠菜（已清洗）200克" in response.text) == (expected == "zh-CN")


def test_the_toggle_link_switches_and_a_cookie_remembers(client: TestClient):
    first = client.get(OK, headers=HTML | {"Accept-Language": "en"})
    toggle = re.search(r'<a class="lang" href="([^"]+)"', first.text)
    assert toggle and toggle.group(1) == f"{OK}?lang=zh"
    switched = client.get(toggle.group(1).replace("&amp;", "&"), headers=HTML)
    assert _lang(switched.text) == "zh-CN"
    assert "lang=zh" in switched.headers["set-cookie"]
    assert switched.headers["cache-control"] == "private, no-cache"  # never a shared cache
    again = client.get(OK, headers=HTML | {"Accept-Language": "en"})  # the cookie wins
    assert _lang(again.text) == "zh-CN"
    back = client.get(f"{OK}?lang=en", headers=HTML)
    assert _lang(back.text) == "en"


def test_the_recall_banner_in_both_languages(client: TestClient):
    english = client.get(RECALLED, headers=HTML | {"Accept-Language": "en"}).text
    assert '<section class="recall" role="alert"' in english
    assert "RECALL — do not eat this product" in english
    assert REASON in english
    chinese = client.get(f"{RECALLED}?lang=zh", headers=HTML).text
    assert "召回 — 请勿食用本产品" in chinese
    fine = client.get(f"{OK}?lang=en", headers=HTML).text  # the cookie says zh now
    assert 'class="recall"' not in fine
    assert "No recall for this lot." in fine


def test_the_page_shows_product_origin_journey_map_cold_chain_and_certifications(
    client: TestClient,
):
    text = client.get(OK, headers=HTML | {"Accept-Language": "en"}).text
    for expected in (
        "Baby spinach, washed, 200 g",
        "Fresh Pack Produce Co., Ltd.",  # brand owner
        "spinach",  # ingredients
        "China Green Food (Grade A)",
        "Green Valley Farm, field 3",
        "Xiaoshan District, Hangzhou, Zhejiang",
        "2026-11-20 06:00 (UTC+08:00)",  # harvest, in the farm's own time zone
        "Kept within 0–5 °C",
        '<time datetime="2026-11-27">2026-11-27</time>',  # best before from ILMD
    ):
        assert expected in text, expected
    journey = re.findall(
        r'<p class="place-name">([^<]+)</p>', text.split('class="card journey"')[1]
    )
    assert journey == [
        "Green Valley Farm, field 3",
        "Fresh Pack packhouse",
        "East China cold store",
        "City Fresh, Wulin store",
    ]
    svg = text.split("<svg")[1].split("</svg>")[0]
    assert svg.count("<circle") == 4
    assert "<polyline" in svg
    assert "<script" not in text and "style=" not in text  # CSP-friendly: no inline code


def test_the_cold_chain_excursion_is_shown(client: TestClient):
    text = client.get(RECALLED, headers=HTML | {"Accept-Language": "en"}).text
    assert "1 of 3 readings outside 0–5 °C (lowest 3.5 °C, highest 8.5 °C)" in text


@pytest.mark.parametrize(
    "path",
    [
        OK,
        RECALLED,
        f"{OK}?linkType=gs1:traceability",
        f"{OK}?linkType=gs1:recallStatus",
        f"{OK}?linkType=all",
    ],
)
def test_only_public_fields_are_shown(client: TestClient, path: str):
    text = client.get(path, headers=HTML).text
    for private in (
        INVOICE,  # a business transaction
        "INV-778899",
        PRIVATE_LICENCE,  # a party's licence number
        "2400",  # quantities
        "KGM",
        LOT_OTHER,  # another lot of the same product
        "Other Town Market",  # where other lots went
        "ni:///sha-256",  # event identifiers
        "H2611",  # the harvest lots it was made from
    ):
        assert private not in text, private
