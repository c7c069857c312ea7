"""The console's pages over HTTP (SQLite and PostgreSQL): sign-in, CSRF, rate limit, search,
trace graph, recall workflow, exports and what an operator may not open."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from foodtrace.cli import run
from tests.trace_api.api.client import TestClient
from tests.trace_api.export.chain import P3
from tests.trace_api.export.oracle import check_row
from tests.trace_api.trace.chain import DC, H3, L1, R1_CO, c
from trace_api.core.config import Settings
from trace_api.main import create_app
from trace_api.web.console.accounts import add_user, check_password, hash_password

PACKED = {c(P3): (10.0, "KGM")}


@pytest.fixture
def app_client(export_db: Engine, db_url: str) -> Iterator[TestClient]:
    app = create_app(Settings(db=db_url), engine=export_db)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        yield client


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _login(client: TestClient, username: str, password: str) -> tuple[int, str]:
    form = client.get("/console/login")
    assert form.status_code == 200
    response = client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf": _csrf(form.text)},
        follow_redirects=False,
    )
    return response.status_code, response.headers.get("set-cookie", "")


def test_passwords_are_salted_scrypt(export_db: Engine) -> None:
    account, password = add_user(export_db, "inspector", "regulator")
    assert len(password) >= 20
    assert check_password(export_db, "inspector", password) == account
    assert check_password(export_db, "inspector", password + "x") is None
    assert check_password(export_db, "nobody", password) is None
    one, two = hash_password("same"), hash_password("same")
    assert one != two and one.startswith("scrypt$16384$8$1$")


def test_login_session_cookie_and_logout(app_client: TestClient, export_db: Engine) -> None:
    assert app_client.get("/console/", follow_redirects=False).status_code == 303
    _, password = add_user(export_db, "inspector", "regulator")
    status, cookie = _login(app_client, "inspector", password)
    assert status == 303
    lowered = cookie.lower()
    assert "ft_console=" in lowered and "httponly" in lowered and "samesite=strict" in lowered
    assert "secure" not in lowered  # plain http here; Secure when served over https
    home = app_client.get("/console/")
    assert home.status_code == 200 and "inspector" in home.text
    assert "Content-Security-Policy" in home.headers
    logout = app_client.post("/console/logout", data={"csrf": _csrf(home.text)})
    assert logout.status_code == 200  # followed to the sign-in page
    assert app_client.get("/console/", follow_redirects=False).status_code == 303


def test_wrong_password_gives_no_session_and_is_rate_limited(
    app_client: TestClient, export_db: Engine
) -> None:
    _, password = add_user(export_db, "inspector", "regulator")
    for _ in range(5):
        status, cookie = _login(app_client, "inspector", "wrong")
        assert status == 401
        assert "ft_console=" not in cookie or 'ft_console=""' in cookie
        assert app_client.get("/console/", follow_redirects=False).status_code == 303
    status, _ = _login(app_client, "inspector", password)
    assert status == 429  # even the right password, until the window passes
    page = app_client.get("/console/login")
    missing = app_client.post(
        "/console/login",
        data={"username": "inspector", "password": password, "csrf": "forged"},
    )
    assert missing.status_code == 400 and page.status_code == 200


def test_search_trace_recall_and_download(app_client: TestClient, export_db: Engine) -> None:
    _, password = add_user(export_db, "inspector", "regulator")
    assert _login(app_client, "inspector", password)[0] == 303
    found = app_client.get("/console/search", params={"q": "shop"})
    assert found.status_code == 200 and "Shop One" in found.text and "Shop Two" in found.text
    wildcard = app_client.get("/console/search", params={"q": "%"})
    assert wildcard.status_code == 200 and "Nothing found." in wildcard.text  # LIKE escaped
    seen = app_client.get("/console/location", params={"id": DC})
    assert seen.status_code == 200 and "/10/L1" in seen.text and "/10/L2" in seen.text
    assert app_client.get("/console/location", params={"id": "nowhere"}).status_code == 404
    went = app_client.get("/console/search", params={"q": L1}, follow_redirects=False)
    assert went.status_code == 303 and went.headers["location"].startswith("/console/trace?")
    page = app_client.get("/console/trace", params={"id": L1})
    assert page.status_code == 200
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    for place in ("DC", "Shop One", "Shop Two", "Packhouse"):
        assert f">{place}<" in svg
    assert "edge-shipment" in svg
    qr = re.search(r'href="(/api/v1/qr\?uri=[^"]+)" data-export="qr"', page.text)
    assert qr is not None
    image = app_client.get(qr.group(1).replace("&amp;", "&"))
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/svg")
    missing = app_client.get(
        "/console/trace", params={"id": "urn:epc:class:lgtin:4012345.033333.NO"}
    )
    assert missing.status_code == 404
    bad = app_client.get("/console/trace", params={"id": "nonsense"})
    assert bad.status_code == 400
    form = app_client.get("/console/recalls")
    forged = app_client.post("/console/recalls", data={"lots": H3, "reason": "x", "csrf": "no"})
    assert forged.status_code == 400
    declared = app_client.post(
        "/console/recalls",
        data={"lots": H3, "reason": "Listeria", "csrf": _csrf(form.text)},
        follow_redirects=False,
    )
    assert declared.status_code == 303
    recall = app_client.get(declared.headers["location"])
    assert recall.status_code == 200 and "Listeria" in recall.text
    assert "L2" in recall.text and "L3" in recall.text  # made from H3: affected
    download = app_client.get("/console/exports/fsma204", params={"lot": L1, "format": "csv"})
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 7
    for row in rows:
        check_row(export_db, row, PACKED)
    chinese = app_client.get("/console/trace", params={"id": L1, "lang": "zh"})
    assert "追溯图" in chinese.text and "门店" in chinese.text


def test_operator_may_export_its_part_but_not_trace(
    app_client: TestClient, export_db: Engine
) -> None:
    _, password = add_user(export_db, "shop1", "operator", party=R1_CO)
    assert _login(app_client, "shop1", password)[0] == 303
    assert app_client.get("/console/trace", params={"id": L1}).status_code == 403
    assert app_client.get("/console/recalls").status_code == 403
    own = app_client.get("/console/exports/fsma204", params={"lot": L1})
    assert own.status_code == 200
    rows = list(csv.DictReader(io.StringIO(own.content.decode("utf-8-sig"))))
    assert 0 < len(rows) < 7


def test_add_user_cli(export_db: Engine, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["console", "add-user", "chief", "--role", "regulator", "--db", db_url]) == 0
    out = capsys.readouterr().out
    password = out.split("password: ")[1].strip()
    assert check_password(export_db, "chief", password) is not None
    assert run(["console", "add-user", "chief", "--role", "regulator", "--db", db_url]) == 1
    assert "already exists" in capsys.readouterr().err
    assert run(["console", "add-user", "op", "--role", "operator", "--db", db_url]) == 1
    assert "needs its party" in capsys.readouterr().err


def test_session_cookie_is_secure_over_https(export_db: Engine, db_url: str) -> None:
    _, password = add_user(export_db, "inspector", "regulator")
    app = create_app(Settings(db=db_url), engine=export_db)
    with TestClient(app, base_url="https://127.0.0.1") as client:
        status, cookie = _login(client, "inspector", password)
    assert status == 303
    assert "ft_console=" in cookie and "secure" in cookie.lower()
