"""EPC URIs ↔ GS1 Digital Link.

Pure-identity EPC URIs (GS1 Tag Data Standard §6) of every scheme that carries a GS1 key map
to a Digital Link; so do the LGTIN class and the id patterns that name exactly one key:

=========================================  =============================================
``urn:epc:id:sgtin:CP.IR.S``               ``/01/{GTIN}/21/{S}`` (indicator = IR[0])
``urn:epc:id:sscc:CP.SR``                  ``/00/{SSCC}`` (extension digit = SR[0])
``urn:epc:id:sgln:CP.LR.E``                ``/414/{GLN}/254/{E}`` (no 254 when E = ``0``)
``urn:epc:id:grai:CP.AT.S``                ``/8003/0{GRAI}{S}``
``urn:epc:id:giai:CP.IAR``                 ``/8004/{CP}{IAR}``
``urn:epc:id:gsrn:CP.SR`` / ``gsrnp``      ``/8018/…`` / ``/8017/…``
``urn:epc:id:gdti:CP.DT.S``                ``/253/{GDTI}{S}``
``urn:epc:id:cpi:CP.R.S``                  ``/8010/{CP}{R}/8011/{S}``
``urn:epc:id:sgcn:CP.CR.S``                ``/255/{GCN}{S}``
``urn:epc:id:ginc:CP.R`` / ``gsin:CP.SR``  ``/401/…`` / ``/402/…``
``urn:epc:id:itip:CP.IR.PP.TT.S``          ``/8006/{GTIN}{PP}{TT}/21/{S}``
``urn:epc:id:upui:CP.IR.TPX``              ``/01/{GTIN}/235/{TPX}``
``urn:epc:id:pgln:CP.PR``                  ``/417/{GLN}``
``urn:epc:class:lgtin:CP.IR.LOT``          ``/01/{GTIN}/10/{LOT}``
``urn:epc:idpat:sgtin:CP.IR.*`` (``upui``)  ``/01/{GTIN}``; likewise ``grai``, ``gdti``,
                                           ``sgcn``, ``cpi``, ``itip``, ``sgln`` patterns
=========================================  =============================================

EPC URIs escape ``" % & / < > ?`` (and ``#`` in a CPI) per TDS Table A-1; Digital Links
percent-encode more (see :mod:`foodtrace.gs1.digital_link.escaping`). Values are unescaped on
the way in and re-escaped for the target on the way out.

The GS1 Company Prefix length cannot be derived from a key, so :func:`digital_link_to_epc`
needs it.
"""

from __future__ import annotations

from collections.abc import Callable

from foodtrace.exceptions import DigitalLinkError, EPCURIError, GS1Error
from foodtrace.gs1.ai import AI_TABLE, AIValue, mod10
from foodtrace.gs1.digital_link.escaping import (
    urn_escape,
    urn_escape_cpi,
    urn_unescape,
    urn_unescape_cpi,
)
from foodtrace.gs1.digital_link.link import (
    CANONICAL_DOMAIN,
    DigitalLink,
    _trusted,
    parse_digital_link,
)

__all__ = [
    "digital_link_to_epc",
    "epc_to_digital_link",
    "epc_to_digital_link_value",
]

_DIGITS = frozenset("0123456789")
# A GS1 key as plain tuples: (primary AI, value, ((qualifier AI, value), ...)); every value is
# validated by the converter that builds it.
_Key = tuple[str, str, tuple[tuple[str, str], ...]]


# --- EPC URI → GS1 key ---------------------------------------------------------------------------


def _bad(uri: str, why: str) -> EPCURIError:
    return EPCURIError(f"EPC URI {uri!r}: {why}")


def _parts(uri: str, body: str, count: int) -> list[str]:
    parts = body.split(".", count - 1)
    if len(parts) != count:
        raise _bad(uri, f"expected {count} dot-separated fields after the scheme")
    return parts


def _digits(uri: str, text: str, what: str) -> str:
    if not _DIGITS.issuperset(text):
        raise _bad(uri, f"{what} {text!r} must be digits")
    return text


def _prefix(uri: str, cp: str) -> str:
    if not 6 <= len(cp) <= 12 or not _DIGITS.issuperset(cp):
        raise _bad(uri, f"GS1 Company Prefix {cp!r} must be 6 to 12 digits")
    return cp


def _keyed(uri: str, cp: str, ref: str, total: int, what: str) -> str:
    """CP + ref as one digit string of ``total`` digits (the key without its check digit)."""
    _prefix(uri, cp)
    _digits(uri, ref, what)
    if len(cp) + len(ref) != total:
        raise _bad(
            uri,
            f"company prefix {cp!r} and {what} {ref!r} must have {total} digits together, "
            f"got {len(cp) + len(ref)}",
        )
    return cp + ref


_MAX_LENGTH = {code: AI_TABLE[code].max_length for code in ("10", "21", "235", "254")}


def _with_cd(body: str) -> str:
    return body + mod10(body)


def _gtin(uri: str, cp: str, ir: str) -> str:
    _keyed(uri, cp, ir, 13, "indicator and item reference")
    return _with_cd(ir[0] + cp + ir[1:])


def _checked(uri: str, code: str, value: str) -> str:
    """``value`` if it is valid for AI ``code``, else :class:`EPCURIError` naming the URI."""
    try:
        return AI_TABLE[code].validate(value)
    except GS1Error as exc:
        raise _bad(uri, str(exc)) from None


def _unesc(uri: str, text: str, what: str, code: str) -> str:
    """Unescape a free-text component; with ``code``, it is that whole X..n AI value."""
    if not text:
        raise _bad(uri, f"{what} is empty")
    try:
        value = urn_unescape(text, what)
    except ValueError as exc:
        raise _bad(uri, str(exc)) from None
    # unescaping guarantees character set 82, so only the length is left to check
    if code and len(value) > _MAX_LENGTH[code]:
        return _checked(uri, code, value)  # raises, naming the AI and its format
    return value


def _id_sgtin(uri: str, body: str) -> _Key:
    cp, ir, serial = _parts(uri, body, 3)
    return "01", _gtin(uri, cp, ir), (("21", _unesc(uri, serial, "serial", "21")),)


def _id_sscc(uri: str, body: str) -> _Key:
    cp, sr = _parts(uri, body, 2)
    _keyed(uri, cp, sr, 17, "serial reference")
    return "00", _with_cd(sr[0] + cp + sr[1:]), ()


def _id_sgln(uri: str, body: str) -> _Key:
    cp, lr, ext = _parts(uri, body, 3)
    gln = _with_cd(_keyed(uri, cp, lr, 12, "location reference"))
    ext = _unesc(uri, ext, "extension", "254")
    return "414", gln, (() if ext == "0" else (("254", ext),))


def _id_grai(uri: str, body: str) -> _Key:
    cp, at, serial = _parts(uri, body, 3)
    grai = "0" + _with_cd(_keyed(uri, cp, at, 12, "asset type"))
    return "8003", _checked(uri, "8003", grai + _unesc(uri, serial, "serial", "")), ()


def _id_giai(uri: str, body: str) -> _Key:
    cp, ref = _parts(uri, body, 2)
    giai = _prefix(uri, cp) + _unesc(uri, ref, "asset reference", "")
    return "8004", _checked(uri, "8004", giai), ()


def _id_gsrn(uri: str, body: str) -> _Key:
    cp, sr = _parts(uri, body, 2)
    return "8018", _with_cd(_keyed(uri, cp, sr, 17, "service reference")), ()


def _id_gsrnp(uri: str, body: str) -> _Key:
    cp, sr = _parts(uri, body, 2)
    return "8017", _with_cd(_keyed(uri, cp, sr, 17, "service reference")), ()


def _id_gdti(uri: str, body: str) -> _Key:
    cp, dt, serial = _parts(uri, body, 3)
    gdti = _with_cd(_keyed(uri, cp, dt, 12, "document type"))
    return "253", _checked(uri, "253", gdti + _unesc(uri, serial, "serial", "")), ()


def _cpi_ref(uri: str, ref: str) -> str:
    if not ref:
        raise _bad(uri, "component/part reference is empty")
    try:
        return urn_unescape_cpi(ref, "component/part reference")
    except ValueError as exc:
        raise _bad(uri, str(exc)) from None


def _id_cpi(uri: str, body: str) -> _Key:
    cp, ref, serial = _parts(uri, body, 3)
    cpid = _checked(uri, "8010", _prefix(uri, cp) + _cpi_ref(uri, ref))
    serial = _checked(uri, "8011", _digits(uri, serial, "serial"))
    return "8010", cpid, (("8011", serial),)


def _id_sgcn(uri: str, body: str) -> _Key:
    cp, cr, serial = _parts(uri, body, 3)
    gcn = _with_cd(_keyed(uri, cp, cr, 12, "coupon reference"))
    if not serial:
        raise _bad(uri, "serial is empty")
    return "255", _checked(uri, "255", gcn + _digits(uri, serial, "serial")), ()


def _id_ginc(uri: str, body: str) -> _Key:
    cp, ref = _parts(uri, body, 2)
    ginc = _prefix(uri, cp) + _unesc(uri, ref, "consignment reference", "")
    return "401", _checked(uri, "401", ginc), ()


def _id_gsin(uri: str, body: str) -> _Key:
    cp, sr = _parts(uri, body, 2)
    return "402", _with_cd(_keyed(uri, cp, sr, 16, "shipper reference")), ()


def _itip_key(uri: str, cp: str, ir: str, piece: str, total: str) -> str:
    if len(piece) != 2 or len(total) != 2:
        raise _bad(uri, f"piece {piece!r} and total {total!r} must be 2 digits each")
    key = _gtin(uri, cp, ir) + _digits(uri, piece, "piece") + _digits(uri, total, "total")
    return _checked(uri, "8006", key)


def _id_itip(uri: str, body: str) -> _Key:
    cp, ir, piece, total, serial = _parts(uri, body, 5)
    key = _itip_key(uri, cp, ir, piece, total)
    return "8006", key, (("21", _unesc(uri, serial, "serial", "21")),)


def _id_upui(uri: str, body: str) -> _Key:
    cp, ir, tpx = _parts(uri, body, 3)
    return "01", _gtin(uri, cp, ir), (("235", _unesc(uri, tpx, "TPX", "235")),)


def _id_pgln(uri: str, body: str) -> _Key:
    cp, pr = _parts(uri, body, 2)
    return "417", _with_cd(_keyed(uri, cp, pr, 12, "party reference")), ()


def _class_lgtin(uri: str, body: str) -> _Key:
    cp, ir, lot = _parts(uri, body, 3)
    return "01", _gtin(uri, cp, ir), (("10", _unesc(uri, lot, "lot", "10")),)


def _pattern(uri: str, body: str, count: int) -> list[str]:
    parts = _parts(uri, body, count)
    if parts[-1] != "*":
        raise _bad(uri, "only patterns whose last field is '*' name a single GS1 key")
    return parts[:-1]


def _pat_gtin(uri: str, body: str) -> _Key:
    cp, ir = _pattern(uri, body, 3)
    return "01", _gtin(uri, cp, ir), ()


def _pat_grai(uri: str, body: str) -> _Key:
    cp, at = _pattern(uri, body, 3)
    return "8003", "0" + _with_cd(_keyed(uri, cp, at, 12, "asset type")), ()


def _pat_gdti(uri: str, body: str) -> _Key:
    cp, dt = _pattern(uri, body, 3)
    return "253", _with_cd(_keyed(uri, cp, dt, 12, "document type")), ()


def _pat_sgcn(uri: str, body: str) -> _Key:
    cp, cr = _pattern(uri, body, 3)
    return "255", _with_cd(_keyed(uri, cp, cr, 12, "coupon reference")), ()


def _pat_cpi(uri: str, body: str) -> _Key:
    cp, ref = _pattern(uri, body, 3)
    return "8010", _checked(uri, "8010", _prefix(uri, cp) + _cpi_ref(uri, ref)), ()


def _pat_itip(uri: str, body: str) -> _Key:
    cp, ir, piece, total = _pattern(uri, body, 5)
    return "8006", _itip_key(uri, cp, ir, piece, total), ()


def _pat_sgln(uri: str, body: str) -> _Key:
    cp, lr = _pattern(uri, body, 3)
    return "414", _with_cd(_keyed(uri, cp, lr, 12, "location reference")), ()


_FROM_URN: dict[str, Callable[[str, str], _Key]] = {
    "urn:epc:id:sgtin:": _id_sgtin,
    "urn:epc:id:sscc:": _id_sscc,
    "urn:epc:id:sgln:": _id_sgln,
    "urn:epc:id:grai:": _id_grai,
    "urn:epc:id:giai:": _id_giai,
    "urn:epc:id:gsrn:": _id_gsrn,
    "urn:epc:id:gsrnp:": _id_gsrnp,
    "urn:epc:id:gdti:": _id_gdti,
    "urn:epc:id:cpi:": _id_cpi,
    "urn:epc:id:sgcn:": _id_sgcn,
    "urn:epc:id:ginc:": _id_ginc,
    "urn:epc:id:gsin:": _id_gsin,
    "urn:epc:id:itip:": _id_itip,
    "urn:epc:id:upui:": _id_upui,
    "urn:epc:id:pgln:": _id_pgln,
    "urn:epc:class:lgtin:": _class_lgtin,
    "urn:epc:idpat:sgtin:": _pat_gtin,
    "urn:epc:idpat:upui:": _pat_gtin,
    "urn:epc:idpat:grai:": _pat_grai,
    "urn:epc:idpat:gdti:": _pat_gdti,
    "urn:epc:idpat:sgcn:": _pat_sgcn,
    "urn:epc:idpat:cpi:": _pat_cpi,
    "urn:epc:idpat:itip:": _pat_itip,
    "urn:epc:idpat:sgln:": _pat_sgln,
}


def _urn_key(uri: str) -> _Key:
    colon = uri.find(":", uri.find(":", 8) + 1)  # after "urn:epc:<kind>:<scheme>"
    convert = _FROM_URN.get(uri[: colon + 1])
    if convert is None:
        raise _bad(
            uri,
            "not an EPC URI of a scheme that carries a GS1 key (sgtin, sscc, sgln, grai, giai, "
            "gsrn, gsrnp, gdti, cpi, sgcn, ginc, gsin, itip, upui, pgln, lgtin class or a "
            "single-key id pattern)",
        )
    return convert(uri, uri[colon + 1 :])


def _link(key: _Key) -> DigitalLink:
    code, value, qualifiers = key
    return _trusted(AIValue(code, value), tuple(AIValue(a, v) for a, v in qualifiers))


def epc_to_digital_link_value(uri: str) -> DigitalLink:
    """The :class:`DigitalLink` (canonical domain) of an EPC URI; :class:`EPCURIError` if none."""
    return _link(_urn_key(uri))


def epc_to_digital_link(uri: str, domain: str = CANONICAL_DOMAIN) -> str:
    """The GS1 Digital Link URI of an EPC pure-identity URI, LGTIN class or single-key pattern.

    ``urn:epc:id:sgtin:0614141.812345.6789`` → ``https://id.gs1.org/01/80614141123458/21/6789``.
    Raises :class:`EPCURIError` for a malformed URI or a scheme without a GS1 key (gid, usdod,
    adi, bic, imovn).
    """
    return _link(_urn_key(uri)).to_uri(domain)


# --- GS1 key → EPC URI ---------------------------------------------------------------------------


def digital_link_to_epc(uri: str | DigitalLink, company_prefix_length: int) -> str:
    """The EPC URI for a Digital Link's finest identifier, given the company prefix length.

    ``/01/…/21/…`` → ``sgtin``, ``/01/…/10/…`` → ``urn:epc:class:lgtin``, ``/01/…`` alone →
    ``urn:epc:idpat:sgtin:CP.IR.*``, ``/414/…`` without ``254`` → ``sgln`` with extension ``0``
    and so on (module docstring). The CPV (``22``), a lot beside a serial, and query attributes
    are dropped, as in the canonical form. Raises :class:`DigitalLinkError` when the key has no
    EPC form or the company prefix length does not fit the key.
    """
    link = uri if isinstance(uri, DigitalLink) else parse_digital_link(uri)
    link = link.canonical()
    n = company_prefix_length
    if not isinstance(n, int) or not 6 <= n <= 12:
        raise DigitalLinkError(f"GS1 Company Prefix length must be 6 to 12, got {n!r}")
    code, value = link.primary.ai, link.primary.value
    quals = {q.ai: q.value for q in link.qualifiers}
    convert = _TO_URN.get(code)
    if convert is None:
        raise DigitalLinkError(
            f"{link.to_uri()}: AI ({code}) has no EPC URI form in the Tag Data Standard"
        )
    return convert(link, value, quals, n)


def _no_epc(link: DigitalLink, what: str) -> DigitalLinkError:
    return DigitalLinkError(f"{link.to_uri()}: {what} has no EPC URI form")


def _only(link: DigitalLink, quals: dict[str, str], allowed: tuple[str, ...]) -> None:
    extra = [q for q in quals if q not in allowed]
    if extra:
        raise _no_epc(link, f"key qualifier ({extra[0]})")


def _cp_fits(link: DigitalLink, key: str, start: int, n: int, end: int) -> str:
    """The company prefix ``key[start:start+n]``, which must leave room before ``end``."""
    cp = key[start : start + n]
    if start + n > end or not _DIGITS.issuperset(cp):
        raise DigitalLinkError(
            f"{link.to_uri()}: a {n}-digit GS1 Company Prefix does not fit "
            f"{key!r} (AI {link.primary.ai})"
        )
    return cp


def _to_gtin_parts(link: DigitalLink, gtin: str, n: int) -> tuple[str, str]:
    cp = _cp_fits(link, gtin, 1, n, 13)
    return cp, gtin[0] + gtin[1 + n : 13]


def _to_01(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    cp, ir = _to_gtin_parts(link, value, n)
    if "21" in quals:
        return f"urn:epc:id:sgtin:{cp}.{ir}.{urn_escape(quals['21'])}"
    if "10" in quals:
        return f"urn:epc:class:lgtin:{cp}.{ir}.{urn_escape(quals['10'])}"
    if "235" in quals:
        return f"urn:epc:id:upui:{cp}.{ir}.{urn_escape(quals['235'])}"
    return f"urn:epc:idpat:sgtin:{cp}.{ir}.*"


def _to_00(link: DigitalLink, value: str, _quals: dict[str, str], n: int) -> str:
    cp = _cp_fits(link, value, 1, n, 17)
    return f"urn:epc:id:sscc:{cp}.{value[0]}{value[1 + n : 17]}"


def _to_414(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    _only(link, quals, ("254",))
    cp = _cp_fits(link, value, 0, n, 12)
    return f"urn:epc:id:sgln:{cp}.{value[n:12]}.{urn_escape(quals.get('254', '0'))}"


def _to_417(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    _only(link, quals, ())
    cp = _cp_fits(link, value, 0, n, 12)
    return f"urn:epc:id:pgln:{cp}.{value[n:12]}"


def _to_8003(link: DigitalLink, value: str, _quals: dict[str, str], n: int) -> str:
    cp = _cp_fits(link, value, 1, n, 13)
    asset_type, serial = value[1 + n : 13], value[14:]
    if not serial:
        return f"urn:epc:idpat:grai:{cp}.{asset_type}.*"
    return f"urn:epc:id:grai:{cp}.{asset_type}.{urn_escape(serial)}"


def _to_8004(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    _only(link, quals, ())
    cp = _cp_fits(link, value, 0, n, len(value) - 1)
    return f"urn:epc:id:giai:{cp}.{urn_escape(value[n:])}"


def _to_8017(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    _only(link, quals, ())
    cp = _cp_fits(link, value, 0, n, 17)
    return f"urn:epc:id:gsrnp:{cp}.{value[n:17]}"


def _to_8018(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    _only(link, quals, ())
    cp = _cp_fits(link, value, 0, n, 17)
    return f"urn:epc:id:gsrn:{cp}.{value[n:17]}"


def _to_253(link: DigitalLink, value: str, _quals: dict[str, str], n: int) -> str:
    cp = _cp_fits(link, value, 0, n, 12)
    doc_type, serial = value[n:12], value[13:]
    if not serial:
        return f"urn:epc:idpat:gdti:{cp}.{doc_type}.*"
    return f"urn:epc:id:gdti:{cp}.{doc_type}.{urn_escape(serial)}"


def _to_255(link: DigitalLink, value: str, _quals: dict[str, str], n: int) -> str:
    cp = _cp_fits(link, value, 0, n, 12)
    coupon, serial = value[n:12], value[13:]
    if not serial:
        return f"urn:epc:idpat:sgcn:{cp}.{coupon}.*"
    return f"urn:epc:id:sgcn:{cp}.{coupon}.{serial}"


def _to_8010(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    cp = _cp_fits(link, value, 0, n, len(value) - 1)
    ref = urn_escape_cpi(value[n:])
    if "8011" not in quals:
        return f"urn:epc:idpat:cpi:{cp}.{ref}.*"
    return f"urn:epc:id:cpi:{cp}.{ref}.{quals['8011']}"


def _to_401(link: DigitalLink, value: str, _quals: dict[str, str], n: int) -> str:
    cp = _cp_fits(link, value, 0, n, len(value) - 1)
    return f"urn:epc:id:ginc:{cp}.{urn_escape(value[n:])}"


def _to_402(link: DigitalLink, value: str, _quals: dict[str, str], n: int) -> str:
    cp = _cp_fits(link, value, 0, n, 16)
    return f"urn:epc:id:gsin:{cp}.{value[n:16]}"


def _to_8006(link: DigitalLink, value: str, quals: dict[str, str], n: int) -> str:
    cp, ir = _to_gtin_parts(link, value[:14], n)
    piece, total = value[14:16], value[16:18]
    if "21" in quals:
        return f"urn:epc:id:itip:{cp}.{ir}.{piece}.{total}.{urn_escape(quals['21'])}"
    if "10" in quals:
        raise _no_epc(link, "an ITIP with a lot (8006 + 10)")
    return f"urn:epc:idpat:itip:{cp}.{ir}.{piece}.{total}.*"


_TO_URN: dict[str, Callable[[DigitalLink, str, dict[str, str], int], str]] = {
    "01": _to_01,
    "00": _to_00,
    "414": _to_414,
    "417": _to_417,
    "8003": _to_8003,
    "8004": _to_8004,
    "8017": _to_8017,
    "8018": _to_8018,
    "253": _to_253,
    "255": _to_255,
    "8010": _to_8010,
    "401": _to_401,
    "402": _to_402,
    "8006": _to_8006,
}
