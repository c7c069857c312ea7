"""Which webhook destinations the service may call (server-side request forgery guard).

Only ``http`` and ``https`` URLs with a host are accepted. The host is resolved and every
address it resolves to is checked: link-local addresses (which include the cloud metadata
service ``169.254.169.254``), the other well-known metadata addresses, multicast, unspecified
and reserved ones are refused unless ``allow_link_local`` is set; loopback, private and
shared (CGNAT) addresses are refused too when ``block_private`` is set. The check runs when the
subscription is created and again before every delivery attempt (DNS may change meanwhile).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from trace_api.exceptions import DestinationError

__all__ = ["DestinationPolicy", "check_destination"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)
_MAX_URL = 2000


@dataclass(frozen=True, slots=True)
class DestinationPolicy:
    """``allow_link_local``: permit link-local/metadata addresses (a lab network);
    ``block_private``: refuse loopback and private addresses too (a public deployment)."""

    allow_link_local: bool = False
    block_private: bool = False


def _refusal(address: IPAddress, policy: DestinationPolicy) -> str | None:
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    if address.is_loopback:
        return "a loopback address (refused by configuration)" if policy.block_private else None
    if not policy.allow_link_local:
        if address in _METADATA or address.is_link_local:
            return "a link-local or cloud metadata address"
        if address.is_multicast or address.is_unspecified or address.is_reserved:
            return "a multicast, unspecified or reserved address"
    if policy.block_private and not address.is_global:
        return "a loopback or private address (refused by configuration)"
    return None


def check_destination(url: str, policy: DestinationPolicy) -> list[str]:
    """The addresses ``url``'s host resolves to, once each passes ``policy``; otherwise a
    :class:`DestinationError` saying why."""
    if not isinstance(url, str) or not url or len(url) > _MAX_URL:
        raise DestinationError(f"dest: expected an http(s) URL of at most {_MAX_URL} characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise DestinationError(f"dest: not a URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise DestinationError(f"dest: scheme {parts.scheme!r} is not http or https")
    host = parts.hostname
    if not host:
        raise DestinationError("dest: the URL has no host")
    try:
        infos = socket.getaddrinfo(
            host, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (OSError, UnicodeError) as exc:
        raise DestinationError(f"dest: host {host[:100]!r} cannot be resolved ({exc})") from None
    addresses: list[str] = []
    for info in infos:
        text = str(info[4][0]).split("%", 1)[0]
        address = ipaddress.ip_address(text)
        reason = _refusal(address, policy)
        if reason is not None:
            raise DestinationError(f"dest: host {host[:100]!r} resolves to {text}, {reason}")
        addresses.append(text)
    return list(dict.fromkeys(addresses))
