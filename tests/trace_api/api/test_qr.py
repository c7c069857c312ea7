"""``GET /api/v1/qr``: the QR code of a Digital Link on this resolver, public."""

from __future__ import annotations

from tests.trace_api.api.client import TestClient
from tests.trace_api.qr_decode import decode_png

LOT_URN = "urn:epc:class:lgtin:6901234.051001.SP2611B"


def test_png_defaults_to_this_resolver_and_reads_back(client: TestClient):
    response = client.get("/api/v1/qr", params={"uri": LOT_URN, "format": "png", "scale": 4})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    link = "http://testserver/01/06901234510010/10/SP2611B"
    assert response.headers["gs1-digital-link"] == link
    assert decode_png(response.content) == [link]


def test_svg_with_another_resolver(client: TestClient):
    response = client.get("/api/v1/qr", params={"uri": LOT_URN, "base": "https://resolver.example"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "https://resolver.example/01/06901234510010/10/SP2611B" in response.text


def test_bad_uris_are_400_problems(client: TestClient):
    for params in (
        {"uri": "urn:epc:class:lgtin:6901234.051001"},
        {"uri": "https://id.gs1.org/01/06901234510011"},
        {"uri": LOT_URN, "format": "gif"},
        {"uri": LOT_URN, "scale": "0"},
        {"uri": LOT_URN, "base": "javascript:alert(1)"},
        {},
    ):
        response = client.get("/api/v1/qr", params=params)
        assert response.status_code == 400, params
        assert response.headers["content-type"] == "application/problem+json"
