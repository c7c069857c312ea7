"""The two ways a simulated reader meets a host: a pseudo-terminal or a TCP listener.

Both are non-blocking and expose the same small interface to :mod:`firmware_sim.serve`:
``read_fds()`` to select on, ``receive(fd)`` for the host's bytes, ``send(data)`` (bytes taken;
0 while the host's buffer is full; everything — dropped — while no host is connected, as on a
serial line nobody listens to) and ``close()``.
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import tty
from pathlib import Path
from typing import Protocol

from firmware_sim.exceptions import PortError

__all__ = ["PtyTransport", "TcpTransport", "Transport"]


class Transport(Protocol):
    @property
    def url(self) -> str: ...

    def read_fds(self) -> list[int]: ...

    def receive(self, fd: int) -> bytes: ...

    def send(self, data: bytes) -> int: ...

    def close(self) -> None: ...


class PtyTransport:
    """A pty pair in raw mode. The simulator keeps the slave open itself, so the host may open
    and close the device path at will; ``link`` is kept pointing at the current slave path."""

    def __init__(self, link: Path | None = None) -> None:
        try:
            self._master, self._slave = os.openpty()
        except OSError as exc:
            raise PortError(f"cannot open a pty: {exc.strerror}") from None
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self.path = os.ttyname(self._slave)
        self.link = link
        if link is not None:
            temporary = link.with_name(f".{link.name}.{os.getpid()}")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            temporary.symlink_to(self.path)
            temporary.replace(link)

    @property
    def url(self) -> str:
        return self.path

    def read_fds(self) -> list[int]:
        return [self._master]

    def receive(self, fd: int) -> bytes:  # noqa: ARG002 (one fd)
        try:
            return os.read(self._master, 4096)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno == errno.EIO:
                return b""
            raise

    def send(self, data: bytes) -> int:
        try:
            return os.write(self._master, data)
        except BlockingIOError:
            return 0

    def close(self) -> None:
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                if os.readlink(self.link) == self.path:
                    self.link.unlink()
        os.close(self._master)
        os.close(self._slave)


class TcpTransport:
    """A TCP listener serving one host at a time (a newer connection replaces an older one),
    like a serial device server."""

    def __init__(self, host: str, port: int) -> None:
        try:
            self._listener = socket.create_server((host, port))
        except OSError as exc:
            raise PortError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        self._listener.setblocking(False)
        self.host = host
        self.port: int = self._listener.getsockname()[1]
        self._client: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"socket://{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._client is not None

    def read_fds(self) -> list[int]:
        fds = [self._listener.fileno()]
        if self._client is not None:
            fds.append(self._client.fileno())
        return fds

    def receive(self, fd: int) -> bytes:
        if fd == self._listener.fileno():
            try:
                client, _ = self._listener.accept()
            except BlockingIOError:
                return b""
            client.setblocking(False)
            client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._drop_client()
            self._client = client
            return b""
        if self._client is None:
            return b""
        try:
            data = self._client.recv(4096)
        except BlockingIOError:
            return b""
        except OSError:
            data = b""
        if not data:
            self._drop_client()
        return data

    def send(self, data: bytes) -> int:
        if self._client is None:
            return len(data)
        try:
            return self._client.send(data)
        except BlockingIOError:
            return 0
        except OSError:
            self._drop_client()
            return len(data)

    def _drop_client(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def close(self) -> None:
        self._drop_client()
        self._listener.close()
