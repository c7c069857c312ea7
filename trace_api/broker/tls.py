"""A self-signed CA and server certificate for a broker that has no certificates yet.

Production should use certificates from the organisation's CA; this exists so that a fresh
install is TLS-only from the start rather than "TLS later". Uses the ``openssl`` command.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from trace_api.exceptions import BrokerConfigError

__all__ = ["make_self_signed"]


def _openssl(*args: str, cwd: Path) -> None:
    exe = shutil.which("openssl")
    if exe is None:
        raise BrokerConfigError("openssl not found: install it or provide certificates")
    result = subprocess.run([exe, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BrokerConfigError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def make_self_signed(tls_dir: Path, hostnames: list[str], days: int = 825) -> None:
    """Write ``ca.crt``, ``ca.key``, ``server.crt`` and ``server.key`` into ``tls_dir``."""
    tls_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    san = ",".join(
        f"IP:{h}" if h.replace(".", "").isdigit() or ":" in h else f"DNS:{h}" for h in hostnames
    )
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.crt", "-days", str(days),
        "-subj", "/CN=foodtrace broker CA", cwd=tls_dir,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={hostnames[0]}",
        cwd=tls_dir,
    )  # fmt: skip
    ext = tls_dir / "server.ext"
    ext.write_text(f"subjectAltName={san}\nextendedKeyUsage=serverAuth\n")
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.crt", "-days", str(days), "-extfile", "server.ext",
        cwd=tls_dir,
    )  # fmt: skip
    for leftover in ("server.csr", "server.ext", "ca.srl"):
        (tls_dir / leftover).unlink(missing_ok=True)
    for key in ("ca.key", "server.key"):
        (tls_dir / key).chmod(0o600)
