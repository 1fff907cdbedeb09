"""The EPC schemes introduced in TDS 2.0 ('+') and TDS 2.3 ('++'), with '+AIDC data'.

Plain Python (no Odoo import).  Section numbers are those of the GS1 EPC Tag
Data Standard (TDS) 2.3: Table 14-1 (headers), §14.5 (the encoding methods
introduced in TDS 2.0), §14.6 (the coding tables of SGTIN+, DSGTIN+, SSCC+,
SGLN+, GRAI+, GIAI+, GSRN+, GSRNP+, GDTI+, CPI+, SGCN+, ITIP+ and their '++'
variants) and §15.3 ('+AIDC data', Tables K, F and B).

A '+' EPC is: the 8-bit header, the +AIDC data toggle bit (§14.5.1), the 3-bit
filter (§14.5.2), for DSGTIN+ the prioritised date (§14.5.3), then the values
of the scheme's GS1 Application Identifiers, each coded as Table F says (the
GTIN of SGTIN+ as 14 digits of 4 bits, its serial with an encoding indicator
and a length indicator, ...).  A '++' EPC adds the custom hostname of its
GS1 Digital Link URI (§14.5.16).  When the toggle bit is 1, '+AIDC data'
follows: AI by AI, the AI as 4-bit digits (its length from Table K), then its
value as Table F says (§15.3).  No pure identity URI and no tag URI exist for
these schemes (TDS §14); they translate to and from GS1 element strings and
GS1 Digital Link URIs.
"""

from . import gs1, gs1_ai_table

__all__ = ["HEADERS", "SCHEMES", "PlusEpcError", "decode", "encode"]


class PlusEpcError(ValueError):
    """Invalid '+' / '++' EPC: the message names the rule of TDS it breaks."""


# --------------------------------------------------------------------------- tables
# TDS Table 14-1 and the coding tables of §14.6: header -> (scheme, the AIs
# that the EPC itself carries, in order).  The dates of DSGTIN are first.
_DATE = "date"
SCHEMES = {
    0xF0: ("cpi+", ("8010", "8011")),
    0xF1: ("grai+", ("8003",)),
    0xF2: ("sgln+", ("414", "254")),
    0xF3: ("itip+", ("8006", "21")),
    0xF4: ("gsrn+", ("8018",)),
    0xF5: ("gsrnp+", ("8017",)),
    0xF6: ("gdti+", ("253",)),
    0xF7: ("sgtin+", ("01", "21")),
    0xF8: ("sgcn+", ("255",)),
    0xF9: ("sscc+", ("00",)),
    0xFA: ("giai+", ("8004",)),
    0xFB: ("dsgtin+", (_DATE, "01", "21")),
    0xE6: ("cpi++", ("8010", "8011")),
    0xE7: ("gsrn++", ("8018",)),
    0xE8: ("gsrnp++", ("8017",)),
    0xE9: ("sgln++", ("414", "254")),
    0xEA: ("gdti++", ("253",)),
    0xEB: ("grai++", ("8003",)),
    0xEC: ("sgcn++", ("255",)),
    0xED: ("itip++", ("8006", "21")),
    0xEE: ("giai++", ("8004",)),
    0xEF: ("sscc++", ("00",)),
    0xFC: ("dsgtin++", (_DATE, "01", "21")),
    0xFD: ("sgtin++", ("01", "21")),
}
#: upper-case hex of the headers of the '+' and '++' schemes
HEADERS = frozenset(f"{header:02X}" for header in SCHEMES)
_BY_NAME = {name: header for header, (name, _ais) in SCHEMES.items()}
# GS1 keys whose serial component is optional in an element string but
# required in an EPC: AI -> length of the key without serial (TDS §14.6.4,
# §14.6.8, §14.6.10).
_NEEDS_SERIAL = {"8003": 14, "253": 13, "255": 13}
# TDS §14.5.3: the date type indicator of DSGTIN+ / DSGTIN++.
DATE_TYPES = ("11", "13", "15", "16", "17", "7006", "7007")


def _table_f():
    formats = {}
    for entry in gs1_ai_table.TDS_TABLE_F.split(";"):
        ais, *tokens = entry.split()
        first, _, last = ais.partition("-")
        components = []
        for token in tokens:
            head = token.rstrip("0123456789/")
            numbers = token[len(head) :]
            if "/" in numbers:
                li, maximum = numbers.split("/")
                components.append((head, int(li), int(maximum)))
            else:
                components.append((head, int(numbers or 0), 0))
        for number in range(int(first), int(last or first) + 1):
            formats[str(number).zfill(len(first))] = tuple(components)
    return formats


#: AI -> its components in Table F: ``(method, size or length-indicator bits,
#: maximum length)``; methods ``F`` ``B`` ``A`` ``V`` ``T`` ``D`` ``DT``
#: ``DR`` ``DP`` ``CC`` ``BIT`` ``MINUS`` ``SEQ`` (see gs1_ai_table).
TABLE_F = _table_f()

# Table 14-8: URN Code 40 (index 0 is the pad character).
_URN40 = "\0ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:0123456789"
_URN40_INDEX = {char: index for index, char in enumerate(_URN40) if index}
# Table 14-7: file-safe URI-safe base 64.
_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BASE64_INDEX = {char: index for index, char in enumerate(_BASE64)}
_HEX = "0123456789ABCDEF"
_HEX_UPPER = frozenset("0123456789ABCDEF")
_HEX_LOWER = frozenset("0123456789abcdef")
# Table 14-9: the 7-bit characters, GS1 character sets 82 and 39 ("#").
_ASCII7 = gs1.CSET82 | {"#"}
_DIGITS = frozenset("0123456789")

# §14.5.16 Tables 14-11 to 14-15: the optimisation sequences of hostnames.
_HOST_A = {
    0b0011110: "qr.",
    0b0011111: "www.",
    0b0100000: "id.",
    0b1011011: ".com",
    0b1011100: ".org",
    0b1011101: ".net",
    0b1011110: ".int",
    0b1100000: ".edu",
    0b1111011: ".gov",
    0b1111100: ".mil",
    0b1111101: ".biz",
    0b1111110: ".eco",
    0b1111111: ".med",
}
_HOST_B = {
    0: (
        ".ac .ad .ae .af .ag .ai .al .am .ao .aq .ar .as .at .au .aw .ax .az .ba"
        " .bb .bd .be .bf .bg .bh .bi .bj .bm .bn .bo .bq .br .bs .bt .bw .by .bz"
        " .ca .cc .cd .cf .cg .ch .ci .ck .cl .cm .cn .co .cr .cu .cv .cw .cx .cy"
        " .cz .de .dj .dk .dm .do .dz .ec .ee .eg .eh .er .es .et .eu .fi .fj .fk"
        " .fm .fo .fr .ga .gd .ge .gf .gg .gh .gi .gl .gm .gn .gp .gq .gr .gs .gt"
        " .gu .gw .gy .hk .hm .hn .hr .ht .hu .id .ie .il .im .in .io .iq .ir .is"
        " .it .je .jm .jo .jp .ke .kg .kh .ki .km .kn .kp .kr .kw .ky .kz .la .lb"
        " .lc .li"
    ).split(),
    1: (
        ".lk .lr .ls .lt .lu .lv .ly .ma .mc .md .me .mg .mh .mk .ml .mm .mn .mo"
        " .mp .mq .mr .ms .mt .mu .mv .mw .mx .my .mz .na .nc .ne .nf .ng .ni .nl"
        " .no .np .nr .nu .nz .om .pa .pe .pf .pg .ph .pk .pl .pm .pn .pr .ps .pt"
        " .pw .py .qa .re .ro .rs .ru .rw .sa .sb .sc .sd .se .sg .sh .si .sk .sl"
        " .sm .sn .sr .ss .st .su .sv .sx .sy .sz .tc .td .tf .tg .th .tj .tk .tl"
        " .tm .tn .to .tr .tt .tv .tw .tz .ua .ug .us .uy .uz .va .vc .ve .vg .vi"
        " .vn .vu .wf .ws .ye .yt .za .zm .zw"
    ).split(),
    # Table 14-14 prints the first 7 bits of .org.cn and .net.cn (rows 29 and
    # 30) as 0000000, a misprint for 0000010: they are read and written here
    # at their place in Table B3.
    2: (
        ".com.au .net.au .org.au .co.at .com.bd .co.bd .com.br .net.br .co.nz"
        " .com.ng .com.pk .co.in .com.in .co.il .co.jp .co.za .co.kr .com.es"
        " .com.lk .co.th .co.tt .com.tt .com.tr .biz.tr .com.ua .co.uk .co.zm"
        " .com.zm .com.cn .org.cn .net.cn .gov.cn"
    ).split(),
    3: [".tech"],
}
# every optimisation sequence -> its 7-bit codes, longest first
_HOST_SEQUENCES = sorted(
    [(text, (code,)) for code, text in _HOST_A.items()]
    + [
        (text, (table, index))
        for table, texts in _HOST_B.items()
        for index, text in enumerate(texts)
    ],
    key=lambda item: -len(item[0]),
)


def _value_bits(digits):
    """Bits of a number of ``digits`` digits: ceil(digits * log2 10) (Table B)."""
    return (10**digits - 1).bit_length() if digits else 0


# --------------------------------------------------------------------------- bits
class _Writer:
    __slots__ = ("nbits", "value")

    def __init__(self):
        self.value = 0
        self.nbits = 0

    def put(self, number, nbits):
        if nbits:
            self.value = self.value << nbits | number
            self.nbits += nbits


class _Reader:
    __slots__ = ("end", "pos", "value")

    def __init__(self, value, nbits, pos=0):
        self.value, self.end, self.pos = value, nbits, pos

    @property
    def left(self):
        return self.end - self.pos

    def take(self, nbits, what):
        if self.pos + nbits > self.end:
            raise PlusEpcError(f"{what}: the EPC ends before this value")
        self.pos += nbits
        return (self.value >> (self.end - self.pos)) & ((1 << nbits) - 1)


# --------------------------------------------------------------------------- methods
def _check_date_parts(year, month, day, what):
    if not 1 <= month <= 12 or day > 31:
        raise PlusEpcError(f"{what}: {year:02d}{month:02d}{day:02d} is not a date")
    return f"{year:02d}{month:02d}{day:02d}"


def _read_date(reader, what):
    """§14.5.8: YY in 7 bits, MM in 4, DD in 5."""
    year = reader.take(7, what)
    month = reader.take(4, what)
    day = reader.take(5, what)
    if year > 99:
        raise PlusEpcError(f"{what}: year {year} has more than 2 digits")
    return _check_date_parts(year, month, day, what)


def _write_date(writer, value, what):
    if len(value) != 6 or not value.isdigit():
        raise PlusEpcError(f"{what}: a date is 6 digits YYMMDD, got {value!r}")
    year, month, day = int(value[:2]), int(value[2:4]), int(value[4:])
    _check_date_parts(year, month, day, what)
    writer.put(year, 7)
    writer.put(month, 4)
    writer.put(day, 5)


def _read_time(reader, parts, what):
    """hh in 5 bits, then mm and ss in 6 (§14.5.9, §14.5.11)."""
    values = [reader.take(5 if index == 0 else 6, what) for index in range(parts)]
    if values[0] > 24 or any(value > 59 for value in values[1:]):
        raise PlusEpcError(f"{what}: not a time of day")
    if values[0] == 24 and any(values[1:]):
        raise PlusEpcError(f"{what}: hour 24 must be followed by zeros")
    return "".join(f"{value:02d}" for value in values)


def _write_time(writer, value, what):
    for index in range(0, len(value), 2):
        number = int(value[index : index + 2])
        if (index == 0 and number > 24) or number > 59:
            raise PlusEpcError(f"{what}: {value} is not a time of day")
        writer.put(number, 5 if index == 0 else 6)


def _alnum_choices(value):
    """Encoding indicator -> bits for ``value`` (Table E), the ones that can."""
    length = len(value)
    chars = set(value)
    choices = {}
    if chars <= _DIGITS:
        choices[0] = _value_bits(length)
    if chars <= _HEX_UPPER:
        choices[1] = 4 * length
    if chars <= _HEX_LOWER:
        choices[2] = 4 * length
    if all(char in _BASE64_INDEX for char in value):
        choices[3] = 6 * length
    if chars <= _ASCII7:
        choices[4] = 7 * length
    if all(char in _URN40_INDEX for char in value):
        choices[5] = 16 * ((length + 2) // 3)
    return choices


def _write_alnum(writer, value, li_bits, maximum, what):
    """§14.5.6: the fewest bits among the methods that can carry ``value``."""
    if len(value) > maximum:
        raise PlusEpcError(f"{what}: at most {maximum} characters, got {len(value)}")
    choices = _alnum_choices(value)
    if not choices:
        raise PlusEpcError(f"{what}: {value!r} has a character no method can carry")
    indicator = min(choices, key=lambda key: (choices[key], key))
    writer.put(indicator, 3)
    writer.put(len(value), li_bits if maximum > 1 else 0)
    if indicator == 0:
        writer.put(int(value or "0"), _value_bits(len(value)))
    elif indicator in (1, 2):
        for char in value:
            writer.put(_HEX.index(char.upper()), 4)
    elif indicator == 3:
        for char in value:
            writer.put(_BASE64_INDEX[char], 6)
    elif indicator == 4:
        for char in value:
            writer.put(ord(char), 7)
    else:
        _write_urn40(writer, value)


def _write_urn40(writer, value):
    """§14.5.6.5: 16 bits for each group of 3 characters, padded with index 0."""
    for start in range(0, len(value), 3):
        group = [_URN40_INDEX[char] for char in value[start : start + 3]]
        group += [0] * (3 - len(group))
        writer.put(1600 * group[0] + 40 * group[1] + group[2] + 1, 16)


def _read_urn40(reader, length, what):
    chars = []
    for _ in range((length + 2) // 3):
        number = reader.take(16, what) - 1
        if not 0 <= number < 64000:
            raise PlusEpcError(f"{what}: invalid URN Code 40 value")
        indexes = (number // 1600, number // 40 % 40, number % 40)
        if not indexes[0]:
            raise PlusEpcError(f"{what}: URN Code 40 group starts with a pad")
        chars.extend(_URN40[index] for index in indexes if index)
    text = "".join(chars)
    if len(text) != length:
        raise PlusEpcError(f"{what}: URN Code 40 gives {len(text)} characters")
    return text


def _read_alnum(reader, li_bits, maximum, what, indicator=None):
    """§14.5.6: encoding indicator, length indicator, then the characters."""
    if indicator is None:
        indicator = reader.take(3, what)
    length = reader.take(li_bits, what) if maximum > 1 else 1
    if length > maximum:
        raise PlusEpcError(f"{what}: length {length} is over its maximum {maximum}")
    if indicator == 0:
        return _read_numeric(reader, length, what)
    if indicator in (1, 2):
        text = "".join(_HEX[reader.take(4, what)] for _ in range(length))
        return text if indicator == 1 else text.lower()
    if indicator == 3:
        return "".join(_BASE64[reader.take(6, what)] for _ in range(length))
    if indicator == 4:
        text = "".join(chr(reader.take(7, what)) for _ in range(length))
        bad = next((char for char in text if char not in _ASCII7), None)
        if bad is not None:
            raise PlusEpcError(f"{what}: 7-bit character 0x{ord(bad):02X} not allowed")
        return text
    if indicator == 5:
        return _read_urn40(reader, length, what)
    raise PlusEpcError(f"{what}: encoding indicator {indicator:03b} is reserved")


def _read_numeric(reader, digits, what):
    """An integer in the bits of ``digits`` digits, leading zeros restored."""
    number = reader.take(_value_bits(digits), what)
    text = str(number).zfill(digits) if digits else ""
    if len(text) > digits:
        raise PlusEpcError(f"{what}: {number} has more than {digits} digits")
    return text


def _read_component(reader, component, what):
    """One Table F component of a value (TDS §14.5)."""
    method, size, maximum = component
    if method == "F":
        # 4 bits a digit: the hex digits of the bits are the decimal digits
        digits = f"{reader.take(4 * size, what):0{size}X}"
        if not digits.isdigit():
            raise PlusEpcError(f"{what}: a 4-bit digit is over 9")
        return digits
    if method == "B":
        return _read_numeric(reader, size, what)
    if method == "A":
        return _read_alnum(reader, size, maximum, what)
    if method == "V":
        length = reader.take(size, what) if maximum > 1 else 1
        if length > maximum:
            raise PlusEpcError(f"{what}: length {length} is over {maximum}")
        return _read_numeric(reader, length, what)
    if method == "T":
        return _read_delimited(reader, size, maximum, what)
    return _read_date_like(reader, method, what)


def _read_delimited(reader, li_bits, maximum, what):
    """§14.5.5: 4-bit digits up to 1111 (end) or 1110 (an alphanumeric rest)."""
    digits = []
    while True:
        nibble = reader.take(4, what)
        if nibble <= 9:
            digits.append(str(nibble))
            if len(digits) > maximum:
                raise PlusEpcError(f"{what}: more than {maximum} characters")
        elif nibble == 0b1111:
            return "".join(digits)
        elif nibble == 0b1110:
            rest = _read_alnum(reader, li_bits, maximum - len(digits), what)
            if not rest or rest[0] in _DIGITS:
                raise PlusEpcError(f"{what}: the delimiter must precede a non-digit")
            return "".join(digits) + rest
        else:
            raise PlusEpcError(f"{what}: invalid 4-bit value {nibble:04b}")


def _read_date_like(reader, method, what):
    if method == "D":
        return _read_date(reader, what)
    if method == "DT":
        return _read_date(reader, what) + _read_time(reader, 2, what)
    if method == "DR":
        dates = 2 if reader.take(1, what) else 1
        return "".join(_read_date(reader, what) for _ in range(dates))
    if method == "DP":
        form = reader.take(2, what)
        date = _read_date(reader, what)
        return date + (_read_time(reader, form + 1, what) if form != 3 else "")
    if method == "CC":
        letters = [reader.take(6, what) for _ in range(2)]
        if any(letter > 25 for letter in letters):
            raise PlusEpcError(f"{what}: a country code has letters A-Z only")
        return "".join(chr(65 + letter) for letter in letters)
    if method == "BIT":
        return str(reader.take(1, what))
    if method == "MINUS":
        return "-" if reader.take(1, what) else ""
    if method == "SEQ":
        first, last = reader.take(4, what), reader.take(4, what)
        if not (1 <= first <= 9 and 1 <= last <= 9):
            raise PlusEpcError(f"{what}: a sequence indicator has digits 1-9")
        return f"{first}/{last}"
    raise PlusEpcError(f"{what}: unknown method {method}")  # pragma: no cover


def _split_value(ai, value, components):
    """The value of ``ai`` cut into the pieces of its Table F components."""
    first = components[0]
    if len(components) == 1:
        return [value]
    method, size, _maximum = first
    fixed = {"F": size, "B": size}.get(method)
    if fixed is None:  # pragma: no cover - every 2-component AI starts fixed
        raise PlusEpcError(f"AI ({ai}): no fixed first component")
    return [value[:fixed], value[fixed:]]


def _write_component(writer, component, piece, what):
    method, size, maximum = component
    if method in ("F", "B"):
        if len(piece) != size or not piece.isdigit():
            raise PlusEpcError(f"{what}: must be {size} digits, got {piece!r}")
        if method == "F":
            for digit in piece:
                writer.put(int(digit), 4)
        else:
            writer.put(int(piece), _value_bits(size))
    elif method == "A":
        _write_alnum(writer, piece, size, maximum, what)
    elif method == "V":
        if (piece and not piece.isdigit()) or len(piece) > maximum:
            raise PlusEpcError(f"{what}: 0 to {maximum} digits, got {piece!r}")
        writer.put(len(piece), size if maximum > 1 else 0)
        writer.put(int(piece or "0"), _value_bits(len(piece)))
    elif method == "T":
        _write_delimited(writer, piece, size, maximum, what)
    else:
        _write_date_like(writer, method, piece, what)


def _write_delimited(writer, piece, li_bits, maximum, what):
    if len(piece) > maximum:
        raise PlusEpcError(f"{what}: at most {maximum} characters, got {len(piece)}")
    count = len(piece) - len(piece.lstrip("0123456789"))
    for digit in piece[:count]:
        writer.put(int(digit), 4)
    if count == len(piece):
        writer.put(0b1111, 4)
        return
    writer.put(0b1110, 4)
    _write_alnum(writer, piece[count:], li_bits, maximum - count, what)


def _write_date_like(writer, method, piece, what):
    if method == "D":
        _write_date(writer, piece, what)
    elif method == "DT":
        if len(piece) != 10:
            raise PlusEpcError(f"{what}: YYMMDDhhmm has 10 digits, got {piece!r}")
        _write_date(writer, piece[:6], what)
        _write_time(writer, piece[6:], what)
    elif method == "DR":
        if len(piece) not in (6, 12):
            raise PlusEpcError(f"{what}: a date or a date range, got {piece!r}")
        writer.put(len(piece) == 12, 1)
        for start in range(0, len(piece), 6):
            _write_date(writer, piece[start : start + 6], what)
    elif method == "DP":
        forms = {6: 3, 8: 0, 10: 1, 12: 2}
        if len(piece) not in forms or not piece.isdigit():
            raise PlusEpcError(f"{what}: 6, 8, 10 or 12 digits, got {piece!r}")
        writer.put(forms[len(piece)], 2)
        _write_date(writer, piece[:6], what)
        _write_time(writer, piece[6:], what)
    else:
        _write_small(writer, method, piece, what)


def _write_small(writer, method, piece, what):
    """Country code, single bit, minus sign, sequence indicator (§14.5.7,
    §14.5.12, §14.5.14, §14.5.15)."""
    if method == "CC":
        if len(piece) != 2 or not all("A" <= char <= "Z" for char in piece):
            raise PlusEpcError(f"{what}: 2 letters A-Z, got {piece!r}")
        for char in piece:
            writer.put(ord(char) - 65, 6)
    elif method == "BIT":
        if piece not in ("0", "1"):
            raise PlusEpcError(f"{what}: 0 or 1, got {piece!r}")
        writer.put(int(piece), 1)
    elif method == "MINUS":
        if piece not in ("", "-"):
            raise PlusEpcError(f"{what}: only '-' may follow, got {piece!r}")
        writer.put(piece == "-", 1)
    elif method == "SEQ":
        if (
            len(piece) != 3
            or piece[1] != "/"
            or not set(piece[::2]) <= set("123456789")
        ):
            raise PlusEpcError(f"{what}: n/m with digits 1-9, got {piece!r}")
        writer.put(int(piece[0]), 4)
        writer.put(int(piece[2]), 4)


def _read_value(reader, ai):
    components = TABLE_F.get(ai)
    if components is None:
        raise PlusEpcError(f"AI ({ai}) has no binary format in TDS Table F")
    what = f"AI ({ai})"
    return "".join(_read_component(reader, component, what) for component in components)


def _write_value(writer, ai, value):
    components = TABLE_F.get(ai)
    if components is None:
        raise PlusEpcError(f"AI ({ai}) has no binary format in TDS Table F")
    what = f"AI ({ai})"
    for component, piece in zip(
        components, _split_value(ai, value, components), strict=True
    ):
        _write_component(writer, component, piece, what)


# --------------------------------------------------------------------------- hostname
def _write_hostname(writer, hostname):
    """§14.5.16.1: URN Code 40 when it can, else 7-bit with optimisations."""
    if not hostname or any(char not in gs1.CSET82 for char in hostname):
        raise PlusEpcError(f"hostname {hostname!r}: characters of GS1 set 82 only")
    if len(hostname) > 63:
        raise PlusEpcError(f"hostname {hostname!r} is longer than 63 characters")
    if all(char in _URN40_INDEX for char in hostname):
        writer.put(0, 1)
        writer.put(len(hostname), 6)
        _write_urn40(writer, hostname)
        return
    codes = []
    pos = 0
    while pos < len(hostname):
        for text, code in _HOST_SEQUENCES:
            if hostname.startswith(text, pos):
                codes.extend(code)
                pos += len(text)
                break
        else:
            codes.append(ord(hostname[pos]))
            pos += 1
    writer.put(1, 1)
    writer.put(len(codes), 6)
    for code in codes:
        writer.put(code, 7)


def _read_hostname(reader):
    what = "hostname"
    if not reader.take(1, what):
        return _read_urn40(reader, reader.take(6, what), what)
    units = reader.take(6, what)
    parts = []
    read = 0
    while read < units:
        code = reader.take(7, what)
        read += 1
        if code <= 3:
            index = reader.take(7, what)
            read += 1
            table = _HOST_B[code]
            if index >= len(table):
                raise PlusEpcError(f"{what}: optimisation code {code}.{index} is RFU")
            parts.append(table[index])
        elif code in _HOST_A:
            parts.append(_HOST_A[code])
        elif chr(code) in _ASCII7:  # Table 14-11 also lists "#"
            parts.append(chr(code))
        else:
            raise PlusEpcError(f"{what}: 7-bit value {code:07b} is reserved")
    if read != units:
        raise PlusEpcError(f"{what}: a 14-bit sequence runs past its length")
    return "".join(parts)


# --------------------------------------------------------------------------- EPC
def _read_aidc(reader, pairs):
    """§15.3: AIs and values after the EPC, until the padding."""
    while reader.left >= 8:
        if not reader.value & ((1 << reader.left) - 1):
            break  # only zero bits left: the padding to the last word
        first = reader.take(4, "+AIDC data")
        second = reader.take(4, "+AIDC data")
        if first > 9 or second > 9:
            break  # headers with A-F are not defined (TDS §15.3, TDT §4.2)
        head = f"{first}{second}"
        if head == "00" and reader.left < 72:
            break  # zero padding: no SSCC fits here
        length = gs1.AI_LENGTH_BY_PREFIX.get(head)
        if length is None:
            raise PlusEpcError(f"+AIDC data: no AI starts with {head} (TDS Table K)")
        ai = head
        for _ in range(length - 2):
            digit = reader.take(4, "+AIDC data")
            if digit > 9:
                raise PlusEpcError(f"+AIDC data: AI {ai}... has a digit over 9")
            ai += str(digit)
        pairs.append((ai, _read_value(reader, ai)))


def decode(code):
    """Decode upper-case hex ``code`` of a '+' / '++' EPC.

    Returns a dict: ``scheme``, ``filter``, ``toggle`` (the +AIDC data toggle
    bit), ``pairs`` (the ``(ai, value)`` pairs of the EPC, then of the +AIDC
    data), ``hostname`` ('++' only), ``bits`` (the bits used, EPC and data).
    The pairs are checked like any element string (check digits, dates, ...).
    Bits after the EPC are ignored when the toggle bit is 0 (TDS §15.2.2).
    """
    header = int(code[:2], 16)
    name, key_ais = SCHEMES[header]
    nbits = 4 * len(code)
    reader = _Reader(int(code, 16), nbits, 8)
    toggle = reader.take(1, name)
    filter_value = reader.take(3, name)
    pairs = []
    for ai in key_ais:
        if ai == _DATE:
            date_type = reader.take(4, f"{name}: date type")
            if date_type >= len(DATE_TYPES):
                raise PlusEpcError(f"{name}: date type {date_type:04b} is reserved")
            date_pair = (DATE_TYPES[date_type], _read_date(reader, f"{name}: date"))
            continue
        pairs.append((ai, _read_value(reader, ai)))
    if key_ais[0] == _DATE:
        pairs.append(date_pair)
    hostname = _read_hostname(reader) if name.endswith("++") else None
    if toggle:
        _read_aidc(reader, pairs)
    used = reader.pos
    pairs = _checked_pairs(name, pairs)
    return {
        "scheme": name,
        "filter": filter_value,
        "toggle": bool(toggle),
        "pairs": tuple(pairs),
        "hostname": hostname,
        "bits": used,
    }


def _checked_pairs(name, pairs):
    """The pairs as an element string must be valid; the keys serialised."""
    for ai, value in pairs:
        if _NEEDS_SERIAL.get(ai) == len(value):
            raise PlusEpcError(f"{name}: AI ({ai}) has no serial component")
    if name.startswith("sgln") and dict(pairs).get("254") == "0":
        # TDS §14.6.3: extension 0 stands for the GLN itself
        pairs = [pair for pair in pairs if pair[0] != "254"]
    try:
        gs1.validate_pairs(pairs)
    except gs1.Gs1Error as error:
        raise PlusEpcError(f"{name}: {error}") from None
    return pairs


def encode(scheme, pairs, *, filter=0, hostname=None):
    """Encode a '+' / '++' EPC to upper-case hex (whole 16-bit words).

    ``pairs`` are ``(ai, value)`` pairs: the AIs the scheme carries (SGTIN+:
    (01) and (21); DSGTIN+: also one of the dates of TDS §14.5.3, the first
    given; SGLN+: (414) and an optional (254); ...), every other pair becomes
    +AIDC data (and sets the toggle bit).  ``hostname`` is required by the
    '++' schemes and refused by the others.
    """
    header = _BY_NAME.get(scheme.lower() if isinstance(scheme, str) else None)
    if header is None:
        raise PlusEpcError(
            f"unsupported scheme {scheme!r}; supported: {', '.join(_BY_NAME)}"
        )
    name, key_ais = SCHEMES[header]
    if isinstance(filter, bool) or not isinstance(filter, int) or not 0 <= filter <= 7:
        raise PlusEpcError(f"filter must be an integer 0 to 7, got {filter!r}")
    pairs = [tuple(pair) for pair in pairs]
    try:
        gs1.validate_pairs(pairs)
    except gs1.Gs1Error as error:
        raise PlusEpcError(f"{name}: {error}") from None
    values = dict(pairs)
    if name.startswith("sgln"):
        values.setdefault("254", "0")
    carried = [ai for ai in key_ais if ai != _DATE]
    if key_ais[0] == _DATE:
        date_ai = next((ai for ai, _value in pairs if ai in DATE_TYPES), None)
        if date_ai is None:
            raise PlusEpcError(f"{name} needs a date: one of " + ", ".join(DATE_TYPES))
        carried.append(date_ai)
    missing = [ai for ai in carried if ai not in values]
    if missing:
        raise PlusEpcError(f"{name} needs AI ({missing[0]})")
    for ai in carried:
        if _NEEDS_SERIAL.get(ai) == len(values[ai]):
            raise PlusEpcError(f"{name}: AI ({ai}) needs its serial component")
    if name.endswith("++") != (hostname is not None):
        raise PlusEpcError(
            f"{name}: a hostname is "
            + ("required" if name.endswith("++") else "only for the '++' schemes")
        )
    extra = [(ai, value) for ai, value in pairs if ai not in carried]
    writer = _Writer()
    writer.put(header, 8)
    writer.put(bool(extra), 1)
    writer.put(filter, 3)
    for ai in key_ais:
        if ai == _DATE:
            writer.put(DATE_TYPES.index(date_ai), 4)
            _write_date(writer, values[date_ai], f"{name}: date")
        else:
            _write_value(writer, ai, values[ai])
    if hostname is not None:
        _write_hostname(writer, hostname)
    for ai, value in extra:
        for digit in ai:
            writer.put(int(digit), 4)
        _write_value(writer, ai, value)
    words = (writer.nbits + 15) // 16
    return f"{writer.value << (16 * words - writer.nbits):0{4 * words}X}"
