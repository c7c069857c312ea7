"""Render the consumer pages (Jinja2 templates in ``templates/``, autoescaped)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import jinja2

from trace_api.web.consumer.facts import ConsumerFacts
from trace_api.web.consumer.i18n import TEXT, biz_step_label, html_lang
from trace_api.web.consumer.mapview import map_view

__all__ = ["render_error", "render_page"]

STATIC = "/static/consumer"


def _pick(en: str | None, zh: str | None, lang: str) -> str:
    if lang == "zh":
        return zh or en or ""
    return en or zh or ""


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        offset = value.utcoffset()
        if offset is None or not offset:
            return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
        minutes = int(offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return f"{value.strftime('%Y-%m-%d %H:%M')} ({zone})"
    return value.isoformat()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("trace_api.web.consumer", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["number"] = _number
    env.globals["pick"] = _pick
    env.globals["step_label"] = biz_step_label
    env.globals["static"] = STATIC
    return env


def _common(lang: str, toggle_url: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "html_lang": html_lang(lang),
        "t": TEXT[lang],
        "toggle_url": toggle_url,
        "other_lang": "en" if lang == "zh" else "zh",
    }


def render_page(facts: ConsumerFacts, lang: str, toggle_url: str, linkset_url: str) -> str:
    """The consumer page of one scanned code."""
    today = datetime.now(UTC).date()
    context = _common(lang, toggle_url) | {
        "f": facts,
        "r": facts.requested,
        "p": facts.product,
        "map": map_view(facts.journey),
        "expired": facts.expiry is not None and facts.expiry < today,
        "linkset_url": linkset_url,
    }
    return _environment().get_template("page.html").render(context)


def render_error(status: int, detail: str, lang: str, toggle_url: str) -> str:
    """The page for a code that cannot be read (400) or that names nothing known (404)."""
    context = _common(lang, toggle_url) | {"status": status, "detail": detail}
    return _environment().get_template("error.html").render(context)
