"""App-level endpoints: health, OpenAPI, metrics, OPTIONS discovery."""

from __future__ import annotations

from tests.trace_api.api.client import TestClient

Headers = dict[str, str]


def test_health(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_openapi(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/epcis/capture",
        "/epcis/capture/{capture_id}",
        "/epcis/events",
        "/epcis/queries/{name}/events",
        "/epcis/bizSteps/{value}/events",
        "/epcis/events/{event_id}",
    ):
        assert path in paths
    assert client.get("/api/v1/docs").status_code == 200


def test_metrics_use_route_templates(client: TestClient, regulator: Headers) -> None:
    client.get("/epcis/events/urn:uuid:a", headers=regulator)
    client.get("/epcis/events/urn:uuid:b", headers=regulator)
    text = client.get("/metrics").text
    labels = 'method="GET",route="/epcis/events/{event_id:path}",status="404"'
    line = "foodtrace_http_requests_total{" + labels + "}"
    assert f"{line} 2.0" in text
    assert "urn:uuid:a" not in text


def test_options_discovery(client: TestClient) -> None:
    for path in ("/epcis/events", "/epcis/queries", "/epcis/bizSteps", "/epcis/epcs"):
        response = client.options(path)
        assert response.status_code == 204
        assert response.headers["GS1-EPCIS-Max"] == "2.0.0"
        assert "GET" in response.headers["Allow"]
