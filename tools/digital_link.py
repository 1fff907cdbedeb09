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

The compressed form (binary-compressed path) is not decoded: a compressed
URI has no primary key AI in its path and is refused as "no GS1 key".
"""

import re
from urllib.parse import unquote_to_bytes

from . import gs1

__all__ = [
    "RESOLVER",
    "DigitalLinkError",
    "build",
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
    pairs = _path_pairs(path)
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
