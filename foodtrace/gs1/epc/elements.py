"""EPC components ↔ GS1 element strings (AI pairs), per TDS §7 ("Correspondence between EPCs and
GS1 Keys").

``ai_pairs("sgtin", ("0614141", "812345", "6789"))`` gives
``(("01", "80614141123458"), ("21", "6789"))``: the indicator digit moves to the front of the
GTIN, the check digit is computed. The reverse, :func:`components_from_ai`, needs the GS1
Company Prefix length (an element string does not carry it) and verifies every check digit
(:class:`CheckDigitError` on a mismatch).

SGLN: an extension of ``"0"`` means "GLN without extension", so no ``(254)`` is written, and a
GLN without ``(254)`` becomes extension ``"0"`` (CBV 2.0 canonicalisation and its reference hash
vectors write ``urn:epc:id:sgln:0012345.11111.0`` as ``https://id.gs1.org/414/0012345111112``).
GID-96, USDoD-96 and ADI-var carry no GS1 key: no AI pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from foodtrace.exceptions import ApplicationIdentifierError, CheckDigitError
from foodtrace.gs1.checkdigit import check_digit

__all__ = ["AIPairs", "ai_pairs", "components_from_ai", "element_string", "parse_element_string"]

AIPairs = tuple[tuple[str, str], ...]

_DIGITS = frozenset("0123456789")
#: The AIs that take part in EPC ↔ element string conversion.
_EPC_AIS = ("00", "01", "21", "253", "254", "255", "414", "8003", "8004", "8006", "8010", "8011",
            "8017", "8018")  # fmt: skip


def ai_pairs(family: str, comps: Sequence[str]) -> AIPairs:
    """The GS1 element string of an EPC's components as ``(AI, value)`` pairs."""
    if family == "sgtin":
        cp, ir, serial = comps
        return (("01", _keyed(ir[0] + cp + ir[1:])), ("21", serial))
    if family == "sscc":
        cp, sr = comps
        return (("00", _keyed(sr[0] + cp + sr[1:])),)
    if family == "sgln":
        cp, lr, ext = comps
        gln = ("414", _keyed(cp + lr))
        return (gln,) if ext == "0" else (gln, ("254", ext))
    if family == "grai":
        cp, at, serial = comps
        return (("8003", "0" + _keyed(cp + at) + serial),)
    if family == "giai":
        return (("8004", comps[0] + comps[1]),)
    if family in ("gsrn", "gsrnp"):
        cp, sr = comps
        return (("8018" if family == "gsrn" else "8017", _keyed(cp + sr)),)
    if family in ("gdti", "sgcn"):
        cp, ref, serial = comps
        return (("253" if family == "gdti" else "255", _keyed(cp + ref) + serial),)
    if family == "cpi":
        cp, pr, serial = comps
        return (("8010", cp + pr), ("8011", serial))
    if family == "itip":
        cp, ir, piece, total, serial = comps
        return (("8006", _keyed(ir[0] + cp + ir[1:]) + piece + total), ("21", serial))
    return ()


def element_string(pairs: AIPairs) -> str:
    """``(01)80614141123458(21)6789`` - the human-readable bracketed form."""
    return "".join(f"({ai}){value}" for ai, value in pairs)


def _keyed(body: str) -> str:
    return body + check_digit(body)


def parse_element_string(text: str) -> AIPairs:
    """Parse a bracketed element string such as ``(01)80614141123458(21)6789``.

    Only the AIs that EPCs use are recognised (a value may itself contain parentheses, so a
    new element starts only at ``(<known AI>)``).
    """
    if not text.startswith("("):
        raise ApplicationIdentifierError(f"{text!r}: an element string starts with '(AI)'")
    starts: list[tuple[int, str]] = []
    i = 0
    while i < len(text):
        i = text.find("(", i)
        if i < 0:
            break
        close = text.find(")", i)
        ai = text[i + 1 : close] if close > 0 else ""
        if ai in _EPC_AIS:
            starts.append((i, ai))
            i = close + 1
        elif not starts:
            raise ApplicationIdentifierError(
                f"{text!r}: unknown or unsupported AI {ai!r} (EPC AIs: {', '.join(_EPC_AIS)})"
            )
        else:
            i += 1
    pairs = []
    for n, (pos, ai) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        pairs.append((ai, text[pos + len(ai) + 2 : end]))
    return tuple(pairs)


def _check(value: str, ai: str, length: int | None = None) -> str:
    """``value`` unchanged after checking digits, length and the check digit at the end."""
    if not value or not _DIGITS.issuperset(value) or (length is not None and len(value) != length):
        size = f"{length} digits" if length else "digits"
        raise ApplicationIdentifierError(f"AI ({ai}) value {value!r} must be {size}")
    expected = check_digit(value[:-1])
    if value[-1] != expected:
        raise CheckDigitError(
            f"AI ({ai}) value {value!r} has check digit {value[-1]}, expected {expected}"
        )
    return value


def components_from_ai(
    pairs: Iterable[tuple[str, str]], company_prefix_length: int
) -> tuple[str, tuple[str, ...]]:
    """``(family, components)`` of the EPC named by AI pairs, given the company prefix length.

    GTIN-8/12/13 values of AI (01) are padded to 14 digits. Check digits must be right.
    """
    ais = dict(pairs)
    n = company_prefix_length
    if not isinstance(n, int) or not 6 <= n <= 12:
        raise ApplicationIdentifierError(f"GS1 Company Prefix length must be 6 to 12, got {n!r}")

    def need(ai: str, why: str) -> str:
        if ai not in ais:
            raise ApplicationIdentifierError(f"AI ({ai}) is required: {why}")
        return ais[ai]

    if "01" in ais:
        gtin = ais["01"]
        gtin = _check(gtin.zfill(14) if len(gtin) in (8, 12, 13) else gtin, "01", 14)
        serial = need("21", "an SGTIN is a GTIN with a serial number")
        return "sgtin", (gtin[1 : 1 + n], gtin[0] + gtin[1 + n : 13], serial)
    if "00" in ais:
        sscc = _check(ais["00"], "00", 18)
        return "sscc", (sscc[1 : 1 + n], sscc[0] + sscc[1 + n : 17])
    if "414" in ais:
        gln = _check(ais["414"], "414", 13)
        return "sgln", (gln[:n], gln[n:12], ais.get("254", "0"))
    if "8003" in ais:
        grai = ais["8003"]
        if not grai.startswith("0") or len(grai) < 15:
            raise ApplicationIdentifierError(
                f"AI (8003) value {grai!r}: '0', the 13-digit GRAI and a serial number are needed"
            )
        key = _check(grai[1:14], "8003", 13)
        return "grai", (key[:n], key[n:12], grai[14:])
    if "8004" in ais:
        giai = ais["8004"]
        if len(giai) <= n or not _DIGITS.issuperset(giai[:n]):
            raise ApplicationIdentifierError(
                f"AI (8004) value {giai!r} must be a {n}-digit company prefix and a reference"
            )
        return "giai", (giai[:n], giai[n:])
    for ai, family in (("8018", "gsrn"), ("8017", "gsrnp")):
        if ai in ais:
            key = _check(ais[ai], ai, 18)
            return family, (key[:n], key[n:17])
    for ai, family in (("253", "gdti"), ("255", "sgcn")):
        if ai in ais:
            value = ais[ai]
            key = _check(value[:13], ai, 13)
            if len(value) == 13:
                raise ApplicationIdentifierError(
                    f"AI ({ai}) value {value!r} has no serial component; the {family} EPC needs one"
                )
            return family, (key[:n], key[n:12], value[13:])
    if "8010" in ais:
        cpid = ais["8010"]
        serial = need("8011", "a CPI EPC is a CPID with a serial number")
        if len(cpid) <= n or not _DIGITS.issuperset(cpid[:n]):
            raise ApplicationIdentifierError(
                f"AI (8010) value {cpid!r} must be a {n}-digit company prefix and a reference"
            )
        return "cpi", (cpid[:n], cpid[n:], serial)
    if "8006" in ais:
        itip = ais["8006"]
        if len(itip) != 18:
            raise ApplicationIdentifierError(f"AI (8006) value {itip!r} must be 18 digits")
        gtin = _check(itip[:14], "8006", 14)
        serial = need("21", "an ITIP EPC is an ITIP with a serial number")
        return "itip", (gtin[1 : 1 + n], gtin[0] + gtin[1 + n : 13], itip[14:16], itip[16:18],
                        serial)  # fmt: skip
    raise ApplicationIdentifierError(
        f"no AI that an EPC is made from among {sorted(ais)} (expected one of 00, 01+21, 414, "
        "8003, 8004, 8006+21, 8010+8011, 8017, 8018, 253, 255)"
    )
