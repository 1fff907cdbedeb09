"""GS1 element strings: parse, validate and format Application Identifier data.

Plain Python (no Odoo import).  It follows the GS1 General Specifications:

* §3 (the Application Identifier definitions) for the format of each AI: a
  sequence of components, each numeric (``N``), GS1 AI encodable character
  set 82 (``X``), character set 39 (``Y``) or set 64 (``Z``), of fixed or
  variable length, with content rules (check digit, dates, ...);
* §7.8.5 (Figure 7.8.5-2) for the AIs of *predefined length*: element strings
  whose AI starts with one of those two digits never take an FNC1 separator;
  every other element string runs to the next FNC1 (GS, ``\\x1d``) or to the
  end of the data;
* §7.9 for the mod-10 check digit;
* §7.12 for the century of a two-digit year.

Accepted input forms of :func:`parse` (they all give the same result):

* human-readable form with parentheses, ``(01)09506000134352(21)ABC``;
* the transmitted data of a scanner: the AIs and values concatenated, FNC1
  sent as GS (``\\x1d``), optionally preceded by a symbology identifier
  (``]C1`` GS1-128, ``]e0`` GS1 DataBar, ``]d2`` GS1 DataMatrix, ``]Q3`` GS1
  QR Code, ``]J1`` GS1 DotCode) and/or by a leading FNC1.
"""

import datetime
import re

from . import gs1_ai_table

__all__ = [
    "Gs1Error",
    "check_digit",
    "is_valid_check_digit",
    "looks_like_element_string",
    "parse",
    "to_parenthesised",
    "to_raw",
]

GS = "\x1d"

#: Symbology identifiers (ISO/IEC 15424) of the GS1 carriers of element strings.
SYMBOLOGY_IDENTIFIERS = ("]C1", "]e0", "]d2", "]Q3", "]J1")

#: GS1 General Specifications Figure 7.8.5-2: first two digits of the AI ->
#: total length (AI + data) of the element strings that need no FNC1 after them.
PREDEFINED_LENGTH = {
    "00": 20,
    "01": 16,
    "02": 16,
    "03": 16,
    "04": 18,
    "11": 8,
    "12": 8,
    "13": 8,
    "14": 8,
    "15": 8,
    "16": 8,
    "17": 8,
    "18": 8,
    "19": 8,
    "20": 4,
    "31": 10,
    "32": 10,
    "33": 10,
    "34": 10,
    "35": 10,
    "36": 10,
    "41": 16,
}

#: GS1 AI encodable character set 82 (GS1 General Specifications Figure 7.11-1).
CSET82 = frozenset(
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
#: GS1 AI encodable character set 39 (Figure 7.11-2).
CSET39 = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: GS1 AI encodable character set 64 (Figure 7.11-3, file-safe base64).
CSET64 = frozenset("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz=")
_DIGITS = frozenset("0123456789")
_CHARSETS = {"N": _DIGITS, "X": CSET82, "Y": CSET39, "Z": CSET64}
_CHARSET_NAMES = {
    "X": "GS1 AI encodable character set 82",
    "Y": "GS1 AI encodable character set 39",
    "Z": "GS1 AI encodable character set 64",
}

_DIGITS_RE = re.compile(r"[0-9]+")
_PAREN_RE = re.compile(r"\(([0-9]{2,4})\)")
_UNESCAPED_PAREN_RE = re.compile(r"(?<!\\)\(([0-9]{2,4})\)")
# Check digit by weighted sum modulo 10: the digit that brings it to 0.
_CHECK_CHARS = "0987654321"
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class Gs1Error(ValueError):
    """Invalid GS1 element string: the message names the AI and the broken rule."""


class _Component:
    """One component of an AI's data field (e.g. ``N13`` with a check digit)."""

    __slots__ = ("charset", "checks", "max_len", "min_len", "optional")

    def __init__(self, token):
        """Build the component from a spec token such as ``[N..12]:csum``."""
        token, _, checks = token.partition(":")
        self.optional = token.startswith("[")
        token = token.strip("[]")
        self.charset = token[0]
        if token[1:3] == "..":
            self.min_len, self.max_len = 1, int(token[3:])
        else:
            self.min_len = self.max_len = int(token[1:])
        self.checks = tuple(checks.split(",")) if checks else ()


class AiInfo:
    """What the AI table says about one AI (see :mod:`.gs1_ai_table`)."""

    __slots__ = (
        "ai",
        "components",
        "dl_attribute",
        "dl_key",
        "ex",
        "predefined",
        "req",
        "title",
    )

    def __init__(self, ai, components, flags, attributes, title):
        """Build from one expanded line of the table."""
        self.ai = ai
        self.components = components
        self.predefined = flags[0] == "*"
        self.dl_attribute = flags[1] == "?"
        self.title = title
        self.req = []  # each: tuple of alternatives, each a tuple of patterns
        self.ex = ()
        #: None, or the allowed key qualifier sequences of a Digital Link key
        self.dl_key = None
        for attribute in attributes:
            key, _, value = attribute.partition("=")
            if key == "req":
                self.req.append(
                    tuple(tuple(group.split("+")) for group in value.split(","))
                )
            elif key == "ex":
                self.ex = tuple(value.split(","))
            elif key == "dlpkey":
                self.dl_key = tuple(
                    tuple(seq.split(",")) if seq else () for seq in value.split("|")
                )
        self.req = tuple(self.req)


def _table_lines():
    """The lines of the AI table, continuation lines joined, without titles."""
    lines = []
    for line in gs1_ai_table.AI_TABLE.strip().splitlines():
        if line[:1].isspace() and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    for line in lines:
        spec, _, title = line.partition("#")
        yield spec, title.strip()


def _load_specs():
    """Expand the AI table into a dict ``ai -> AiInfo``."""
    infos = {}
    for spec, title in _table_lines():
        spec, _, attributes = spec.partition("|")
        ais, flags, *tokens = spec.split()
        components = tuple(_Component(token) for token in tokens)
        first, _, last = ais.partition("-")
        width = len(first)
        for number in range(int(first), int(last or first) + 1):
            ai = str(number).zfill(width)
            infos[ai] = AiInfo(ai, components, flags, attributes.split(), title)
    for ai, info in infos.items():
        predefined = PREDEFINED_LENGTH.get(ai[:2])
        assert (predefined is not None) == info.predefined, ai
        if predefined is not None:
            lengths = {(c.min_len, c.max_len) for c in info.components}
            assert len(info.components) == 1 and len(lengths) == 1, ai
            assert info.components[0].max_len == predefined - len(ai), ai
    return infos


#: ``ai -> AiInfo`` for every AI of the table.
AI_INFO = _load_specs()
#: ``ai -> components`` for every AI known to this module.
AI_SPECS = {ai: info.components for ai, info in AI_INFO.items()}
#: Length of the AIs that start with two given digits (all have one length).
AI_LENGTH_BY_PREFIX = {ai[:2]: len(ai) for ai in AI_INFO}


# --------------------------------------------------------------------------- digits
def _is_digits(text):
    """Return True when ``text`` is one or more ASCII digits."""
    return _DIGITS_RE.fullmatch(text) is not None


def check_digit(digits_without_check):
    """Return the GS1 mod-10 check digit (GS1 General Specifications §7.9.1).

    Weights 3 and 1 alternate from the rightmost digit (which gets 3); the
    check digit brings the weighted sum up to a multiple of ten.  Works for
    every length (GTIN-8/12/13/14, GLN, SSCC, GSIN, GRAI, GDTI, ...).
    """
    if not isinstance(digits_without_check, str) or not _is_digits(
        digits_without_check
    ):
        raise Gs1Error(f"check digit needs digits, got {digits_without_check!r}")
    return _CHECK_CHARS[_weighted_sum(digits_without_check.encode()) % 10]


def _weighted_sum(data):
    """Weighted sum (weights 3, 1, 3, ... from the right) of ASCII digit bytes."""
    odd, even = data[-1::-2], data[-2::-2]
    return 3 * sum(odd) + sum(even) - 48 * (3 * len(odd) + len(even))


def is_valid_check_digit(digits):
    """Return True when the last digit of ``digits`` is its GS1 check digit."""
    if not isinstance(digits, str) or len(digits) < 2 or not _is_digits(digits):
        return False
    return check_digit(digits[:-1]) == digits[-1]


# --------------------------------------------------------------------------- checks
def _full_year(yy, today=None):
    """Return the four-digit year of ``yy`` by GS1 General Specifications §7.12.

    A two-digit year 51..99 years ahead of the current one is in the previous
    century, one 50..99 years behind is in the next century, any other is in
    the current century.
    """
    today = today or datetime.date.today()
    century, current = divmod(today.year, 100)
    difference = yy - current
    if difference >= 51:
        century -= 1
    elif difference <= -50:
        century += 1
    return century * 100 + yy


def _days_in_month(year, month):
    """Return the number of days of ``month`` in ``year`` (Gregorian calendar)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _date_problem(value, year, day_zero_allowed):
    """Return why the MM and DD of a date are invalid, or None when they are fine."""
    month, day = int(value[-4:-2]), int(value[-2:])
    if not 1 <= month <= 12:
        return f"month {value[-4:-2]}"
    if day == 0 and day_zero_allowed:
        return None
    if not 1 <= day <= _days_in_month(year, month):
        return f"day {value[-2:]}"
    return None


# GS1 General Specifications §7.9.5: the check character pair of a GMN/MUDI.
_CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_CSET82_ORDER = (
    "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
    "abcdefghijklmnopqrstuvwxyz"
)
_CSET82_VALUE = {char: index for index, char in enumerate(_CSET82_ORDER)}


def _first_primes(count):
    """The first ``count`` prime numbers (the weights of §7.9.5)."""
    primes = []
    number = 2
    while len(primes) < count:
        if all(number % prime for prime in primes if prime * prime <= number):
            primes.append(number)
        number += 1
    return tuple(primes)


_PRIMES = _first_primes(97)
_IMPORTER_INDEX = frozenset(
    "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
)
_HEX = frozenset("0123456789ABCDEFabcdef")


def check_pair(data):
    """The two check characters of a GMN / MUDI body (GS1 GenSpecs §7.9.5)."""
    weighted = 0
    for position, char in enumerate(reversed(data)):
        weighted += _CSET82_VALUE[char] * _PRIMES[position]
    weighted %= 1021
    return _CSET32[weighted >> 5] + _CSET32[weighted & 31]


def _check_csum(value):
    expected = check_digit(value[:-1])
    if value[-1] != expected:
        return f"check digit {value[-1]} should be {expected}"
    return None


def _check_csumalpha(value):
    if len(value) < 2:
        return "too short for its check character pair"
    if len(value) - 2 > len(_PRIMES):
        return "too long for its check character pair"
    expected = check_pair(value[:-2])
    if value[-2:] != expected:
        return f"check characters {value[-2:]} should be {expected}"
    return None


def _gcp(value, start):
    part = value[start : start + 4]
    if len(part) < 4 or not _is_digits(part):
        return "must start with a GS1 company prefix (at least 4 digits)"
    return None


def _check_date(value, name):
    if name == "yyyymmdd":
        year, rest = int(value[:4]), value[4:]
    else:
        year, rest = _full_year(int(value[:2])), value[2:]
    problem = _date_problem(rest, year, name.endswith("d0"))
    if problem:
        pattern = "YYYYMMDD" if name == "yyyymmdd" else "YYMMDD"
        return f"invalid date {value} ({pattern}): {problem}"
    return None


def _check_time(value, name):
    if name == "hhmi":
        if int(value[:2]) > 23 or int(value[2:]) > 59:
            return f"invalid time {value} (HHMM)"
        return None
    limit, label = {"hh": (23, "hour"), "mi": (59, "minutes"), "ss": (59, "seconds")}[
        name
    ]
    if int(value) > limit:
        return f"invalid {label} {value}"
    return None


def _check_iban(value):
    if not 10 < len(value) <= 34:
        return f"IBAN {value} must be 11 to 34 characters"
    if value[:2] not in gs1_ai_table.ISO3166_ALPHA2:
        return f"IBAN {value}: {value[:2]} is not an ISO 3166 alpha-2 country code"
    if not value.isascii() or not value.isalnum() or value != value.upper():
        return f"IBAN {value} must be digits and upper-case letters"
    number = int("".join(str(int(char, 36)) for char in value[4:] + value[:4]))
    if number % 97 != 1:
        return f"IBAN {value} has wrong check digits {value[2:4]}"
    return None


def _check_pcenc(value):
    for index, char in enumerate(value):
        if char == "%" and not (
            len(value) > index + 2
            and value[index + 1] in _HEX
            and value[index + 2] in _HEX
        ):
            return f"invalid percent-encoding at position {index + 1}"
    return None


def _check_position(value):
    position, slash, last = value.partition("/")
    if not (slash and _is_digits(position) and _is_digits(last)):
        return f"{value} must be <position>/<count>"
    if position[0] == "0" or last[0] == "0":
        return f"{value}: numbers must not start with 0"
    if int(position) > int(last):
        return f"{value}: position is after the last"
    return None


def _code_list(value, codes, what):
    if value not in codes:
        return f"{value} is not an {what}"
    return None


class _Digits:
    """Read the fields of an all-digit coupon code in order (see below)."""

    __slots__ = ("pos", "value")

    def __init__(self, value):
        self.value, self.pos = value, 0

    @property
    def rest(self):
        return len(self.value) - self.pos

    def peek(self):
        return self.value[self.pos] if self.pos < len(self.value) else None

    def digit(self, what, allowed=None):
        """The next digit (one of ``allowed``), else the problem as Gs1Error."""
        char = self.peek()
        if char is None:
            raise _CouponProblem(f"{what} is missing")
        if allowed is not None and char not in allowed:
            raise _CouponProblem(f"{what} {char} is not valid")
        self.pos += 1
        return char

    def take(self, size, what):
        """The next ``size`` digits."""
        if self.rest < size:
            plural = "s" if size > 1 else ""
            raise _CouponProblem(f"{what} is shorter than {size} digit{plural}")
        piece = self.value[self.pos : self.pos + size]
        self.pos += size
        return piece


class _CouponProblem(Exception):
    """A broken rule of a coupon code (reported as the AI's problem)."""


def _coupon_gcp(reader, what, allowed="0123456", nine_empty=False):
    """A length indicator (VLI) then a GS1 company prefix of VLI + 6 digits."""
    vli = reader.digit(f"{what} length indicator", allowed)
    if vli == "9" and nine_empty:
        return ""
    return reader.take(int(vli) + 6, what)


def _coupon_purchase(reader, rank):
    """Purchase requirement (VLI 1-5, then that many digits), requirement
    code (0-4 or 9) and 3-digit family code."""
    vli = reader.digit(f"{rank} purchase requirement length indicator", "12345")
    reader.take(int(vli), f"{rank} purchase requirement")
    reader.digit(f"{rank} purchase requirement code", "012349")
    reader.take(3, f"{rank} purchase family code")


def _coupon_date(reader, what):
    date = reader.take(6, what)
    problem = _check_date(date, "yymmdd")
    if problem:
        raise _CouponProblem(f"{what}: {problem}")
    return date


def _coupon_optional_fields(reader):
    """The optional fields 1, 2, 3, 4, 5, 6 and 9, each at most once, in order."""
    expiry = None
    if reader.peek() == "1":
        reader.pos += 1
        reader.digit("additional purchase rules code", "0123")
        _coupon_purchase(reader, "2nd")
        _coupon_gcp(reader, "2nd purchase company prefix", "01234569", True)
    if reader.peek() == "2":
        reader.pos += 1
        _coupon_purchase(reader, "3rd")
        _coupon_gcp(reader, "3rd purchase company prefix", "01234569", True)
    if reader.peek() == "3":
        reader.pos += 1
        expiry = _coupon_date(reader, "expiration date")
    if reader.peek() == "4":
        reader.pos += 1
        start = _coupon_date(reader, "start date")
        if expiry is not None and start > expiry:
            raise _CouponProblem(
                f"expiration date {expiry} is before start date {start}"
            )
    if reader.peek() == "5":
        reader.pos += 1
        vli = reader.digit("serial number length indicator")
        reader.take(int(vli) + 6, "serial number")
    if reader.peek() == "6":
        reader.pos += 1
        _coupon_gcp(reader, "retailer company prefix or GLN", "1234567")
    if reader.peek() == "9":
        reader.pos += 1
        reader.digit("save value code", "01256")
        reader.digit("save value applies to item", "012")
        reader.digit("store coupon flag")
        reader.digit("don't multiply flag", "01")


def _coupon(value, read_fields):
    """Run ``read_fields`` over an all-digit coupon code; the problem or None."""
    if not _is_digits(value):
        return "a coupon code has digits only"
    reader = _Digits(value)
    try:
        read_fields(reader)
    except _CouponProblem as problem:
        return f"coupon code: {problem}"
    if reader.rest:
        return f"coupon code: unexpected data {value[reader.pos :]!r} at the end"
    return None


def _coupon_code_fields(reader):
    """North American Coupon Code of AI (8110) (GS1 General Specifications,
    AI 8110, which refers to the "North American Coupon Application Guideline
    Using GS1 DataBar Expanded Symbols"; the field rules are those of GS1's
    Barcode Syntax Dictionary linter ``couponcode``): primary company prefix,
    offer code, save value, 1st purchase requirement, then the optional
    fields."""
    _coupon_gcp(reader, "company prefix")
    reader.take(6, "offer code")
    vli = reader.digit("save value length indicator", "12345")
    reader.take(int(vli), "save value")
    _coupon_purchase(reader, "1st")
    _coupon_optional_fields(reader)


def _positive_offer_fields(reader):
    """Positive offer file coupon code of AI (8112) ("GS1 AI (8112) Coupon
    Data Specification", linter ``couponposoffer`` of GS1's Barcode Syntax
    Dictionary): format code 0 or 1, funder ID, offer code, serial."""
    reader.digit("format code", "01")
    _coupon_gcp(reader, "funder ID")
    reader.take(6, "offer code")
    vli = reader.digit("serial number length indicator")
    reader.take(int(vli) + 6, "serial number")


def _check_coupon_code(value):
    return _coupon(value, _coupon_code_fields)


def _check_coupon_positive_offer(value):
    return _coupon(value, _positive_offer_fields)


_SIMPLE_CHECKS = {
    "csum": _check_csum,
    "csumalpha": _check_csumalpha,
    "gcppos1": lambda value: _gcp(value, 0),
    "gcppos2": lambda value: _gcp(value, 1),
    "iban": _check_iban,
    "pcenc": _check_pcenc,
    "posinseqslash": _check_position,
    "zero": lambda v: None if v == "0" else f"the first digit must be 0, got {v}",
    "nonzero": lambda v: None if int(v) else f"{v} must not be zero",
    "yesno": lambda v: None if v in ("0", "1") else f"must be 0 or 1, got {v}",
    "winding": lambda v: None
    if v in ("0", "1", "9")
    else f"winding direction must be 0, 1 or 9, got {v}",
    "hyphen": lambda v: None
    if v == "-"
    else f"the optional sign must be '-', got {v!r}",
    "nozeroprefix": lambda v: f"{v} must not start with 0" if v[:1] == "0" else None,
    "hasnondigit": lambda v: f"{v} must have a character that is not a digit"
    if _is_digits(v)
    else None,
    "importeridx": lambda v: None
    if v in _IMPORTER_INDEX
    else f"{v!r} is not a valid importer index",
    "latitude": lambda v: None
    if int(v) <= 1800000000
    else f"latitude {v} > 1800000000",
    "longitude": lambda v: None
    if int(v) <= 3600000000
    else f"longitude {v} > 3600000000",
    "mediatype": lambda v: None
    if 1 <= int(v) <= 10 or int(v) >= 80
    else f"{v} is not an AIDC media type",
    "iso5218": lambda v: None
    if v in "0129"
    else f"{v} is not an ISO/IEC 5218 biological sex code",
    "iso3166": lambda v: _code_list(
        v, gs1_ai_table.ISO3166_NUMERIC, "ISO 3166 country code"
    ),
    "iso3166999": lambda v: None
    if v == "999"
    else _code_list(v, gs1_ai_table.ISO3166_NUMERIC, "ISO 3166 country code"),
    "iso3166alpha2": lambda v: _code_list(
        v, gs1_ai_table.ISO3166_ALPHA2, "ISO 3166 alpha-2 country code"
    ),
    "iso4217": lambda v: _code_list(
        v, gs1_ai_table.ISO4217_NUMERIC, "ISO 4217 currency code"
    ),
    "packagetype": lambda v: _code_list(
        v, gs1_ai_table.PACKAGE_TYPES, "UN/ECE Recommendation 21 package type"
    ),
    "couponcode": lambda v: _check_coupon_code(v),
    "couponposoffer": lambda v: _check_coupon_positive_offer(v),
}


def _check(ai, name, value):
    """Apply the content check ``name`` to a component ``value`` of ``ai``."""
    if name in ("yymmd0", "yymmdd", "yyyymmdd"):
        problem = _check_date(value, name)
    elif name in ("hhmi", "hh", "mi", "ss"):
        problem = _check_time(value, name)
    elif name == "pieceoftotal":
        piece, total = int(value[:2]), int(value[2:])
        problem = None
        if not 1 <= piece <= total:
            problem = f"piece {value[:2]} of total {value[2:]} is invalid"
    else:
        problem = _SIMPLE_CHECKS[name](value)
    if problem:
        raise Gs1Error(f"AI ({ai}): {problem}")


def _describe_length(component):
    """Return the length rule of a component for an error message."""
    kind = "digits" if component.charset == "N" else "characters"
    if component.min_len == component.max_len:
        return f"{component.max_len} {kind}"
    return f"{component.min_len} to {component.max_len} {kind}"


def _split(ai, components, value):
    """Cut ``value`` into the pieces of its components (fixed lengths first)."""
    if len(components) == 1:
        return ((components[0], value),)
    pieces = []
    pos = 0
    for component in components:
        if pos >= len(value) and component.optional:
            break
        if component.min_len == component.max_len:
            piece = value[pos : pos + component.max_len]
        else:
            piece = value[pos:]
        pos += len(piece)
        pieces.append((component, piece))
    if pos < len(value) or len(pieces[-1][1]) < pieces[-1][0].min_len:
        minimum = sum(c.min_len for c in components if not c.optional)
        maximum = sum(c.max_len for c in components)
        if minimum == maximum:
            rule = f"{maximum} characters"
        else:
            rule = f"{minimum} to {maximum} characters"
        raise Gs1Error(f"AI ({ai}): value must be {rule}, got {len(value)}")
    return pieces


def _check_charset(ai, component, piece):
    charset = _CHARSETS[component.charset]
    for char in piece:
        if char not in charset:
            if component.charset == "N":
                raise Gs1Error(f"AI ({ai}): value must be numeric, got {piece!r}")
            raise Gs1Error(
                f"AI ({ai}): character {char!r} is not in the"
                f" {_CHARSET_NAMES[component.charset]}"
            )


def _validate(ai, value):
    """Raise Gs1Error unless ``value`` is a valid data field of ``ai``."""
    components = AI_SPECS.get(ai)
    if components is None:
        raise Gs1Error(f"unknown AI ({ai})")
    if not isinstance(value, str):
        raise Gs1Error(f"AI ({ai}): value must be a string, got {value!r}")
    if not value:
        raise Gs1Error(f"AI ({ai}): value is empty")
    for component, piece in _split(ai, components, value):
        if not component.min_len <= len(piece) <= component.max_len:
            raise Gs1Error(
                f"AI ({ai}): value must be {_describe_length(component)},"
                f" got {len(piece)}"
            )
        _check_charset(ai, component, piece)
        for name in component.checks:
            _check(ai, name, piece)


# An AI the table does not know: any character of set 82, up to 90.
_UNKNOWN = _Component("X..90")


def unknown_ai_problem(ai):
    """Why ``ai`` cannot be an AI (even an unknown one), or None when it can."""
    if not (2 <= len(ai) <= 4 and _is_digits(ai)):
        return f"({ai}) is not an AI: 2 to 4 digits"
    for size in (2, 3):
        if ai[:size] in AI_INFO and len(ai) > size:
            return f"({ai}) is not an AI: it starts with AI ({ai[:size]})"
    length = AI_LENGTH_BY_PREFIX.get(ai[:2])
    if length is not None and length != len(ai):
        return f"({ai}) is not an AI: AIs starting with {ai[:2]} have {length} digits"
    return None


def _validate_unknown(ai, value):
    """An unknown AI's value: set 82, 1 to 90 characters (or its fixed length)."""
    problem = unknown_ai_problem(ai)
    if problem:
        raise Gs1Error(problem)
    if not isinstance(value, str) or not value:
        raise Gs1Error(f"AI ({ai}): value is empty")
    fixed = PREDEFINED_LENGTH.get(ai[:2])
    if fixed is not None and len(value) != fixed - len(ai):
        raise Gs1Error(
            f"AI ({ai}): value must be {fixed - len(ai)} characters, got {len(value)}"
        )
    if len(value) > _UNKNOWN.max_len:
        raise Gs1Error(f"AI ({ai}): value must be 1 to 90 characters, got {len(value)}")
    _check_charset(ai, _UNKNOWN, value)


def _check_duplicates(pairs):
    """Reject an AI that is repeated with a different value."""
    seen = {}
    for ai, value in pairs:
        if seen.setdefault(ai, value) != value:
            raise Gs1Error(f"AI ({ai}) appears twice with different values")


def _matches(pattern, ai):
    """Whether ``ai`` matches an AI pattern of the table (``n``: any digit)."""
    return len(pattern) == len(ai) and all(
        p == a or p == "n" for p, a in zip(pattern, ai, strict=True)
    )


def _present(pattern, ais):
    return any(_matches(pattern, ai) for ai in ais)


def association_problems(ais):
    """What breaks the AI associations of a message (GenSpecs §4.13/4.14).

    ``ais`` are the AIs of the whole message.  Returns messages for the
    invalid pairs (``ex``) and the missing mandatory associations (``req``).
    """
    problems = []
    present = list(dict.fromkeys(ais))
    for ai in present:
        info = AI_INFO.get(ai)
        if info is None:
            continue
        others = [other for other in present if other != ai]
        for pattern in info.ex:
            found = [other for other in others if _matches(pattern, other)]
            if found:
                problems.append(f"AI ({ai}) cannot be used with AI ({found[0]})")
                break
        for alternatives in info.req:
            if not any(
                all(_present(pattern, present) for pattern in group)
                for group in alternatives
            ):
                wanted = " or ".join(
                    "+".join(f"({pattern})" for pattern in group)
                    for group in alternatives
                )
                problems.append(f"AI ({ai}) needs {wanted} in the same message")
    return problems


# Keys whose serial component is optional: AI -> length without it.
_UNSERIALISED = {"253": 13, "255": 13, "8003": 14}


def _digital_signature_problems(pairs):
    """A digital signature (8030) signs a serialised key (GenSpecs §3.9.x)."""
    if not any(ai == "8030" for ai, _value in pairs):
        return []
    return [
        f"AI (8030) needs a serialised key: AI ({ai}) has no serial component"
        for ai, value in pairs
        if _UNSERIALISED.get(ai) == len(value)
    ]


# --------------------------------------------------------------------------- parse
class Gs1Pairs(list):
    """The ``(ai, value)`` pairs of a message, as a list.

    ``unknown`` names the AIs of the message that the AI table does not know:
    their values were read (where the syntax delimits them) and checked
    against character set 82 only.
    """

    unknown = ()


def _strip_prefix(data):
    """Remove a symbology identifier and/or a leading FNC1; tell if one was there."""
    prefixed = False
    if data[:3] in SYMBOLOGY_IDENTIFIERS:
        data = data[3:]
        prefixed = True
    if data.startswith(GS):
        data = data[1:]
        prefixed = True
    return data, prefixed


def _match_ai(data, pos):
    """Return the AI that starts at ``pos`` (AIs are prefix-free), or None."""
    for size in (2, 3, 4):
        ai = data[pos : pos + size]
        if len(ai) == size and ai in AI_SPECS:
            return ai
    return None


def _parse_parenthesised(data):
    """Parse ``(AI)value(AI)value...`` into pairs (values are not validated).

    A ``(`` inside a value may be written ``\\(`` so that it is not read as the
    start of the next AI (the bracketed syntax of GS1's Syntax Engine).
    """
    tokens = _UNESCAPED_PAREN_RE.split(data)
    if tokens[0]:
        raise Gs1Error(f"element string must start with '(AI)', got {data[:10]!r}")
    pairs = []
    for index in range(1, len(tokens), 2):
        pairs.append((tokens[index], tokens[index + 1].replace("\\(", "(")))
    return pairs


def _unknown_at(data, pos):
    """The unknown AI at ``pos`` when its length can be read from its prefix."""
    prefix = data[pos : pos + 2]
    length = AI_LENGTH_BY_PREFIX.get(prefix)
    if length is None and prefix in PREDEFINED_LENGTH:
        length = 2
    ai = data[pos : pos + length] if length else ""
    if not length or len(ai) != length or not _is_digits(ai):
        raise Gs1Error(f"no known AI at position {pos}: {data[pos : pos + 4]!r}")
    return ai


def _parse_raw(data):
    """Parse concatenated element strings separated by FNC1 (GS) into pairs."""
    pairs = []
    pos, end = 0, len(data)
    while pos < end:
        if data[pos] == GS:
            # A superfluous FNC1 (e.g. after a predefined-length element string
            # or at the end of the data) carries no data.
            pos += 1
            continue
        ai = _match_ai(data, pos) or _unknown_at(data, pos)
        pos += len(ai)
        predefined = PREDEFINED_LENGTH.get(ai[:2])
        if predefined is not None:
            size = predefined - len(ai)
            value = data[pos : pos + size]
            if GS in value or len(value) < size:
                value = value.split(GS, 1)[0]
                kind = "digits" if ai in AI_SPECS else "characters"
                raise Gs1Error(
                    f"AI ({ai}): value must be {size} {kind}, got {len(value)}"
                )
            pos += size
        else:
            stop = data.find(GS, pos)
            if stop < 0:
                stop = end
            value = data[pos:stop]
            pos = stop
        pairs.append((ai, value))
    return pairs


def validate_pairs(pairs, *, associations=True):
    """Validate ``(ai, value)`` pairs AI by AI; return them as :class:`Gs1Pairs`.

    Known AIs are checked against the AI table; unknown ones are kept and
    named in ``unknown``.  ``associations`` also checks the invalid pairs and
    mandatory associations of the table.  Raises :class:`Gs1Error`.
    """
    result = Gs1Pairs(pairs)
    unknown = []
    for ai, value in result:
        if ai in AI_SPECS:
            _validate(ai, value)
        else:
            _validate_unknown(ai, value)
            unknown.append(ai)
    _check_duplicates(result)
    if associations:
        problems = association_problems([ai for ai, _value in result])
        problems += _digital_signature_problems(result)
        if problems:
            raise Gs1Error(problems[0])
    result.unknown = tuple(dict.fromkeys(unknown))
    return result


def parse(data, *, associations=True):
    """Parse GS1 element strings into an ordered list of ``(ai, value)`` pairs.

    ``data`` is either the human-readable form ``(01)09506000134352(21)ABC``
    or the transmitted form ``0109506000134352 21ABC`` where FNC1 separators
    are GS characters (``\\x1d``), optionally preceded by a GS1 symbology
    identifier (``]C1``, ``]e0``, ``]d2``, ``]Q3``, ``]J1``) and/or a leading
    FNC1.  Every value is validated AI by AI (length, character set, check
    digit, dates, country and currency codes...); an AI repeated with another
    value is rejected, and so are the AI pairs the GS1 General Specifications
    forbid or a missing mandatory association (``associations=False`` skips
    these two).  An AI that the table does not know is kept when the syntax
    delimits it (parenthesised form; in the transmitted form, an AI whose
    first two digits tell its length) and named in the result's ``unknown``.
    Raises :class:`Gs1Error` with a message naming the AI and the rule.
    """
    if not isinstance(data, str):
        raise Gs1Error(f"element string must be text, got {type(data).__name__}")
    body, prefixed = _strip_prefix(data.strip(" \t\r\n"))
    if not body:
        raise Gs1Error("empty element string")
    if body.startswith("(") and not prefixed:
        pairs = _parse_parenthesised(body)
    else:
        pairs = _parse_raw(body)
    if not pairs:
        raise Gs1Error("empty element string")
    return validate_pairs(pairs, associations=associations)


def _checked_pairs(pairs):
    """Validate formatting input: a sequence of ``(ai, value)`` pairs."""
    pairs = list(pairs)
    if not pairs:
        raise Gs1Error("no element string to format")
    for pair in pairs:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise Gs1Error(f"expected (ai, value) pairs, got {pair!r}")
        _validate(*pair)
    _check_duplicates(pairs)
    return pairs


def to_parenthesised(pairs):
    """Format validated ``(ai, value)`` pairs as ``(01)09506000134352(21)ABC``.

    Unknown AIs are refused unless ``pairs`` is a :class:`Gs1Pairs` that
    names them (what :func:`parse` returned).
    """
    if isinstance(pairs, Gs1Pairs) and pairs.unknown:
        return "".join(f"({ai}){value}" for ai, value in pairs)
    return "".join(f"({ai}){value}" for ai, value in _checked_pairs(pairs))


def to_raw(pairs, fnc1=GS):
    """Format validated pairs as transmitted data: element strings concatenated.

    ``fnc1`` separates an element string from the next one unless the AI is of
    predefined length (GS1 General Specifications §7.8.5), and never ends the
    data.  No symbology identifier is added.
    """
    if not (isinstance(pairs, Gs1Pairs) and pairs.unknown):
        pairs = _checked_pairs(pairs)
    out = []
    last = len(pairs) - 1
    for index, (ai, value) in enumerate(pairs):
        out.append(ai)
        out.append(value)
        if index != last and ai[:2] not in PREDEFINED_LENGTH:
            out.append(fnc1)
    return "".join(out)


def looks_like_element_string(data):
    """Cheaply tell whether a scanned code should be parsed as GS1 element strings.

    True for the parenthesised form, for data carrying a GS1 symbology
    identifier or an FNC1 (GS), and for bare digits starting with AI 00, 01,
    02 or 03 whose key has a valid check digit.  A plain number such as an
    EAN-13 is not taken for an element string.  This does not validate: call
    :func:`parse` for that.
    """
    if not isinstance(data, str) or len(data) < 4:
        return False
    if data[0] == "(":
        match = _PAREN_RE.match(data)
        return match is not None and match.group(1) in AI_SPECS
    if data[:3] in SYMBOLOGY_IDENTIFIERS or data[0] == GS:
        return True
    head = data[:2]
    if GS in data:
        return _match_ai(data, 0) is not None
    if head in ("00", "01", "02", "03"):
        key = data[2 : PREDEFINED_LENGTH[head]]
        return len(key) == PREDEFINED_LENGTH[head] - 2 and is_valid_check_digit(key)
    return False
