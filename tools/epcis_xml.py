"""EPCIS 1.2 / 2.0 XML events turned into the reads of the scan pipeline.

Plain Python (lxml, no Odoo import), the XML counterpart of
:func:`reader_formats.parse_epcis_document`: the EPCIS repositories poller
(``stock.asset.epcis.repository``) feeds the ``EventList`` of each SOAP
``QueryResults`` page through :func:`parse_event_elements`.

Each event is judged on its own. An event gets a key for idempotency: its
``eventID``, else its CBV 2.0 event hash (:func:`event_hash`, CBV 2.0 §8.9,
"EPCIS Event Hash ID"). An event carrying an ``errorDeclaration`` is a
declaration, not a duplicate: it is reported with ``declaration`` set and gives
no read.

An event is also refused on its own (``problems`` set, the rest of the page
unaffected) when it is out of bounds: nested deeper than :data:`MAX_DEPTH`
levels, more than :data:`MAX_ELEMENTS` elements, a text or attribute longer than
:data:`MAX_TEXT` characters, an entity reference (entities are never expanded),
a time that overflows once its offset is applied, or anything else that makes
reading it fail. The XML itself is read by :data:`SAFE_PARSER` (no entity
expansion, no network, libxml2's default size and depth limits).
"""

import hashlib
import logging
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, urlsplit

from lxml import etree

from . import epc as epc_tools
from .reader_formats import (
    TZ_MISSING,
    biz_step_to_mode,
    digital_link_to_gs1,
    normalize_timestamp,
)

__all__ = [
    "EPCIS_NAMESPACES",
    "EVENT_TYPES",
    "MAX_DEPTH",
    "MAX_ELEMENTS",
    "MAX_KEY",
    "MAX_TEXT",
    "SAFE_PARSER",
    "canonical_uri",
    "event_hash",
    "event_prehash",
    "parse_document",
    "parse_event_elements",
]

EPCIS_NAMESPACES = {
    "urn:epcglobal:epcis:xsd:1": "1.2",
    "urn:epcglobal:epcis:xsd:2": "2.0",
}
EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
_ACTIONS = ("ADD", "OBSERVE", "DELETE")
# bounds of one event (an ObjectEvent is 4-5 levels deep; extensions add a few)
MAX_DEPTH = 32
MAX_ELEMENTS = 200_000
MAX_TEXT = 65_536
# an event key is indexed: a longer eventID is refused under a hash of it
MAX_KEY = 1024
# no entity expansion, no network access, libxml2's limits kept (huge_tree off)
SAFE_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
)
_logger = logging.getLogger(__name__)
_TZ_OFFSET_RE = re.compile(r"[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)")
_UTC = timezone.utc

# --------------------------------------------------------------------------
# Generic tree: (name, text, children), the shape the hash works on. Names are
# local for the unqualified standard fields, ``{namespace}local`` for user
# extensions; XML attributes become children; EPCIS 1.2's ``extension`` and
# ``baseExtension`` wrappers are flattened into their parent.

_WRAPPERS = frozenset({"extension", "baseExtension"})


def _name(element):
    qname = etree.QName(element)
    return qname.localname if not qname.namespace else element.tag


def _tree_children(element):
    children = [(key, value.strip(), []) for key, value in element.attrib.items()]
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        name = _name(child)
        if name in _WRAPPERS:
            children.extend(_tree_children(child))
        else:
            children.append(_tree(child))
    return children


def _tree(element):
    return (_name(element), (element.text or "").strip(), _tree_children(element))


# --------------------------------------------------------------------------
# Value canonicalisation (CBV 2.0 §8.9.2)

_CBV_URNS = (
    ("urn:epcglobal:cbv:bizstep:", "https://ref.gs1.org/cbv/BizStep-"),
    ("urn:epcglobal:cbv:disp:", "https://ref.gs1.org/cbv/Disp-"),
    ("urn:epcglobal:cbv:btt:", "https://ref.gs1.org/cbv/BTT-"),
    ("urn:epcglobal:cbv:sdt:", "https://ref.gs1.org/cbv/SDT-"),
    ("urn:epcglobal:cbv:er:", "https://ref.gs1.org/cbv/ER-"),
)
# the compact URIs of the EPCIS 2.0 JSON-LD context
_CURIES = (("cbv:", "https://ref.gs1.org/cbv/"), ("gs1:", "https://gs1.org/voc/"))
# characters a GS1 Digital Link percent-encodes in a key or qualifier value
_DL_SAFE = "".join(
    chr(code) for code in range(33, 127) if chr(code) not in '!"#%&()*+,/:<>?'
)
# primary key -> the qualifiers that identify finer, finest first
_DL_FINEST = {
    "01": ("21", "10", "22"),
    "414": ("254",),
    "8006": ("21", "10", "22"),
    "8010": ("8011",),
}
_DL_KEYS = frozenset(
    {"00", "01", "253", "255", "401", "402", "414", "417"}
    | {"8003", "8004", "8006", "8010", "8013", "8017", "8018"}
)


def _dl_value(value):
    return quote(value, safe=_DL_SAFE)


# pure identities tools/epc.py does not decode: scheme -> (AI, key digits)
_OTHER_KEYS = {"pgln": ("417", 12), "gsrn": ("8018", 17), "gsrnp": ("8017", 17)}
_OTHER_RE = re.compile(r"urn:epc:id:(pgln|gsrnp?|gdti):(\d{6,12})\.(\d*)(?:\.(.*))?")


def _other_urn_to_dl(value):
    match = _OTHER_RE.fullmatch(value)
    if not match:
        return None
    scheme, prefix, reference, serial = match.groups()
    key = prefix + reference
    if scheme == "gdti":
        if len(key) != 12 or serial is None:
            return None
        serial = re.sub(
            r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), serial
        )
        return f"https://id.gs1.org/253/{key}{epc_tools.gs1.check_digit(key)}" + (
            _dl_value(serial)
        )
    ai, digits = _OTHER_KEYS[scheme]
    if serial is not None or len(key) != digits:
        return None
    return f"https://id.gs1.org/{ai}/{key}{epc_tools.gs1.check_digit(key)}"


def _epc_urn_to_dl(value):
    if _OTHER_RE.fullmatch(value):
        return _other_urn_to_dl(value)
    try:
        decoded = epc_tools.parse_uri(value)
    except ValueError:
        return None
    pairs = decoded.gs1_pairs
    if not pairs:
        return None
    return "https://id.gs1.org/" + "/".join(
        f"{ai}/{_dl_value(text)}" for ai, text in pairs
    )


def _class_urn_to_dl(value):
    """``urn:epc:class:lgtin:`` and ``urn:epc:idpat:sgtin:<cp>.<item>.*``."""
    match = re.fullmatch(r"urn:epc:(class:lgtin|idpat:sgtin):(\d+)\.(\d+)\.(.+)", value)
    if not match:
        return None
    kind, prefix, item, rest = match.groups()
    if len(prefix) + len(item) != 13 or not 6 <= len(prefix) <= 12:
        return None
    key = item[0] + prefix + item[1:]
    gtin = key + epc_tools.gs1.check_digit(key)
    if kind == "idpat:sgtin":
        return f"https://id.gs1.org/01/{gtin}" if rest == "*" else None
    lot = re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), rest)
    return f"https://id.gs1.org/01/{gtin}/10/{_dl_value(lot)}"


def _digital_link_canonical(value):
    """A GS1 Digital Link on ``id.gs1.org``, finest identification, no query."""
    parts = urlsplit(value)
    segments = [segment for segment in parts.path.split("/") if segment]
    for start, segment in enumerate(segments):
        if segment in _DL_KEYS and (len(segments) - start) % 2 == 0:
            pairs = dict(zip(segments[start::2], segments[start + 1 :: 2], strict=True))
            primary = segment
            path = f"{primary}/{pairs[primary]}"
            for qualifier in _DL_FINEST.get(primary, ()):
                if qualifier in pairs:
                    path += f"/{qualifier}/{pairs[qualifier]}"
                    break
            return "https://id.gs1.org/" + path
    return None


def canonical_uri(value):
    """The canonical GS1 Digital Link of an identifier, or None when it is not
    one (EPC pure identity / class / pattern URN, or a Digital Link)."""
    if value.startswith("urn:epc:id:"):
        return _epc_urn_to_dl(value)
    if value.startswith(("urn:epc:class:", "urn:epc:idpat:")):
        return _class_urn_to_dl(value)
    if value.lower().startswith(("http://", "https://")):
        return _digital_link_canonical(value)
    return None


def _canonical_number(text):
    try:
        number = float(text)
    except ValueError:
        return text
    if number != number or number in (float("inf"), float("-inf")):
        return text
    if int(number) == number:
        return str(int(number))
    return str(number)


def _canonical_value(text):
    for urn, web in _CBV_URNS:
        if text.startswith(urn):
            text = web + text[len(urn) :]
            break
    for curie, web in _CURIES:
        if text.startswith(curie):
            text = web + text[len(curie) :]
            break
    text = _canonical_number(text)
    return canonical_uri(text) or text


def _canonical_time(text):
    """UTC, millisecond precision (rounded), ``Z``; unreadable text unchanged."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_UTC)
        moment = moment.astimezone(_UTC)
        millis = round(moment.microsecond / 1000)
        moment = moment.replace(microsecond=0) + timedelta(milliseconds=millis)
    except (ValueError, OverflowError):  # out of range once in UTC
        return text
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _is_time(name):
    lowered = name.lower()
    return "time" in lowered and "offset" not in lowered


# --------------------------------------------------------------------------
# Pre-hash string (CBV 2.0 §8.9.1: canonical property order)

_QUANTITY = (("epcClass", None), ("quantity", None), ("uom", None))
_PROPERTY_ORDER = (
    ("eventTime", None),
    ("eventTimeZoneOffset", None),
    ("certificationInfo", None),
    ("parentID", None),
    ("epcList", (("epc", None),)),
    ("inputEPCList", (("epc", None),)),
    ("childEPCs", (("epc", None),)),
    ("quantityList", (("quantityElement", _QUANTITY),)),
    ("childQuantityList", (("quantityElement", _QUANTITY),)),
    ("inputQuantityList", (("quantityElement", _QUANTITY),)),
    ("outputEPCList", (("epc", None),)),
    ("outputQuantityList", (("quantityElement", _QUANTITY),)),
    ("action", None),
    ("transformationID", None),
    ("bizStep", None),
    ("disposition", None),
    ("persistentDisposition", (("set", None), ("unset", None))),
    ("readPoint", (("id", None),)),
    ("bizLocation", (("id", None),)),
    (
        "sensorElementList",
        (
            (
                "sensorElement",
                (
                    (
                        "sensorMetadata",
                        tuple(
                            (name, None)
                            for name in (
                                "time",
                                "startTime",
                                "endTime",
                                "deviceID",
                                "deviceMetadata",
                                "rawData",
                                "dataProcessingMethod",
                                "bizRules",
                            )
                        ),
                    ),
                    (
                        "sensorReport",
                        tuple(
                            (name, None)
                            for name in (
                                "type",
                                "exception",
                                "deviceID",
                                "deviceMetadata",
                                "rawData",
                                "dataProcessingMethod",
                                "time",
                                "microorganism",
                                "chemicalSubstance",
                                "value",
                                "component",
                                "stringValue",
                                "booleanValue",
                                "hexBinaryValue",
                                "uriValue",
                                "minValue",
                                "maxValue",
                                "meanValue",
                                "sDev",
                                "percRank",
                                "percValue",
                                "uom",
                                "coordinateReferenceSystem",
                            )
                        ),
                    ),
                ),
            ),
        ),
    ),
)
# not part of the hash: they describe the record, not the event
_IGNORED = frozenset({"recordTime", "eventID", "errorDeclaration", "type"})
# list entries whose type reads first: "type=...<entry>=..."
_TYPED_ENTRIES = frozenset({"bizTransaction", "source", "destination"})


def _node_string(name, text, children, order):
    value = ""
    if text:
        value = "=" + (
            _canonical_time(text) if _is_time(name) else _canonical_value(text)
        )
    inner = _ordered(children, order) if order else _generic(children)
    if value or inner:
        return name + value + inner
    return ""


def _ordered(children, order):
    """Children named in ``order`` first (each name's values sorted), then the
    user extensions among them, sorted."""
    parts = []
    for name, sub_order in order:
        values = sorted(
            filter(
                None,
                (
                    _node_string(child[0], child[1], child[2], sub_order)
                    for child in children
                    if child[0] == name
                ),
            )
        )
        parts.extend(values)
    known = {name for name, _sub in order}
    extensions = [child for child in children if child[0] not in known]
    return "".join(parts) + _generic(extensions)


def _typed_entry(name, text, children):
    kinds = [child for child in children if child[0] == "type"]
    rest = [child for child in children if child[0] != "type"]
    head = "".join("type=" + _canonical_value(kind[1]) for kind in kinds if kind[1])
    return head + _node_string(name, text, rest, None)


def _generic(children):
    """Children without a canonical order, sorted (a typed list entry reads
    ``type=...`` first)."""
    values = []
    for name, text, grandchildren in children:
        if name in _TYPED_ENTRIES:
            values.append(_typed_entry(name, text, grandchildren))
        else:
            values.append(_node_string(name, text, grandchildren, None))
    return "".join(sorted(values))


def event_prehash(element):
    """The pre-hash string of one event element (CBV 2.0 §8.9)."""
    children = [child for child in _tree_children(element) if child[0] not in _IGNORED]
    return f"eventType={_name(element)}" + _ordered(children, _PROPERTY_ORDER)


def event_hash(element):
    """``ni:///sha-256;<hex>?ver=CBV2.0``: the EPCIS event hash ID of an event."""
    digest = hashlib.sha256(event_prehash(element).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=CBV2.0"


# --------------------------------------------------------------------------
# Events -> reads


def _flat_fields(element):
    """Direct children by local name, EPCIS 1.2 wrappers flattened."""
    fields = {}
    for child in element:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.namespace:
            continue  # a user extension
        if qname.localname in _WRAPPERS:
            for name, values in _flat_fields(child).items():
                fields.setdefault(name, []).extend(values)
            continue
        fields.setdefault(qname.localname, []).append(child)
    return fields


def _text_of(fields, name):
    elements = fields.get(name)
    if not elements:
        return None
    return (elements[0].text or "").strip()


def _place(fields, name, problem):
    elements = fields.get(name)
    if not elements:
        return None
    ids = [child for child in elements[0] if etree.QName(child).localname == "id"]
    value = (ids[0].text or "").strip() if ids else ""
    if not value:
        problem(f"<{name}> has no <id>")
        return False
    return value


def _time_of(fields, name, offset, problem, required=True):
    text = _text_of(fields, name)
    if text is None:
        if required:
            problem(f"<{name}> is missing")
        return None
    stamp, error = normalize_timestamp(text)
    if error == TZ_MISSING and offset:
        stamp, error = normalize_timestamp(text + offset)
    if not error and not _in_range(stamp):
        error = "out of range"
    if error:
        problem(f"<{name}> is not a date-time with a time zone: {text[:80]!r}")
        return None
    return stamp


def _in_range(stamp):
    """A normalised ``...Z`` time that a UTC datetime can hold."""
    try:
        datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(_UTC)
    except (ValueError, OverflowError, AttributeError):
        return False
    return True


def _declaration(fields, problem):
    elements = fields.get("errorDeclaration")
    if not elements:
        return None
    declared = _flat_fields(elements[0])
    stamp = _time_of(declared, "declarationTime", None, problem)
    corrective = [
        (child.text or "").strip()
        for holder in declared.get("correctiveEventIDs", ())
        for child in holder
        if isinstance(child.tag, str)
        and etree.QName(child).localname == "correctiveEventID"
    ]
    return {
        "declaration_time": stamp,
        "reason": _text_of(declared, "reason"),
        "corrective_event_ids": corrective,
    }


def _event(element, index):
    """One event as a dict; ``problems`` lists what keeps it from applying."""
    kind = etree.QName(element).localname
    problems = []
    problem = problems.append
    fields = _flat_fields(element)
    try:
        hashed = event_hash(element)
    except (ValueError, TypeError, OverflowError):  # an unreadable value inside
        hashed = None
        problem("its event hash cannot be computed (an unreadable value)")
    event_id = _text_of(fields, "eventID") or None
    offset = _text_of(fields, "eventTimeZoneOffset")
    if offset is None:
        problem("<eventTimeZoneOffset> is missing")
    elif not _TZ_OFFSET_RE.fullmatch(offset):
        problem(f'<eventTimeZoneOffset> must look like "+02:00", got {offset!r}')
        offset = None
    event_time = _time_of(fields, "eventTime", offset, problem)
    record_time = _time_of(fields, "recordTime", None, lambda _m: None, required=False)
    declaration = _declaration(fields, problem)
    event = {
        "index": index,
        "type": kind,
        "event_id": event_id,
        "hash": hashed,
        "key": event_id or hashed,
        "event_time": event_time,
        "record_time": record_time,
        "declaration": declaration,
        "read_point": None,
        "biz_location": None,
        "biz_step": None,
        "mode": "observe",
        "epcs": [],
        "quantities": 0,
        "problems": problems,
    }
    if kind != "ObjectEvent":
        problem(f"{kind} is not applied here: only ObjectEvent is")
        return event
    action = _text_of(fields, "action")
    if action not in _ACTIONS:
        problem(f"<action> must be ADD, OBSERVE or DELETE, got {action!r}")
    epcs = []
    for holder in fields.get("epcList", ()):
        for child in holder:
            if not isinstance(child.tag, str):
                continue
            value = (child.text or "").strip()
            if etree.QName(child).localname != "epc" or not value or len(child):
                problem("<epcList> must hold <epc> elements with an EPC URI each")
                break
            epcs.append(value)
    quantities = sum(len(holder) for holder in fields.get("quantityList", ()))
    if not epcs and not quantities and declaration is None:
        problem("an ObjectEvent needs <epcList> or <quantityList>")
    event["read_point"] = _place(fields, "readPoint", problem)
    event["biz_location"] = _place(fields, "bizLocation", problem)
    event["biz_step"] = _text_of(fields, "bizStep")
    event["mode"] = biz_step_to_mode(event["biz_step"])
    event["action"] = action
    event["disposition"] = _text_of(fields, "disposition")
    event["epcs"] = epcs
    event["quantities"] = quantities
    return event


def event_reads(event):
    """The reads of an applicable ObjectEvent, shaped like the JSON capture's."""
    reads = []
    for value in event["epcs"]:
        read = {"code": value}
        gs1 = digital_link_to_gs1(value)
        if gs1:
            read["code"] = gs1
            read["source_code"] = value
        if event["event_time"]:
            read["timestamp"] = event["event_time"]
        read.update(
            event_id=event["key"],
            event_index=event["index"],
            action=event["action"],
            biz_step=event["biz_step"],
            mode=event["mode"],
            read_point=event["read_point"],
            biz_location=event["biz_location"],
        )
        if event["disposition"]:
            read["disposition"] = event["disposition"]
        reads.append(read)
    return reads


def _event_elements(container):
    """Event elements of an ``EventList`` (1.2 wraps newer types in extension)."""
    for child in container:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name in _WRAPPERS:
            yield from _event_elements(child)
        else:
            yield child


def limits_problem(element):
    """Why ``element`` is out of bounds (depth, size, entities), or None.

    Walks the tree without recursion, so any depth libxml2 let through is
    safe to measure."""
    stack = [(element, 1)]
    count = 0
    while stack:
        node, depth = stack.pop()
        if node.tag is etree.Entity:
            return f"it holds an entity reference ({node.text}), never expanded here"
        if node is not element and len(node.tail or "") > MAX_TEXT:
            return f"it holds a text longer than {MAX_TEXT} characters"
        if not isinstance(node.tag, str):  # comments, processing instructions
            continue
        count += 1
        if depth > MAX_DEPTH:
            return f"it is nested deeper than {MAX_DEPTH} levels"
        if count > MAX_ELEMENTS:
            return f"it has more than {MAX_ELEMENTS} elements"
        if len(node.text or "") > MAX_TEXT or any(
            len(value) > MAX_TEXT for value in node.attrib.values()
        ):
            return f"it holds a text longer than {MAX_TEXT} characters"
        stack.extend((child, depth + 1) for child in node)
    return None


def _shallow_id(element):
    """The ``eventID`` of an event, read without walking the rest of it."""
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == "eventID":
            value = (child.text or "").strip()
            return value if value and len(value) <= MAX_KEY else None
    return None


def _fallback_key(element):
    """A stable key of an event that has no usable eventID nor event hash."""
    try:
        body = etree.tostring(element)
    except (ValueError, TypeError, etree.LxmlError):
        return None
    return f"unreadable:sha-256;{hashlib.sha256(body).hexdigest()}"


def _refused(element, index, name, message, state="refused"):
    event_id = _shallow_id(element)
    return {
        "index": index,
        "type": name,
        "event_id": event_id,
        "hash": None,
        "key": event_id or _fallback_key(element),
        "event_time": None,
        "record_time": _shallow_record_time(element),
        "declaration": None,
        "epcs": [],
        "problems": [message],
        "state": state,
    }


def _shallow_record_time(element):
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == "recordTime":
            stamp, error = normalize_timestamp((child.text or "").strip()[:64])
            return stamp if not error and _in_range(stamp) else None
    return None


def parse_event_elements(container):
    """Every event of an ``EventList`` element, in document order: a list of
    dicts (see :func:`_event`) with ``key`` (eventID or event hash, else a hash
    of its XML), ``record_time``, ``declaration`` and ``problems``; a malformed
    or out-of-bounds event gets problems, the others are unaffected. An event
    whose reading failed unexpectedly has ``state`` ``"error"``."""
    events = []
    for index, element in enumerate(_event_elements(container)):
        name = etree.QName(element).localname
        if name not in EVENT_TYPES:
            events.append(
                _refused(element, index, name, f"<{name}> is not an EPCIS event")
            )
            continue
        problem = limits_problem(element)
        if problem:
            events.append(_refused(element, index, name, problem))
            continue
        try:
            event = _event(element, index)
        except Exception:  # one event never costs the page
            _logger.info("EPCIS event #%s could not be read", index + 1, exc_info=True)
            event = _refused(
                element,
                index,
                name,
                "it could not be read (an unexpected value or shape)",
                state="error",
            )
        if not event.get("key"):
            event["key"] = _fallback_key(element)
        elif len(event["key"]) > MAX_KEY:
            digest = hashlib.sha256(event["key"].encode("utf-8", "replace"))
            event["key"] = f"eventID:sha-256;{digest.hexdigest()}"
            event["problems"].append(f"its eventID is longer than {MAX_KEY} characters")
        events.append(event)
    return events


_PARSER = SAFE_PARSER


def parse_document(body):
    """``(schema version, events)`` of an EPCIS 1.2 / 2.0 XML ``EPCISDocument``
    or ``EPCISQueryDocument``; raises ``ValueError`` when it is not one."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"not well-formed XML: {error}") from error
    qname = etree.QName(root)
    version = EPCIS_NAMESPACES.get(qname.namespace)
    if version is None or qname.localname not in (
        "EPCISDocument",
        "EPCISQueryDocument",
    ):
        raise ValueError(
            f"not an EPCIS XML document: root element {root.tag!r} (expected "
            "EPCISDocument in urn:epcglobal:epcis:xsd:1 or :2)"
        )
    lists = root.xpath(".//*[local-name()='EventList']")
    if not lists:
        raise ValueError("EPCIS document without an <EventList>")
    return version, parse_event_elements(lists[0])
