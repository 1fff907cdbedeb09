"""GS1 Digital Link URIs: strict parsing and generation (uncompressed form).

Plain Python (no Odoo import).  It follows the GS1 Digital Link standard
(URI Syntax, release 1.2 and later; section numbers of its §4 "GS1 Digital
Link URI syntax" and §6 "Mapping to element strings"):

* scheme ``http`` or ``https``, a non-empty domain (``host[:port]``), then
  the path; only the characters of RFC 3986 are allowed anywhere;
* the path ends with ``/{primary key AI}/{value}`` followed by that key's
  qualifiers, each ``/{AI}/{value}``, in the order the standard fixes for the
  key (e.g. GTIN: ``22``, ``10``, ``21`` or ``235``; each qualifier may be
  left out, none may move); anything before the primary key is the
  resolver's own path and is ignored;
* values are percent-decoded; a GTIN is written with its 14 digits (a
  GTIN-8/12/13 must be padded with zeros: a shorter one is refused);
* query parameters whose name is all digits are GS1 data attributes: the
  AI must exist and be allowed as a data attribute, must not be a key
  qualifier that belongs in the path, and must not repeat an AI of the
  path; other parameters (``linkType``, ...) are not GS1 data and are
  ignored; ``+`` in a query value is a space; the fragment is ignored;
* the resulting element strings are validated AI by AI by :func:`gs1.parse`
  rules, with the mandatory associations and invalid pairs.

The compressed form (GS1 Digital Link compression: the AIs and values as a
bit string in URI-safe base 64, one path segment, optionally after an
uncompressed primary key) is read by :func:`parse` and :func:`decompress`
and written by :func:`compress`, bit for bit as GS1's reference
implementation of the algorithm writes it (see "compression" below).
"""

import re
from urllib.parse import unquote_to_bytes

from . import gs1, gs1_ai_table

__all__ = [
    "RESOLVER",
    "DigitalLinkError",
    "build",
    "compress",
    "decompress",
    "digital_link_to_gs1",
    "parse",
    "to_element_string",
]

#: The canonical stem of GS1 Digital Link URIs.
RESOLVER = "https://id.gs1.org"

# RFC 3986 characters (unreserved, reserved and "%").
_URI_CHARS = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    "-._~:/?#[]@!$&'()*+,;=%"
)
_BAD_DOMAIN_CHARS = frozenset("_~?#@!$&'()*+,;=%")
_UNRESERVED = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
)
_SCHEME_RE = re.compile(r"(https?|HTTPS?)://")
_DIGITS_RE = re.compile(r"[0-9]+")


class DigitalLinkError(gs1.Gs1Error):
    """Not a valid GS1 Digital Link URI: the message says which rule it breaks."""


def _qualifier_sequences(ai):
    """Every valid path after primary key ``ai``: order kept, any left out."""
    info = gs1.AI_INFO[ai]
    sequences = set()
    for alternative in info.dl_key or ((),):
        subsets = [()]
        for qualifier in alternative:
            subsets += [(*subset, qualifier) for subset in subsets]
        sequences.update(subsets)
    return sequences


#: primary key AI -> the valid qualifier sequences after it.
KEY_QUALIFIERS = {
    ai: frozenset(_qualifier_sequences(ai))
    for ai, info in gs1.AI_INFO.items()
    if info.dl_key is not None
}


def _decode(text, query):
    """Percent-decode a path segment or query value (``+`` is a space in a query)."""
    if query:
        text = text.replace("+", " ")
    if "%" not in text:
        return text
    raw = unquote_to_bytes(text)
    if b"\x00" in raw:
        raise DigitalLinkError("a percent-decoded value contains a NUL character")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _split_uri(uri):
    """``(path, query)`` of a Digital Link URI, the stem and fragment checked."""
    if not isinstance(uri, str):
        raise DigitalLinkError(f"GS1 Digital Link URI must be text, got {uri!r}")
    bad = next((char for char in uri if char not in _URI_CHARS), None)
    if bad is not None:
        raise DigitalLinkError(f"character {bad!r} is not allowed in a URI")
    scheme = _SCHEME_RE.match(uri)
    if not scheme:
        raise DigitalLinkError("a GS1 Digital Link URI starts with http:// or https://")
    rest = uri[scheme.end() :]
    slash = rest.find("/")
    domain = rest if slash < 0 else rest[:slash]
    if slash < 1:
        raise DigitalLinkError("the URI has no domain and path")
    if any(char in _BAD_DOMAIN_CHARS for char in domain):
        raise DigitalLinkError(f"domain {domain!r} has a character not allowed there")
    rest = rest[slash:].partition("#")[0]
    path, _, query = rest.partition("?")
    return path, query


def _path_pairs(path):
    """The ``(ai, value)`` pairs of the path from its primary key on."""
    segments = path.split("/")[1:]
    start = None
    index = len(segments) - 2
    while index >= 0:
        ai = segments[index]
        if ai not in gs1.AI_INFO:
            break
        if ai in KEY_QUALIFIERS:
            start = index
            break
        index -= 2
    if start is None:
        raise DigitalLinkError("no GS1 Digital Link primary key in the URI path")
    pairs = []
    for position in range(start, len(segments), 2):
        ai, value = segments[position], segments[position + 1]
        if not value:
            raise DigitalLinkError(f"AI ({ai}): empty value in the URI path")
        pairs.append((ai, _decode(value, False)))
    qualifiers = tuple(ai for ai, _value in pairs[1:])
    if qualifiers not in KEY_QUALIFIERS[pairs[0][0]]:
        raise DigitalLinkError(
            f"AI ({pairs[0][0]}) cannot be followed by "
            + "".join(f"/{ai}" for ai in qualifiers)
            + " in a GS1 Digital Link path (key qualifiers and their order)"
        )
    return pairs


def _query_pairs(query, path_ais):
    """GS1 data attributes of the query string (numeric parameter names)."""
    pairs = []
    key = path_ais[0]
    for parameter in query.split("&"):
        name, equals, value = parameter.partition("=")
        if not equals or not _DIGITS_RE.fullmatch(name):
            continue  # not GS1 data (linkType, a flag...)
        info = gs1.AI_INFO.get(name)
        if info is None:
            raise DigitalLinkError(f"unknown AI ({name}) in the query string")
        if not value:
            raise DigitalLinkError(f"AI ({name}): empty value in the query string")
        if not info.dl_attribute:
            raise DigitalLinkError(
                f"AI ({name}) is not allowed as a GS1 Digital Link data attribute"
            )
        qualifiers = path_ais[1:]
        for position in range(len(qualifiers) + 1):
            trial = (*qualifiers[:position], name, *qualifiers[position:])
            if trial in KEY_QUALIFIERS[key]:
                raise DigitalLinkError(
                    f"AI ({name}) is a key qualifier of ({key}): it belongs in the"
                    " URI path"
                )
        pairs.append((name, _decode(value, True)))
    return pairs


def parse(uri, *, associations=True):
    """The element strings of a GS1 Digital Link URI as :class:`gs1.Gs1Pairs`.

    The path's primary key and qualifiers come first, then the query's data
    attributes.  Raises :class:`DigitalLinkError` (a :class:`gs1.Gs1Error`)
    naming the broken rule.
    """
    path, query = _split_uri(uri)
    try:
        pairs = _path_pairs(path)
    except DigitalLinkError:
        segments = [segment for segment in path.split("/") if segment]
        if len(segments) != 1 or not _BASE64_RE.fullmatch(segments[0]):
            compressed = _compressed_or_none(uri)
            if compressed is None:
                raise
        else:  # the whole path is one compressed segment: say why it is bad
            try:
                compressed = decompress(uri)
            except DigitalLinkError as error:
                raise DigitalLinkError(
                    f"not a valid compressed GS1 Digital Link: {error}"
                ) from None
        return parse(compressed, associations=associations)
    path_ais = [ai for ai, _value in pairs]
    pairs += _query_pairs(query, path_ais)
    seen = {}
    for ai, _value in pairs:
        if ai in seen:
            raise DigitalLinkError(f"AI ({ai}) appears twice in the URI")
        seen[ai] = True
    try:
        return gs1.validate_pairs(pairs, associations=associations)
    except DigitalLinkError:
        raise
    except gs1.Gs1Error as error:
        raise DigitalLinkError(str(error)) from error


def _compressed_or_none(uri):
    """The uncompressed URI of a compressed GS1 Digital Link, else None."""
    segment = uri.partition("#")[0].partition("?")[0].rsplit("/", 1)[-1]
    if not _BASE64_RE.fullmatch(segment):
        return None
    try:
        return decompress(uri)
    except (DigitalLinkError, ValueError, IndexError):
        return None


def to_element_string(uri):
    """The parenthesised element string of a GS1 Digital Link URI."""
    return gs1.to_parenthesised(parse(uri))


def _escape(value, query=False):
    out = []
    for char in value:
        if char in _UNRESERVED:
            out.append(char)
        elif char == " " and query:
            out.append("+")
        else:
            out.extend(f"%{byte:02X}" for byte in char.encode("utf-8"))
    return "".join(out)


def build(pairs, resolver=RESOLVER):
    """The GS1 Digital Link URI of ``(ai, value)`` pairs (GS1 DL §4, §6).

    The first AI that is a primary key is the path's key, followed by the
    longest valid sequence of its qualifiers found among the pairs; the
    other AIs become query data attributes (predefined-length AIs first,
    then the others, each group in the order given).  The pairs are
    validated like an element string; an AI that cannot be a data
    attribute raises :class:`DigitalLinkError`.
    """
    pairs = gs1.validate_pairs(list(pairs), associations=False)
    values = dict(pairs)
    # an AI repeated with the same value (checked above) is written once
    pairs = list(dict.fromkeys(pairs))
    key = next((ai for ai, _value in pairs if ai in KEY_QUALIFIERS), None)
    if key is None:
        raise DigitalLinkError("no GS1 Digital Link primary key among the AIs")
    best = max(
        (seq for seq in KEY_QUALIFIERS[key] if all(ai in values for ai in seq)),
        key=len,
    )
    path_ais = (key, *best)
    uri = resolver.rstrip("/") + "".join(
        f"/{ai}/{_escape(values[ai])}" for ai in path_ais
    )
    rest = [(ai, value) for ai, value in pairs if ai not in path_ais]
    for ai, _value in rest:
        info = gs1.AI_INFO.get(ai)
        if info is None or not info.dl_attribute:
            raise DigitalLinkError(
                f"AI ({ai}) is not allowed as a GS1 Digital Link data attribute"
            )
    ordered = [pair for pair in rest if gs1.AI_INFO[pair[0]].predefined]
    ordered += [pair for pair in rest if not gs1.AI_INFO[pair[0]].predefined]
    if ordered:
        uri += "?" + "&".join(f"{ai}={_escape(value, True)}" for ai, value in ordered)
    return uri


def looks_like_digital_link(value):
    """Cheaply tell whether ``value`` may be a GS1 Digital Link URI."""
    return isinstance(value, str) and value[:8].lower().startswith(
        ("http://", "https://")
    )


def digital_link_to_gs1(uri):
    """A GS1 Digital Link URI as a parenthesised element string, else None.

    ``https://id.gs1.org/01/09521234543213/21/A%2F1?17=261231`` ->
    ``(01)09521234543213(21)A/1(17)261231``; None when ``uri`` is not an
    http(s) URI or breaks a rule of the standard (see :func:`parse`).
    """
    if not looks_like_digital_link(uri):
        return None
    try:
        return to_element_string(uri.strip())
    except gs1.Gs1Error:
        return None


# ------------------------------------------------------------------- compression
# GS1 Digital Link compression (the GS1 Digital Link standard's compression
# algorithm; GS1's reference implementation GS1DigitalLinkCompressionPrototype):
# the AIs and values become a bit string written in the URI-safe base 64
# alphabet as one path segment, ``https://id.gs1.org/AQnO2IRCICDKWcnpqQtCQiJABemo``.
# Each element: the AI as 4-bit digits (or an optimisation code of two hex
# characters standing for several AIs), then each component of its value:
# a fixed-length number in the fewest bits that hold its digits; a
# variable-length number: its digit count, then the number; alphanumeric: a
# 3-bit encoding indicator (000 digits, 001 lower-case hex, 010 upper-case hex,
# 011 URI-safe base 64, 100 7-bit ASCII), its length unless fixed, the value.
# A non-GS1 query parameter: ``1111``, its key length (7 bits), its key in base
# 64, then its value like a 7-bit-length alphanumeric.

_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BASE64_INDEX = {char: index for index, char in enumerate(_BASE64)}
_BASE64_RE = re.compile(r"[A-Za-z0-9_-]+")
_HEX_LOWER_RE = re.compile(r"[0-9a-f]+")
_HEX_UPPER_RE = re.compile(r"[0-9A-F]+")
_HEX_DIGITS = "0123456789ABCDEF"


def _compression_formats():
    formats = {}
    for entry in gs1_ai_table.DL_COMPRESSION_FORMATS.split(";"):
        ais, *tokens = entry.split()
        first, _, last = ais.partition("-")
        components = tuple(
            (token[0], token[1:3] == "..", int(token.lstrip("NX."))) for token in tokens
        )
        for number in range(int(first), int(last or first) + 1):
            formats[str(number).zfill(len(first))] = components
    return formats


#: AI -> its components: (``N`` or ``X``, variable length?, length or maximum).
COMPRESSION_FORMATS = _compression_formats()
#: optimisation code -> the AIs it stands for.
COMPRESSION_OPTIMISATIONS = {
    code: tuple(ais.split(","))
    for code, _, ais in (
        item.partition("=")
        for item in gs1_ai_table.DL_COMPRESSION_OPTIMISATIONS.split()
    )
}


def _value_bits(digits):
    """Bits that hold any number of ``digits`` digits: ceil(digits * log2 10)."""
    return (10**digits - 1).bit_length() if digits else 0


def _length_bits(maximum):
    """Bits of the length indicator of a value of at most ``maximum``."""
    return maximum.bit_length()


class _BitWriter:
    __slots__ = ("bits",)

    def __init__(self):
        self.bits = []

    def put(self, value, nbits):
        if nbits:
            self.bits.append(format(value, f"0{nbits}b"))

    def text(self, value, maximum=None):
        """An alphanumeric value: encoding indicator, length (unless fixed), data."""
        if value.isdigit() and value.isascii():
            encoding, data = 0, [(int(value), _value_bits(len(value)))]
        elif _HEX_LOWER_RE.fullmatch(value):
            encoding, data = 1, [(_HEX_DIGITS.index(c.upper()), 4) for c in value]
        elif _HEX_UPPER_RE.fullmatch(value):
            encoding, data = 2, [(_HEX_DIGITS.index(c), 4) for c in value]
        elif _BASE64_RE.fullmatch(value):
            encoding, data = 3, [(_BASE64_INDEX[c], 6) for c in value]
        else:
            if any(ord(char) > 127 for char in value):
                raise DigitalLinkError(
                    "a compressed GS1 Digital Link carries ASCII characters only"
                )
            encoding, data = 4, [(ord(char), 7) for char in value]
        self.put(encoding, 3)
        if maximum is not None:
            self.put(len(value), maximum)
        for number, nbits in data:
            self.put(number, nbits)


def _compress_value(writer, ai, value):
    """Write the components of ``value`` of AI ``ai`` (see above)."""
    components = COMPRESSION_FORMATS.get(ai)
    if components is None:
        raise DigitalLinkError(f"AI ({ai}) has no compressed GS1 Digital Link form")
    pos = 0
    for kind, variable, size in components:
        piece = value[pos:] if variable else value[pos : pos + size]
        pos += len(piece)
        if kind == "N":
            if variable:
                writer.put(len(piece), _length_bits(size))
            writer.put(int(piece or "0"), _value_bits(len(piece)))
        else:
            writer.text(piece, _length_bits(size) if variable else None)


def compress_pairs(pairs, *, optimise=False, others=()):
    """The compressed form (base 64 text) of ``(ai, value)`` pairs.

    ``optimise`` uses the optimisation codes for the AI sequences that have
    one; ``others`` are non-GS1 ``(key, value)`` query parameters to carry too.
    """
    values = dict(pairs)
    order = sorted(values)  # the reference implementation's order
    writer = _BitWriter()
    if optimise:
        left = sorted(values)
        while True:
            best = max(
                (
                    (len("".join(ais)), code)
                    for code, ais in COMPRESSION_OPTIMISATIONS.items()
                    if all(ai in left for ai in ais)
                ),
                default=None,
                key=lambda item: item[0],
            )
            if best is None:
                break
            code = best[1]
            writer.put(int(code, 16), 8)
            for ai in COMPRESSION_OPTIMISATIONS[code]:
                _compress_value(writer, ai, values[ai])
                left.remove(ai)
        order = [ai for ai in order if ai in left]
    for ai in order:
        writer.put(int(ai, 16), 4 * len(ai))
        _compress_value(writer, ai, values[ai])
    for key, value in others:
        if not _BASE64_RE.fullmatch(key) or len(key) > 127 or len(value) > 127:
            raise DigitalLinkError(f"query parameter {key!r} cannot be compressed")
        writer.put(0b1111, 4)
        writer.put(len(key), 7)
        for char in key:
            writer.put(_BASE64_INDEX[char], 6)
        writer.text(value, 7)
    bits = "".join(writer.bits)
    bits += "0" * (-len(bits) % 6)
    return "".join(_BASE64[int(bits[i : i + 6], 2)] for i in range(0, len(bits), 6))


class _BitReader:
    __slots__ = ("bits", "pos")

    def __init__(self, bits):
        self.bits, self.pos = bits, 0

    def take(self, nbits):
        if self.pos + nbits > len(self.bits):
            raise DigitalLinkError("the compressed GS1 Digital Link ends too early")
        start, self.pos = self.pos, self.pos + nbits
        return int(self.bits[start : self.pos] or "0", 2)

    def number(self, digits):
        value = self.take(_value_bits(digits))
        text = str(value).zfill(digits)
        if len(text) > digits:
            raise DigitalLinkError(
                "a compressed number has more digits than its length"
            )
        return text if digits else ""

    def text(self, count=None, length_bits=0):
        """An alphanumeric value: encoding indicator, length (unless ``count``)."""
        encoding = self.take(3)
        if length_bits:
            count = self.take(length_bits)
        if encoding == 0:
            return self.number(count)
        if encoding in (1, 2):
            text = "".join(_HEX_DIGITS[self.take(4)] for _ in range(count))
            return text.lower() if encoding == 1 else text
        if encoding == 3:
            return "".join(_BASE64[self.take(6)] for _ in range(count))
        if encoding == 4:
            return "".join(chr(self.take(7)) for _ in range(count))
        raise DigitalLinkError(f"unknown encoding indicator {encoding:03b}")


def _decompress_value(reader, ai):
    components = COMPRESSION_FORMATS.get(ai)
    if components is None:
        raise DigitalLinkError(f"AI ({ai}) has no compressed GS1 Digital Link form")
    value = []
    for kind, variable, size in components:
        if kind == "N":
            count = reader.take(_length_bits(size)) if variable else size
            value.append(reader.number(count))
        elif variable:
            value.append(reader.text(length_bits=_length_bits(size)))
        else:
            value.append(reader.text(size))
    return "".join(value)


def decompress_pairs(text):
    """``(pairs, others)`` of a compressed segment: the ``(ai, value)`` pairs in
    their binary order and the non-GS1 ``(key, value)`` parameters."""
    if not _BASE64_RE.fullmatch(text or ""):
        raise DigitalLinkError("a compressed GS1 Digital Link is URI-safe base 64")
    reader = _BitReader("".join(format(_BASE64_INDEX[char], "06b") for char in text))
    pairs, others = [], []
    while len(reader.bits) - reader.pos > 8:
        first, second = reader.take(4), reader.take(4)
        head = f"{first:X}{second:X}"
        if first <= 9 and second <= 9:
            length = gs1.AI_LENGTH_BY_PREFIX.get(head)
            if length is None:
                raise DigitalLinkError(f"no AI starts with {head}")
            ai = head
            for _ in range(length - 2):
                digit = reader.take(4)
                if digit > 9:
                    raise DigitalLinkError(f"AI {ai}... has a digit {digit:X}")
                ai += str(digit)
            pairs.append((ai, _decompress_value(reader, ai)))
        elif head in COMPRESSION_OPTIMISATIONS:
            for ai in COMPRESSION_OPTIMISATIONS[head]:
                pairs.append((ai, _decompress_value(reader, ai)))
        elif first == 0xF:
            reader.pos -= 4
            size = reader.take(7)
            key = "".join(_BASE64[reader.take(6)] for _ in range(size))
            others.append((key, reader.text(length_bits=7)))
        else:
            raise DigitalLinkError(f"no optimisation code {head}")
    if reader.bits[reader.pos :].strip("0"):
        raise DigitalLinkError("the compressed GS1 Digital Link has bits left over")
    return pairs, others


def _uri_parts(uri):
    """``(stem, path, query)``: the stem is the scheme, domain and resolver path."""
    path, query = _split_uri(uri)
    head = uri.partition("#")[0].partition("?")[0]
    return head[: len(head) - len(path)], path, query


def _split_compressed(path):
    """``(stem_path, key_pair, segment)`` of a compressed path: the last segment
    is compressed; before it, an uncompressed primary key may stand."""
    segments = path.split("/")
    segment = segments[-1]
    key_pair = None
    if len(segments) >= 4 and segments[-3] in KEY_QUALIFIERS:
        key_pair = (segments[-3], _decode(segments[-2], False))
        segments = segments[:-3]
    else:
        segments = segments[:-1]
    return "/".join(segments), key_pair, segment


def _others(query):
    """Non-GS1 query parameters as ``(key, decoded value)`` pairs."""
    others = []
    for parameter in query.split("&") if query else ():
        name, equals, value = parameter.partition("=")
        if equals and name and not _DIGITS_RE.fullmatch(name):
            others.append((name, _decode(value, True)))
    return others


def _decompressed(uri):
    """``(stem, pairs, others)`` of a compressed GS1 Digital Link URI."""
    stem, path, query = _uri_parts(uri)
    stem_path, key_pair, segment = _split_compressed(path)
    pairs, others = decompress_pairs(segment)
    if key_pair is not None:
        pairs.insert(0, key_pair)
    # the query may still hold GS1 data attributes and other parameters
    for name, value in _others(query):
        others.append((name, value))
    for parameter in query.split("&") if query else ():
        name, equals, value = parameter.partition("=")
        if equals and _DIGITS_RE.fullmatch(name):
            pairs.append((name, _decode(value, True)))
    return stem + stem_path, pairs, others


def decompress(uri):
    """The uncompressed GS1 Digital Link URI of a compressed one (same stem).

    ``https://id.gs1.org/AN2yxDhfaiaw`` -> ``https://id.gs1.org/00/998440410914660971``.
    Non-GS1 parameters (compressed or not) follow as the query string.
    Raises :class:`DigitalLinkError` when the URI is not a valid compressed
    GS1 Digital Link.
    """
    stem, pairs, others = _decompressed(uri)
    try:
        result = build(pairs, resolver=stem)
    except DigitalLinkError:
        raise
    except gs1.Gs1Error as error:
        raise DigitalLinkError(str(error)) from error
    if others:
        result += ("&" if "?" in result else "?") + "&".join(
            f"{_escape(key)}={_escape(value, True)}" for key, value in others
        )
    parse(result)
    return result


def compress(uri, *, optimise=False, uncompressed_primary=False, others=False):
    """The compressed form of a GS1 Digital Link URI, on the same stem.

    ``optimise`` uses the optimisation codes; ``uncompressed_primary`` keeps
    the primary key readable (``/01/09506000134352/<compressed>``);
    ``others`` also compresses the non-GS1 query parameters (else they stay
    in the query string).  The URI is validated first (see :func:`parse`).
    """
    pairs = list(parse(uri))
    stem, path, query = _uri_parts(uri)
    key_at = path.split("/").index(pairs[0][0])
    stem += "/".join(path.split("/")[:key_at])
    extra = _others(query)
    prefix = ""
    if uncompressed_primary:
        key, value = pairs.pop(0)
        prefix = f"/{key}/{_escape(value)}"
    text = compress_pairs(pairs, optimise=optimise, others=extra if others else ())
    result = f"{stem}{prefix}/{text}"
    if extra and not others:
        result += "?" + "&".join(
            f"{_escape(key)}={_escape(value, True)}" for key, value in extra
        )
    return result
