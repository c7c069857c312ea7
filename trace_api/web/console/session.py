"""Who is signed in, CSRF checks and the sign-in rate limit.

The session cookie (``ft_console``) is HttpOnly, SameSite=Strict, limited to ``/console`` and
Secure when the request came over https. Every form carries the session's CSRF token; the
sign-in form, which has no session yet, uses a double-submit cookie (``ft_login_csrf``).
Failed sign-ins are limited per client address and per user name (:class:`FailureLimit`).
"""

from __future__ import annotations

import hmac
import threading
import time
from collections import defaultdict, deque

from starlette.requests import Request
from starlette.responses import Response

from trace_api.auth.tokens import Principal
from trace_api.web.console.accounts import SESSION_HOURS, Session, session_of

__all__ = [
    "COOKIE",
    "LOGIN_CSRF_COOKIE",
    "FailureLimit",
    "csrf_ok",
    "current_session",
    "principal_of",
    "set_cookie",
]

COOKIE = "ft_console"
LOGIN_CSRF_COOKIE = "ft_login_csrf"


def set_cookie(request: Request, response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def session_cookie(request: Request, response: Response, token: str) -> None:
    set_cookie(request, response, COOKIE, token, SESSION_HOURS * 3600)


def current_session(request: Request) -> Session | None:
    return session_of(request.app.state.engine, request.cookies.get(COOKIE))


def csrf_ok(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))


def principal_of(session: Session) -> Principal:
    """The API principal a console user acts as (for the operator scope of exports)."""
    return Principal(token_id=0, role=session.account.role, party=session.account.party)


class FailureLimit:
    """At most ``limit`` failed sign-ins per key within ``window`` seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures[key]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def clear(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
