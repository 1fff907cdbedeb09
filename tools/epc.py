"""EPC binary encodings, EPC URIs and GS1 element strings (GS1 EPC Tag Data Standard).

Plain Python (no Odoo import).  Section numbers are those of the GS1 EPC Tag
Data Standard (TDS) 2.x: §6 pure identity URIs, §7 correspondence with GS1
keys, §12 tag URIs, §14 binary encodings (header values of Table 14-1 and
coding tables of §14.5), §14.3/14.4 the encoding methods (Integer, String,
Partition Table, Numeric String, 6-bit CAGE/DoDAAC, 6-bit Variable String),
§15.2 the EPC memory bank.

Every binary scheme of TDS 2.x is decoded and encoded:

==========  ======  =====  =================================================
scheme      header  bits   fields after filter (and partition)
==========  ======  =====  =================================================
sgtin-96    0x30    96     company prefix, item reference, serial (integer)
sgtin-198   0x36    198    company prefix, item reference, serial (20 chars)
sscc-96     0x31    96     company prefix, serial reference, 24 zero bits
sgln-96     0x32    96     company prefix, location reference, extension
sgln-195    0x39    195    ... extension (20 chars)
grai-96     0x33    96     company prefix, asset type, serial (integer)
grai-170    0x37    170    ... serial (16 chars)
giai-96     0x34    96     company prefix, asset reference (integer)
giai-202    0x38    202    company prefix, asset reference (18 to 24 chars)
gdti-96     0x2C    96     company prefix, document type, serial (integer)
gdti-113    0x3A    113    ... serial (17 digits, numeric string; TDS 1.x)
gdti-174    0x3E    174    ... serial (17 chars)
gsrn-96     0x2D    96     company prefix, service reference, 24 zero bits
gsrnp-96    0x2E    96     company prefix, service reference, 24 zero bits
sgcn-96     0x3F    96     company prefix, coupon reference, serial (12 digits)
cpi-96      0x3C    96     company prefix, part reference (integer), serial
cpi-var     0x3D    var.   company prefix, part reference (6-bit), serial
itip-110    0x40    110    company prefix, item reference, piece, total, serial
itip-212    0x41    212    ... serial (20 chars)
gid-96      0x35    96     manager number, object class, serial (no filter)
usdod-96    0x2F    96     4-bit filter, CAGE/DoDAAC (8-bit), serial
adi-var     0x3B    var.   6-bit filter, CAGE/DoDAAC, part number, serial
==========  ======  =====  =================================================

The pure identities PGLN (``urn:epc:id:pgln``, AI 417), UPUI
(``urn:epc:id:upui``, AI 01 + 235), GINC (``urn:epc:id:ginc``, AI 401), GSIN
(``urn:epc:id:gsin``, AI 402), BIC (``urn:epc:id:bic``, ISO 6346 container
code) and IMOVN (``urn:epc:id:imovn``, IMO vessel number) have no binary
encoding in this module; they are read and written as URIs (and element
strings for the GS1 keys) only.

EPC memory longer than the scheme (TDS §15.2.2): a tag's EPC bank often holds
more bits than its scheme uses (a 96-bit SGTIN in a 128-bit EPC bank).  The
header fixes the scheme, the scheme's bits are decoded and the rest is
ignored.  The decoded :attr:`Epc.hex` is then the scheme's own bits in whole
16-bit words.

The schemes introduced in TDS 2.0 and 2.3 (SGTIN+, DSGTIN+, SSCC+, SGLN+,
GRAI+, GIAI+, GSRN+, GSRNP+, GDTI+, CPI+, SGCN+, ITIP+ and their '++'
variants with a custom hostname, headers 0xE6-0xEF and 0xF0-0xFD) are decoded
and encoded by :mod:`.epc_plus`, with the '+AIDC data' that may follow them:
their :class:`Epc` carries ``gs1_data`` (the element strings), ``data_toggle``
and ``hostname``, and has no pure identity or tag URI (TDS defines none).

Any other header (an unprogrammed tag, a reserved header, a non-GS1 EPC) is
not an error: it decodes to an :class:`Epc` of scheme ``'raw'`` whose tag URI
is the EPC Raw URI ``urn:epc:raw:<bits>.x<HEX>`` (TDS §12).
"""

import re
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from functools import lru_cache

from . import digital_link, epc_plus, gs1

__all__ = [
    "SCHEMES",
    "Epc",
    "EpcError",
    "decode",
    "decode_hex",
    "encode",
    "encode_plus",
    "epc_from_element_string",
    "is_epc_hex",
    "parse_uri",
    "pure_uri_to_hex",
    "tag_uri_to_hex",
]


class EpcError(ValueError):
    """Invalid EPC: bad hex, a value that does not fit, a rule of TDS broken."""


# --------------------------------------------------------------------------- tables
# Partition tables (TDS §14.5), indexed by the partition value P: (GS1 company
# prefix bits, company prefix digits, other field bits, other field digits or
# characters).
#: SGTIN and ITIP (item reference digits include the indicator).
SGTIN_PARTITIONS = (
    (40, 12, 4, 1),
    (37, 11, 7, 2),
    (34, 10, 10, 3),
    (30, 9, 14, 4),
    (27, 8, 17, 5),
    (24, 7, 20, 6),
    (20, 6, 24, 7),
)
#: SSCC (serial reference digits include the extension), GSRN and GSRNP.
SSCC_PARTITIONS = (
    (40, 12, 18, 5),
    (37, 11, 21, 6),
    (34, 10, 24, 7),
    (30, 9, 28, 8),
    (27, 8, 31, 9),
    (24, 7, 34, 10),
    (20, 6, 38, 11),
)
#: SGLN (location reference), GDTI (document type), SGCN (coupon reference).
SGLN_PARTITIONS = (
    (40, 12, 1, 0),
    (37, 11, 4, 1),
    (34, 10, 7, 2),
    (30, 9, 11, 3),
    (27, 8, 14, 4),
    (24, 7, 17, 5),
    (20, 6, 21, 6),
)
#: GRAI (asset type), for GRAI-96 and GRAI-170.
GRAI_PARTITIONS = (
    (40, 12, 4, 0),
    (37, 11, 7, 1),
    (34, 10, 10, 2),
    (30, 9, 14, 3),
    (27, 8, 17, 4),
    (24, 7, 20, 5),
    (20, 6, 24, 6),
)
#: GIAI-96 (asset reference: bits, max digits).
GIAI96_PARTITIONS = (
    (40, 12, 42, 13),
    (37, 11, 45, 14),
    (34, 10, 48, 15),
    (30, 9, 52, 16),
    (27, 8, 55, 17),
    (24, 7, 58, 18),
    (20, 6, 62, 19),
)
#: GIAI-202 (asset reference: bits, max characters).
GIAI202_PARTITIONS = (
    (40, 12, 148, 18),
    (37, 11, 151, 19),
    (34, 10, 154, 20),
    (30, 9, 158, 21),
    (27, 8, 161, 22),
    (24, 7, 164, 23),
    (20, 6, 168, 24),
)
#: CPI-96 (component/part reference: bits, max digits).
CPI96_PARTITIONS = (
    (40, 12, 11, 3),
    (37, 11, 14, 4),
    (34, 10, 17, 5),
    (30, 9, 21, 6),
    (27, 8, 24, 7),
    (24, 7, 27, 8),
    (20, 6, 31, 9),
)
#: CPI-var (component/part reference: at most bits, max characters).
CPIVAR_PARTITIONS = (
    (40, 12, 114, 18),
    (37, 11, 120, 19),
    (34, 10, 126, 20),
    (30, 9, 132, 21),
    (27, 8, 138, 22),
    (24, 7, 144, 23),
    (20, 6, 150, 24),
)

#: Field names (besides company_prefix) of each EPC scheme, in URI order.
FIELDS = {
    "sgtin": ("item_reference", "serial"),
    "sscc": ("serial_reference",),
    "sgln": ("location_reference", "extension"),
    "grai": ("asset_type", "serial"),
    "giai": ("asset_reference",),
    "gdti": ("document_type", "serial"),
    "gsrn": ("service_reference",),
    "gsrnp": ("service_reference",),
    "sgcn": ("coupon_reference", "serial"),
    "cpi": ("part_reference", "serial"),
    "itip": ("item_reference", "piece", "total", "serial"),
    "pgln": ("party_reference",),
    "ginc": ("consignment_reference",),
    "gsin": ("shipper_reference",),
    "bic": ("container_code",),
    "imovn": ("vessel_number",),
    "upui": ("item_reference", "tpx"),
    "gid": ("manager_number", "object_class", "serial"),
    "usdod": ("cage", "serial"),
    "adi": ("cage", "part_number", "serial"),
}
# Identities without a GS1 company prefix (no partition).
_NO_PREFIX = frozenset({"gid", "usdod", "adi", "bic", "imovn"})
_IDENTITIES = tuple(FIELDS)
_LABELS = {
    "company_prefix": "company prefix",
    "item_reference": "item reference",
    "serial": "serial",
    "serial_reference": "serial reference",
    "location_reference": "location reference",
    "extension": "extension",
    "asset_type": "asset type",
    "asset_reference": "asset reference",
    "document_type": "document type",
    "service_reference": "service reference",
    "coupon_reference": "coupon reference",
    "part_reference": "part reference",
    "piece": "piece",
    "total": "total",
    "party_reference": "party reference",
    "consignment_reference": "consignment reference",
    "shipper_reference": "shipper reference",
    "container_code": "container code",
    "vessel_number": "vessel number",
    "tpx": "TPX",
    "manager_number": "manager number",
    "object_class": "object class",
    "cage": "CAGE/DoDAAC",
    "part_number": "part number",
}
# Digits of the GS1 key before its check digit, company prefix included, for
# the identities whose second URI field is a padded numeric field.
_KEY_DIGITS = {
    "sgtin": 13,
    "sscc": 17,
    "sgln": 12,
    "grai": 12,
    "gdti": 12,
    "gsrn": 17,
    "gsrnp": 17,
    "sgcn": 12,
    "itip": 13,
    "pgln": 12,
    "gsin": 16,
    "upui": 13,
}
# Longest alphanumeric last field of a pure identity (characters).
_SERIAL_MAX = {"sgtin": 20, "sgln": 20, "grai": 16, "gdti": 17, "itip": 20, "upui": 28}


class _Scheme:
    """Layout of one binary encoding, with the shifts and masks precomputed.

    ``ref`` is how the partitioned field after the company prefix is coded:
    ``digits`` (Partition Table, zero-padded digits), ``int`` (Integer, no
    leading zero), ``str7`` (String) or ``str6`` (6-bit Variable String).
    ``tails`` are the fields after it: ``(field, codec, bits, max length)``
    with codecs ``int``, ``str7``, ``num`` (Numeric String), ``pad2`` (an
    Integer written in 2 digits) or ``zero`` (reserved bits, all zero).
    """

    __slots__ = (
        "bits",
        "header",
        "hex_lengths",
        "identity",
        "name",
        "partitions",
        "ref",
        "ref_field",
        "rows",
        "tail_bits",
        "tails",
        "wider",
    )

    def __init__(self, name, header, bits, partitions=None, ref="digits", tails=()):
        """Describe scheme ``name``; ``bits`` is None for a variable length."""
        self.name = name
        self.identity = name.partition("-")[0]
        self.header = header
        self.bits = bits
        self.partitions = partitions
        self.ref = ref
        self.ref_field = FIELDS[self.identity][0]
        self.wider = None  # the scheme to suggest when a value does not fit
        # tails with their shift from the end of the scheme's bits
        shift = sum(tail[2] for tail in tails)
        self.tail_bits = shift
        placed = []
        for field, codec, nbits, limit in tails:
            shift -= nbits
            placed.append((field, codec, shift, nbits, limit))
        self.tails = tuple(placed)
        # Accepted hex lengths: shortest hex form and whole 16-bit words.
        if bits:
            self.hex_lengths = ((bits + 3) // 4, (bits + 15) // 16 * 4)
        else:
            self.hex_lengths = ()
        # Per partition value: (company prefix shift, mask, limit, digits,
        # other field shift, mask, limit, digits or characters, bits).
        self.rows = tuple(
            (
                self.tail_bits + other_bits,
                (1 << cp_bits) - 1,
                10**cp_digits,
                cp_digits,
                self.tail_bits,
                (1 << other_bits) - 1,
                10**other_digits,
                other_digits,
                other_bits,
            )
            for cp_bits, cp_digits, other_bits, other_digits in partitions or ()
        )


_INT = "int"
_STR7 = "str7"
_NUM = "num"
_PAD2 = "pad2"
_ZERO = "zero"
_ITIP_HEAD = (("piece", _PAD2, 7, 2), ("total", _PAD2, 7, 2))

#: Every binary encoding by name, in the order of the table above.
SCHEMES = {
    scheme.name: scheme
    for scheme in (
        _Scheme(
            "sgtin-96", 0x30, 96, SGTIN_PARTITIONS, tails=(("serial", _INT, 38, 0),)
        ),
        _Scheme("sscc-96", 0x31, 96, SSCC_PARTITIONS, tails=((None, _ZERO, 24, 0),)),
        _Scheme(
            "sgln-96", 0x32, 96, SGLN_PARTITIONS, tails=(("extension", _INT, 41, 0),)
        ),
        _Scheme("grai-96", 0x33, 96, GRAI_PARTITIONS, tails=(("serial", _INT, 38, 0),)),
        _Scheme("giai-96", 0x34, 96, GIAI96_PARTITIONS, ref=_INT),
        _Scheme(
            "grai-170", 0x37, 170, GRAI_PARTITIONS, tails=(("serial", _STR7, 112, 16),)
        ),
        _Scheme("giai-202", 0x38, 202, GIAI202_PARTITIONS, ref=_STR7),
        _Scheme(
            "sgtin-198",
            0x36,
            198,
            SGTIN_PARTITIONS,
            tails=(("serial", _STR7, 140, 20),),
        ),
        _Scheme(
            "sgln-195",
            0x39,
            195,
            SGLN_PARTITIONS,
            tails=(("extension", _STR7, 140, 20),),
        ),
        _Scheme("gdti-96", 0x2C, 96, SGLN_PARTITIONS, tails=(("serial", _INT, 41, 0),)),
        _Scheme(
            "gdti-113", 0x3A, 113, SGLN_PARTITIONS, tails=(("serial", _NUM, 58, 17),)
        ),
        _Scheme(
            "gdti-174", 0x3E, 174, SGLN_PARTITIONS, tails=(("serial", _STR7, 119, 17),)
        ),
        _Scheme("gsrn-96", 0x2D, 96, SSCC_PARTITIONS, tails=((None, _ZERO, 24, 0),)),
        _Scheme("gsrnp-96", 0x2E, 96, SSCC_PARTITIONS, tails=((None, _ZERO, 24, 0),)),
        _Scheme(
            "sgcn-96", 0x3F, 96, SGLN_PARTITIONS, tails=(("serial", _NUM, 41, 12),)
        ),
        _Scheme(
            "cpi-96",
            0x3C,
            96,
            CPI96_PARTITIONS,
            ref=_INT,
            tails=(("serial", _INT, 31, 0),),
        ),
        _Scheme(
            "cpi-var",
            0x3D,
            None,
            CPIVAR_PARTITIONS,
            ref="str6",
            tails=(("serial", _INT, 40, 0),),
        ),
        _Scheme(
            "itip-110",
            0x40,
            110,
            SGTIN_PARTITIONS,
            tails=(*_ITIP_HEAD, ("serial", _INT, 38, 0)),
        ),
        _Scheme(
            "itip-212",
            0x41,
            212,
            SGTIN_PARTITIONS,
            tails=(*_ITIP_HEAD, ("serial", _STR7, 140, 20)),
        ),
        _Scheme("gid-96", 0x35, 96),
        _Scheme("usdod-96", 0x2F, 96),
        _Scheme("adi-var", 0x3B, None),
    )
}
for _narrow, _wide in (
    ("sgtin-96", "sgtin-198"),
    ("sgln-96", "sgln-195"),
    ("grai-96", "grai-170"),
    ("giai-96", "giai-202"),
    ("gdti-96", "gdti-174"),
    ("cpi-96", "cpi-var"),
    ("itip-110", "itip-212"),
):
    SCHEMES[_narrow].wider = _wide
# Upper-case hex of the header -> scheme.
_BY_HEADER = {f"{scheme.header:02X}": scheme for scheme in SCHEMES.values()}
# Hex lengths that are not whole words but the shortest form of a scheme.
_SHORT_HEX = {
    (f"{scheme.header:02X}", scheme.hex_lengths[0])
    for scheme in SCHEMES.values()
    if scheme.bits and scheme.bits % 16 and scheme.hex_lengths[0] % 4
}
# Filter bits of the schemes whose filter is not 3 bits (GID-96 has none).
_FILTER_BITS = {"usdod": 4, "adi": 6, "gid": 0}

_MAX_HEX = 124  # 31 words: the largest EPC a Gen2 PC word can announce
_HEX_RE = re.compile(r"[0-9A-Fa-f]+")
_DIGITS_RE = re.compile(r"[0-9]+")
_INTEGER_RE = re.compile(r"0|[1-9][0-9]*")
# TDS §6 grammar: GS3A3Component, the characters of Appendix A with the seven
# that a URI cannot carry written as escape triplets.
_GS3A3_RE = re.compile(r"(?:[A-Za-z0-9!'()*+,\-.:;=_]|%(?:22|25|26|2[Ff]|3[CcEeFf]))+")
# CPI component/part reference and ADI fields: upper-case letters, digits and
# "-", with "/" written %2F and "#" written %23 (TDS §6.3, CPI and ADI syntax).
_CPI_RE = re.compile(r"(?:[A-Z0-9\-]|%2[3Ff])+")
_ADI_RE = re.compile(r"(?:[A-Z0-9\-]|%2[Ff])*")
# TDS §6.3.17: CAGE code (5) or DoDAAC (6), digits and letters but I and O.
_CAGE_RE = re.compile(r"[0-9A-HJ-NP-Z]{5,6}")
# TDS §6.3.19 (ISO 6346 container code) and §6.3.20 (IMO vessel number).
_SINGLE_FIELD = {
    "bic": (
        re.compile(r"[A-HJ-NP-Z]{3}[JUZ][0-9]{7}"),
        "a BIC container code is an owner code of 3 letters (not I or O), J, U"
        " or Z, 6 digits and a check digit",
    ),
    "imovn": (re.compile(r"[0-9]{7}"), "an IMO vessel number has 7 digits"),
}
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
_SIX_BIT_ESCAPES = str.maketrans({"#": "%23", "/": "%2F"})
_CSET82_CODES = frozenset(ord(char) for char in gs1.CSET82)
_RAW_URI_RE = re.compile(r"urn:epc:raw:([1-9][0-9]*)\.x([0-9A-Fa-f]+)")
#: Characters of the 6-bit encodings of CPI and ADI (TDS §14.3, 6-bit methods).
CPI_CHARS = frozenset("#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
ADI_CHARS = frozenset("-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _escape(text):
    """Write ``text`` as a TDS URI component (escape triplets where needed)."""
    return text.translate(_URI_ESCAPES)


def _unescape(component, what, pattern=_GS3A3_RE):
    """Read a TDS URI component, decoding its escape triplets."""
    if not pattern.fullmatch(component):
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
    document_type: str | None = None
    service_reference: str | None = None
    coupon_reference: str | None = None
    part_reference: str | None = None
    piece: str | None = None
    total: str | None = None
    party_reference: str | None = None
    consignment_reference: str | None = None
    shipper_reference: str | None = None
    container_code: str | None = None
    vessel_number: str | None = None
    tpx: str | None = None
    manager_number: str | None = None
    object_class: str | None = None
    cage: str | None = None
    part_number: str | None = None
    #: '+' / '++' schemes (TDS 2.x): the +AIDC data toggle bit, the element
    #: strings the EPC and its +AIDC data carry, the '++' custom hostname
    data_toggle: bool | None = None
    gs1_data: tuple | None = None
    hostname: str | None = None

    @property
    def identity(self):
        """EPC scheme of the pure identity (``'sgtin'``, ...), None for raw."""
        if self.scheme == "raw":
            return None
        return self.scheme.partition("-")[0]

    def _uri_body(self):
        """The fields of the pure identity as written in both URIs."""
        return _URI_BODY[self.identity](self)

    @property
    def pure_uri(self):
        """EPC pure identity URI (TDS §6), e.g. ``urn:epc:id:giai:0614141.5678``.

        None for a raw EPC and for the '+' / '++' schemes, which have none.
        """
        if self.scheme == "raw" or self.gs1_data is not None:
            return None
        return f"urn:epc:id:{self.identity}:{self._uri_body()}"

    @property
    def tag_uri(self):
        """EPC tag URI (TDS §12), or the EPC raw URI; None for a pure identity."""
        if self.scheme == "raw":
            return f"urn:epc:raw:{self.bits}.x{self.hex}"
        if self.hex is None or self.gs1_data is not None:
            return None
        if self.filter is None:
            return f"urn:epc:tag:{self.scheme}:{self._uri_body()}"
        return f"urn:epc:tag:{self.scheme}:{self.filter}.{self._uri_body()}"

    @property
    def gs1_pairs(self):
        """The GS1 element strings of this EPC (TDS §7) as ``(ai, value)`` pairs.

        Empty for the identities that are no GS1 key (GID, USDOD, ADI) and for
        a raw EPC.
        """
        scheme = self.scheme
        if self.gs1_data is not None:
            return self.gs1_data
        # the common reads first: SGTIN-96 and GIAI-96
        if scheme == "sgtin-96":
            ref = self.item_reference
            key = ref[0] + self.company_prefix + ref[1:]
            return (("01", key + gs1.check_digit(key)), ("21", self.serial))
        if scheme == "giai-96":
            return (("8004", self.company_prefix + self.asset_reference),)
        pairs_of = _GS1_PAIRS.get(self.identity)
        return pairs_of(self) if pairs_of else ()

    @property
    def element_string(self):
        """GS1 element string in parentheses, e.g. ``(8004)06141415678``.

        None for a raw EPC and for the identities that are no GS1 key.
        """
        if self.scheme == "raw":
            return None
        pairs = self.gs1_pairs
        if not pairs:
            return None
        return "".join(f"({ai}){value}" for ai, value in pairs)

    @property
    def digital_link(self):
        """GS1 Digital Link URI on ``https://id.gs1.org`` of the GS1 key, or None."""
        pairs = self.gs1_pairs if self.scheme != "raw" else ()
        if not pairs:
            return None
        if self.hostname:
            return digital_link.build(pairs, resolver=f"https://{self.hostname}")
        return digital_link.build(pairs)


_EMPTY = {field.name: None for field in dataclass_fields(Epc)}


def _new_epc(values):
    """Build an Epc from a dict of all its fields, without the frozen __init__.

    The dataclass ``__init__`` of a frozen class sets each field through
    ``object.__setattr__``; filling the instance dict at once is several
    times faster, which matters at 100,000 reads a batch.  ``values`` must
    hold every field (start from ``_EMPTY``).
    """
    epc = object.__new__(Epc)
    epc.__dict__.update(values)
    return epc


def _esc(text):
    return text.translate(_URI_ESCAPES)


def _esc6(text):
    return text.translate(_SIX_BIT_ESCAPES)


# identity -> the fields of its pure identity as written in URIs (TDS §6.3)
_URI_BODY = {
    "sgtin": lambda e: f"{e.company_prefix}.{e.item_reference}.{_esc(e.serial)}",
    "sscc": lambda e: f"{e.company_prefix}.{e.serial_reference}",
    "sgln": lambda e: f"{e.company_prefix}.{e.location_reference}.{_esc(e.extension)}",
    "grai": lambda e: f"{e.company_prefix}.{e.asset_type}.{_esc(e.serial)}",
    "giai": lambda e: f"{e.company_prefix}.{_esc(e.asset_reference)}",
    "gdti": lambda e: f"{e.company_prefix}.{e.document_type}.{_esc(e.serial)}",
    "gsrn": lambda e: f"{e.company_prefix}.{e.service_reference}",
    "gsrnp": lambda e: f"{e.company_prefix}.{e.service_reference}",
    "sgcn": lambda e: f"{e.company_prefix}.{e.coupon_reference}.{e.serial}",
    "cpi": lambda e: f"{e.company_prefix}.{_esc6(e.part_reference)}.{e.serial}",
    "itip": lambda e: (
        f"{e.company_prefix}.{e.item_reference}.{e.piece}.{e.total}.{_esc(e.serial)}"
    ),
    "pgln": lambda e: f"{e.company_prefix}.{e.party_reference}",
    "ginc": lambda e: f"{e.company_prefix}.{_esc(e.consignment_reference)}",
    "gsin": lambda e: f"{e.company_prefix}.{e.shipper_reference}",
    "bic": lambda e: e.container_code,
    "imovn": lambda e: e.vessel_number,
    "upui": lambda e: f"{e.company_prefix}.{e.item_reference}.{_esc(e.tpx)}",
    "gid": lambda e: f"{e.manager_number}.{e.object_class}.{e.serial}",
    "usdod": lambda e: f"{e.cage}.{e.serial}",
    "adi": lambda e: f"{e.cage}.{_esc6(e.part_number)}.{_esc6(e.serial)}",
}


def _checked_key(key):
    """A GS1 key: ``key`` followed by its check digit."""
    return key + gs1.check_digit(key)


def _gtin(epc):
    """GTIN of an SGTIN, ITIP or UPUI: indicator digit, company prefix, item."""
    ref = epc.item_reference
    return _checked_key(ref[0] + epc.company_prefix + ref[1:])


def _sgln_pairs(epc):
    """GLN (414), with the extension (254) unless it is "0"."""
    pairs = (("414", _checked_key(epc.company_prefix + epc.location_reference)),)
    if epc.extension != "0":
        pairs += (("254", epc.extension),)
    return pairs


def _sscc(epc):
    """SSCC: extension digit, company prefix, serial reference, check digit."""
    ref = epc.serial_reference
    return _checked_key(ref[0] + epc.company_prefix + ref[1:])


# identity -> the GS1 element strings of an Epc of that identity (TDS §7);
# the identities that are no GS1 key (GID, USDOD, ADI, BIC, IMOVN) are absent.
_GS1_PAIRS = {
    "sgtin": lambda e: (("01", _gtin(e)), ("21", e.serial)),
    "upui": lambda e: (("01", _gtin(e)), ("235", e.tpx)),
    "itip": lambda e: (("8006", _gtin(e) + e.piece + e.total), ("21", e.serial)),
    "sscc": lambda e: (("00", _sscc(e)),),
    "gsrn": lambda e: (("8018", _checked_key(e.company_prefix + e.service_reference)),),
    "gsrnp": lambda e: (
        ("8017", _checked_key(e.company_prefix + e.service_reference)),
    ),
    "sgln": _sgln_pairs,
    "grai": lambda e: (
        ("8003", _checked_key("0" + e.company_prefix + e.asset_type) + e.serial),
    ),
    "giai": lambda e: (("8004", e.company_prefix + e.asset_reference),),
    "gdti": lambda e: (
        ("253", _checked_key(e.company_prefix + e.document_type) + e.serial),
    ),
    "sgcn": lambda e: (
        ("255", _checked_key(e.company_prefix + e.coupon_reference) + e.serial),
    ),
    "cpi": lambda e: (
        ("8010", e.company_prefix + e.part_reference),
        ("8011", e.serial),
    ),
    "pgln": lambda e: (("417", _checked_key(e.company_prefix + e.party_reference)),),
    "ginc": lambda e: (("401", e.company_prefix + e.consignment_reference),),
    "gsin": lambda e: (("402", _checked_key(e.company_prefix + e.shipper_reference)),),
}


# --------------------------------------------------------------------------- decode
def _decode_string(value, nbits, max_chars, what):
    """Decode a TDS §14.4 "String" field (7-bit chars, zero-terminated or full)."""
    codes = bytes(
        (value >> shift) & 0x7F for shift in range(nbits - 7, -1, -7)
    ).partition(b"\0")[0]
    count = len(codes)
    text = codes.decode("ascii")
    if not _CSET82_CODES.issuperset(codes):
        code = next(code for code in codes if code not in _CSET82_CODES)
        raise EpcError(
            f"{what} has character 0x{code:02X}, not in the GS1 character set 82"
        )
    if not count:
        raise EpcError(f"{what} is empty")
    if count > max_chars:
        raise EpcError(f"{what} is longer than {max_chars} characters")
    if value & ((1 << (nbits - 7 * count)) - 1):
        raise EpcError(f"{what} has non-zero bits after its last character")
    return text


def _decode_numeric_string(value, max_digits, what):
    """Decode a TDS §14.4 "Numeric String": the integer of '1' + the digits."""
    text = str(value)
    if text[0] != "1" or len(text) < 2:
        raise EpcError(f"{what} is not a valid numeric string")
    if len(text) - 1 > max_digits:
        raise EpcError(f"{what} is longer than {max_digits} digits")
    return text[1:]


class _Bits:
    """Read fields in order from the integer of a bit string."""

    __slots__ = ("end", "pos", "value")

    def __init__(self, value, nbits, pos):
        self.value, self.end, self.pos = value, nbits, pos

    def take(self, nbits, what):
        """The next ``nbits`` bits as an integer."""
        if self.pos + nbits > self.end:
            raise EpcError(f"{what}: the EPC ends before this field")
        self.pos += nbits
        return (self.value >> (self.end - self.pos)) & ((1 << nbits) - 1)

    def six_bit(self, max_chars, charset, what):
        """A 6-bit variable string, up to and with its 000000 terminator."""
        chars = []
        while True:
            code = self.take(6, what)
            if not code:
                break
            char = chr(code if code >= 32 else code + 64)
            if char not in charset:
                raise EpcError(f"{what} has an invalid 6-bit character 0x{code:02X}")
            chars.append(char)
            if len(chars) > max_chars:
                raise EpcError(f"{what} is longer than {max_chars} characters")
        return "".join(chars)


def _tail_value(name, field, codec, raw, nbits, limit):
    """Decode one field after the partitioned one (see :class:`_Scheme`)."""
    if codec == _INT:
        return str(raw)
    if codec == _STR7:
        return _decode_string(raw, nbits, limit, f"{name}: {_LABELS[field]}")
    if codec == _NUM:
        return _decode_numeric_string(raw, limit, f"{name}: {_LABELS[field]}")
    if raw >= 100:
        raise EpcError(f"{name}: {_LABELS[field]} {raw} does not fit in 2 digits")
    return f"{raw:02d}"


def _decode_value(scheme, value, code):
    """Decode the ``scheme.bits``-bit ``value`` (hex ``code``) into an Epc.

    The hot path of every read (SGTIN-96, GIAI-96): no call but ``str``;
    the fields left out of the instance dict read as the class defaults.
    """
    name = scheme.name
    if scheme.identity in _NO_PREFIX:
        return _decode_other(scheme, value, code)
    rest = scheme.bits - 14
    partition = (value >> rest) & 7
    if partition == 7:
        raise EpcError(f"{name}: partition value 7 is not valid")
    cp_shift, cp_mask, cp_limit, cp_digits, shift, mask, limit, digits, nbits = (
        scheme.rows[partition]
    )
    cp = (value >> cp_shift) & cp_mask
    if cp >= cp_limit:
        raise EpcError(
            f"{name}: company prefix {cp} does not fit in {cp_digits} digits"
            f" (partition {partition})"
        )
    other = (value >> shift) & mask
    field = scheme.ref_field
    ref = scheme.ref
    if ref == "digits":
        if other >= limit:
            raise EpcError(
                f"{name}: {_LABELS[field]} {other} does not fit in {digits}"
                f" digit{'' if digits == 1 else 's'}"
                f" (partition {partition})"
            )
        text = str(other).zfill(digits) if digits else ""
    elif ref == _INT:
        text = str(other)
        if len(text) > digits:
            raise EpcError(
                f"{name}: {_LABELS[field]} {other} does not fit in {digits} digits"
                f" (partition {partition})"
            )
    else:
        text = _decode_string(other, nbits, digits, f"{name}: {_LABELS[field]}")
    epc = object.__new__(Epc)
    fields = epc.__dict__
    fields["scheme"] = name
    fields["hex"] = code
    fields["bits"] = scheme.bits
    fields["filter"] = (value >> (rest + 3)) & 7
    fields["company_prefix"] = str(cp).zfill(cp_digits)
    fields[field] = text
    for tail, codec, tail_shift, tail_bits, tail_limit in scheme.tails:
        raw = (value >> tail_shift) & ((1 << tail_bits) - 1)
        if codec == _INT:
            fields[tail] = str(raw)
        elif tail is None:
            if raw:
                raise EpcError(f"{name}: the {tail_bits} unallocated bits must be zero")
        else:
            fields[tail] = _tail_value(name, tail, codec, raw, tail_bits, tail_limit)
    return epc


def _decode_other(scheme, value, code):
    """GID-96 and USDOD-96: the schemes without company prefix or partition."""
    fields = dict(_EMPTY, scheme=scheme.name, hex=code, bits=96)
    if scheme.identity == "gid":
        fields["manager_number"] = str((value >> 60) & 0xFFFFFFF)
        fields["object_class"] = str((value >> 36) & 0xFFFFFF)
        fields["serial"] = str(value & 0xFFFFFFFFF)
        return _new_epc(fields)
    fields["filter"] = (value >> 84) & 0xF
    cage = ((value >> 36) & ((1 << 48) - 1)).to_bytes(6, "big")
    if cage[:1] == b" ":
        cage = cage[1:]
    text = cage.decode("latin-1")
    if not _CAGE_RE.fullmatch(text):
        raise EpcError(f"usdod-96: CAGE/DoDAAC {text!r} is not 5 or 6 letters/digits")
    fields["cage"] = text
    fields["serial"] = str(value & 0xFFFFFFFFF)
    return _new_epc(fields)


def _decode_variable(scheme, value, nbits):
    """CPI-var and ADI-var: fields read in order, the rest of the bits ignored."""
    name = scheme.name
    bits = _Bits(value, nbits, 8)
    fields = dict(_EMPTY, scheme=name)
    if scheme.identity == "adi":
        fields["filter"] = bits.take(6, name)
        cage = [bits.take(6, name) for _ in range(6)]
        if cage[0] == 32:
            cage = cage[1:]
        text = "".join(chr(code if code >= 32 else code + 64) for code in cage)
        if not _CAGE_RE.fullmatch(text):
            raise EpcError(f"{name}: CAGE/DoDAAC {text!r} is not 5 or 6 letters/digits")
        fields["cage"] = text
        fields["part_number"] = bits.six_bit(32, ADI_CHARS, f"{name}: part number")
        serial = bits.six_bit(30, ADI_CHARS | {"#"}, f"{name}: serial")
        if not serial:
            raise EpcError(f"{name}: serial is empty")
        if "#" in serial[1:]:
            raise EpcError(f"{name}: serial may have '#' as first character only")
        fields["serial"] = serial
    else:
        fields["filter"] = bits.take(3, name)
        partition = bits.take(3, name)
        if partition == 7:
            raise EpcError(f"{name}: partition value 7 is not valid")
        cp_bits, cp_digits, _ref_bits, max_chars = scheme.partitions[partition]
        cp = bits.take(cp_bits, name)
        if cp >= 10**cp_digits:
            raise EpcError(
                f"{name}: company prefix {cp} does not fit in {cp_digits} digits"
                f" (partition {partition})"
            )
        fields["company_prefix"] = str(cp).zfill(cp_digits)
        part = bits.six_bit(max_chars, CPI_CHARS, f"{name}: part reference")
        if not part:
            raise EpcError(f"{name}: part reference is empty")
        fields["part_reference"] = part
        fields["serial"] = str(bits.take(40, f"{name}: serial"))
    used = bits.pos
    fields["bits"] = used
    fields["hex"] = _to_hex(value >> (nbits - used), used)
    return _new_epc(fields)


def _raw(code, bits=None):
    """Return the raw :class:`Epc` of upper-case hex ``code``."""
    return _new_epc(dict(_EMPTY, scheme="raw", hex=code, bits=bits or 4 * len(code)))


def _length_error(length):
    return EpcError(
        "EPC hex must be whole 16-bit words (a multiple of 4 hex digits,"
        f" at most {_MAX_HEX}), got {length} hex digits"
    )


@lru_cache(maxsize=4096)
def _decode_upper_hex(code, strict):
    """Decode validated upper-case hex; cached, as readers repeat the same EPCs."""
    length = len(code)
    scheme = _BY_HEADER.get(code[:2])
    if length == 24 and scheme is not None and scheme.bits == 96:
        # the common case: a 96-bit scheme in a 96-bit EPC
        try:
            return _decode_value(scheme, int(code, 16), code)
        except EpcError:
            if strict:
                raise
            return _raw(code)
    if length > _MAX_HEX or (length % 4 and (code[:2], length) not in _SHORT_HEX):
        raise _length_error(length)
    if scheme is None:
        if code[:2] in epc_plus.HEADERS:
            return _decode_plus(code, strict)
        return _raw(code)
    nbits = 4 * length
    try:
        value = int(code, 16)
        if scheme.bits is None:
            return _decode_variable(scheme, value, nbits)
        if nbits < scheme.bits:
            short, words = scheme.hex_lengths
            expected = f"{short}" if short == words else f"at least {short}"
            raise EpcError(
                f"{scheme.name} needs {scheme.bits} bits ({expected} hex digits),"
                f" got {length} hex digits"
            )
        # TDS §15.2.2: the scheme's bits are decoded, the rest is ignored
        padding = nbits - scheme.bits
        if length not in scheme.hex_lengths or value & ((1 << padding) - 1):
            code = _to_hex(value >> padding, scheme.bits)
        value >>= padding
        return _decode_value(scheme, value, code)
    except EpcError:
        if strict:
            raise
        return _raw(code)


def _decode_plus(code, strict):
    """A '+' / '++' EPC (TDS 2.x §14.5, §14.6, §15.3), see :mod:`.epc_plus`."""
    try:
        decoded = epc_plus.decode(code)
    except epc_plus.PlusEpcError as error:
        if strict:
            raise EpcError(str(error)) from None
        return _raw(code)
    return _new_epc(
        dict(
            _EMPTY,
            scheme=decoded["scheme"],
            hex=code,
            bits=decoded["bits"],
            filter=decoded["filter"],
            data_toggle=decoded["toggle"],
            gs1_data=decoded["pairs"],
            hostname=decoded["hostname"],
        )
    )


def encode_plus(scheme, pairs, *, filter=0, hostname=None):
    """Encode a '+' / '++' EPC of TDS 2.x to hex, see :func:`epc_plus.encode`."""
    try:
        return epc_plus.encode(scheme, pairs, filter=filter, hostname=hostname)
    except epc_plus.PlusEpcError as error:
        raise EpcError(str(error)) from None


def decode_hex(code, *, strict=True):
    """Decode a hexadecimal EPC (any case) into an :class:`Epc`.

    Unknown headers give a ``'raw'`` Epc.  A longer EPC bank than the scheme
    needs is read as the scheme's bits (the rest ignored, TDS §15.2.2).  An
    EPC of a supported scheme that breaks a rule of TDS (too short, partition
    value 7, a field too large for its digits, reserved bits set, a character
    outside the scheme's set) raises :class:`EpcError`; with ``strict=False``
    it gives a ``'raw'`` Epc instead, as the EPC memory bank decoding of TDS
    §15.2.2 does.
    """
    if not isinstance(code, str) or not _HEX_RE.fullmatch(code):
        raise EpcError(f"EPC must be hexadecimal, got {code!r}")
    return _decode_upper_hex(code.upper(), bool(strict))


def is_epc_hex(code):
    """Cheaply tell whether a scanned code may be a hex EPC (96 to 496 bits).

    True for hex digits in whole 16-bit words, 24 to 124 digits (96, 128, ...,
    176 for GRAI-170, 208 for GIAI-202, ...), and for the shortest hex forms
    of the schemes whose length is not a whole number of words (43 digits for
    GRAI-170, 51 for GIAI-202, 50 for SGTIN-198, 49 for SGLN-195, 29 for
    GDTI-113, 53 for ITIP-212).
    """
    if not isinstance(code, str):
        return False
    length = len(code)
    if 16 <= length < 24 and not length % 4 and code[:2].upper() in epc_plus.HEADERS:
        # a short '+' EPC: SGTIN+ with a short serial fits in 80 bits
        return _HEX_RE.fullmatch(code) is not None
    if length % 4:
        if (code[:2], length) not in _SHORT_HEX:
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


def _integer(value, nbits, what, name, other=None):
    """Check a numeric field of the Integer method: digits, no leading zero, fits."""
    use = f" (use {other})" if other else ""
    if not _DIGITS_RE.fullmatch(value):
        raise EpcError(f"{name}: {what} {value!r} is not numeric{use}")
    if not _INTEGER_RE.fullmatch(value):
        raise EpcError(
            f"{name}: {what} {value!r} has a leading zero, which {name} cannot"
            f" encode{use}"
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


def _six_bits(value, charset, what, name):
    """Encode a 6-bit string with its terminator: ``(integer, bits)``."""
    number = 0
    for char in value:
        if char not in charset:
            raise EpcError(
                f"{name}: {what} has character {char!r}, not in its 6-bit set"
            )
        number = number << 6 | (ord(char) & 0x3F)
    return number << 6, 6 * (len(value) + 1)


def _filter(value, nbits=3):
    """Check a filter value: an integer 0 to 2**nbits - 1."""
    top = (1 << nbits) - 1
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise EpcError(f"filter must be an integer 0 to {top}, got {value!r}")
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


def _checked_fields(scheme, fields):
    """The fields of ``scheme`` from keyword arguments: none unknown or missing."""
    name = scheme.name
    expected = FIELDS[scheme.identity]
    unknown = sorted(set(fields) - set(expected))
    if unknown:
        raise EpcError(
            f"{name}: unknown field {unknown[0]!r}; fields are {', '.join(expected)}"
        )
    if scheme.identity == "sgln":
        fields = {"extension": "0", **fields}
    if scheme.identity == "adi":
        fields = {"part_number": "", **fields}
    missing = [field for field in expected if fields.get(field) is None]
    if missing:
        raise EpcError(f"{name}: missing field {missing[0]!r}")
    return fields


def _encode_tail(scheme, field, codec, nbits, limit, value):
    """Encode one field after the partitioned one (see :class:`_Scheme`)."""
    name = scheme.name
    label = _LABELS[field]
    text = _text(value, label)
    if codec == _INT:
        return _integer(text, nbits, label, name, scheme.wider)
    if codec == _STR7:
        return _string_bits(text, nbits, limit, label, name)
    if codec == _PAD2:
        return _digits(text, 2, label, name)
    if not text or not _DIGITS_RE.fullmatch(text) or len(text) > limit:
        raise EpcError(f"{name}: {label} must be 1 to {limit} digits, got {text!r}")
    return int("1" + text)


def _encode_reference(scheme, row, value):
    """Encode the partitioned field after the company prefix: ``(int, bits)``."""
    name = scheme.name
    _cp_bits, cp_digits, other_bits, other_digits = row
    field = FIELDS[scheme.identity][0]
    label = _LABELS[field]
    if scheme.ref == "digits":
        size = _KEY_DIGITS[scheme.identity] - cp_digits
        return _digits(value, size, label, name), other_bits
    reference = _text(value, label)
    if scheme.ref == _INT:
        number = _integer(reference, other_bits, label, name, scheme.wider)
        if len(reference) > other_digits:
            raise EpcError(
                f"{name}: {label} {reference} is longer than {other_digits} digits"
            )
        return number, other_bits
    if scheme.ref == _STR7:
        return _string_bits(
            reference, other_bits, other_digits, label, name
        ), other_bits
    if not reference:
        raise EpcError(f"{name}: {label} is empty")
    if len(reference) > other_digits:
        raise EpcError(
            f"{name}: {label} {reference!r} is longer than {other_digits} characters"
        )
    return _six_bits(reference, CPI_CHARS, label, name)


def _encode_value(scheme, company_prefix, filter_value, fields):
    """Encode to ``(integer, bits)`` (TDS §14.3); every field checked."""
    fields = _checked_fields(scheme, fields)
    if scheme.identity in _NO_PREFIX:
        return _encode_other(scheme, company_prefix, filter_value, fields)
    filter_value = _filter(filter_value)
    partition, row = _partition(scheme, company_prefix)
    other, other_bits = _encode_reference(
        scheme, row, fields[FIELDS[scheme.identity][0]]
    )
    value = (scheme.header << 3 | filter_value) << 3 | partition
    value = (value << row[0] | int(company_prefix)) << other_bits | other
    nbits = 14 + row[0] + other_bits
    for field, codec, _shift, tail_bits, limit in scheme.tails:
        tail = 0
        if field is not None:
            tail = _encode_tail(scheme, field, codec, tail_bits, limit, fields[field])
        value = value << tail_bits | tail
        nbits += tail_bits
    return value, nbits


def _cage(value, name):
    if not isinstance(value, str) or not _CAGE_RE.fullmatch(value):
        raise EpcError(
            f"{name}: CAGE/DoDAAC must be 5 or 6 upper-case letters or digits,"
            f" got {value!r}"
        )
    return value


def _encode_other(scheme, company_prefix, filter_value, fields):
    """GID-96, USDOD-96 and ADI-var, whose first field is not a company prefix."""
    name = scheme.name
    if company_prefix is not None:
        raise EpcError(f"{name} has no company prefix: give its fields by name")
    if scheme.identity == "gid":
        value = scheme.header
        for field, nbits in zip(FIELDS["gid"], (28, 24, 36), strict=True):
            text = _text(fields[field], _LABELS[field])
            value = value << nbits | _integer(text, nbits, _LABELS[field], name)
        return value, 96
    cage = _cage(fields["cage"], name)
    if scheme.identity == "usdod":
        filter_value = _filter(filter_value, 4)
        serial = _integer(_text(fields["serial"], "serial"), 36, "serial", name)
        cage_bits = int.from_bytes(cage.rjust(6).encode("ascii"), "big")
        value = ((scheme.header << 4 | filter_value) << 48 | cage_bits) << 36
        return value | serial, 96
    filter_value = _filter(filter_value, 6)
    part = _text(fields["part_number"], "part number")
    serial = _text(fields["serial"], "serial")
    if len(part) > 32:
        raise EpcError(f"{name}: part number {part!r} is longer than 32 characters")
    if not serial or len(serial) > 30:
        raise EpcError(f"{name}: serial must be 1 to 30 characters, got {serial!r}")
    value = scheme.header << 6 | filter_value
    for char in cage.rjust(6):
        value = value << 6 | (ord(char) & 0x3F)
    nbits = 50
    part_bits, part_len = _six_bits(part, ADI_CHARS, "part number", name)
    serial_bits, serial_len = _six_bits(serial, ADI_CHARS | {"#"}, "serial", name)
    if "#" in serial[1:]:
        raise EpcError(f"{name}: serial may have '#' as first character only")
    value = (value << part_len | part_bits) << serial_len | serial_bits
    return value, nbits + part_len + serial_len


def _to_hex(value, nbits):
    """Upper-case hex of an ``nbits`` value, zero-padded to whole 16-bit words."""
    words = (nbits + 15) // 16
    return f"{value << (words * 16 - nbits):0{words * 4}X}"


def encode(scheme, company_prefix=None, *, filter=0, **fields):
    """Encode an EPC to upper-case hex (whole 16-bit words) per TDS §14.3.

    ``scheme`` is one of :data:`SCHEMES`; ``company_prefix`` is the GS1
    company prefix as a string of 6 to 12 digits (None for gid-96,
    usdod-96 and adi-var); ``fields`` are the other fields of the scheme
    (:data:`FIELDS`), as strings (numeric serials may be given as ints):

    * ``sgtin-96``, ``sgtin-198``: ``item_reference`` (indicator first), ``serial``
    * ``sscc-96``: ``serial_reference`` (extension digit first)
    * ``sgln-96``, ``sgln-195``: ``location_reference``, ``extension`` (``"0"``)
    * ``grai-96``, ``grai-170``: ``asset_type``, ``serial``
    * ``giai-96``, ``giai-202``: ``asset_reference``
    * ``gdti-96``, ``gdti-113``, ``gdti-174``: ``document_type``, ``serial``
    * ``gsrn-96``, ``gsrnp-96``: ``service_reference``
    * ``sgcn-96``: ``coupon_reference``, ``serial`` (digits, leading zeros kept)
    * ``cpi-96``, ``cpi-var``: ``part_reference``, ``serial``
    * ``itip-110``, ``itip-212``: ``item_reference``, ``piece``, ``total``, ``serial``
    * ``gid-96``: ``manager_number``, ``object_class``, ``serial``
    * ``usdod-96``: ``cage``, ``serial`` (filter 0 to 15)
    * ``adi-var``: ``cage``, ``part_number`` (default empty), ``serial``
      (filter 0 to 63)

    Raises :class:`EpcError` when a value does not fit the scheme.
    """
    scheme = _scheme(scheme)
    value, nbits = _encode_value(scheme, company_prefix, filter, fields)
    return _to_hex(value, nbits)


# --------------------------------------------------------------------------- URIs
def _check_prefix(company_prefix, uri):
    if not 6 <= len(company_prefix) <= 12 or not _DIGITS_RE.fullmatch(company_prefix):
        raise EpcError(
            f"{uri!r}: company prefix must be 6 to 12 digits, got {company_prefix!r}"
        )


def _other_uri_fields(identity, body, uri):
    """Fields of a GID, USDOD, ADI, BIC or IMOVN pure identity (no company
    prefix)."""
    expected = FIELDS[identity]
    if identity in ("bic", "imovn"):
        pattern, rule = _SINGLE_FIELD[identity]
        if not pattern.fullmatch(body):
            raise EpcError(f"{uri!r}: {rule}")
        return None, {expected[0]: body}
    parts = body.split(".")
    if len(parts) != len(expected):
        raise EpcError(
            f"{uri!r}: {identity} needs {len(expected)} dot-separated fields"
        )
    fields = dict(zip(expected, parts, strict=True))
    if identity == "gid":
        for field, nbits in zip(expected, (28, 24, 36), strict=True):
            _integer(fields[field], nbits, _LABELS[field], uri)
        return None, fields
    if not _CAGE_RE.fullmatch(fields["cage"]):
        raise EpcError(
            f"{uri!r}: CAGE/DoDAAC must be 5 or 6 upper-case letters or digits"
        )
    if identity == "usdod":
        _integer(fields["serial"], 36, "serial", uri)
        return None, fields
    part = _unescape(fields["part_number"], "part number", _ADI_RE)
    serial = fields["serial"]
    first = "#" if serial.startswith("%23") else ""
    serial = first + _unescape(serial[len(first) * 3 :], "serial", _ADI_RE)
    if len(part) > 32 or not 1 <= len(serial) <= 30:
        raise EpcError(
            f"{uri!r}: an ADI has a part number of 0 to 32 characters and a serial"
            " of 1 to 30"
        )
    fields.update(part_number=part, serial=serial)
    return None, fields


def _numeric_field(identity, reference, company_prefix, uri, label):
    size = _KEY_DIGITS[identity] - len(company_prefix)
    if len(reference) != size or (size and not _DIGITS_RE.fullmatch(reference)):
        raise EpcError(
            f"{uri!r}: {label} must be {size} digits"
            f" with a {len(company_prefix)}-digit company prefix, got {reference!r}"
        )


def _uri_fields(identity, body, uri):
    """Parse the dot-separated fields of a pure identity (TDS §6.3).

    The last field may itself contain dots: "." is one of the characters of
    an alphanumeric serial.
    """
    if identity in _NO_PREFIX:
        return _other_uri_fields(identity, body, uri)
    expected = FIELDS[identity]
    parts = body.split(".", len(expected))
    if len(parts) != len(expected) + 1:
        raise EpcError(
            f"{uri!r}: {identity} needs {len(expected) + 1} dot-separated fields"
        )
    company_prefix = parts[0]
    _check_prefix(company_prefix, uri)
    fields = {}
    if identity in ("giai", "ginc"):
        field = expected[0]
        reference = _unescape(parts[1], _LABELS[field])
        if len(company_prefix) + len(reference) > 30:
            raise EpcError(f"{uri!r}: a {identity.upper()} has at most 30 characters")
        fields[field] = reference
        return company_prefix, fields
    if identity == "cpi":
        reference = _unescape(parts[1], "part reference", _CPI_RE)
        if len(company_prefix) + len(reference) > 30:
            raise EpcError(f"{uri!r}: a CPI has at most 30 characters")
        serial = parts[2]
        if not _INTEGER_RE.fullmatch(serial) or len(serial) > 12:
            raise EpcError(
                f"{uri!r}: CPI serial must be 1 to 12 digits without leading zero"
            )
        fields.update(part_reference=reference, serial=serial)
        return company_prefix, fields
    _numeric_field(identity, parts[1], company_prefix, uri, _LABELS[expected[0]])
    fields[expected[0]] = parts[1]
    if identity == "itip":
        for field, text in zip(("piece", "total"), parts[2:4], strict=True):
            if len(text) != 2 or not _DIGITS_RE.fullmatch(text):
                raise EpcError(f"{uri!r}: {field} must be 2 digits, got {text!r}")
            fields[field] = text
    if len(expected) > 1:
        last = expected[-1]
        label = _LABELS[last]
        if identity == "sgcn":
            text = parts[-1]
            if not text or len(text) > 12 or not _DIGITS_RE.fullmatch(text):
                raise EpcError(f"{uri!r}: SGCN serial must be 1 to 12 digits")
        else:
            text = _unescape(parts[-1], label)
            if len(text) > _SERIAL_MAX[identity]:
                raise EpcError(
                    f"{uri!r}: {label} has at most {_SERIAL_MAX[identity]} characters"
                )
        fields[last] = text
    return company_prefix, fields


def _parse_tag_uri(uri):
    name, _, body = uri[12:].partition(":")
    if name not in SCHEMES:
        raise EpcError(f"unsupported EPC tag scheme {name!r} in {uri!r}")
    scheme = SCHEMES[name]
    filter_value = 0
    if scheme.identity != "gid":
        filter_text, _, body = body.partition(".")
        top = (1 << _FILTER_BITS.get(scheme.identity, 3)) - 1
        if not _INTEGER_RE.fullmatch(filter_text) or int(filter_text) > top:
            raise EpcError(f"{uri!r}: filter must be a digit 0 to {top}")
        filter_value = int(filter_text)
    company_prefix, fields = _uri_fields(scheme.identity, body, uri)
    value, nbits = _encode_value(scheme, company_prefix, filter_value, fields)
    return _decode_upper_hex(_to_hex(value, nbits), True)


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
        return _new_epc(
            dict(_EMPTY, scheme=identity, company_prefix=company_prefix, **fields)
        )
    if uri.startswith("urn:epc:tag:"):
        return _parse_tag_uri(uri)
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
        if scheme is not None and (bits == scheme.bits or scheme.bits is None):
            if bits % 16:
                code = _to_hex(int(code, 16) >> padding, bits)
            return decode_hex(code)
        return _raw(code, bits)
    raise EpcError(f"not an EPC URI: {uri!r}")


def pure_uri_to_hex(uri, scheme_bits=96, filter=0):
    """Encode a pure identity URI with the ``<scheme>-<scheme_bits>`` encoding.

    ``scheme_bits`` may also be ``"var"`` (CPI, ADI).
    """
    epc = parse_uri(uri)
    if epc.hex is not None or epc.scheme == "raw":
        raise EpcError(f"not a pure identity URI: {uri!r}")
    name = f"{epc.identity}-{scheme_bits}"
    if name not in SCHEMES:
        choices = [key for key in SCHEMES if key.startswith(epc.identity + "-")]
        if not choices:
            raise EpcError(f"{epc.identity} has no binary encoding")
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
def _check_split(value, length, what):
    if len(value) <= length or not _DIGITS_RE.fullmatch(value[:length]):
        raise EpcError(
            f"{what} {value!r} does not start with a {length}-digit company"
            " prefix followed by a reference"
        )


def _gtin_fields(value, length):
    """Company prefix and item reference (indicator first) of a GTIN."""
    return [value[1 : 1 + length], value[0] + value[1 + length : 13]]


def _gtin_key_fields(value, values, length):
    """(01): an SGTIN with a serial (21), else a UPUI with a TPX (235)."""
    if "21" in values:
        return "sgtin", [*_gtin_fields(value, length), values["21"]]
    if "235" in values:
        return "upui", [*_gtin_fields(value, length), values["235"]]
    raise EpcError("an SGTIN needs a serial number, AI (21)")


def _serialised_key_fields(identity, value, length):
    """(253) GDTI or (255) SGCN: a 13-digit key followed by a serial."""
    if len(value) == 13:
        raise EpcError(f"a {identity.upper()} without serial number is not an EPC")
    return identity, [value[:length], value[length:12], value[13:]]


def _grai_fields(value, _values, length):
    """(8003): "0", a 12-digit key and its check digit, then the serial."""
    if len(value) == 14:
        raise EpcError("a GRAI without serial number is not an EPC")
    return "grai", [value[1 : 1 + length], value[1 + length : 13], value[14:]]


def _giai_fields(value, _values, length):
    """(8004): company prefix followed by an asset reference."""
    if len(value) <= length or not _DIGITS_RE.fullmatch(value[:length]):
        raise EpcError(
            f"GIAI {value!r} does not start with a {length}-digit company"
            " prefix followed by an asset reference"
        )
    return "giai", [value[:length], value[length:]]


def _itip_fields(value, values, length):
    """(8006): GTIN, piece and total, with the serial of (21)."""
    if "21" not in values:
        raise EpcError("an ITIP needs a serial number, AI (21)")
    return "itip", [
        *_gtin_fields(value, length),
        value[14:16],
        value[16:18],
        values["21"],
    ]


def _ginc_fields(value, _values, length):
    """(401): company prefix followed by a consignment reference."""
    _check_split(value, length, "GINC")
    return "ginc", [value[:length], value[length:]]


def _cpi_fields(value, values, length):
    """(8010): company prefix and part reference, with the serial of (8011)."""
    _check_split(value, length, "CPI")
    if "8011" not in values:
        raise EpcError("a CPI needs a serial number, AI (8011)")
    return "cpi", [value[:length], value[length:], values["8011"]]


# GS1 key AI -> ``(identity, URI fields)`` from (key value, all values, company
# prefix length); the company prefix is always the first field.
_KEY_FIELDS = {
    "01": _gtin_key_fields,
    "00": lambda v, _vs, n: ("sscc", [v[1 : 1 + n], v[0] + v[1 + n : 17]]),
    "414": lambda v, vs, n: ("sgln", [v[:n], v[n:12], vs.get("254", "0")]),
    "417": lambda v, _vs, n: ("pgln", [v[:n], v[n:12]]),
    "8017": lambda v, _vs, n: ("gsrnp", [v[:n], v[n:17]]),
    "8018": lambda v, _vs, n: ("gsrn", [v[:n], v[n:17]]),
    "253": lambda v, _vs, n: _serialised_key_fields("gdti", v, n),
    "255": lambda v, _vs, n: _serialised_key_fields("sgcn", v, n),
    "8003": _grai_fields,
    "8004": _giai_fields,
    "8006": _itip_fields,
    "401": _ginc_fields,
    "402": lambda v, _vs, n: ("gsin", [v[:n], v[n:16]]),
    "8010": _cpi_fields,
}


def _fields_of_key(ai, value, values, length):
    """``(identity, URI fields)`` of GS1 key ``ai``, or None when it has no EPC."""
    fields_of = _KEY_FIELDS.get(ai)
    return fields_of(value, values, length) if fields_of else None


def epc_from_element_string(pairs_or_string, company_prefix_length):
    """Return the pure identity URI of GS1 element strings (TDS §7).

    ``pairs_or_string`` is what :func:`gs1.parse` accepts or returns.  The
    first GS1 key found decides: (01) with (21) -> SGTIN, (01) with (235) ->
    UPUI, (00) -> SSCC, (414) with an optional (254) -> SGLN, (417) -> PGLN,
    (8003) with a serial -> GRAI, (8004) -> GIAI, (253) with a serial ->
    GDTI, (8018) -> GSRN, (8017) -> GSRNP, (255) with a serial -> SGCN,
    (8010) with (8011) -> CPI, (8006) with (21) -> ITIP, (401) -> GINC,
    (402) -> GSIN.
    ``company_prefix_length`` (6 to 12) is needed because the length of the
    GS1 company prefix cannot be read from the key itself.
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
        found = _fields_of_key(ai, value, values, length)
        if found is None:
            continue
        identity, fields = found
        if identity in ("cpi",):
            fields = [fields[0], fields[1].translate(_SIX_BIT_ESCAPES), fields[2]]
            body = ".".join(fields)
        else:
            body = ".".join([*fields[:-1], _escape(fields[-1])])
        uri = f"urn:epc:id:{identity}:{body}"
        parse_uri(uri)  # the fields must make a valid pure identity
        return uri
    raise EpcError(
        "no GS1 key with an EPC: (00), (01)+(21), (414), (8003), (8004), (253),"
        " (255), (417), (8006)+(21), (8010)+(8011), (8017), (8018), (401),"
        " (402)"
    )
