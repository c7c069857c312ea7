"""The console's pages (``/console/…``). Handlers are plain functions (FastAPI runs them in its
thread pool); they read the signed-in user from the session cookie and render Jinja2
templates. Regulators use every page; an operator may search and download exports limited
to its party (trace and recall pages are for regulators, as the API's are)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import sqlalchemy as sa
from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import Engine

from foodtrace.exceptions import FoodtraceError
from trace_api.api.routes.exports import make_export
from trace_api.exceptions import NotFoundError, RecallNotFoundError, TraceNotFoundError
from trace_api.models import metadata
from trace_api.query.identifiers import location_forms
from trace_api.recall import blast_radius, declare_recall, get_recall, list_recalls
from trace_api.trace import trace
from trace_api.trace.resolve import resolve
from trace_api.web.console.accounts import check_password, end_session, open_session
from trace_api.web.console.graph import draw, layout
from trace_api.web.console.i18n import choose, words
from trace_api.web.console.session import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    FailureLimit,
    csrf_ok,
    current_session,
    principal_of,
    session_cookie,
    set_cookie,
)

__all__ = ["engine_of", "error_page", "include", "render", "require", "router"]

_HERE = Path(__file__).parent
templates = Jinja2Templates(directory=_HERE / "templates")
router = APIRouter(prefix="/console", include_in_schema=False)
_LOCATION = metadata.tables["location"]
_PARTY = metadata.tables["party"]
_EVENT = metadata.tables["event"]
_IDENT = metadata.tables["event_identifier"]
_SEARCH_LIMIT = 50


def include(app: FastAPI) -> None:
    """Register the console's pages and static files on ``app``."""
    from trace_api.web.console import inbox

    app.state.console_failures = FailureLimit()
    app.include_router(router)
    app.include_router(inbox.router)
    app.mount("/static/console", StaticFiles(directory=_HERE / "static"), name="console-static")


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    lang = choose(request)
    session = context.get("session", current_session(request))
    query = dict(request.query_params)
    query["lang"] = "zh" if lang == "en" else "en"
    base = {
        "lang": lang,
        "t": words(lang),
        "session": session,
        "toggle_url": f"{request.url.path}?{urlencode(query)}",
    }
    response = templates.TemplateResponse(request, name, {**base, **context}, status_code=status)
    if request.query_params.get("lang") in ("en", "zh"):
        set_cookie(request, response, "ft_lang", lang, 365 * 86400)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", {"status": status, "message": message}, status)


def _login_redirect(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/console/login?next={quote(target, safe='')}", status_code=303)


def require(request: Request, regulator: bool = False) -> Any:
    session = current_session(request)
    if session is None:
        return _login_redirect(request)
    if regulator and session.account.role != "regulator":
        return error_page(request, 403, words(choose(request))["forbidden"])
    return session


@router.get("/login")
def login_form(request: Request, next: str = "/console/") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"csrf": token, "next": next, "session": None})
    set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
    return response


def _safe_next(target: str) -> str:
    return target if target.startswith("/console/") and "//" not in target else "/console/"


@router.post("/login")
def login(
    request: Request,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/console/",
) -> Response:
    t = words(choose(request))
    limit: FailureLimit = request.app.state.console_failures
    client = request.client.host if request.client else "unknown"
    keys = (f"ip:{client}", f"user:{username.strip().lower()}")

    def again(message: str, status: int) -> HTMLResponse:
        token = secrets.token_urlsafe(24)
        context = {"csrf": token, "next": next, "error": message, "session": None}
        response = render(request, "login.html", context, status)
        set_cookie(request, response, LOGIN_CSRF_COOKIE, token, 3600)
        response.delete_cookie(COOKIE, path="/console")
        return response

    if not csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE), csrf):
        return again(t["bad_csrf"], 400)
    if limit.blocked(*keys):
        return again(t["too_many"], 429)
    account = check_password(engine_of(request), username, password)
    if account is None:
        limit.fail(*keys)
        return again(t["bad_login"], 401)
    limit.clear(keys[1])
    token, _session = open_session(engine_of(request), account)
    response = RedirectResponse(_safe_next(next), status_code=303)
    session_cookie(request, response, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    session = current_session(request)
    if session is not None and csrf_ok(session.csrf, csrf):
        end_session(engine_of(request), request.cookies.get(COOKIE))
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.get("/")
def home(request: Request) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    recalls = list_recalls(engine_of(request))[:10] if session.account.role == "regulator" else []
    return render(request, "home.html", {"session": session, "recalls": recalls})


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_").lower() + "%"


def _search_places(engine: Engine, text: str) -> tuple[list[Any], list[Any]]:
    pattern = _like(text)
    with engine.connect() as connection:
        parties = list(
            connection.execute(
                sa.select(_PARTY.c.gln, _PARTY.c.name_en, _PARTY.c.name_zh, _PARTY.c.role)
                .where(
                    sa.or_(
                        sa.func.lower(_PARTY.c.name_en).like(pattern, escape="\\"),
                        sa.func.lower(_PARTY.c.name_zh).like(pattern, escape="\\"),
                        _PARTY.c.gln.like(pattern, escape="\\"),
                    )
                )
                .order_by(_PARTY.c.name_en)
                .limit(_SEARCH_LIMIT)
            )
        )
        party_ids = sa.select(_PARTY.c.id).where(
            sa.or_(
                sa.func.lower(_PARTY.c.name_en).like(pattern, escape="\\"),
                sa.func.lower(_PARTY.c.name_zh).like(pattern, escape="\\"),
            )
        )
        locations = list(
            connection.execute(
                sa.select(
                    _LOCATION.c.gln,
                    _LOCATION.c.name_en,
                    _LOCATION.c.name_zh,
                    _LOCATION.c.kind,
                    _LOCATION.c.address,
                )
                .where(
                    sa.or_(
                        sa.func.lower(_LOCATION.c.name_en).like(pattern, escape="\\"),
                        sa.func.lower(_LOCATION.c.name_zh).like(pattern, escape="\\"),
                        sa.func.lower(sa.func.coalesce(_LOCATION.c.address, "")).like(
                            pattern, escape="\\"
                        ),
                        _LOCATION.c.gln.like(pattern, escape="\\"),
                        _LOCATION.c.party_id.in_(party_ids),
                    )
                )
                .order_by(_LOCATION.c.name_en)
                .limit(_SEARCH_LIMIT)
            )
        )
    return parties, locations


@router.get("/search")
def search(request: Request, q: Annotated[str, Query(max_length=500)] = "") -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    text = q.strip()
    if not text:
        return RedirectResponse("/console/", status_code=303)
    try:
        resolve(text)
    except (FoodtraceError, ValueError):
        pass
    else:
        return RedirectResponse(f"/console/trace?{urlencode({'id': text})}", status_code=303)
    parties, locations = _search_places(engine_of(request), text)
    context = {"session": session, "q": text, "parties": parties, "locations": locations}
    return render(request, "search.html", context)


@router.get("/location")
def location(request: Request, id: Annotated[str, Query(max_length=500)]) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    engine = engine_of(request)
    with engine.connect() as connection:
        place = connection.execute(
            sa.select(
                _LOCATION.c.gln,
                _LOCATION.c.name_en,
                _LOCATION.c.name_zh,
                _LOCATION.c.kind,
                _LOCATION.c.address,
                _LOCATION.c.country,
            ).where(_LOCATION.c.gln == id)
        ).first()
        if place is None:
            return error_page(request, 404, f"{words(choose(request))['not_found']}: {id}")
        forms = location_forms(place.gln)
        seen = sa.func.max(_EVENT.c.event_time).label("last")
        lots = list(
            connection.execute(
                sa.select(_IDENT.c.canonical, seen)
                .select_from(_IDENT.join(_EVENT, _EVENT.c.id == _IDENT.c.event_pk))
                .where(
                    _IDENT.c.kind == "class",
                    sa.or_(_EVENT.c.biz_location.in_(forms), _EVENT.c.read_point.in_(forms)),
                )
                .group_by(_IDENT.c.canonical)
                .order_by(seen.desc())
                .limit(_SEARCH_LIMIT)
            )
        )
    return render(request, "location.html", {"session": session, "place": place, "lots": lots})


def _downloads(resolved_kind: str, given: str, canonical: str) -> list[tuple[str, str]]:
    if resolved_kind == "lot":
        selection = {"lot": given}
    elif resolved_kind == "gtin":
        selection = {"gtin": canonical.rsplit("/", 1)[-1]}
    else:
        return []
    links = []
    for key, kind, fmt in (
        ("fsma_csv", "fsma204", "csv"),
        ("fsma_xlsx", "fsma204", "xlsx"),
        ("art18", "art18", "xlsx"),
        ("epcis", "epcis", "json"),
    ):
        links.append((key, f"/console/exports/{kind}?{urlencode({**selection, 'format': fmt})}"))
    return links


@router.get("/trace")
def trace_page(
    request: Request,
    id: Annotated[str, Query(max_length=500)],
    direction: Annotated[str, Query(pattern="^(back|forward|both)$")] = "both",
) -> Response:
    session = require(request, regulator=True)
    if isinstance(session, Response):
        return session
    lang = choose(request)
    t = words(lang)
    try:
        result = trace(engine_of(request), id, direction).to_dict()
    except TraceNotFoundError as exc:
        return error_page(request, 404, str(exc))
    except (FoodtraceError, ValueError) as exc:
        return error_page(request, 400, str(exc))
    picture = layout(result, t, lang)
    svg = draw(picture, f"{t['graph']}: {id}")
    nodes = {n["id"]: n for n in result["nodes"]}
    objects = [
        n for n in result["nodes"] if n["kind"] in ("lot", "epc", "sscc", "gtin") and n.get("modes")
    ]
    context = {
        "session": session,
        "result": result,
        "nodes": nodes,
        "objects": objects,
        "svg": svg,
        "direction": direction,
        "downloads": _downloads(result["kind"], id, result["canonical"]),
        "qr": f"/api/v1/qr?{urlencode({'uri': result['canonical']})}",
    }
    return render(request, "trace.html", context)


@router.get("/recalls")
def recalls_page(request: Request) -> Response:
    session = require(request, regulator=True)
    if isinstance(session, Response):
        return session
    return _recalls(request, session)


def _recalls(
    request: Request, session: Any, error: str | None = None, form: dict[str, str] | None = None
) -> HTMLResponse:
    context = {
        "session": session,
        "recalls": list_recalls(engine_of(request)),
        "error": error,
        "form": form or {},
    }
    return render(request, "recalls.html", context, 400 if error else 200)


@router.post("/recalls")
def declare(
    request: Request,
    lots: Annotated[str, Form(max_length=100_000)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    session = require(request, regulator=True)
    if isinstance(session, Response):
        return session
    if not csrf_ok(session.csrf, csrf):
        return error_page(request, 400, words(choose(request))["bad_csrf"])
    values = [line.strip() for line in lots.splitlines() if line.strip()]
    try:
        recall = declare_recall(engine_of(request), values, reason)
    except (FoodtraceError, ValueError) as exc:
        return _recalls(request, session, str(exc), {"lots": lots, "reason": reason})
    return RedirectResponse(f"/console/recalls/{recall.id}", status_code=303)


@router.get("/recalls/{recall_id}")
def recall_page(request: Request, recall_id: str) -> Response:
    session = require(request, regulator=True)
    if isinstance(session, Response):
        return session
    engine = engine_of(request)
    try:
        recall = get_recall(engine, recall_id)
    except RecallNotFoundError as exc:
        return error_page(request, 404, str(exc))
    radius = blast_radius(engine, [lot["lot"] for lot in recall.lots])
    names = {p["id"]: p for p in radius["locations"] + radius["parties"]}
    context = {"session": session, "recall": recall, "radius": radius, "names": names}
    return render(request, "recall.html", context)


@router.get("/exports/{kind}")
def download(
    request: Request,
    kind: str,
    lot: Annotated[list[str] | None, Query()] = None,
    gtin: str | None = None,
    start: Annotated[str | None, Query(alias="from")] = None,
    end: Annotated[str | None, Query(alias="to")] = None,
    fmt: Annotated[str, Query(alias="format", max_length=8)] = "csv",
) -> Response:
    session = require(request)
    if isinstance(session, Response):
        return session
    try:
        made = make_export(
            engine_of(request), principal_of(session), kind, fmt, lot, gtin, start, end
        )
    except NotFoundError as exc:
        return error_page(request, 404, str(exc))
    except (FoodtraceError, ValueError) as exc:
        return error_page(request, 400, str(exc))
    return Response(
        made.content,
        media_type=made.media_type,
        headers={"Content-Disposition": f'attachment; filename="{made.filename}"'},
    )
