"""GS1 application identifiers (AIs): the table, value validation, bracketed element strings.

The table covers the AIs that GS1 Digital Link and the EPC schemes need, plus the data
attributes common in food traceability (dates, lot, serial, weights and measures with implied
decimals, countries of origin and processing, catch and harvest data). It is built once at
import from a compact specification per AI, transcribed from the GS1 Barcode Syntax Dictionary
(github.com/gs1/gs1-syntax-dictionary, Apache-2.0) and the GS1 General Specifications.

A specification is one or more space-separated components ``Type[,linter…]``: ``N`` digits,
``X`` the GS1 AI encodable character set 82, ``Y`` the GS1 AI encodable character set 39 (used
by CPID); ``N14`` is a fixed length, ``X..20`` a length of 1 to 20, and ``[…]`` marks an
optional final component. Linters implemented here: ``csum`` (GS1 mod-10 check digit over the
component), ``yymmdd`` and ``yymmd0`` (dates; ``00`` as the day means the end of the month),
``hhmm``, ``yymmddhh``, ``zero`` (the digit ``0``), ``pieceoftotal`` (``PPTT``, 1 ≤ piece ≤
total), ``nozeroprefix``, ``iso3166``/``iso4217`` (three digits), ``iso3166list`` (one to five
three-digit codes) and ``importeridx``. The GMN check-character pair (AI 8013, ``csumalpha``) is
not verified.

Digital Link facts per AI: whether it is a primary key, the alternatives of ordered, optional
key qualifiers (``01``: ``22,10,21`` or ``235``), and the short alias of GS1 Digital Link 1.0
(``gtin``, ``lot``, ``ser`` …), accepted on input only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from foodtrace.exceptions import ApplicationIdentifierError, CheckDigitError

__all__ = [
    "AI_BY_ALIAS",
    "AI_TABLE",
    "CSET39",
    "CSET82",
    "PRIMARY_KEYS",
    "AIValue",
    "ApplicationIdentifier",
    "CharSet",
    "Component",
    "decimal_value",
    "element_string",
    "get_ai",
    "mod10",
    "parse_element_string",
    "validate_ai_value",
]

#: GS1 AI encodable character set 82 (General Specifications figure 7.11-1).
CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
#: GS1 AI encodable character set 39 (figure 7.11-2), used by the CPID (AI 8010).
CSET39 = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
_IMPORTER_INDEX = frozenset("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


class CharSet(StrEnum):
    """The character set of an AI value component."""

    N = "N"  #: digits
    X = "X"  #: GS1 AI encodable character set 82
    Y = "Y"  #: GS1 AI encodable character set 39


_CHARSET_MEMBERS: Mapping[CharSet, frozenset[str]] = {
    CharSet.N: _DIGITS,
    CharSet.X: CSET82,
    CharSet.Y: CSET39,
}


@dataclass(frozen=True, slots=True)
class Component:
    """One component of an AI value: character set, length range and content checks."""

    charset: CharSet
    min_length: int
    max_length: int
    optional: bool = False
    linters: tuple[str, ...] = ()

    def __str__(self) -> str:
        length = (
            str(self.max_length) if self.min_length == self.max_length else f"..{self.max_length}"
        )
        text = f"{self.charset}{length}"
        return f"[{text}]" if self.optional else text


@dataclass(frozen=True, slots=True)
class ApplicationIdentifier:
    """One GS1 application identifier and what its value must look like."""

    code: str
    title: str
    components: tuple[Component, ...]
    #: ``True`` when the AI's length is predefined by its first two digits (no FNC1 needed).
    predefined_length: bool = False
    #: A Digital Link primary key (``00``, ``01``, ``414``, …).
    is_primary_key: bool = False
    #: Alternatives of ordered, optional key qualifiers: ``(("22", "10", "21"), ("235",))``.
    qualifier_paths: tuple[tuple[str, ...], ...] = ()
    #: Number of implied decimal places (``3103`` net weight in kg with 3 decimals).
    decimals: int | None = None
    #: The GS1 Digital Link 1.0 alphanumeric alias (``gtin``, ``lot``), accepted on input.
    alias: str | None = None

    @property
    def format(self) -> str:
        """The format in General Specifications notation, e.g. ``N13+X..17``."""
        return "+".join(str(c) for c in self.components)

    @property
    def min_length(self) -> int:
        return sum(c.min_length for c in self.components if not c.optional)

    @property
    def max_length(self) -> int:
        return sum(c.max_length for c in self.components)

    @property
    def is_fixed_length(self) -> bool:
        return self.min_length == self.max_length

    @property
    def check_digit_position(self) -> int | None:
        """0-based index of the GS1 check digit in the value, or ``None`` if there is none."""
        offset = 0
        for component in self.components:
            if "csum" in component.linters:
                return offset + component.max_length - 1
            offset += component.max_length
        return None

    @property
    def qualifiers(self) -> frozenset[str]:
        """Every AI that may qualify this primary key in a Digital Link path."""
        return frozenset(q for path in self.qualifier_paths for q in path)

    def validate(self, value: str) -> str:
        """Return ``value`` if it is a valid value of this AI; raise otherwise.

        Raises :class:`ApplicationIdentifierError` for a wrong length, character or content and
        :class:`CheckDigitError` for a check digit that does not match, each naming the AI and
        the value.
        """
        pos = 0
        end = len(value)
        for component in self.components:
            if pos == end and component.optional:
                break
            take = min(component.max_length, end - pos)
            part = value[pos : pos + take]
            if len(part) < component.min_length:
                raise ApplicationIdentifierError(
                    f"AI ({self.code}) {self.title}: value {value!r} has length {len(value)}, "
                    f"expected {self.format}"
                )
            allowed = _CHARSET_MEMBERS[component.charset]
            if not allowed.issuperset(part):
                bad = next(ch for ch in part if ch not in allowed)
                raise ApplicationIdentifierError(
                    f"AI ({self.code}) {self.title}: value {value!r} contains {bad!r}, "
                    f"not allowed in {_CHARSET_NAMES[component.charset]}"
                )
            for linter in component.linters:
                _LINTERS[linter](self, value, part)
            pos += take
        if pos != end:
            raise ApplicationIdentifierError(
                f"AI ({self.code}) {self.title}: value {value!r} has length {len(value)}, "
                f"expected {self.format}"
            )
        return value


@dataclass(frozen=True, slots=True)
class AIValue:
    """An AI with its (unescaped) value: one element of an element string."""

    ai: str
    value: str

    def __str__(self) -> str:
        return f"({self.ai}){self.value}"


_CHARSET_NAMES = {
    CharSet.N: "digits (N)",
    CharSet.X: "GS1 AI encodable character set 82 (X)",
    CharSet.Y: "GS1 AI encodable character set 39 (Y)",
}


# --- linters ----------------------------------------------------------------------------------


def _fail(ai: ApplicationIdentifier, value: str, why: str) -> ApplicationIdentifierError:
    return ApplicationIdentifierError(f"AI ({ai.code}) {ai.title}: value {value!r} {why}")


def mod10(body: str) -> str:
    """The GS1 mod-10 check digit of an all-digit ``body`` (the caller checks the digits).

    Same result as :func:`foodtrace.gs1.checkdigit.check_digit`, computed with C-level sums over
    the bytes: the hot path (EPC URI → Digital Link) calls it once per identifier.
    """
    data = body.encode()
    n = len(data)
    odd = sum(data[n - 1 :: -2])  # rightmost digit and every second one leftwards: weight 3
    even = sum(data[n - 2 :: -2]) if n > 1 else 0
    total = 3 * odd + even - 48 * (3 * ((n + 1) // 2) + n // 2)
    return chr(48 + (-total) % 10)


def _lint_csum(ai: ApplicationIdentifier, value: str, part: str) -> None:
    expected = mod10(part[:-1])
    if part[-1] != expected:
        raise CheckDigitError(
            f"AI ({ai.code}) {ai.title}: value {value!r} has check digit {part[-1]}, "
            f"expected {expected}"
        )


_DAYS_IN_MONTH = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _check_date(ai: ApplicationIdentifier, value: str, part: str, *, day_zero: bool) -> None:
    year, month, day = int(part[0:2]), int(part[2:4]), int(part[4:6])
    if not 1 <= month <= 12:
        raise _fail(ai, value, f"has month {part[2:4]} in date {part[:6]!r}, expected 01-12")
    last = 28 if month == 2 and year % 4 else _DAYS_IN_MONTH[month]
    if not (0 if day_zero else 1) <= day <= last:
        raise _fail(ai, value, f"has day {part[4:6]} in date {part[:6]!r} (YYMMDD)")


def _lint_yymmdd(ai: ApplicationIdentifier, value: str, part: str) -> None:
    _check_date(ai, value, part, day_zero=False)


def _lint_yymmd0(ai: ApplicationIdentifier, value: str, part: str) -> None:
    _check_date(ai, value, part, day_zero=True)


def _lint_hhmm(ai: ApplicationIdentifier, value: str, part: str) -> None:
    if int(part[0:2]) > 23 or int(part[2:4]) > 59:
        raise _fail(ai, value, f"has time {part!r}, expected HHMM")


def _lint_yymmddhh(ai: ApplicationIdentifier, value: str, part: str) -> None:
    _check_date(ai, value, part, day_zero=False)
    if int(part[6:8]) > 23:
        raise _fail(ai, value, f"has hour {part[6:8]}, expected 00-23")


def _lint_zero(ai: ApplicationIdentifier, value: str, part: str) -> None:
    if part != "0":
        raise _fail(ai, value, f"starts with {part!r}, expected '0'")


def _lint_pieceoftotal(ai: ApplicationIdentifier, value: str, part: str) -> None:
    piece, total = int(part[:2]), int(part[2:])
    if not 1 <= piece <= total:
        raise _fail(
            ai, value, f"has piece {part[:2]} of total {part[2:]}, expected 1 ≤ piece ≤ total"
        )


def _lint_nozeroprefix(ai: ApplicationIdentifier, value: str, part: str) -> None:
    if len(part) > 1 and part[0] == "0":
        raise _fail(ai, value, "has a leading zero")


def _lint_iso3166list(ai: ApplicationIdentifier, value: str, part: str) -> None:
    if len(part) % 3:
        raise _fail(ai, value, "is not a list of three-digit ISO 3166 country codes")


def _lint_importeridx(ai: ApplicationIdentifier, value: str, part: str) -> None:
    if part not in _IMPORTER_INDEX:
        raise _fail(ai, value, f"has importer index {part!r}, expected one of -0-9A-Z_a-z")


def _lint_nothing(ai: ApplicationIdentifier, value: str, part: str) -> None:
    """Linters named by the syntax dictionary whose checks are covered elsewhere or skipped."""


_LINTERS = {
    "csum": _lint_csum,
    "yymmdd": _lint_yymmdd,
    "yymmd0": _lint_yymmd0,
    "hhmm": _lint_hhmm,
    "yymmddhh": _lint_yymmddhh,
    "zero": _lint_zero,
    "pieceoftotal": _lint_pieceoftotal,
    "nozeroprefix": _lint_nozeroprefix,
    "iso3166": _lint_nothing,  # three digits, enforced by the component
    "iso3166999": _lint_nothing,
    "iso4217": _lint_nothing,
    "iso3166list": _lint_iso3166list,
    "importeridx": _lint_importeridx,
    "csumalpha": _lint_nothing,  # GMN check character pair: not verified (module docstring)
    "mmoptss": _lint_nothing,
}


# --- the table ----------------------------------------------------------------------------------

# (AI or AI range, predefined length, specification, title, Digital Link: "" = none,
#  "pk" = primary key without qualifiers, "pk=22,10,21|235" = with qualifier paths, alias)
_SPECS: tuple[tuple[str, bool, str, str, str, str | None], ...] = (
    ("00", True, "N18,csum", "SSCC", "pk", "sscc"),
    ("01", True, "N14,csum", "GTIN", "pk=22,10,21|235", "gtin"),
    ("02", True, "N14,csum", "CONTENT", "", None),
    ("10", False, "X..20", "BATCH/LOT", "", "lot"),
    ("11", True, "N6,yymmd0", "PROD DATE", "", None),
    ("12", True, "N6,yymmd0", "DUE DATE", "", None),
    ("13", True, "N6,yymmd0", "PACK DATE", "", None),
    ("15", True, "N6,yymmd0", "BEST BEFORE or BEST BY", "", None),
    ("16", True, "N6,yymmd0", "SELL BY", "", None),
    ("17", True, "N6,yymmd0", "USE BY or EXPIRY", "", None),
    ("20", True, "N2", "VARIANT", "", None),
    ("21", False, "X..20", "SERIAL", "", "ser"),
    ("22", False, "X..20", "CPV", "", "cpv"),
    ("235", False, "X..28", "TPX", "", None),
    ("240", False, "X..30", "ADDITIONAL ID", "", None),
    ("241", False, "X..30", "CUST. PART No.", "", None),
    ("242", False, "N..6", "MTO VARIANT", "", None),
    ("243", False, "X..20", "PCN", "", None),
    ("250", False, "X..30", "SECONDARY SERIAL", "", None),
    ("251", False, "X..30", "REF. TO SOURCE", "", None),
    ("253", False, "N13,csum [X..17]", "GDTI", "pk", "gdti"),
    ("254", False, "X..20", "GLN EXTENSION COMPONENT", "", "glnx"),
    ("255", False, "N13,csum [N..12]", "GCN", "pk", "gcn"),
    ("30", False, "N..8", "VAR. COUNT", "", None),
    ("3100-3105", True, "N6", "NET WEIGHT (kg)", "", None),
    ("3110-3115", True, "N6", "LENGTH (m)", "", None),
    ("3120-3125", True, "N6", "WIDTH (m)", "", None),
    ("3130-3135", True, "N6", "HEIGHT (m)", "", None),
    ("3140-3145", True, "N6", "AREA (m²)", "", None),
    ("3150-3155", True, "N6", "NET VOLUME (l)", "", None),
    ("3160-3165", True, "N6", "NET VOLUME (m³)", "", None),
    ("3200-3205", True, "N6", "NET WEIGHT (lb)", "", None),
    ("3210-3215", True, "N6", "LENGTH (in)", "", None),
    ("3220-3225", True, "N6", "LENGTH (ft)", "", None),
    ("3230-3235", True, "N6", "LENGTH (yd)", "", None),
    ("3240-3245", True, "N6", "WIDTH (in)", "", None),
    ("3250-3255", True, "N6", "WIDTH (ft)", "", None),
    ("3260-3265", True, "N6", "WIDTH (yd)", "", None),
    ("3270-3275", True, "N6", "HEIGHT (in)", "", None),
    ("3280-3285", True, "N6", "HEIGHT (ft)", "", None),
    ("3290-3295", True, "N6", "HEIGHT (yd)", "", None),
    ("3300-3305", True, "N6", "GROSS WEIGHT (kg)", "", None),
    ("3310-3315", True, "N6", "LENGTH (m), log", "", None),
    ("3320-3325", True, "N6", "WIDTH (m), log", "", None),
    ("3330-3335", True, "N6", "HEIGHT (m), log", "", None),
    ("3340-3345", True, "N6", "AREA (m²), log", "", None),
    ("3350-3355", True, "N6", "VOLUME (l), log", "", None),
    ("3360-3365", True, "N6", "VOLUME (m³), log", "", None),
    ("3370-3375", True, "N6", "KG PER m²", "", None),
    ("3400-3405", True, "N6", "GROSS WEIGHT (lb)", "", None),
    ("3410-3415", True, "N6", "LENGTH (in), log", "", None),
    ("3420-3425", True, "N6", "LENGTH (ft), log", "", None),
    ("3430-3435", True, "N6", "LENGTH (yd), log", "", None),
    ("3440-3445", True, "N6", "WIDTH (in), log", "", None),
    ("3450-3455", True, "N6", "WIDTH (ft), log", "", None),
    ("3460-3465", True, "N6", "WIDTH (yd), log", "", None),
    ("3470-3475", True, "N6", "HEIGHT (in), log", "", None),
    ("3480-3485", True, "N6", "HEIGHT (ft), log", "", None),
    ("3490-3495", True, "N6", "HEIGHT (yd), log", "", None),
    ("3500-3505", True, "N6", "AREA (in²)", "", None),
    ("3510-3515", True, "N6", "AREA (ft²)", "", None),
    ("3520-3525", True, "N6", "AREA (yd²)", "", None),
    ("3530-3535", True, "N6", "AREA (in²), log", "", None),
    ("3540-3545", True, "N6", "AREA (ft²), log", "", None),
    ("3550-3555", True, "N6", "AREA (yd²), log", "", None),
    ("3560-3565", True, "N6", "NET WEIGHT (t oz)", "", None),
    ("3570-3575", True, "N6", "NET VOLUME (oz)", "", None),
    ("3600-3605", True, "N6", "NET VOLUME (qt)", "", None),
    ("3610-3615", True, "N6", "NET VOLUME (gal.)", "", None),
    ("3620-3625", True, "N6", "VOLUME (qt), log", "", None),
    ("3630-3635", True, "N6", "VOLUME (gal.), log", "", None),
    ("3640-3645", True, "N6", "VOLUME (in³)", "", None),
    ("3650-3655", True, "N6", "VOLUME (ft³)", "", None),
    ("3660-3665", True, "N6", "VOLUME (yd³)", "", None),
    ("3670-3675", True, "N6", "VOLUME (in³), log", "", None),
    ("3680-3685", True, "N6", "VOLUME (ft³), log", "", None),
    ("3690-3695", True, "N6", "VOLUME (yd³), log", "", None),
    ("37", False, "N..8", "COUNT", "", None),
    ("3900-3909", False, "N..15", "AMOUNT", "", None),
    ("3910-3919", False, "N3,iso4217 N..15", "AMOUNT", "", None),
    ("3920-3929", False, "N..15", "PRICE", "", None),
    ("3930-3939", False, "N3,iso4217 N..15", "PRICE", "", None),
    ("3940-3943", False, "N4", "PRCNT OFF", "", None),
    ("3950-3955", False, "N6", "PRICE/UoM", "", None),
    ("400", False, "X..30", "ORDER NUMBER", "", None),
    ("401", False, "X..30", "GINC", "pk", "ginc"),
    ("402", False, "N17,csum", "GSIN", "pk", "gsin"),
    ("403", False, "X..30", "ROUTE", "", None),
    ("410", True, "N13,csum", "SHIP TO LOC", "", None),
    ("411", True, "N13,csum", "BILL TO", "", None),
    ("412", True, "N13,csum", "PURCHASE FROM", "", None),
    ("413", True, "N13,csum", "SHIP FOR LOC", "", None),
    ("414", True, "N13,csum", "LOC No.", "pk=254|7040", "gln"),
    ("415", True, "N13,csum", "PAY TO", "pk=8020", "payTo"),
    ("416", True, "N13,csum", "PROD/SERV LOC", "", None),
    ("417", True, "N13,csum", "PARTY", "pk=7040", "party"),
    ("420", False, "X..20", "SHIP TO POST", "", None),
    ("421", False, "N3,iso3166 X..9", "SHIP TO POST", "", None),
    ("422", False, "N3,iso3166", "ORIGIN", "", None),
    ("423", False, "N..15,iso3166list", "COUNTRY - INITIAL PROCESS", "", None),
    ("424", False, "N3,iso3166", "COUNTRY - PROCESS", "", None),
    ("425", False, "N..15,iso3166list", "COUNTRY - DISASSEMBLY", "", None),
    ("426", False, "N3,iso3166", "COUNTRY - FULL PROCESS", "", None),
    ("427", False, "X..3", "ORIGIN SUBDIVISION", "", None),
    ("7001", False, "N13", "NSN", "", None),
    ("7002", False, "X..30", "MEAT CUT", "", None),
    ("7003", False, "N6,yymmdd N4,hhmm", "EXPIRY TIME", "", None),
    ("7004", False, "N..4", "ACTIVE POTENCY", "", None),
    ("7005", False, "X..12", "CATCH AREA", "", None),
    ("7006", False, "N6,yymmdd", "FIRST FREEZE DATE", "", None),
    ("7007", False, "N6,yymmdd [N6,yymmdd]", "HARVEST DATE", "", None),
    ("7008", False, "X..3", "AQUATIC SPECIES", "", None),
    ("7009", False, "X..10", "FISHING GEAR TYPE", "", None),
    ("7010", False, "X..2", "PROD METHOD", "", None),
    ("7011", False, "N6,yymmdd [N4,hhmm]", "TEST BY DATE", "", None),
    ("7020", False, "X..20", "REFURB LOT", "", None),
    ("7021", False, "X..20", "FUNC STAT", "", None),
    ("7022", False, "X..20", "REV STAT", "", None),
    ("7023", False, "X..30", "GIAI - ASSEMBLY", "", None),
    ("7030-7039", False, "N3,iso3166999 X..27", "PROCESSOR # {n}", "", None),
    ("7040", False, "N1 X1,importeridx X1,importeridx X1,importeridx", "UIC+EXT", "", None),
    ("7230-7239", False, "X2 X..28", "CERT # {n1}", "", None),
    ("7240", False, "X..20", "PROTOCOL", "", None),
    ("7241", False, "N2", "AIDC MEDIA TYPE", "", None),
    ("7242", False, "X..25", "VCN", "", None),
    ("8001", False, "N14", "DIMENSIONS", "", None),
    ("8002", False, "X..20", "CMT No.", "", None),
    ("8003", False, "N1,zero N13,csum [X..16]", "GRAI", "pk", "grai"),
    ("8004", False, "X..30", "GIAI", "pk=7040", "giai"),
    ("8005", False, "N6", "PRICE PER UNIT", "", None),
    ("8006", False, "N14,csum N4,pieceoftotal", "ITIP", "pk=22,10,21", "itip"),
    ("8007", False, "X..34", "IBAN", "", None),
    ("8008", False, "N8,yymmddhh [N..4,mmoptss]", "PROD TIME", "", None),
    ("8009", False, "X..50", "OPTSEN", "", None),
    ("8010", False, "Y..30", "CPID", "pk=8011", "cpid"),
    ("8011", False, "N..12,nozeroprefix", "CPID SERIAL", "", None),
    ("8012", False, "X..20", "VERSION", "", None),
    ("8013", False, "X..25,csumalpha", "GMN", "pk", "gmn"),
    ("8017", False, "N18,csum", "GSRN - PROVIDER", "pk=8019", "gsrnp"),
    ("8018", False, "N18,csum", "GSRN - RECIPIENT", "pk=8019", "gsrn"),
    ("8019", False, "N..10", "SRIN", "", "srin"),
    ("8020", False, "X..25", "REF No.", "", None),
    ("8026", False, "N14,csum N4,pieceoftotal", "ITIP CONTENT", "", None),
    ("8200", False, "X..70", "PRODUCT URL", "", None),
    ("90", False, "X..30", "INTERNAL", "", None),
    ("91-99", False, "X..90", "INTERNAL", "", None),
)

_COMPONENT = re.compile(r"^(\[)?([NXY])(\.\.)?(\d+)((?:,\w+)*)(\])?$")


def _parse_components(spec: str) -> tuple[Component, ...]:
    components = []
    for text in spec.split():
        m = _COMPONENT.match(text)
        if m is None:  # pragma: no cover - guards the table above
            raise ValueError(f"bad AI component spec {text!r}")
        opening, charset, dots, length, linters, _ = m.groups()
        n = int(length)
        components.append(
            Component(
                charset=CharSet(charset),
                min_length=1 if dots else n,
                max_length=n,
                optional=bool(opening),
                linters=tuple(linters.split(",")[1:]),
            )
        )
    return tuple(components)


def _qualifier_paths(dl: str) -> tuple[tuple[str, ...], ...]:
    if not dl.startswith("pk="):
        return ()
    return tuple(tuple(path.split(",")) for path in dl[3:].split("|"))


def _decimals(code: str) -> int | None:
    if len(code) == 4 and code[:2] in {"31", "32", "33", "34", "35", "36", "39"}:
        return int(code[3])
    return None


def _expand(code_range: str) -> Iterator[str]:
    first, _, last = code_range.partition("-")
    if not last:
        yield first
        return
    for number in range(int(first), int(last) + 1):
        yield str(number).zfill(len(first))


def _build() -> dict[str, ApplicationIdentifier]:
    table: dict[str, ApplicationIdentifier] = {}
    for code_range, predefined, spec, title, dl, alias in _SPECS:
        components = _parse_components(spec)
        for code in _expand(code_range):
            table[code] = ApplicationIdentifier(
                code=code,
                title=title.format(n=code[-1], n1=int(code[-1]) + 1),
                components=components,
                predefined_length=predefined,
                is_primary_key=dl.startswith("pk"),
                qualifier_paths=_qualifier_paths(dl),
                decimals=_decimals(code),
                alias=alias,
            )
    return table


#: Every known AI by its code.
AI_TABLE: Mapping[str, ApplicationIdentifier] = MappingProxyType(_build())
#: The Digital Link primary keys.
PRIMARY_KEYS: frozenset[str] = frozenset(c for c, ai in AI_TABLE.items() if ai.is_primary_key)
#: AI code by GS1 Digital Link 1.0 alias (``gtin`` → ``01``).
AI_BY_ALIAS: Mapping[str, str] = MappingProxyType(
    {ai.alias: code for code, ai in AI_TABLE.items() if ai.alias}
)


def get_ai(code: str) -> ApplicationIdentifier:
    """The AI with this code; :class:`ApplicationIdentifierError` if it is unknown."""
    try:
        return AI_TABLE[code]
    except KeyError:
        raise ApplicationIdentifierError(
            f"unknown application identifier {code!r}"
            if code.isdigit() and 2 <= len(code) <= 4
            else f"{code!r} is not an application identifier (expected 2 to 4 digits)"
        ) from None


def validate_ai_value(code: str, value: str) -> str:
    """Return ``value`` if it is a valid value for AI ``code``; raise otherwise.

    :class:`ApplicationIdentifierError` for an unknown AI or a value of the wrong syntax,
    :class:`CheckDigitError` for a wrong check digit; both messages name the AI and the value.
    """
    return get_ai(code).validate(value)


def decimal_value(code: str, value: str) -> Decimal:
    """The number an AI with implied decimals stands for: ``("3103", "001250")`` → ``1.250``.

    For AIs whose last digit gives the decimal places (31nn to 36nn, 390n, 392n, 394n, 395n).
    A currency prefix (391n, 393n) is not part of the number and is skipped.
    """
    ai = get_ai(code)
    if ai.decimals is None:
        raise ApplicationIdentifierError(f"AI ({code}) {ai.title} has no implied decimal point")
    ai.validate(value)
    digits = value[3:] if ai.components[0].max_length == 3 and len(ai.components) == 2 else value
    return Decimal(digits).scaleb(-ai.decimals)


def element_string(elements: tuple[AIValue, ...] | list[AIValue]) -> str:
    """The bracketed human-readable form: ``(01)09521234543213(10)ABC123``."""
    return "".join(f"({e.ai}){e.value}" for e in elements)


def parse_element_string(text: str, *, validate: bool = True) -> tuple[AIValue, ...]:
    """Parse a bracketed element string such as ``(01)09521234543213(10)ABC123``.

    A ``(`` starts a new element only when it is followed by a known AI and ``)``, so values
    may contain brackets. Values are validated unless ``validate`` is false.
    """
    if not text.startswith("("):
        raise ApplicationIdentifierError(
            f"element string {text!r} must start with '(' and an application identifier"
        )
    elements: list[AIValue] = []
    pos = 0
    while pos < len(text):
        close = text.find(")", pos)
        code = text[pos + 1 : close] if close > 0 else text[pos + 1 :]
        ai = get_ai(code)
        start = close + 1
        nxt = start
        while True:
            nxt = text.find("(", nxt)
            if nxt < 0:
                nxt = len(text)
                break
            end = text.find(")", nxt)
            if end > 0 and text[nxt + 1 : end] in AI_TABLE:
                break
            nxt += 1
        value = text[start:nxt]
        if validate:
            ai.validate(value)
        elements.append(AIValue(code, value))
        pos = nxt
    return tuple(elements)
