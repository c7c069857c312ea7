"""The early-warnings inbox of the console over the analytics' warnings (contract B), on SQLite
and PostgreSQL: list and filter, read one, acknowledge / confirm / false alarm with a note, an
invalid change refused, and an operator limited to its party's warnings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine

from analytics.run import run_batch
from analytics.warnings.store import get_warning, list_warnings
from tests.analytics.support import store_world
from tests.analytics.world import PARTIES, World, pgln, routes
from tests.conftest import LiveApp
from tests.support.browser import screenshot_dir
from tests.trace_api.api.client import TestClient
from trace_api.core.config import Settings
from trace_api.main import create_app
from trace_api.web.console.accounts import add_user


@pytest.fixture
def warned(db: Engine, tmp_path: Path) -> Engine:
    store_world(db, World(read_rate=1.0, seed=7).build())
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    run_batch(db, path)
    return db


@pytest.fixture
def client(warned: Engine, db_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=db_url), engine=warned)
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _sign_in(client: TestClient, engine: Engine, role: str, party: str | None = None) -> None:
    _, password = add_user(engine, f"{role}1", role, party=party)
    form = client.get("/console/login")
    data = {"username": f"{role}1", "password": password, "csrf": _csrf(form.text)}
    assert client.post("/console/login", data=data, follow_redirects=False).status_code == 303


def test_regulator_works_the_inbox(client: TestClient, warned: Engine) -> None:
    _sign_in(client, warned, "regulator")
    everything = list_warnings(warned)
    assert everything
    page = client.get("/console/warnings", params={"status": "all"})
    assert page.status_code == 200
    for warning in everything:
        assert f"/console/warnings/{warning['id']}" in page.text
    alerts = client.get("/console/warnings", params={"status": "all", "severity": "alert"})
    wanted = {w["id"] for w in everything if w["severity"] == "alert"}
    shown = set(re.findall(r'href="/console/warnings/([^"]+)"', alerts.text))
    assert shown == wanted
    target = everything[0]
    detail = client.get(f"/console/warnings/{target['id']}")
    assert detail.status_code == 200 and target["explanation"] in detail.text
    moved = client.post(
        f"/console/warnings/{target['id']}/status",
        data={"status": "acknowledged", "note": "called the DC", "csrf": _csrf(detail.text)},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    stored = get_warning(warned, target["id"])
    assert stored["status"] == "acknowledged"
    assert stored["history"][-1]["by"] == "console:regulator1"
    assert stored["history"][-1]["note"] == "called the DC"
    detail = client.get(f"/console/warnings/{target['id']}")
    confirmed = client.post(
        f"/console/warnings/{target['id']}/status",
        data={"status": "confirmed", "csrf": _csrf(detail.text)},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    refused = client.post(
        f"/console/warnings/{target['id']}/status",
        data={"status": "false_alarm", "csrf": _csrf(detail.text)},
    )
    assert refused.status_code == 409 and "cannot become false_alarm" in refused.text
    assert get_warning(warned, target["id"])["status"] == "confirmed"
    forged = client.post(
        f"/console/warnings/{target['id']}/status", data={"status": "closed", "csrf": "x"}
    )
    assert forged.status_code == 400
    assert client.get("/console/warnings/nope").status_code == 404


def test_operator_sees_only_its_party(client: TestClient, warned: Engine) -> None:
    party = pgln(PARTIES["rogue"])
    _sign_in(client, warned, "operator", party)
    from analytics.identifiers import party_canon

    own = {w["id"] for w in list_warnings(warned, parties=[party_canon(party)])}
    everything = {w["id"] for w in list_warnings(warned)}
    assert own
    page = client.get("/console/warnings", params={"status": "all"})
    assert set(re.findall(r'href="/console/warnings/([^"]+)"', page.text)) == own
    others = everything - own
    assert others
    assert client.get(f"/console/warnings/{sorted(others)[0]}").status_code == 403


@pytest.mark.browser
def test_regulator_acknowledges_a_warning_in_chromium(
    live_app: LiveApp, page: Page, tmp_path: Path
) -> None:
    store_world(live_app.engine, World(read_rate=1.0, seed=7).build())
    path = tmp_path / "routes.json"
    path.write_bytes(orjson.dumps(routes()))
    run_batch(live_app.engine, path)
    _, password = add_user(live_app.engine, "inspector", "regulator")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_app.url}/console/warnings")
    page.get_by_label("User name").fill("inspector")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    rows = page.locator("#warnings tbody tr")
    expect(rows.first).to_be_visible()
    opened = rows.count()
    assert opened == len(list_warnings(live_app.engine, status="open"))
    page.screenshot(path=str(screenshot_dir() / "console-warnings.png"), full_page=True)
    rows.first.get_by_role("link").click()
    warning_id = page.url.rsplit("/", 1)[-1]
    page.get_by_label("Note").fill("cold store inspected")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#status")).to_have_text("acknowledged")
    expect(page.locator("#history")).to_contain_text("cold store inspected")
    assert get_warning(live_app.engine, warning_id)["status"] == "acknowledged"
    page.get_by_role("link", name="Early warnings").click()
    expect(page.locator("#warnings tbody tr")).to_have_count(opened - 1)
