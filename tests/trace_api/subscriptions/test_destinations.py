"""The webhook destination guard (server-side request forgery)."""

from __future__ import annotations

import pytest

from trace_api.exceptions import DestinationError
from trace_api.subscriptions.destinations import DestinationPolicy, check_destination

DEFAULT = DestinationPolicy()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/x", "scheme 'ftp' is not http or https"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("http:///nohost", "no host"),
        ("http://169.254.169.254/latest/meta-data/", "link-local or cloud metadata"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://100.100.100.200/", "metadata"),
        ("http://0.0.0.0:8080/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://127.0.0.1:99999/", "not a URL"),
        ("http://no-such-host.invalid/", "cannot be resolved"),
        ("", "expected an http"),
    ],
)
def test_refused(url: str, message: str) -> None:
    with pytest.raises(DestinationError, match=message):
        check_destination(url, DEFAULT)


def test_loopback_allowed_unless_private_blocked() -> None:
    assert check_destination("http://127.0.0.1:8080/hook", DEFAULT) == ["127.0.0.1"]
    assert check_destination("https://localhost/hook", DEFAULT)
    strict = DestinationPolicy(block_private=True)
    for url in ("http://127.0.0.1/", "http://10.1.2.3/", "http://[::1]/", "http://100.64.0.1/"):
        with pytest.raises(DestinationError, match="refused by configuration"):
            check_destination(url, strict)


def test_link_local_when_configured() -> None:
    lab = DestinationPolicy(allow_link_local=True)
    assert check_destination("http://169.254.10.20/hook", lab) == ["169.254.10.20"]
