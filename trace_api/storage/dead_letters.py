"""Dead letters: messages we could not capture, kept byte for byte with the precise reason."""

from __future__ import annotations

from datetime import UTC, datetime

from trace_api.models import metadata
from trace_api.storage.connection import Target, transaction

__all__ = ["record_dead_letter"]

_DEAD_LETTER = metadata.tables["dead_letter"]


def record_dead_letter(
    target: Target,
    *,
    source: str,
    raw: bytes,
    reason_code: str,
    message: str,
    station_id: str | None = None,
    source_detail: str | None = None,
    received_at: datetime | None = None,
) -> int:
    """Keep an uncapturable message; return its ``dead_letter.id``.

    ``source`` is ``mqtt``, ``http`` or ``cli`` (``source_detail``: the MQTT topic, the HTTP
    path …); ``reason_code`` is a stable machine-readable code (``not_json``,
    ``schema_invalid`` …) and ``message`` the precise human-readable reason.
    """
    row = {
        "received_at": received_at or datetime.now(UTC),
        "source": source,
        "source_detail": source_detail,
        "station_id": station_id,
        "reason_code": reason_code,
        "message": message,
        "raw": bytes(raw),
    }
    with transaction(target) as connection:
        pk: int = connection.execute(
            _DEAD_LETTER.insert().returning(_DEAD_LETTER.c.id), row
        ).scalar_one()
    return pk
