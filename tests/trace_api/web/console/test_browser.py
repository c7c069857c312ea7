"""The console in real headless Chromium against the real uvicorn server: a regulator signs in,
traces a lot, sees the graph, declares a recall and downloads the FSMA 204 spreadsheet whose
rows are checked against the stored events; a wrong password gives an error and no session.
Screenshots (1280 px wide) go to ``docs/img/console-*.png`` for the README."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.conftest import LiveApp
from tests.support.browser import screenshot_dir
from tests.trace_api.export.chain import EXPORT_MASTER, P3, export_chain
from tests.trace_api.export.oracle import check_row
from tests.trace_api.trace.chain import H3, L1, c, store
from trace_api.storage import load_master_data
from trace_api.web.console.accounts import add_user

pytestmark = pytest.mark.browser

WIDE: ViewportSize = {"width": 1280, "height": 900}


def _stocked(live_app: LiveApp) -> str:
    load_master_data(live_app.engine, EXPORT_MASTER)
    store(live_app.engine, export_chain())
    _, password = add_user(live_app.engine, "inspector", "regulator")
    return password


def _sign_in(page: Page, live_app: LiveApp, password: str) -> None:
    page.goto(f"{live_app.url}/console/")
    expect(page).to_have_url(f"{live_app.url}/console/login?next=%2Fconsole%2F")
    page.get_by_label("User name").fill("inspector")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_wrong_password_shows_an_error_and_no_session(live_app: LiveApp, page: Page) -> None:
    _stocked(live_app)
    _sign_in(page, live_app, "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Wrong user name or password.")
    assert not [c for c in page.context.cookies() if c["name"] == "ft_console"]
    page.goto(f"{live_app.url}/console/recalls")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_regulator_traces_recalls_and_downloads(
    live_app: LiveApp, page: Page, tmp_path: Path
) -> None:
    password = _stocked(live_app)
    page.set_viewport_size(WIDE)
    _sign_in(page, live_app, password)
    expect(page.get_by_text("Signed in as")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "ft_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    shots = screenshot_dir()

    page.get_by_role("searchbox").fill(L1)
    page.get_by_role("button", name="Search").click()
    graph = page.locator("svg.trace-graph")
    expect(graph).to_be_visible()
    for place in ("Packhouse", "DC", "Shop One", "Shop Two"):
        expect(graph.locator("text.node-name", has_text=place)).to_have_count(1)
    assert graph.locator("path.edge").count() >= 3
    box = graph.bounding_box()
    assert box is not None and box["width"] > 600  # drawn, not an empty element
    expect(page.get_by_role("heading", name="Journey")).to_be_visible()
    page.screenshot(path=str(shots / "console-trace.png"), full_page=True)

    with page.expect_download() as waiting:
        page.get_by_role("link", name="FSMA 204 spreadsheet (CSV)").click()
    download = waiting.value
    assert download.suggested_filename == "fsma204-L1.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 7
    for row in rows:
        check_row(live_app.engine, row, {c(P3): (10.0, "KGM")})

    page.get_by_role("link", name="Recalls").first.click()
    page.get_by_label("Lots").fill(H3)
    page.get_by_label("Reason").fill("Listeria monocytogenes")
    page.get_by_role("button", name="Declare a recall").click()
    expect(page.get_by_role("heading", name="Recall: Listeria monocytogenes")).to_be_visible()
    holders = page.locator("#holders tbody tr")
    assert holders.count() >= 1
    expect(page.get_by_text("recalled").first).to_be_visible()
    page.screenshot(path=str(shots / "console-recall.png"), full_page=True)

    page.goto(f"{live_app.url}/console/trace?id={H3}&direction=forward&lang=zh")
    expect(page.get_by_role("heading", name="追溯图")).to_be_visible()
    expect(page.locator("svg.trace-graph g.node.recalled").first).to_be_visible()
    page.screenshot(path=str(shots / "console-trace-zh.png"), full_page=True)
