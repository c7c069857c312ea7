"""deploy/postgresql/: the setup script against a real server, and the tuned settings.

The script runs as a deployer would run it with ``PGHOST`` set (the test cluster's superuser);
the role it creates must be able to migrate and use its database and nothing more, and a second
run rotates the password without touching the data.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.support.postgres import PostgresServer, new_server, remove_server
from trace_api.core.db import create_engine
from trace_api.migrate import upgrade

pytestmark = pytest.mark.postgres

DEPLOY = Path(__file__).parents[2] / "deploy" / "postgresql"


def run_setup(
    server: PostgresServer, env_file: Path, role: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PG", "FOODTRACE"))},
        "PGHOST": server.host,
        "PGPORT": str(server.port),
        "PGUSER": server.superuser,
        "PGPASSWORD": server.password,
        "PSQL": str(server.bindir / "psql"),
        "FOODTRACE_DB_ROLE": role,
        "FOODTRACE_DB_NAME": role,
        "FOODTRACE_DB_ENV_FILE": str(env_file),
    }
    return subprocess.run(
        ["bash", str(DEPLOY / "setup.sh")], env=env, capture_output=True, text=True, check=False
    )


def url_of(env_file: Path) -> str:
    (line,) = env_file.read_text().splitlines()
    key, _, url = line.partition("=")
    assert key == "FOODTRACE_DB"
    return url


def test_setup_creates_a_least_privileged_role_and_rotates_its_password(
    postgres_server: PostgresServer, tmp_path: Path
) -> None:
    env_file = tmp_path / "etc" / "db.env"
    result = run_setup(postgres_server, env_file, "ft_deploy")
    assert result.returncode == 0, result.stderr
    assert env_file.stat().st_mode & 0o777 == 0o600
    url = url_of(env_file)
    assert re.fullmatch(
        rf"postgresql://ft_deploy:[A-Za-z0-9]{{40}}@127\.0\.0\.1:{postgres_server.port}/ft_deploy",
        url,
    )
    password = url.split(":")[2].split("@")[0]
    assert password not in result.stdout + result.stderr
    engine = create_engine(url)
    try:
        assert upgrade(engine).after is not None  # the role owns its database: it can migrate
    finally:
        engine.dispose()
    with psycopg.connect(postgres_server.dsn(), autocommit=True) as conn:
        row = conn.execute(
            "SELECT rolsuper, rolcreatedb, rolcreaterole FROM pg_roles WHERE rolname = 'ft_deploy'"
        ).fetchone()
        assert row == (False, False, False)
        public = conn.execute(
            "SELECT has_database_privilege('public', 'ft_deploy', 'CONNECT')"
        ).fetchone()
        assert public == (False,)

    again = run_setup(postgres_server, env_file, "ft_deploy")
    assert again.returncode == 0, again.stderr
    new_url = url_of(env_file)
    assert new_url != url
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(url).close()
    with psycopg.connect(new_url) as conn:  # the data survived the rotation
        assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)


def test_setup_refuses_a_bad_role_name(postgres_server: PostgresServer, tmp_path: Path) -> None:
    result = run_setup(postgres_server, tmp_path / "db.env", "drop table x")
    assert result.returncode == 1
    assert "role name" in result.stderr
    assert not (tmp_path / "db.env").exists()


def tuned_settings() -> dict[str, str]:
    settings = {}
    for line in (DEPLOY / "foodtrace.conf").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        key, _, value = line.partition("=")
        settings[key.strip()] = value.strip().strip("'")
    return settings


@pytest.fixture
def tuned_server(postgres_server: PostgresServer) -> Iterator[PostgresServer]:
    # postgres_server first: it skips (or fails under CI) without the binaries.
    settings = tuned_settings()
    settings.pop("listen_addresses")  # the test server listens on its own loopback port
    server = new_server(settings=settings)
    server.start()
    yield server
    remove_server(server)


def test_postgresql_accepts_the_tuned_settings(tuned_server: PostgresServer) -> None:
    with psycopg.connect(tuned_server.dsn()) as conn:
        for key, value in tuned_settings().items():
            if key == "listen_addresses":
                continue
            (shown,) = conn.execute(f"SHOW {key}").fetchone() or ("",)
            assert str(shown).lower() == value.lower(), key
