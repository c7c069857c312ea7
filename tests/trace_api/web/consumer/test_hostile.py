"""Codes that are not valid Digital Links, or that name nothing known: a clear 400/404 page for
browsers and a problem+json for API clients, never a 500."""

from __future__ import annotations

import pytest

from tests.trace_api.api.client import TestClient
from tests.trace_api.web.consumer.story import GTIN

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}

INVALID = [
    ("/01/06901234510011", "check digit"),  # wrong GTIN check digit
    ("/01/06901234510010/99/ABC", "'99'"),  # unknown AI in the path
    ("/01/06901234510010/21/1/10/A", "order"),  # qualifiers out of order
    ("/01/123", "length"),
    ("/01/0690123451001X", "GTIN"),
    ("/01/06901234510010/10/" + "L" * 21, "10"),  # lot longer than 20 characters
    ("/01/06901234510010/10/%ZZ", "percent"),
    ("/01/06901234510010/10/%E4%B8%AD", "(10)"),  # a character outside set 82
    ("/01/", "Digital Link"),
    ("/01/06901234510010/10", "Digital Link"),
    ("/00/069012345000000001", "check digit"),  # SSCC with a wrong check digit
    ("/00/12345", "length"),
    ("/01/06901234510010/414/0690123450013", "must come first"),  # a second primary key
]


@pytest.mark.parametrize(("path", "says"), INVALID)
def test_an_invalid_code_is_a_400_page_for_browsers(client: TestClient, path: str, says: str):
    response = client.get(path, headers=HTML)
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "This code cannot be read" in response.text
    assert says in response.text.replace("&#39;", "'")


@pytest.mark.parametrize(("path", "says"), INVALID)
def test_an_invalid_code_is_a_400_problem_for_api_clients(client: TestClient, path: str, says: str):
    response = client.get(path, headers=JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400 and says in body["detail"]


def test_the_error_page_speaks_chinese_when_asked(client: TestClient):
    response = client.get("/01/06901234510011", headers=HTML | {"Accept-Language": "zh-CN"})
    assert response.status_code == 400
    assert "无法识别该条码" in response.text
    assert '<html lang="zh-CN">' in response.text


def test_a_product_nothing_is_known_about_is_a_404(client: TestClient):
    unknown = "/01/09506000134352/10/ABC"  # valid GTIN, no master data, no events
    page = client.get(unknown, headers=HTML)
    assert page.status_code == 404
    assert "Product not found" in page.text
    problem = client.get(unknown, headers=JSON)
    assert problem.status_code == 404
    assert problem.headers["content-type"] == "application/problem+json"
    assert "(01)09506000134352(10)ABC" in problem.json()["detail"]
    assert client.get("/01/09506000134352?linkType=all").status_code == 404
    assert client.get("/00/106141411234567897", headers=HTML).status_code == 404


def test_a_known_product_with_an_unknown_lot_shows_the_product(client: TestClient):
    response = client.get(f"/01/{GTIN}/10/NEVERSEEN", headers=HTML)
    assert response.status_code == 200
    assert "Baby spinach" in response.text
    assert "No traceability records for this code yet." in response.text


HOSTILE = [
    "/01/" + "9" * 5000,
    "/01/%00%00",
    "/01/06901234510010/10/%2F..%2F..%2Fetc%2Fpasswd",
    "/01/06901234510010/10/<script>alert(1)</script>",
    "/01/06901234510010/10/A?linkType=" + "x" * 5000,
    "/01/06901234510010/10/A?lang=<script>",
    "/gtin/06901234510010/ser/%FF%FE",
    "/sscc/not-a-number",
]


@pytest.mark.parametrize("path", HOSTILE)
@pytest.mark.parametrize("accept", [HTML, JSON, {"Accept": "application/linkset+json"}])
def test_hostile_codes_never_crash_the_resolver(
    client: TestClient, path: str, accept: dict[str, str]
):
    response = client.get(path, headers=accept | {"Accept-Language": "zh;q=x, en;q=0.5, *"})
    assert response.status_code in (200, 400, 404), response.text
    if response.headers["content-type"].startswith("text/html"):
        assert "<script>" not in response.text  # escaped wherever a page echoes it
