"""Create a broker configuration directory and add station accounts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from trace_api.broker.acl import DEFAULT_ROOT, SERVICE_ACCOUNTS, render_acl
from trace_api.broker.credentials import STATION_ID, generate_password, set_password, write_secret
from trace_api.broker.mosquitto_conf import BrokerLayout, render_mosquitto_conf
from trace_api.broker.tls import make_self_signed
from trace_api.exceptions import BrokerConfigError

__all__ = ["Account", "add_station", "init_broker"]


@dataclass(frozen=True, slots=True)
class Account:
    username: str
    secret_file: Path


def init_broker(
    layout: BrokerLayout,
    *,
    root: str = DEFAULT_ROOT,
    hostnames: list[str] | None = None,
    force: bool = False,
) -> list[Account]:
    """Write config, ACL, password file (service accounts) and, when missing, TLS files."""
    conf = layout.config_dir / "mosquitto.conf"
    if conf.exists() and not force:
        raise BrokerConfigError(f"{conf} exists; pass --force to overwrite the configuration")
    layout.config_dir.mkdir(parents=True, exist_ok=True)
    layout.persistence_dir.mkdir(parents=True, exist_ok=True)
    if layout.tls_bind is not None and not layout.cert_file.exists():
        make_self_signed(layout.cert_file.parent, hostnames or ["localhost", "127.0.0.1"])
    layout.acl_file.write_text(render_acl(root))
    if force:
        layout.password_file.unlink(missing_ok=True)
    accounts = []
    for account in SERVICE_ACCOUNTS:
        password = generate_password()
        set_password(layout.password_file, account.username, password)
        accounts.append(
            Account(account.username, write_secret(layout.config_dir, account.username, password))
        )
    conf.write_text(render_mosquitto_conf(layout))
    return accounts


def add_station(config_dir: Path, station_id: str) -> Account:
    """Create (or rotate) the MQTT account of one reader station."""
    if not STATION_ID.fullmatch(station_id):
        raise BrokerConfigError(
            f"station id {station_id!r} must be 1-64 of A-Z a-z 0-9 . _ - (it is a topic level)"
        )
    if any(station_id == a.username for a in SERVICE_ACCOUNTS):
        raise BrokerConfigError(f"{station_id!r} is a service account name")
    password_file = config_dir / "passwd"
    if not password_file.exists():
        raise BrokerConfigError(f"{password_file} missing: run `foodtrace broker init` first")
    password = generate_password()
    set_password(password_file, station_id, password)
    return Account(station_id, write_secret(config_dir, station_id, password))
