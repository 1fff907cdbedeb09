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

# The Application Identifiers known here, from the GS1 General Specifications
# §3.2 (same content as GS1's AI syntax dictionary).  One AI or a range of AIs,
# then its components: type N/X/Y/Z, fixed length ("N13") or variable ("X..20"),
# an optional last component in brackets, and after ":" the content checks.
_AI_SPECS = """
00 N18:csum
01 N14:csum
02 N14:csum
03 N14:csum
10 X..20
11 N6:yymmd0
12 N6:yymmd0
13 N6:yymmd0
15 N6:yymmd0
16 N6:yymmd0
17 N6:yymmd0
20 N2
21 X..20
22 X..20
235 X..28
240 X..30
241 X..30
242 N..6
243 X..20
250 X..30
251 X..30
253 N13:csum [X..17]
254 X..20
255 N13:csum [N..12]
30 N..8
3100-3105 N6
3110-3115 N6
3120-3125 N6
3130-3135 N6
3140-3145 N6
3150-3155 N6
3160-3165 N6
3200-3205 N6
3210-3215 N6
3220-3225 N6
3230-3235 N6
3240-3245 N6
3250-3255 N6
3260-3265 N6
3270-3275 N6
3280-3285 N6
3290-3295 N6
3300-3305 N6
3310-3315 N6
3320-3325 N6
3330-3335 N6
3340-3345 N6
3350-3355 N6
3360-3365 N6
3370-3375 N6
3400-3405 N6
3410-3415 N6
3420-3425 N6
3430-3435 N6
3440-3445 N6
3450-3455 N6
3460-3465 N6
3470-3475 N6
3480-3485 N6
3490-3495 N6
3500-3505 N6
3510-3515 N6
3520-3525 N6
3530-3535 N6
3540-3545 N6
3550-3555 N6
3560-3565 N6
3570-3575 N6
3600-3605 N6
3610-3615 N6
3620-3625 N6
3630-3635 N6
3640-3645 N6
3650-3655 N6
3660-3665 N6
3670-3675 N6
3680-3685 N6
3690-3695 N6
37 N..8
3900-3909 N..15
3910-3919 N3 N..15
3920-3929 N..15
3930-3939 N3 N..15
3940-3943 N4
3950-3955 N6
400 X..30
401 X..30
402 N17:csum
403 X..30
410-417 N13:csum
420 X..20
421 N3 X..9
422 N3
423 N..15:iso3166list
424 N3
425 N..15:iso3166list
426 N3
427 X..3
4300-4302 X..35
4303-4306 X..70
4307 X2
4308 X..30
4309 N10 N10
4310-4311 X..35
4312-4316 X..70
4317 X2
4318 X..20
4319 X..30
4320 X..35
4321-4323 N1:yesno
4324-4325 N6:yymmd0 N4:hhmi
4326 N6:yymmdd
4330-4333 N6 [X1]:hyphen
7001 N13
7002 X..30
7003 N6:yymmdd N4:hhmi
7004 N..4
7005 X..12
7006 N6:yymmdd
7007 N6:yymmdd [N6]:yymmdd
7008 X..3
7009 X..10
7010 X..2
7011 N6:yymmdd [N4]:hhmi
7020-7022 X..20
7023 X..30
7030-7039 N3 X..27
7040 N1 X1 X1 X1
7041 X..4
710-717 X..20
7230-7239 X2 X..28
7240 X..20
7241 N2
7242 X..25
8001 N4:nonzero N5:nonzero N3:nonzero N1:winding N1
8002 X..20
8003 N1:zero N13:csum [X..16]
8004 X..30
8005 N6
8006 N14:csum N4:pieceoftotal
8007 X..34
8008 N6:yymmdd N2:hh [N2]:mi [N2]:ss
8009 X..50
8010 Y..30
8011 N..12:nozeroprefix
8012 X..20
8013 X..25
8017-8018 N18:csum
8019 N..10
8020 X..25
8026 N14:csum N4:pieceoftotal
8030 Z..90
8110 X..70
8111 N4
8112 X..70
8200 X..70
90 X..30
91-99 X..90
"""

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


def _load_specs():
    """Expand :data:`_AI_SPECS` into a dict ``ai -> tuple of _Component``."""
    specs = {}
    for line in _AI_SPECS.strip().splitlines():
        ais, *tokens = line.split()
        components = tuple(_Component(token) for token in tokens)
        first, _, last = ais.partition("-")
        width = len(first)
        for number in range(int(first), int(last or first) + 1):
            specs[str(number).zfill(width)] = components
    for ai, components in specs.items():
        predefined = PREDEFINED_LENGTH.get(ai[:2])
        if predefined is not None:
            lengths = {(c.min_len, c.max_len) for c in components}
            assert len(components) == 1 and len(lengths) == 1, ai
            assert components[0].max_len == predefined - len(ai), ai
    return specs


#: ``ai -> components`` for every AI known to this module.
AI_SPECS = _load_specs()


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


def _check(ai, name, value):
    """Apply the content check ``name`` to a component ``value`` of ``ai``."""
    if name == "csum":
        expected = check_digit(value[:-1])
        if value[-1] != expected:
            raise Gs1Error(f"AI ({ai}): check digit {value[-1]} should be {expected}")
        return
    if name in ("yymmd0", "yymmdd"):
        problem = _date_problem(value, _full_year(int(value[:2])), name == "yymmd0")
        if problem:
            raise Gs1Error(f"AI ({ai}): invalid date {value} (YYMMDD): {problem}")
        return
    if name == "hhmi":
        if int(value[:2]) > 23 or int(value[2:]) > 59:
            raise Gs1Error(f"AI ({ai}): invalid time {value} (HHMM)")
        return
    if name in ("hh", "mi", "ss"):
        limit, label = {
            "hh": (23, "hour"),
            "mi": (59, "minutes"),
            "ss": (59, "seconds"),
        }[name]
        if int(value) > limit:
            raise Gs1Error(f"AI ({ai}): invalid {label} {value}")
        return
    if name == "zero":
        if value != "0":
            raise Gs1Error(f"AI ({ai}): the first digit must be 0, got {value}")
        return
    if name == "nonzero":
        if int(value) == 0:
            raise Gs1Error(f"AI ({ai}): {value} must not be zero")
        return
    if name == "yesno":
        if value not in "01":
            raise Gs1Error(f"AI ({ai}): must be 0 or 1, got {value}")
        return
    if name == "winding":
        if value not in "019":
            raise Gs1Error(
                f"AI ({ai}): winding direction must be 0, 1 or 9, got {value}"
            )
        return
    if name == "hyphen":
        if value != "-":
            raise Gs1Error(f"AI ({ai}): the optional sign must be '-', got {value!r}")
        return
    if name == "nozeroprefix":
        if len(value) > 1 and value[0] == "0":
            raise Gs1Error(f"AI ({ai}): {value} must not start with 0")
        return
    if name == "pieceoftotal":
        piece, total = int(value[:2]), int(value[2:])
        if not 1 <= piece <= total:
            raise Gs1Error(
                f"AI ({ai}): piece {value[:2]} of total {value[2:]} is invalid"
            )
        return
    if name == "iso3166list":
        if len(value) % 3:
            raise Gs1Error(
                f"AI ({ai}): must be a list of 3-digit country codes, got {value}"
            )
        return
    raise AssertionError(f"unknown check {name}")  # pragma: no cover


def _describe_length(component):
    """Return the length rule of a component for an error message."""
    kind = "digits" if component.charset == "N" else "characters"
    if component.min_len == component.max_len:
        return f"{component.max_len} {kind}"
    return f"{component.min_len} to {component.max_len} {kind}"


def _validate(ai, value):
    """Raise Gs1Error unless ``value`` is a valid data field of ``ai``."""
    components = AI_SPECS.get(ai)
    if components is None:
        raise Gs1Error(f"unknown AI ({ai})")
    if not isinstance(value, str):
        raise Gs1Error(f"AI ({ai}): value must be a string, got {value!r}")
    if not value:
        raise Gs1Error(f"AI ({ai}): value is empty")
    if len(components) == 1:
        pieces = ((components[0], value),)
    else:
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
    for component, piece in pieces:
        if not component.min_len <= len(piece) <= component.max_len:
            raise Gs1Error(
                f"AI ({ai}): value must be {_describe_length(component)},"
                f" got {len(piece)}"
            )
        charset = _CHARSETS[component.charset]
        for char in piece:
            if char not in charset:
                if component.charset == "N":
                    raise Gs1Error(f"AI ({ai}): value must be numeric, got {piece!r}")
                raise Gs1Error(
                    f"AI ({ai}): character {char!r} is not in the"
                    f" {_CHARSET_NAMES[component.charset]}"
                )
        for name in component.checks:
            _check(ai, name, piece)


def _check_duplicates(pairs):
    """Reject an AI that is repeated with a different value."""
    seen = {}
    for ai, value in pairs:
        if seen.setdefault(ai, value) != value:
            raise Gs1Error(f"AI ({ai}) appears twice with different values")


# --------------------------------------------------------------------------- parse
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
    """Parse ``(AI)value(AI)value...`` into pairs (values are not validated)."""
    tokens = _PAREN_RE.split(data)
    if tokens[0]:
        raise Gs1Error(f"element string must start with '(AI)', got {data[:10]!r}")
    pairs = []
    for index in range(1, len(tokens), 2):
        ai, value = tokens[index], tokens[index + 1]
        if ai not in AI_SPECS:
            raise Gs1Error(f"unknown AI ({ai})")
        pairs.append((ai, value))
    return pairs


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
        ai = _match_ai(data, pos)
        if ai is None:
            raise Gs1Error(f"no known AI at position {pos}: {data[pos : pos + 4]!r}")
        pos += len(ai)
        predefined = PREDEFINED_LENGTH.get(ai[:2])
        if predefined is not None:
            size = predefined - len(ai)
            value = data[pos : pos + size]
            if GS in value or len(value) < size:
                value = value.split(GS, 1)[0]
                raise Gs1Error(
                    f"AI ({ai}): value must be {size} digits, got {len(value)}"
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


def parse(data):
    """Parse GS1 element strings into an ordered list of ``(ai, value)`` pairs.

    ``data`` is either the human-readable form ``(01)09506000134352(21)ABC``
    or the transmitted form ``0109506000134352 21ABC`` where FNC1 separators
    are GS characters (``\\x1d``), optionally preceded by a GS1 symbology
    identifier (``]C1``, ``]e0``, ``]d2``, ``]Q3``, ``]J1``) and/or a leading
    FNC1.  Every value is validated (length, character set, check digit,
    dates, ...); an AI repeated with another value is rejected.  Raises
    :class:`Gs1Error` with a message naming the AI and the rule.
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
    for ai, value in pairs:
        _validate(ai, value)
    _check_duplicates(pairs)
    return pairs


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
    """Format validated ``(ai, value)`` pairs as ``(01)09506000134352(21)ABC``."""
    return "".join(f"({ai}){value}" for ai, value in _checked_pairs(pairs))


def to_raw(pairs, fnc1=GS):
    """Format validated pairs as transmitted data: element strings concatenated.

    ``fnc1`` separates an element string from the next one unless the AI is of
    predefined length (GS1 General Specifications §7.8.5), and never ends the
    data.  No symbology identifier is added.
    """
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
