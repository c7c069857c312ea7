"""The station configuration: ``station.toml`` plus ``FOODTRACE_EDGE__…`` environment variables.

Sources, highest priority first: keyword arguments (tests), environment variables
(``FOODTRACE_EDGE__MQTT__HOST``: prefix ``FOODTRACE_EDGE__``, nesting by ``__``), the TOML file,
then the defaults below. :func:`load_config` is the one entry point; it never returns a
half-valid configuration: every refused key is named in one :class:`ConfigError`.

Security defaults: no username or password has a default; a password is read from
``mqtt.password_file`` or ``FOODTRACE_EDGE__MQTT__PASSWORD`` and is refused inside the TOML file;
a password is only sent over TLS unless the broker is on loopback or
``mqtt.allow_plaintext_password`` says otherwise; the metrics endpoint listens on 127.0.0.1.

The reference with every key is ``docs/edge-agent.md``; ``edge_agent/station.example.toml`` is a
complete example.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from contextvars import ContextVar
from datetime import UTC, timedelta, timezone, tzinfo
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from edge_agent.exceptions import ConfigError
from edge_agent.vocab import VocabularyKind, check_sgln, check_uri, check_vocab

__all__ = [
    "AntennaOverride",
    "BatchSettings",
    "BizTransaction",
    "CommissioningRole",
    "FilterSettings",
    "IlmdSettings",
    "LoggingSettings",
    "MetricsSettings",
    "MqttSettings",
    "OutboxSettings",
    "PackingRole",
    "PartyOrLocation",
    "PresenceSettings",
    "ReaderSettings",
    "ReceivingRole",
    "RetailSellingRole",
    "Role",
    "SensorReportingRole",
    "ShippingRole",
    "StationConfig",
    "StationSettings",
    "TlsSettings",
    "load_config",
    "parse_timezone",
]

ENV_PREFIX = "FOODTRACE_EDGE__"

_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def _topic_name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError(
            f"{value!r} must be 1-63 characters of a-z, 0-9, '_' and '-', starting with a letter "
            "or digit (it becomes an MQTT topic level)"
        )
    return value


def parse_timezone(value: str) -> tzinfo:
    """``UTC``/``Z``, a fixed offset ``±HH:MM`` (at most ±14:00), or an IANA zone name."""
    if value in ("UTC", "Z", "+00:00", "-00:00"):
        return UTC
    match = _OFFSET.match(value)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3))
        if minutes > 59 or hours * 60 + minutes > 14 * 60:
            raise ValueError(f"offset {value!r} is outside -14:00..+14:00")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {value!r}: use an IANA name such as 'Europe/Berlin' or an offset "
            "such as '+01:00'"
        ) from None


def _timezone(value: str) -> str:
    parse_timezone(value)
    return value


TopicName = Annotated[str, AfterValidator(_topic_name)]
SGLN = Annotated[str, AfterValidator(lambda v: check_sgln(v, "SGLN"))]
AbsoluteURI = Annotated[str, AfterValidator(lambda v: check_uri(v, "identifier"))]
BizStep = Annotated[
    str, AfterValidator(lambda v: check_vocab(v, VocabularyKind.BIZ_STEP, "bizStep"))
]
Disposition = Annotated[
    str, AfterValidator(lambda v: check_vocab(v, VocabularyKind.DISPOSITION, "disposition"))
]
SourceDestType = Annotated[
    str,
    AfterValidator(
        lambda v: check_vocab(v, VocabularyKind.SOURCE_DEST_TYPE, "source/destination type")
    ),
]
BizTransactionType = Annotated[
    str,
    AfterValidator(
        lambda v: check_vocab(v, VocabularyKind.BIZ_TRANSACTION_TYPE, "bizTransaction type")
    ),
]
Antenna = Annotated[int, Field(ge=1, le=64)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- station and reader -------------------------------------------------------------------------


class StationSettings(_Model):
    """Who and where this station is."""

    id: TopicName
    site: TopicName
    read_point: SGLN
    biz_location: SGLN | None = None
    timezone: Annotated[str, AfterValidator(_timezone)] = "UTC"

    def tzinfo(self) -> tzinfo:
        return parse_timezone(self.timezone)


class ReaderSettings(_Model):
    """The UHF reader on the serial line (driven by the reader-driver side of the agent)."""

    port: Annotated[str, Field(min_length=1)]
    """A device path (``/dev/ttyUSB0``) or any pyserial URL (``socket://``, ``rfc2217://``)."""
    protocol: Literal["r2000", "mercury"] = "r2000"
    baudrate: Literal[9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600] = 115200
    antennas: Annotated[list[Antenna], Field(min_length=1)] = [1]
    power_dbm: Annotated[float, Field(ge=0, le=33)] = 27.0
    region: Literal["etsi", "fcc", "china", "japan", "korea", "india", "australia", "open"]
    """Radio regulation region. Required: transmitting outside it is unlawful."""

    @field_validator("antennas")
    @classmethod
    def _unique_antennas(cls, value: list[int]) -> list[int]:
        if len(set(value)) != len(value):
            raise ValueError(f"antennas must not repeat, got {value}")
        return sorted(value)


# --- role: the business meaning of a read -----------------------------------------------------


class AntennaOverride(_Model):
    """Per-antenna business step, disposition or read point (e.g. the inner and outer antenna
    of a dock door)."""

    biz_step: BizStep | None = None
    disposition: Disposition | None = None
    read_point: SGLN | None = None


class PartyOrLocation(_Model):
    """One ``sourceList``/``destinationList`` entry: ``type`` and the party or location URI."""

    type: SourceDestType
    id: AbsoluteURI


class BizTransaction(_Model):
    type: BizTransactionType | None = None
    id: AbsoluteURI


class _RoleBase(_Model):
    biz_step: BizStep | None = None
    """Overrides the role's default bizStep."""
    disposition: Disposition | None = None
    """Overrides the role's default disposition."""
    antennas: dict[Antenna, AntennaOverride] = {}
    biz_transactions: list[BizTransaction] = []
    sources: list[PartyOrLocation] = []
    destinations: list[PartyOrLocation] = []
    depart_biz_step: BizStep | None = None
    """If set, a tag that departs (see ``presence.depart_after_s``) yields an OBSERVE event with
    this bizStep (e.g. ``departing``); by default a departure produces no event."""
    depart_disposition: Disposition | None = None


class ReceivingRole(_RoleBase):
    kind: Literal["receiving"]


class ShippingRole(_RoleBase):
    kind: Literal["shipping"]

    @model_validator(mode="after")
    def _needs_destination(self) -> ShippingRole:
        if not self.destinations:
            raise ValueError(
                "a shipping station needs at least one destination, e.g. "
                "destinations = [{ type = 'owning_party', id = 'urn:epc:id:pgln:4098765.00000' }]"
            )
        return self


class IlmdSettings(_Model):
    """Instance/lot master data for commissioning, written in the CBV ``cbvmda:`` namespace."""

    lot: Annotated[str, Field(min_length=1, max_length=20)]
    harvest_date: str | None = None
    harvest_end_date: str | None = None
    pack_date: str | None = None
    best_before_date: str | None = None
    expiry_date: str | None = None
    country_of_origin: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = None
    extra: dict[str, str | int | float | bool] = {}
    """More ILMD fields as CURIEs in a declared namespace (``cbvmda:``, ``gs1:``, ``ft:``)."""

    @field_validator(
        "harvest_date", "harvest_end_date", "pack_date", "best_before_date", "expiry_date"
    )
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from datetime import date

        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"dates are written YYYY-MM-DD, got {value!r}") from None

    @field_validator("extra")
    @classmethod
    def _curies(
        cls, value: dict[str, str | int | float | bool]
    ) -> dict[str, str | int | float | bool]:
        for key in value:
            prefix, _, local = key.partition(":")
            if prefix not in ("cbvmda", "gs1", "ft") or not local:
                raise ValueError(
                    f"ILMD field {key!r} must be 'cbvmda:…', 'gs1:…' or 'ft:…' (a namespace "
                    "declared in the document @context)"
                )
        return value


def _no_departure_events(role: _RoleBase) -> None:
    if role.depart_biz_step is not None or role.depart_disposition is not None:
        raise ValueError(
            "depart_biz_step/depart_disposition are for ObjectEvent OBSERVE roles "
            "(receiving, shipping, retail_selling, sensor_reporting)"
        )


class CommissioningRole(_RoleBase):
    kind: Literal["commissioning"]
    ilmd: IlmdSettings

    @model_validator(mode="after")
    def _check(self) -> CommissioningRole:
        _no_departure_events(self)
        return self


class PackingRole(_RoleBase):
    kind: Literal["packing"]
    idle_close_s: Annotated[float, Field(gt=0, le=300)] = 3.0
    """A packing window closes when no new tag has been seen for this long."""
    max_window_s: Annotated[float, Field(gt=0, le=3600)] = 60.0
    """... or at the latest this long after it opened."""

    @model_validator(mode="after")
    def _check(self) -> PackingRole:
        _no_departure_events(self)
        if self.max_window_s < self.idle_close_s:
            raise ValueError("max_window_s must be >= idle_close_s")
        return self


class RetailSellingRole(_RoleBase):
    kind: Literal["retail_selling"]


class SensorReportingRole(_RoleBase):
    kind: Literal["sensor_reporting"]


Role = Annotated[
    ReceivingRole
    | ShippingRole
    | CommissioningRole
    | PackingRole
    | RetailSellingRole
    | SensorReportingRole,
    Field(discriminator="kind"),
]


# --- read handling ---------------------------------------------------------------------------


class FilterSettings(_Model):
    """Reads that fail any configured filter are counted and dropped before event building."""

    hex_prefixes: list[Annotated[str, Field(pattern=r"^[0-9A-Fa-f]{1,64}$")]] = []
    """Keep only EPCs whose hex starts with one of these (e.g. ``"30"`` = SGTIN-96)."""
    company_prefixes: list[Annotated[str, Field(pattern=r"^\d{4,12}$")]] = []
    """Keep only GS1 EPCs of these company prefixes."""
    uri_pattern: str | None = None
    """A regular expression searched in the pure-identity URN (``re.search``)."""
    min_rssi_dbm: Annotated[float, Field(ge=-128, le=0)] | None = None
    non_gs1: Literal["refuse", "raw"] = "refuse"
    """EPCs that are not GS1 EPCs (factory ``E2…`` codes): ``refuse`` drops them (counted),
    ``raw`` publishes them as ``urn:epc:raw:<bits>.x<HEX>``."""

    @field_validator("uri_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"uri_pattern is not a regular expression: {exc}") from None
        return value


class PresenceSettings(_Model):
    """Dedup window and arrive/depart state per (EPC, antenna)."""

    dedup_window_s: Annotated[float, Field(ge=0, le=86400)] = 60.0
    """Repeated reads of a present tag are suppressed for this long, then the tag is reported
    again (Impinj ``reportingIntervalSeconds``); ``0`` reports every read."""
    report_once: bool = False
    """``true``: report a tag once per presence (arrival), however long it stays."""
    depart_after_s: Annotated[float, Field(gt=0, le=86400)] = 30.0
    per_antenna: bool = True
    """``true``: state per (EPC, antenna) (Zebra PER_ANTENNA); ``false``: per EPC (RADIO_WIDE)."""
    max_tags: Annotated[int, Field(ge=1, le=10_000_000)] = 100_000


class BatchSettings(_Model):
    """One MQTT message carries up to ``max_events`` events as one EPCISDocument."""

    max_events: Annotated[int, Field(ge=1, le=10_000)] = 50
    linger_ms: Annotated[int, Field(ge=0, le=60_000)] = 200
    max_bytes: Annotated[int, Field(ge=4096, le=64 * 1024 * 1024)] = 256_000


# --- transport ------------------------------------------------------------------------------


class TlsSettings(_Model):
    """TLS to the broker. An empty ``[mqtt.tls]`` table means TLS with the system CAs."""

    ca_file: Path | None = None
    cert_file: Path | None = None
    key_file: Path | None = None

    @model_validator(mode="after")
    def _pair_and_exist(self) -> TlsSettings:
        if (self.cert_file is None) != (self.key_file is None):
            raise ValueError("cert_file and key_file go together (client certificate and key)")
        for name in ("ca_file", "cert_file", "key_file"):
            path = getattr(self, name)
            if path is not None and not path.is_file():
                raise ValueError(f"{name} {str(path)!r} does not exist or is not a file")
        return self


class MqttSettings(_Model):
    host: Annotated[str, Field(min_length=1)]
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    """Default 8883 with TLS, 1883 without."""
    tls: TlsSettings | None = None
    username: Annotated[str, Field(min_length=1)] | None = None
    password: SecretStr | None = None
    """Only from the environment (``FOODTRACE_EDGE__MQTT__PASSWORD``); refused in the file."""
    password_file: Path | None = None
    allow_plaintext_password: bool = False
    client_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    """Default: the station id. Fixed, so the broker keeps the persistent session."""
    keepalive_s: Annotated[int, Field(ge=5, le=3600)] = 30
    protocol: Literal["3.1.1", "5"] = "3.1.1"
    session_expiry_s: Annotated[int, Field(ge=0, le=0xFFFFFFFF)] = 7 * 24 * 3600
    """MQTT 5 only: how long the broker keeps the session while the station is away."""
    topic_root: Annotated[str, Field(pattern=r"^[A-Za-z0-9_\-]+(/[A-Za-z0-9_\-]+)*$")] = (
        "foodtrace/v1"
    )
    max_unacked: Annotated[int, Field(ge=1, le=20_000)] = 100
    """Messages published but not yet PUBACKed; far below paho's 65,535 message ids."""
    heartbeat_s: Annotated[float, Field(ge=0, le=3600)] = 30.0
    """0 disables the heartbeat."""
    reconnect_min_s: Annotated[int, Field(ge=1, le=600)] = 1
    reconnect_max_s: Annotated[int, Field(ge=1, le=3600)] = 60

    @model_validator(mode="after")
    def _credentials(self) -> MqttSettings:
        if self.password is not None and self.password_file is not None:
            raise ValueError("set mqtt.password_file or FOODTRACE_EDGE__MQTT__PASSWORD, not both")
        if self.password_file is not None:
            try:
                text = self.password_file.read_text(encoding="utf-8")
            except OSError as exc:
                raise ValueError(
                    f"password_file {str(self.password_file)!r} cannot be read: "
                    f"{exc.strerror or exc}"
                ) from None
            secret = text.rstrip("\r\n")
            if not secret:
                raise ValueError(f"password_file {str(self.password_file)!r} is empty")
            object.__setattr__(self, "password", SecretStr(secret))
        has_password = self.password is not None
        if has_password and self.username is None:
            raise ValueError("a password is set but mqtt.username is not")
        if self.username is not None and not has_password:
            raise ValueError(
                "mqtt.username is set but no password: set mqtt.password_file or "
                "FOODTRACE_EDGE__MQTT__PASSWORD (there is no default password)"
            )
        if (
            has_password
            and self.tls is None
            and not self.allow_plaintext_password
            and not _is_loopback(self.host)
        ):
            raise ValueError(
                f"refusing to send the MQTT password in clear text to {self.host!r}: add an "
                "[mqtt.tls] table, or set mqtt.allow_plaintext_password = true"
            )
        if self.reconnect_max_s < self.reconnect_min_s:
            raise ValueError("reconnect_max_s must be >= reconnect_min_s")
        return self

    @property
    def effective_port(self) -> int:
        if self.port is not None:
            return self.port
        return 8883 if self.tls is not None else 1883


def _is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class OutboxSettings(_Model):
    path: Path = Path("outbox.sqlite3")
    """Relative paths are taken from the directory of station.toml."""
    max_events: Annotated[int, Field(ge=1, le=100_000_000)] = 150_000
    max_age_s: Annotated[float, Field(gt=0)] = 7 * 24 * 3600.0
    replay_rate: Annotated[float, Field(ge=0)] = 500.0
    """Events per second the publisher sends at most (after an outage: the replay rate);
    0 = unlimited."""


class MetricsSettings(_Model):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 9471


class LoggingSettings(_Model):
    level: Literal["debug", "info", "warning", "error"] = "info"
    format: Literal["console", "json"] = "console"


# --- the whole configuration --------------------------------------------------------------------

_FILE_DATA: ContextVar[dict[str, Any] | None] = ContextVar("_FILE_DATA", default=None)


class StationConfig(BaseSettings):
    """Everything a reader station needs. Build it with :func:`load_config`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        extra="forbid",
        frozen=True,
        case_sensitive=False,
    )

    station: StationSettings
    reader: ReaderSettings
    role: Role
    filters: FilterSettings = FilterSettings()
    presence: PresenceSettings = PresenceSettings()
    batch: BatchSettings = BatchSettings()
    mqtt: MqttSettings
    outbox: OutboxSettings = OutboxSettings()
    metrics: MetricsSettings = MetricsSettings()
    logging: LoggingSettings = LoggingSettings()

    _secret_keys: ClassVar[frozenset[str]] = frozenset({"password"})

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003 (no .env on a station)
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        file_source = InitSettingsSource(settings_cls, init_kwargs=_FILE_DATA.get() or {})
        return (init_settings, env_settings, file_source)

    @property
    def client_id(self) -> str:
        return self.mqtt.client_id or self.station.id

    @model_validator(mode="after")
    def _antennas_exist(self) -> StationConfig:
        unknown = sorted(set(self.role.antennas) - set(self.reader.antennas))
        if unknown:
            raise ValueError(
                f"role.antennas configures antenna(s) {unknown} that reader.antennas "
                f"{self.reader.antennas} does not use"
            )
        return self


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such configuration file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    mqtt = data.get("mqtt")
    if isinstance(mqtt, dict) and "password" in mqtt:
        raise ConfigError(
            f"{path}: mqtt.password must not be written in the configuration file; use "
            "mqtt.password_file or the environment variable FOODTRACE_EDGE__MQTT__PASSWORD"
        )
    _resolve_paths(data, path.parent)
    return data


def _resolve_paths(data: dict[str, Any], base: Path) -> None:
    """Relative file paths in the TOML file are relative to the file, not to the cwd (the
    default outbox too: it lives next to station.toml)."""
    outbox = data.setdefault("outbox", {})
    if isinstance(outbox, dict):
        outbox.setdefault("path", str(OutboxSettings().path))
    for section, keys in (
        ("outbox", ("path",)),
        ("mqtt", ("password_file",)),
    ):
        table = data.get(section)
        if isinstance(table, dict):
            for key in keys:
                value = table.get(key)
                if isinstance(value, str) and not Path(value).is_absolute():
                    table[key] = str(base / value)
    mqtt = data.get("mqtt")
    tls = mqtt.get("tls") if isinstance(mqtt, dict) else None
    if isinstance(tls, dict):
        for key in ("ca_file", "cert_file", "key_file"):
            value = tls.get(key)
            if isinstance(value, str) and not Path(value).is_absolute():
                tls[key] = str(base / value)


def _describe(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error["type"] == "extra_forbidden":
        message = "unknown key (check the spelling against docs/edge-agent.md)"
    elif error["type"] == "missing":
        message = "required key is missing"
    else:
        value = error.get("input")
        secret = any(str(part) in StationConfig._secret_keys for part in error["loc"])
        scalar = isinstance(value, str | int | float | bool)
        if not secret and scalar and repr(value) not in message:
            message += f" (got {value!r})"
    return f"{location}: {message}"


def load_config(path: Path | None = None, **overrides: Any) -> StationConfig:
    """Load ``station.toml`` (if given), apply ``FOODTRACE_EDGE__…`` variables and overrides.

    Raises :class:`ConfigError` naming every refused key.
    """
    data = _read_toml(path) if path is not None else {}
    token = _FILE_DATA.set(data)
    try:
        return StationConfig(**overrides)
    except ValidationError as exc:
        where = f"{path}: " if path is not None else ""
        lines = [_describe(error) for error in exc.errors()]
        raise ConfigError(
            f"{where}invalid station configuration ({len(lines)} problem(s)):\n  "
            + "\n  ".join(lines)
        ) from None
    finally:
        _FILE_DATA.reset(token)
