"""EPC binary encodings, EPC URIs and GS1 element strings (GS1 EPC Tag Data Standard).

Plain Python (no Odoo import).  Section numbers are those of the GS1 EPC Tag
Data Standard (TDS) 2.x; the tables are also in TDS 1.x under the same names.

Supported binary encodings (TDS §14: header values, and coding tables of §14.5):

=========  ======  ====  ==========================================
scheme     header  bits  fields after filter and partition
=========  ======  ====  ==========================================
sgtin-96   0x30    96    company prefix, item reference, serial (38)
sscc-96    0x31    96    company prefix, serial reference, 24 zero bits
sgln-96    0x32    96    company prefix, location reference, extension (41)
grai-96    0x33    96    company prefix, asset type, serial (38)
giai-96    0x34    96    company prefix, asset reference (integer)
grai-170   0x37    170   company prefix, asset type, serial (16 chars x 7 bits)
giai-202   0x38    202   company prefix, asset reference (7-bit string)
=========  ======  ====  ==========================================

Any other header (another TDS scheme, an unprogrammed tag, a non-GS1 EPC) is
not an error: it decodes to an :class:`Epc` of scheme ``'raw'`` whose tag URI
is the EPC Raw URI ``urn:epc:raw:<bits>.x<HEX>`` (TDS §12).

Hexadecimal EPCs are accepted in either case, as readers report them: whole
16-bit words (a 170-bit GRAI-170 is 44 hex digits, its last 6 bits zero), or
the shortest hex form of the GS1 scheme (43 digits for GRAI-170, 51 for
GIAI-202).  :func:`encode` returns upper-case hex in whole 16-bit words, the
form written to the EPC bank of a Gen2 tag.
"""

import re
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache

from . import gs1

__all__ = [
    "SCHEMES",
    "Epc",
    "EpcError",
    "decode",
    "decode_hex",
    "encode",
    "epc_from_element_string",
    "is_epc_hex",
    "parse_uri",
    "pure_uri_to_hex",
    "tag_uri_to_hex",
]


class EpcError(ValueError):
    """Invalid EPC: bad hex, a value that does not fit, a rule of TDS broken."""


# --------------------------------------------------------------------------- tables
# Partition tables, indexed by the partition value P: (GS1 company prefix bits,
# company prefix digits, other field bits, other field digits or characters).
#: TDS §14.5, SGTIN partition table (item reference digits include the indicator).
SGTIN_PARTITIONS = (
    (40, 12, 4, 1),
    (37, 11, 7, 2),
    (34, 10, 10, 3),
    (30, 9, 14, 4),
    (27, 8, 17, 5),
    (24, 7, 20, 6),
    (20, 6, 24, 7),
)
#: TDS §14.5, SSCC partition table (serial reference digits include the extension).
SSCC_PARTITIONS = (
    (40, 12, 18, 5),
    (37, 11, 21, 6),
    (34, 10, 24, 7),
    (30, 9, 28, 8),
    (27, 8, 31, 9),
    (24, 7, 34, 10),
    (20, 6, 38, 11),
)
#: TDS §14.5, SGLN partition table (location reference).
SGLN_PARTITIONS = (
    (40, 12, 1, 0),
    (37, 11, 4, 1),
    (34, 10, 7, 2),
    (30, 9, 11, 3),
    (27, 8, 14, 4),
    (24, 7, 17, 5),
    (20, 6, 21, 6),
)
#: TDS §14.5, GRAI partition table (asset type), for GRAI-96 and GRAI-170.
GRAI_PARTITIONS = (
    (40, 12, 4, 0),
    (37, 11, 7, 1),
    (34, 10, 10, 2),
    (30, 9, 14, 3),
    (27, 8, 17, 4),
    (24, 7, 20, 5),
    (20, 6, 24, 6),
)
#: TDS §14.5, GIAI-96 partition table (asset reference: bits, max digits).
GIAI96_PARTITIONS = (
    (40, 12, 42, 13),
    (37, 11, 45, 14),
    (34, 10, 48, 15),
    (30, 9, 52, 16),
    (27, 8, 55, 17),
    (24, 7, 58, 18),
    (20, 6, 62, 19),
)
#: TDS §14.5, GIAI-202 partition table (asset reference: bits, max characters).
GIAI202_PARTITIONS = (
    (40, 12, 148, 18),
    (37, 11, 151, 19),
    (34, 10, 154, 20),
    (30, 9, 158, 21),
    (27, 8, 161, 22),
    (24, 7, 164, 23),
    (20, 6, 168, 24),
)


class _Scheme:
    """Layout of one binary encoding, with the shifts and masks precomputed."""

    __slots__ = (
        "bits",
        "header",
        "hex_lengths",
        "identity",
        "name",
        "partitions",
        "rows",
        "tail_bits",
    )

    def __init__(self, name, header, bits, partitions, tail_bits):
        """Describe scheme ``name``; ``tail_bits`` follow the partitioned field."""
        self.name = name
        self.identity = name.partition("-")[0]
        self.header = header
        self.bits = bits
        self.partitions = partitions
        self.tail_bits = tail_bits
        # Accepted hex lengths: shortest hex form and whole 16-bit words.
        self.hex_lengths = ((bits + 3) // 4, (bits + 15) // 16 * 4)
        # Per partition value: (company prefix shift, mask, limit, digits,
        # other field shift, mask, limit, digits); limits are 10**digits.
        self.rows = tuple(
            (
                tail_bits + other_bits,
                (1 << cp_bits) - 1,
                10**cp_digits,
                cp_digits,
                tail_bits,
                (1 << other_bits) - 1,
                10**other_digits,
                other_digits,
            )
            for cp_bits, cp_digits, other_bits, other_digits in partitions
        )


#: The supported binary encodings by name.
SCHEMES = {
    scheme.name: scheme
    for scheme in (
        _Scheme("sgtin-96", 0x30, 96, SGTIN_PARTITIONS, 38),
        _Scheme("sscc-96", 0x31, 96, SSCC_PARTITIONS, 24),
        _Scheme("sgln-96", 0x32, 96, SGLN_PARTITIONS, 41),
        _Scheme("grai-96", 0x33, 96, GRAI_PARTITIONS, 38),
        _Scheme("giai-96", 0x34, 96, GIAI96_PARTITIONS, 0),
        _Scheme("grai-170", 0x37, 170, GRAI_PARTITIONS, 112),
        _Scheme("giai-202", 0x38, 202, GIAI202_PARTITIONS, 0),
    )
}
# Upper-case hex of the header -> scheme.
_BY_HEADER = {f"{scheme.header:02X}": scheme for scheme in SCHEMES.values()}
_IDENTITIES = ("sgtin", "sscc", "sgln", "grai", "giai")
#: Field names (besides company_prefix) of each EPC scheme, in URI order.
FIELDS = {
    "sgtin": ("item_reference", "serial"),
    "sscc": ("serial_reference",),
    "sgln": ("location_reference", "extension"),
    "grai": ("asset_type", "serial"),
    "giai": ("asset_reference",),
}
_LABELS = {
    "company_prefix": "company prefix",
    "item_reference": "item reference",
    "serial": "serial",
    "serial_reference": "serial reference",
    "location_reference": "location reference",
    "extension": "extension",
    "asset_type": "asset type",
    "asset_reference": "asset reference",
}
# Digits of the GS1 key that precede the check digit, company prefix included.
_KEY_DIGITS = {"sgtin": 13, "sscc": 17, "sgln": 12, "grai": 12}
_SERIAL_MAX = {"sgtin": 20, "sgln": 20, "grai": 16}

_MAX_HEX = 124  # 31 words: the largest EPC a Gen2 PC word can announce
_HEX_RE = re.compile(r"[0-9A-Fa-f]+")
_DIGITS_RE = re.compile(r"[0-9]+")
_INTEGER_RE = re.compile(r"0|[1-9][0-9]*")
# TDS §6 grammar: GS3A3Component, the characters of Appendix A with the seven
# that a URI cannot carry written as escape triplets.
_GS3A3_RE = re.compile(r"(?:[A-Za-z0-9!'()*+,\-.:;=_]|%(?:22|25|26|2[Ff]|3[CcEeFf]))+")
_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_URI_ESCAPES = str.maketrans(
    {
        '"': "%22",
        "%": "%25",
        "&": "%26",
        "/": "%2F",
        "<": "%3C",
        ">": "%3E",
        "?": "%3F",
    }
)
_RAW_URI_RE = re.compile(r"urn:epc:raw:([1-9][0-9]*)\.x([0-9A-Fa-f]+)")


def _escape(text):
    """Write ``text`` as a TDS URI component (escape triplets where needed)."""
    return text.translate(_URI_ESCAPES)


def _unescape(component, what):
    """Read a TDS GS3A3Component, decoding its escape triplets."""
    if not _GS3A3_RE.fullmatch(component):
        raise EpcError(f"{what} {component!r} is not a valid EPC URI component")
    if "%" not in component:
        return component
    return _ESCAPE_RE.sub(lambda match: chr(int(match.group(1), 16)), component)


# --------------------------------------------------------------------------- Epc
@dataclass(frozen=True)
class Epc:
    """A decoded EPC.

    ``scheme`` is the binary encoding (``'sgtin-96'``, ``'giai-202'``, ...)
    for an EPC read from hex or a tag URI, the bare EPC scheme (``'sgtin'``,
    ...) for one read from a pure-identity URI (which has no binary form, no
    filter and no hex), or ``'raw'`` for an EPC this module does not decode.
    Text fields hold the decoded characters (no URI escapes).
    """

    scheme: str
    hex: str | None = None
    bits: int | None = None
    filter: int | None = None
    company_prefix: str | None = None
    item_reference: str | None = None
    serial: str | None = None
    serial_reference: str | None = None
    location_reference: str | None = None
    extension: str | None = None
    asset_type: str | None = None
    asset_reference: str | None = None

    @property
    def identity(self):
        """EPC scheme of the pure identity (``'sgtin'``, ...), None for raw."""
        if self.scheme == "raw":
            return None
        return self.scheme.partition("-")[0]

    def _uri_body(self):
        """The fields of the pure identity as written in both URIs."""
        identity = self.identity
        cp = self.company_prefix
        if identity == "sgtin":
            return f"{cp}.{self.item_reference}.{_escape(self.serial)}"
        if identity == "sscc":
            return f"{cp}.{self.serial_reference}"
        if identity == "sgln":
            return f"{cp}.{self.location_reference}.{_escape(self.extension)}"
        if identity == "grai":
            return f"{cp}.{self.asset_type}.{_escape(self.serial)}"
        return f"{cp}.{_escape(self.asset_reference)}"

    @property
    def pure_uri(self):
        """EPC pure identity URI (TDS §6), e.g. ``urn:epc:id:giai:0614141.5678``."""
        if self.scheme == "raw":
            return None
        return f"urn:epc:id:{self.identity}:{self._uri_body()}"

    @property
    def tag_uri(self):
        """EPC tag URI (TDS §12), or the EPC raw URI; None for a pure identity."""
        if self.scheme == "raw":
            return f"urn:epc:raw:{self.bits}.x{self.hex}"
        if self.hex is None:
            return None
        return f"urn:epc:tag:{self.scheme}:{self.filter}.{self._uri_body()}"

    @property
    def gs1_pairs(self):
        """The GS1 element strings of this EPC (TDS §7) as ``(ai, value)`` pairs."""
        identity = self.identity
        cp = self.company_prefix
        if identity == "sgtin":
            key = self.item_reference[0] + cp + self.item_reference[1:]
            return (("01", key + gs1.check_digit(key)), ("21", self.serial))
        if identity == "sscc":
            key = self.serial_reference[0] + cp + self.serial_reference[1:]
            return (("00", key + gs1.check_digit(key)),)
        if identity == "sgln":
            key = cp + self.location_reference
            pairs = (("414", key + gs1.check_digit(key)),)
            if self.extension != "0":
                pairs += (("254", self.extension),)
            return pairs
        if identity == "grai":
            key = "0" + cp + self.asset_type
            return (("8003", key + gs1.check_digit(key) + self.serial),)
        if identity == "giai":
            return (("8004", cp + self.asset_reference),)
        return ()

    @property
    def element_string(self):
        """GS1 element string in parentheses, e.g. ``(8004)06141415678``."""
        if self.scheme == "raw":
            return None
        return "".join(f"({ai}){value}" for ai, value in self.gs1_pairs)


_EMPTY = {field.name: None for field in dataclass_fields(Epc)}


def _new_epc(values):
    """Build an Epc from a dict of all its fields, without the frozen __init__.

    The dataclass ``__init__`` of a frozen class sets each of the 12 fields
    through ``object.__setattr__``; filling the instance dict at once is about
    three times faster, which matters at 100,000 reads a batch.  ``values``
    must hold every field (start from ``_EMPTY``).
    """
    epc = object.__new__(Epc)
    epc.__dict__.update(values)
    return epc


# --------------------------------------------------------------------------- decode
def _decode_string(value, nbits, max_chars, what):
    """Decode a TDS §14.4 "String" field (7-bit chars, zero-terminated or full)."""
    chars = []
    shift = nbits
    while shift >= 7:
        code = (value >> (shift - 7)) & 0x7F
        if not code:
            break
        char = chr(code)
        if char not in gs1.CSET82:
            raise EpcError(
                f"{what} has character 0x{code:02X}, not in the GS1 character set 82"
            )
        chars.append(char)
        shift -= 7
    if not chars:
        raise EpcError(f"{what} is empty")
    if len(chars) > max_chars:
        raise EpcError(f"{what} is longer than {max_chars} characters")
    if value & ((1 << shift) - 1):
        raise EpcError(f"{what} has non-zero bits after its last character")
    return "".join(chars)


def _decode_value(scheme, value, code):
    """Decode the ``scheme.bits``-bit ``value`` (hex ``code``) into an Epc."""
    name = scheme.name
    rest = scheme.bits - 14
    partition = (value >> rest) & 7
    if partition == 7:
        raise EpcError(f"{name}: partition value 7 is not valid")
    cp_shift, cp_mask, cp_limit, cp_digits, shift, mask, limit, digits = scheme.rows[
        partition
    ]
    cp = (value >> cp_shift) & cp_mask
    if cp >= cp_limit:
        raise EpcError(
            f"{name}: company prefix {cp} does not fit in {cp_digits} digits"
            f" (partition {partition})"
        )
    fields = dict(
        _EMPTY,
        scheme=name,
        hex=code,
        bits=scheme.bits,
        filter=(value >> (rest + 3)) & 7,
        company_prefix=str(cp).zfill(cp_digits),
    )
    other = (value >> shift) & mask
    identity = scheme.identity
    if identity == "giai":
        if name == "giai-96":
            fields["asset_reference"] = str(other)
        else:
            fields["asset_reference"] = _decode_string(
                other, mask.bit_length(), digits, f"{name}: asset reference"
            )
        return _new_epc(fields)
    if other >= limit:
        label = _LABELS[FIELDS[identity][0]]
        raise EpcError(
            f"{name}: {label} {other} does not fit in {digits}"
            f" digit{'' if digits == 1 else 's'}"
            f" (partition {partition})"
        )
    reference = str(other).zfill(digits) if digits else ""
    tail = value & ((1 << shift) - 1)
    if identity == "sgtin":
        fields["item_reference"] = reference
        fields["serial"] = str(tail)
    elif identity == "sscc":
        if tail:
            raise EpcError(f"{name}: the {shift} unallocated bits must be zero")
        fields["serial_reference"] = reference
    elif identity == "sgln":
        fields["location_reference"] = reference
        fields["extension"] = str(tail)
    else:
        fields["asset_type"] = reference
        if name == "grai-96":
            fields["serial"] = str(tail)
        else:
            fields["serial"] = _decode_string(tail, shift, 16, f"{name}: serial")
    return _new_epc(fields)


def _raw(code, bits=None):
    """Return the raw :class:`Epc` of upper-case hex ``code``."""
    return _new_epc(dict(_EMPTY, scheme="raw", hex=code, bits=bits or 4 * len(code)))


@lru_cache(maxsize=4096)
def _decode_upper_hex(code, strict):
    """Decode validated upper-case hex; cached, as readers repeat the same EPCs."""
    length = len(code)
    scheme = _BY_HEADER.get(code[:2])
    if scheme is None or length not in scheme.hex_lengths:
        if length % 4 or length > _MAX_HEX:
            raise EpcError(
                "EPC hex must be whole 16-bit words (a multiple of 4 hex digits,"
                f" at most {_MAX_HEX}), got {length} hex digits"
            )
        if scheme is None:
            return _raw(code)
        if strict:
            short, words = scheme.hex_lengths
            expected = f"{short}" if short == words else f"{short} or {words}"
            raise EpcError(
                f"{scheme.name} needs {scheme.bits} bits ({expected} hex digits),"
                f" got {length} hex digits"
            )
        return _raw(code)
    value = int(code, 16)
    padding = 4 * length - scheme.bits
    try:
        if padding:
            if value & ((1 << padding) - 1):
                raise EpcError(
                    f"{scheme.name}: the {padding} bits after bit {scheme.bits}"
                    " must be zero"
                )
            value >>= padding
        return _decode_value(scheme, value, code)
    except EpcError:
        if strict:
            raise
        return _raw(code)


def decode_hex(code, *, strict=True):
    """Decode a hexadecimal EPC (any case) into an :class:`Epc`.

    Unknown headers give a ``'raw'`` Epc.  An EPC of a supported GS1 scheme
    that breaks a rule of TDS (length, partition value 7, a field too large
    for its digits, non-zero padding, a character outside the GS1 set)
    raises :class:`EpcError`; with ``strict=False`` it gives a ``'raw'`` Epc
    instead, as the EPC memory bank decoding of TDS §15.2.2 does.
    """
    if not isinstance(code, str) or not _HEX_RE.fullmatch(code):
        raise EpcError(f"EPC must be hexadecimal, got {code!r}")
    return _decode_upper_hex(code.upper(), bool(strict))


def is_epc_hex(code):
    """Cheaply tell whether a scanned code may be a hex EPC (96 to 496 bits).

    True for hex digits in whole 16-bit words, 24 to 124 digits (96, 128, ...,
    176 for GRAI-170, 208 for GIAI-202, ...), and for the shortest hex forms
    of GRAI-170 (43 digits) and GIAI-202 (51 digits).
    """
    if not isinstance(code, str):
        return False
    length = len(code)
    if length % 4:
        if not (
            (length == 43 and code[:2] == "37") or (length == 51 and code[:2] == "38")
        ):
            return False
    elif not 24 <= length <= _MAX_HEX:
        return False
    return _HEX_RE.fullmatch(code) is not None


# --------------------------------------------------------------------------- encode
def _scheme(name):
    """Return the :class:`_Scheme` called ``name`` (case-insensitive)."""
    scheme = SCHEMES.get(name.lower()) if isinstance(name, str) else None
    if scheme is None:
        raise EpcError(
            f"unsupported EPC scheme {name!r}; supported: {', '.join(SCHEMES)}"
        )
    return scheme


def _text(value, what):
    """Return ``value`` as text; non-negative integers are written in decimal."""
    if isinstance(value, bool):
        raise EpcError(f"{what} must be text, got {value!r}")
    if isinstance(value, int) and value >= 0:
        return str(value)
    if not isinstance(value, str):
        raise EpcError(f"{what} must be text, got {value!r}")
    return value


def _digits(value, size, what, name):
    """Check a padded numeric field of exactly ``size`` digits."""
    if not isinstance(value, str):
        raise EpcError(f"{name}: {what} must be a string of digits, got {value!r}")
    if len(value) != size or (size and not _DIGITS_RE.fullmatch(value)):
        raise EpcError(f"{name}: {what} must be {size} digits, got {value!r}")
    return int(value) if size else 0


def _integer(value, nbits, what, name, other):
    """Check a numeric serial of a 96-bit scheme: digits, no leading zero, fits."""
    if not _DIGITS_RE.fullmatch(value):
        raise EpcError(f"{name}: {what} {value!r} is not numeric (use {other})")
    if not _INTEGER_RE.fullmatch(value):
        raise EpcError(
            f"{name}: {what} {value!r} has a leading zero, which {name} cannot"
            f" encode (use {other})"
        )
    number = int(value)
    if number >= 1 << nbits:
        raise EpcError(
            f"{name}: {what} {value} is larger than 2^{nbits}-1 = {(1 << nbits) - 1}"
        )
    return number


def _string_bits(value, nbits, max_chars, what, name):
    """Encode a TDS §14.3 "String" field: 7-bit characters, then zero bits."""
    if not value:
        raise EpcError(f"{name}: {what} is empty")
    if len(value) > max_chars:
        raise EpcError(
            f"{name}: {what} {value!r} is longer than {max_chars} characters"
        )
    number = 0
    for char in value:
        if char not in gs1.CSET82:
            raise EpcError(
                f"{name}: {what} has character {char!r}, not in the GS1 character"
                " set 82"
            )
        number = (number << 7) | ord(char)
    return number << (nbits - 7 * len(value))


def _filter(value):
    """Check a filter value: an integer 0 to 7."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 7:
        raise EpcError(f"filter must be an integer 0 to 7, got {value!r}")
    return value


def _partition(scheme, company_prefix):
    """Return the partition row of ``company_prefix`` (6 to 12 digits)."""
    if (
        not isinstance(company_prefix, str)
        or not 6 <= len(company_prefix) <= 12
        or not _DIGITS_RE.fullmatch(company_prefix)
    ):
        raise EpcError(
            f"{scheme.name}: company prefix must be 6 to 12 digits,"
            f" got {company_prefix!r}"
        )
    partition = 12 - len(company_prefix)
    return partition, scheme.partitions[partition]


def _encode_value(scheme, company_prefix, filter_value, fields):
    """Encode to the integer of ``scheme.bits`` bits (TDS §14.3); fields checked."""
    name = scheme.name
    expected = FIELDS[scheme.identity]
    unknown = sorted(set(fields) - set(expected))
    if unknown:
        raise EpcError(
            f"{name}: unknown field {unknown[0]!r}; fields are {', '.join(expected)}"
        )
    if scheme.identity == "sgln":
        fields = {"extension": "0", **fields}
    missing = [field for field in expected if fields.get(field) is None]
    if missing:
        raise EpcError(f"{name}: missing field {missing[0]!r}")
    filter_value = _filter(filter_value)
    partition, (cp_bits, cp_digits, other_bits, other_digits) = _partition(
        scheme, company_prefix
    )
    identity = scheme.identity
    tail_bits = scheme.tail_bits
    tail = 0
    if identity == "giai":
        reference = _text(fields["asset_reference"], "asset reference")
        if name == "giai-96":
            # The max digits of the GIAI-96 partition table follow from the bits.
            other = _integer(reference, other_bits, "asset reference", name, "giai-202")
        else:
            other = _string_bits(
                reference, other_bits, other_digits, "asset reference", name
            )
    else:
        field = expected[0]
        reference = fields[field]
        size = _KEY_DIGITS[identity] - cp_digits
        other = _digits(reference, size, _LABELS[field], name)
        if identity == "sgtin":
            serial = _text(fields["serial"], "serial")
            tail = _integer(serial, tail_bits, "serial", name, "sgtin-198")
        elif identity == "sgln":
            extension = _text(fields["extension"], "extension")
            tail = _integer(extension, tail_bits, "extension", name, "sgln-195")
        elif name == "grai-96":
            serial = _text(fields["serial"], "serial")
            tail = _integer(serial, tail_bits, "serial", name, "grai-170")
        elif name == "grai-170":
            serial = _text(fields["serial"], "serial")
            tail = _string_bits(serial, tail_bits, 16, "serial", name)
    value = (scheme.header << 3 | filter_value) << 3 | partition
    value = (value << cp_bits | int(company_prefix)) << other_bits | other
    return value << tail_bits | tail


def _to_hex(value, nbits):
    """Upper-case hex of an ``nbits`` value, zero-padded to whole 16-bit words."""
    words = (nbits + 15) // 16
    return f"{value << (words * 16 - nbits):0{words * 4}X}"


def encode(scheme, company_prefix, *, filter=0, **fields):
    """Encode an EPC to upper-case hex (whole 16-bit words) per TDS §14.3.

    ``scheme`` is one of :data:`SCHEMES`; ``company_prefix`` is the GS1
    company prefix as a string of 6 to 12 digits; ``fields`` are the other
    fields of the scheme, as strings (numeric serials may be given as ints):

    * ``sgtin-96``: ``item_reference`` (indicator digit first), ``serial``
    * ``sscc-96``: ``serial_reference`` (extension digit first)
    * ``sgln-96``: ``location_reference``, ``extension`` (default ``"0"``)
    * ``grai-96``, ``grai-170``: ``asset_type``, ``serial``
    * ``giai-96``, ``giai-202``: ``asset_reference``

    Raises :class:`EpcError` when a value does not fit the scheme.
    """
    scheme = _scheme(scheme)
    value = _encode_value(scheme, company_prefix, filter, fields)
    return _to_hex(value, scheme.bits)


# --------------------------------------------------------------------------- URIs
def _uri_fields(identity, body, uri):
    """Parse the dot-separated fields of a pure identity (TDS §6.3).

    The last field may itself contain dots: "." is one of the characters of
    an alphanumeric serial.
    """
    expected = FIELDS[identity]
    parts = body.split(".", len(expected))
    if len(parts) != len(expected) + 1:
        raise EpcError(
            f"{uri!r}: {identity} needs {len(expected) + 1} dot-separated fields"
        )
    company_prefix = parts[0]
    if not 6 <= len(company_prefix) <= 12 or not _DIGITS_RE.fullmatch(company_prefix):
        raise EpcError(
            f"{uri!r}: company prefix must be 6 to 12 digits, got {company_prefix!r}"
        )
    fields = {}
    if identity == "giai":
        reference = _unescape(parts[1], "asset reference")
        if len(company_prefix) + len(reference) > 30:
            raise EpcError(f"{uri!r}: a GIAI has at most 30 characters")
        fields["asset_reference"] = reference
        return company_prefix, fields
    size = _KEY_DIGITS[identity] - len(company_prefix)
    reference = parts[1]
    if len(reference) != size or (size and not _DIGITS_RE.fullmatch(reference)):
        raise EpcError(
            f"{uri!r}: {_LABELS[expected[0]]} must be {size} digits"
            f" with a {len(company_prefix)}-digit company prefix, got {reference!r}"
        )
    fields[expected[0]] = reference
    if len(expected) > 1:
        label = _LABELS[expected[1]]
        text = _unescape(parts[2], label)
        if len(text) > _SERIAL_MAX[identity]:
            raise EpcError(
                f"{uri!r}: {label} has at most {_SERIAL_MAX[identity]} characters"
            )
        fields[expected[1]] = text
    return company_prefix, fields


def parse_uri(uri):
    """Parse an EPC pure identity, tag or raw URI into an :class:`Epc`.

    * ``urn:epc:id:<scheme>:...`` (TDS §6): an Epc of scheme ``'sgtin'``...
      without hex or filter;
    * ``urn:epc:tag:<scheme>-<bits>:<filter>....`` (TDS §12): encoded to get
      its hex; the fields must fit the binary scheme;
    * ``urn:epc:raw:<bits>.x<HEX>`` (TDS §12): decoded like its hex.

    Escape triplets (``%2F`` ...) in alphanumeric fields are decoded.
    """
    if not isinstance(uri, str):
        raise EpcError(f"EPC URI must be text, got {uri!r}")
    if uri.startswith("urn:epc:id:"):
        identity, _, body = uri[11:].partition(":")
        if identity not in _IDENTITIES:
            raise EpcError(f"unsupported EPC scheme {identity!r} in {uri!r}")
        company_prefix, fields = _uri_fields(identity, body, uri)
        return Epc(identity, company_prefix=company_prefix, **fields)
    if uri.startswith("urn:epc:tag:"):
        name, _, body = uri[12:].partition(":")
        if name not in SCHEMES:
            raise EpcError(f"unsupported EPC tag scheme {name!r} in {uri!r}")
        scheme = SCHEMES[name]
        filter_text, _, body = body.partition(".")
        if len(filter_text) != 1 or filter_text not in "01234567":
            raise EpcError(f"{uri!r}: filter must be a digit 0 to 7")
        company_prefix, fields = _uri_fields(scheme.identity, body, uri)
        value = _encode_value(scheme, company_prefix, int(filter_text), fields)
        return _decode_upper_hex(_to_hex(value, scheme.bits), True)
    if uri.startswith("urn:epc:raw:"):
        match = _RAW_URI_RE.fullmatch(uri)
        if not match:
            raise EpcError(f"{uri!r}: only the raw URI form urn:epc:raw:N.xHEX is read")
        bits, code = int(match.group(1)), match.group(2).upper()
        if len(code) != (bits + 3) // 4:
            raise EpcError(f"{uri!r}: {bits} bits need {(bits + 3) // 4} hex digits")
        padding = 4 * len(code) - bits
        if padding and int(code, 16) & ((1 << padding) - 1):
            raise EpcError(f"{uri!r}: the bits after bit {bits} must be zero")
        scheme = _BY_HEADER.get(code[:2])
        if scheme is not None and bits == scheme.bits:
            return decode_hex(code)
        return _raw(code, bits)
    raise EpcError(f"not an EPC URI: {uri!r}")


def pure_uri_to_hex(uri, scheme_bits=96, filter=0):
    """Encode a pure identity URI with the ``<scheme>-<scheme_bits>`` encoding."""
    epc = parse_uri(uri)
    if epc.hex is not None or epc.scheme == "raw":
        raise EpcError(f"not a pure identity URI: {uri!r}")
    name = f"{epc.identity}-{scheme_bits}"
    if name not in SCHEMES:
        choices = [key for key in SCHEMES if key.startswith(epc.identity + "-")]
        raise EpcError(f"no {name} encoding; {epc.identity} has {', '.join(choices)}")
    fields = {field: getattr(epc, field) for field in FIELDS[epc.identity]}
    return encode(name, epc.company_prefix, filter=filter, **fields)


def tag_uri_to_hex(uri):
    """Encode an EPC tag URI (``urn:epc:tag:...``) to hex (whole 16-bit words)."""
    if not isinstance(uri, str) or not uri.startswith("urn:epc:tag:"):
        raise EpcError(f"not an EPC tag URI: {uri!r}")
    return parse_uri(uri).hex


def decode(code):
    """Decode a scanned EPC: hex, pure identity URI, tag URI or raw URI."""
    if not isinstance(code, str):
        raise EpcError(f"EPC must be text, got {code!r}")
    code = code.strip()
    if code.startswith("urn:"):
        return parse_uri(code)
    return decode_hex(code)


# --------------------------------------------------------------------------- GS1
def epc_from_element_string(pairs_or_string, company_prefix_length):
    """Return the pure identity URI of GS1 element strings (TDS §7).

    ``pairs_or_string`` is what :func:`gs1.parse` accepts or returns.  The
    first GS1 key found decides: (01) with (21) -> SGTIN, (00) -> SSCC, (414)
    with an optional (254) -> SGLN, (8003) with a serial -> GRAI, (8004) ->
    GIAI.  ``company_prefix_length`` (6 to 12) is needed because the length
    of the GS1 company prefix cannot be read from the key itself.
    """
    if isinstance(pairs_or_string, str):
        try:
            pairs = gs1.parse(pairs_or_string)
        except gs1.Gs1Error as error:
            raise EpcError(str(error)) from error
    else:
        pairs = [tuple(pair) for pair in pairs_or_string]
    length = company_prefix_length
    if isinstance(length, bool) or not isinstance(length, int) or not 6 <= length <= 12:
        raise EpcError(f"company prefix length must be 6 to 12, got {length!r}")
    values = dict(pairs)
    for ai, value in pairs:
        if ai == "01":
            serial = values.get("21")
            if serial is None:
                raise EpcError("an SGTIN needs a serial number, AI (21)")
            fields = [value[1 : 1 + length], value[0] + value[1 + length : 13], serial]
            identity = "sgtin"
        elif ai == "00":
            fields = [value[1 : 1 + length], value[0] + value[1 + length : 17]]
            identity = "sscc"
        elif ai == "414":
            fields = [value[:length], value[length:12], values.get("254", "0")]
            identity = "sgln"
        elif ai == "8003":
            if len(value) == 14:
                raise EpcError("a GRAI without serial number is not an EPC")
            fields = [value[1 : 1 + length], value[1 + length : 13], value[14:]]
            identity = "grai"
        elif ai == "8004":
            if len(value) <= length or not _DIGITS_RE.fullmatch(value[:length]):
                raise EpcError(
                    f"GIAI {value!r} does not start with a {length}-digit company"
                    " prefix followed by an asset reference"
                )
            fields = [value[:length], value[length:]]
            identity = "giai"
        else:
            continue
        body = ".".join([fields[0], *fields[1:-1], _escape(fields[-1])])
        uri = f"urn:epc:id:{identity}:{body}"
        parse_uri(uri)  # the fields must make a valid pure identity
        return uri
    raise EpcError("no GS1 key with an EPC: (00), (01)+(21), (414), (8003), (8004)")
