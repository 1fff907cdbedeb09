"""What a scanned code is, and by which keys it may name an asset.

Plain Python (no ORM): the scan endpoint, the handheld screen and the crons call
:func:`classify` on each distinct code, then look the keys up in the database in
one query per key kind.

Keys, in the order they are tried:

``("epc", HEX)``
    the asset's RFID EPC, exactly;
``("gs1", "giai:<GIAI>")``, ``("gs1", "grai:<GRAI>")``,
``("gs1", "sgtin:<GTIN>.<serial>")``
    the GS1 identity the code carries (from an EPC or a GS1 barcode), matched
    against the identity of the assets' EPCs and GS1 keys;
``("lot", (GTIN, serial))``
    a GTIN + serial number, through the serial number of a product whose barcode
    is that GTIN;
``("code", TEXT)``
    the asset tag;
``("serial", TEXT)``
    a serial number alone (used only when it names one asset of the company).

A GS1 Digital Link URI (a GS1 QR Code) is read as its element strings.
"""

from dataclasses import dataclass, field
from functools import lru_cache

from . import digital_link, gs1
from . import epc as epc_lib

MAX_CODE_LENGTH = 256
_GS1_MARKERS = ("(", "]", gs1.GS)
# what a scanner adds around a code: ASCII blanks only. str.strip() would also eat
# the group separator (FNC1) that starts a raw GS1 element string.
BLANKS = " \t\r\n\x0b\x0c"


def strip_code(code):
    """``code`` without surrounding blanks, FNC1 / GS separators kept."""
    return code.strip(BLANKS)


@dataclass(frozen=True, slots=True)
class ScanCode:
    """A classified scanned code: how to answer about it, and how to find it."""

    code: str
    kind: str  # epc | epc_raw | epc_uri | gs1 | text | invalid
    keys: tuple = ()
    epc_uri: str | None = None
    gs1: str | None = None
    message: str | None = None
    epc_hex: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def valid(self):
        return self.kind != "invalid"


def gtin14(value):
    """A GTIN of 8, 12, 13 or 14 digits as the 14-digit form, else None."""
    if not value or not value.isdigit() or len(value) not in (8, 12, 13, 14):
        return None
    return value.zfill(14)


# GS1 keys that name one asset by themselves: AI -> key kind.
_INSTANCE_KEYS = (
    ("8004", "giai"),
    ("8003", "grai"),
    ("253", "gdti"),
    ("8018", "gsrn"),
    ("8017", "gsrnp"),
)
# a GRAI or GDTI of this length has no serial: it names a type, not one asset
_TYPE_ONLY = {"8003": 14, "253": 13}
# EPC identities that are no GS1 key: named by their pure identity URI body.
_NON_GS1_IDENTITIES = ("adi", "gid", "usdod", "bic", "imovn")


def identity_keys(pairs):
    """GS1 identity keys of ``(ai, value)`` pairs (from a barcode or an EPC)."""
    values = dict(pairs)
    keys = []
    for ai, kind in _INSTANCE_KEYS:
        value = values.get(ai)
        if value is not None and len(value) != _TYPE_ONLY.get(ai):
            keys.append(("gs1", f"{kind}:{value}"))
    if "21" in values:
        if "01" in values:
            keys.append(("gs1", f"sgtin:{values['01']}.{values['21']}"))
            keys.append(("lot", (values["01"], values["21"])))
        elif "8006" in values:
            keys.append(("gs1", f"itip:{values['8006']}.{values['21']}"))
    return keys


def _epc_keys(decoded):
    """The ``gs1`` identity keys of a decoded EPC (GS1 key, or ADI/GID/USDoD)."""
    if decoded.identity in _NON_GS1_IDENTITIES:
        return [("gs1", decoded.pure_uri[11:])]
    return identity_keys(decoded.gs1_pairs)


def epc_identity_key(hex_code):
    """The ``gs1`` key of an asset's EPC (stored on the asset), or False."""
    if not hex_code:
        return False
    try:
        decoded = epc_lib.decode_hex(hex_code, strict=False)
    except epc_lib.EpcError:
        return False
    if decoded.scheme == "raw":
        return False
    keys = [value for kind, value in _epc_keys(decoded) if kind == "gs1"]
    return keys[0] if keys else False


def _text(code):
    return ScanCode(code=code, kind="text", keys=(("code", code), ("serial", code)))


def _from_epc(code, decoded):
    hex_code = decoded.hex
    if decoded.scheme == "raw":
        # unknown header, or not GS1: kept as raw hex; may also be a tag or serial
        keys = (("epc", hex_code),) if hex_code else ()
        return ScanCode(
            code=code,
            kind="epc_raw",
            keys=(*keys, ("code", code), ("serial", code)),
            epc_hex=hex_code,
        )
    keys = ((("epc", hex_code),) if hex_code else ()) + tuple(_epc_keys(decoded))
    return ScanCode(
        code=code,
        kind="epc" if hex_code else "epc_uri",
        keys=keys,
        epc_uri=decoded.pure_uri,
        gs1=decoded.element_string,
        epc_hex=hex_code,
    )


# headers of the EPC schemes of TDS 2.x (tools/epc.py SCHEMES)
_EPC_HEADERS = frozenset(f"{scheme.header:02X}" for scheme in epc_lib.SCHEMES.values())
_HEX_DIGITS = frozenset("0123456789ABCDEF")


def _looks_like_broken_epc(upper):
    """A GS1 EPC header and length (96 or 128 bits) with non-hex characters."""
    return (
        len(upper) in (24, 32)
        and upper[:2] in _EPC_HEADERS
        and upper.isalnum()
        and not _HEX_DIGITS.issuperset(upper)
    )


def collapse_key(code):
    """The form under which reads of one code collapse: hex EPCs ignore case."""
    if len(code) >= 24 and _HEX_DIGITS.issuperset(upper := code.upper()):
        return upper
    return code


def _from_digital_link(code):
    """A GS1 Digital Link (a GS1 QR Code): its element strings name the asset; a
    URI that is no Digital Link is kept as text."""
    try:
        pairs = digital_link.parse(code)
    except gs1.Gs1Error:
        return _text(code)
    return ScanCode(
        code=code,
        kind="gs1",
        keys=tuple(identity_keys(pairs)),
        gs1=gs1.to_parenthesised(pairs),
    )


@lru_cache(maxsize=65536)
def classify(code):
    """Classify one scanned code (any of the forms of the API contract)."""
    if not isinstance(code, str):
        return ScanCode(code=str(code), kind="invalid", message="code must be text")
    code = strip_code(code)
    if not code:
        return ScanCode(code=code, kind="invalid", message="empty code")
    if len(code) > MAX_CODE_LENGTH:
        return ScanCode(
            code=code[:MAX_CODE_LENGTH],
            kind="invalid",
            message=f"code longer than {MAX_CODE_LENGTH} characters",
        )
    if code.startswith("urn:epc:"):
        try:
            return _from_epc(code, epc_lib.decode(code))
        except epc_lib.EpcError as error:
            return ScanCode(code=code, kind="invalid", message=str(error))
    upper = code.upper()
    if epc_lib.is_epc_hex(upper):
        try:
            return _from_epc(code, epc_lib.decode_hex(upper))
        except epc_lib.EpcError as error:
            # a GS1 header with broken fields; the same text may still be a tag
            return ScanCode(
                code=code,
                kind="text",
                keys=(("code", code), ("serial", code)),
                message=str(error),
                epc_hex=upper,
            )
    if _looks_like_broken_epc(upper):
        return ScanCode(
            code=code,
            kind="text",
            keys=(("code", code), ("serial", code)),
            message="EPC must be hexadecimal (digits 0-9 and letters A-F)",
        )
    if digital_link.looks_like_digital_link(code):
        return _from_digital_link(code)
    if gs1.looks_like_element_string(code):
        try:
            pairs = gs1.parse(code)
        except gs1.Gs1Error as error:
            if code.startswith(_GS1_MARKERS):
                return ScanCode(code=code, kind="invalid", message=str(error))
            return _text(code)
        keys = tuple(identity_keys(pairs))
        if not code.startswith(_GS1_MARKERS):
            keys += (("code", code), ("serial", code))
        return ScanCode(
            code=code,
            kind="gs1",
            keys=keys,
            gs1=gs1.to_parenthesised(pairs),
        )
    return _text(code)
