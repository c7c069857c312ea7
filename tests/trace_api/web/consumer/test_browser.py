"""A shopper's phone (real headless Chromium, 390 px wide) opens the codes of the story."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.support.browser import screenshot_dir
from tests.trace_api.web.consumer.story import GTIN, LOT_OK, LOT_RECALLED, REASON, load_story

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request

    from tests.conftest import LiveApp

pytestmark = pytest.mark.browser


def _open(page: Page, live_app: LiveApp, path: str) -> list[str]:
    """Open ``path``; every URL the page requested (all must be the app's own)."""
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    page.on("request", record)
    response = page.goto(live_app.url + path)
    assert response is not None and response.status == 200
    return requested


def test_a_recalled_lot_shows_the_banner_in_english_and_in_chinese(page: Page, live_app: LiveApp):
    load_story(live_app.engine)
    requested = _open(page, live_app, f"/01/{GTIN}/10/{LOT_RECALLED}")
    banner = page.get_by_role("alert")
    assert banner.is_visible()
    assert "RECALL — do not eat this product" in banner.inner_text()
    assert REASON in banner.inner_text()
    # the stylesheet applied (CSP allows only the app's own files): a red banner
    colour = banner.evaluate("element => getComputedStyle(element).backgroundColor")
    assert colour == "rgb(164, 0, 15)"
    assert all(url.startswith(live_app.url) for url in requested), requested
    page.screenshot(path=str(screenshot_dir() / "consumer-recall-en.png"), full_page=True)

    page.get_by_role("link", name="Switch to Chinese").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    assert "召回 — 请勿食用本产品" in page.get_by_role("alert").inner_text()
    page.screenshot(path=str(screenshot_dir() / "consumer-recall-zh.png"), full_page=True)

    page.reload()  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "zh-CN"


def test_a_chinese_phone_gets_chinese_first(browser: object, live_app: LiveApp):
    from playwright.sync_api import Browser

    assert isinstance(browser, Browser)
    load_story(live_app.engine)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    try:
        page = context.new_page()
        page.goto(f"{live_app.url}/01/{GTIN}/10/{LOT_RECALLED}")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert "召回" in page.get_by_role("alert").inner_text()
        assert page.get_by_role("heading", level=1).inner_text() == "嫩菠菜（已清洗）200克"
    finally:
        context.close()


def test_a_normal_pack_shows_its_farm_journey_and_map(page: Page, live_app: LiveApp):
    load_story(live_app.engine)
    requested = _open(page, live_app, f"/01/{GTIN}/10/{LOT_OK}")
    assert page.get_by_role("alert").count() == 0
    assert page.get_by_role("heading", level=1).inner_text() == "Baby spinach, washed, 200 g"
    origin = page.get_by_role("region", name="Origin")
    assert "Green Valley Farm, field 3" in origin.inner_text()
    assert "Green Valley Farms Co., Ltd." in origin.inner_text()
    journey = page.get_by_role("region", name="Journey")
    stops = journey.get_by_role("listitem")
    assert stops.count() == 4
    assert "City Fresh, Wulin store" in stops.nth(3).inner_text()
    figure = page.get_by_role("img", name="Map of the journey")
    box = figure.bounding_box()
    assert box is not None and 300 <= box["width"] <= 390  # fits the phone
    assert figure.locator("circle").count() == 4
    assert "Kept within 0–5 °C" in page.get_by_role("region", name="Cold chain").inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone
    assert all(url.startswith(live_app.url) for url in requested), requested
    page.screenshot(path=str(screenshot_dir() / "consumer-page.png"), full_page=True)


def test_an_invalid_code_shows_a_clear_page(page: Page, live_app: LiveApp):
    response = page.goto(f"{live_app.url}/01/06901234510011")
    assert response is not None and response.status == 400
    assert page.get_by_role("heading", level=1).inner_text() == "This code cannot be read"
    assert "check digit" in page.content()
