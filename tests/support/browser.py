"""Real headless Chromium (the system's, driven by Playwright) and a real uvicorn server.

Playwright never downloads a browser here: :func:`chromium_path` finds the system Chromium that
``./run test`` installs (Debian package ``chromium``), and :func:`launch_chromium` starts it
headless with the flags this closed network needs (no background networking, no QUIC, no sync,
no component updates — otherwise Chromium keeps dialling Google's hosts).

:class:`LiveServer` serves an ASGI app with uvicorn in a thread on a free loopback port, so the
browser talks HTTP to the same app the production command serves.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import uvicorn

from tests.support.ports import free_port

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

__all__ = ["CHROMIUM_ARGS", "LiveServer", "chromium_path", "launch_chromium", "screenshot_dir"]

CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
)


def chromium_path() -> str | None:
    """The system Chromium binary, or ``None`` when it is not installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def launch_chromium(playwright: Playwright) -> Browser:
    """Headless system Chromium under ``playwright``."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium is not installed")
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=list(CHROMIUM_ARGS)
    )


def screenshot_dir() -> Path:
    """Where browser tests save the screenshots the README shows (``docs/img``)."""
    path = Path(__file__).resolve().parents[2] / "docs" / "img"
    path.mkdir(parents=True, exist_ok=True)
    return path


class LiveServer:
    """``app`` served by uvicorn on 127.0.0.1:<free port> in a daemon thread."""

    def __init__(self, app: Any, *, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = free_port(host)
        config = uvicorn.Config(
            app,
            host=host,
            port=self.port,
            log_level="warning",
            lifespan="on",
            server_header=False,
            access_log=False,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="live-server", daemon=True)

    @property
    def url(self) -> str:
        """Base URL without a trailing slash."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 15.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("uvicorn stopped while starting (see the log above)")
            if time.monotonic() > deadline:
                raise TimeoutError(f"uvicorn did not start on {self.url} within {timeout}s")
            time.sleep(0.02)

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError("uvicorn did not stop")

    def __enter__(self) -> LiveServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
