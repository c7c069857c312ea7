"""Dependencies of the routes, as ``Annotated`` aliases: settings, engine, page secret, caller.

The app factory puts the settings, the engine, the capture limits and the page-token secret on
``app.state``; routes receive them through :data:`EngineDep` and friends. :data:`PrincipalDep`
reads ``Authorization: Bearer <token>`` and looks the token up (401 when missing or unknown);
:data:`CapturerDep` and :data:`QuerierDep` add the role checks of capture and query.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine

from trace_api.api.limits import CaptureLimits
from trace_api.auth.tokens import Principal, authenticate
from trace_api.core.config import Settings
from trace_api.exceptions import AccessDeniedError, AuthenticationError

__all__ = [
    "CapturerDep",
    "EngineDep",
    "LimitsDep",
    "PageSecretDep",
    "PrincipalDep",
    "QuerierDep",
    "SettingsDep",
]

_CAPTURE_ROLES = frozenset({"regulator", "operator", "station"})
_QUERY_ROLES = frozenset({"regulator", "operator"})


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_limits(request: Request) -> CaptureLimits:
    limits: CaptureLimits = request.app.state.capture_limits
    return limits


def get_page_secret(request: Request) -> bytes:
    secret: bytes = request.app.state.page_secret
    return secret


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
LimitsDep = Annotated[CaptureLimits, Depends(get_limits)]
PageSecretDep = Annotated[bytes, Depends(get_page_secret)]


def get_principal(request: Request, engine: EngineDep) -> Principal:
    header = request.headers.get("authorization")
    if not header:
        raise AuthenticationError("a bearer token is required (Authorization: Bearer …)")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError("the Authorization header must be 'Bearer <token>'")
    principal = authenticate(engine, token.strip())
    if principal is None:
        raise AuthenticationError("unknown bearer token")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_capturer(principal: PrincipalDep) -> Principal:
    if principal.role not in _CAPTURE_ROLES:
        raise AccessDeniedError(f"role {principal.role} may not capture events")
    return principal


def get_querier(principal: PrincipalDep) -> Principal:
    if principal.role not in _QUERY_ROLES:
        raise AccessDeniedError(f"role {principal.role} may not query events")
    return principal


CapturerDep = Annotated[Principal, Depends(get_capturer)]
QuerierDep = Annotated[Principal, Depends(get_querier)]
