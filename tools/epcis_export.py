"""EPCIS 2.0 export: asset events as ``ObjectEvent`` s of an ``EPCISDocument``.

Plain Python (no ORM): the ORM side (``stock.asset.epcis.export``) reads the
events with a few set-based queries and hands plain dicts to
:func:`build_document`, which returns the JSON-LD document as a dict. The
document validates against GS1's EPCIS 2.0 JSON Schema (``EPCIS-JSON-Schema.json``).

Vocabulary (GS1 CBV 2.0). In JSON-LD the CBV values are written as the bare
terms of the EPCIS 2.0 context (``"bizStep": "departing"``): GS1's JSON Schema
refuses the ``urn:epcglobal:cbv:...`` and ``https://ns.gs1.org/cbv/...`` forms
and only accepts those of other vocabularies as URIs.

==============  =================  ============  =========================
kind            bizStep            disposition   what it is
==============  =================  ============  =========================
``checkout``    ``departing``      ``in_progress``  custody: handed to a holder
``checkin``     ``arriving``       ``available``    custody: given back
``audit``       ``cycle_counting`` (none)           found by an audit
``observation`` (none)             (none)           seen by a reader, not moved
``arrival``     ``arriving``       (none)           seen by a reader somewhere new
``delivery``    ``shipping``       ``in_transit``   installed base: delivered
``return``      ``receiving``      ``returned``     installed base: returned
==============  =================  ============  =========================

Identifiers:

* the asset (``epcList``): its RFID EPC as an EPC pure identity URI
  (``urn:epc:id:giai:0614141.5678``); without a decodable GS1 EPC, its GIAI
  (GS1 company prefix of its company + asset tag, when the tag is made of GS1
  character set 82 and the GIAI is at most 30 characters long); otherwise the
  private URI ``<base URL>/asset-tracking/asset/<asset tag>``. With a GS1
  Digital Link resolver configured, the GS1 keys are written as Digital Link
  URIs on it instead (``https://id.gs1.org/8004/06141415678``).
* places (``readPoint``, ``bizLocation``): a location with a GLN is its SGLN
  (``urn:epc:id:sgln:0614141.00001.0``) when the GLN starts with its company's
  GS1 company prefix, else the GLN as a GS1 Digital Link URI (the prefix length
  cannot be read from a GLN); a location without GLN is the private URI
  ``<base URL>/asset-tracking/location/<id>``.
* ``eventID``: a name-based UUID (RFC 4122 version 5) of the database and the
  record the event comes from, so that an event keeps its id in every export.

Paging (EPCIS 2.0 REST binding, ``perPage`` / ``nextPageToken``): events are
ordered by :func:`event_position` (event time, kind, record id), a total order,
and a page starts after the position of the last event of the previous one
(keyset). :func:`page_token` writes that position as an opaque token (see
:mod:`.paging`) signed with the database secret, bound to the user, the query
and an expiry; :func:`read_page_token` refuses any other
(:class:`PageTokenError`).
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import epc as epc_lib
from . import gs1, paging

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
#: JSON-LD prefix and namespace of this addon's extension members.
EXTENSION_PREFIX = "sat"
EXTENSION_NAMESPACE = (
    "https://github.com/stock-asset-tracking/stock_asset_tracking/epcis/"
)
GS1_RESOLVER = "https://id.gs1.org"

#: kind -> (bizStep, disposition) in CBV 2.0 terms (None: left out).
EVENT_KINDS = {
    "checkout": ("departing", "in_progress"),
    "checkin": ("arriving", "available"),
    "audit": ("cycle_counting", None),
    "observation": (None, None),
    "arrival": ("arriving", None),
    "delivery": ("shipping", "in_transit"),
    "return": ("receiving", "returned"),
}
# order of events of the same instant: the custody ends before the next starts
KIND_ORDER = {
    "return": 0,
    "checkin": 1,
    "audit": 2,
    "observation": 3,
    "arrival": 4,
    "checkout": 5,
    "delivery": 6,
}
_GIAI_MAX = 30


@dataclass(frozen=True)
class ExportConfig:
    """What every event of an export shares.

    ``base_url``: the server's address, for the private URIs; ``namespace``: the
    UUID the event ids derive from (one per database); ``timezone``: the IANA
    time zone whose offset each event states; ``digital_link``: a GS1 Digital
    Link resolver (``https://id.gs1.org``) to write GS1 keys on, or None for
    EPC URIs.
    """

    base_url: str
    namespace: uuid.UUID
    timezone: str = "UTC"
    digital_link: str | None = None


def format_time(moment):
    """A naive UTC datetime as EPCIS writes it: ``2026-11-24T10:00:00.120Z``."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


@lru_cache(maxsize=64)
def _zone(name):
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def time_zone_offset(moment, zone_name):
    """The ``eventTimeZoneOffset`` (``+01:00``) of ``zone_name`` at a naive UTC
    datetime (daylight saving time included)."""
    offset = moment.replace(tzinfo=UTC).astimezone(_zone(zone_name)).utcoffset()
    return _format_offset(offset)


@lru_cache(maxsize=256)
def _format_offset(offset):
    minutes = int(offset / timedelta(minutes=1))
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def digital_link(pairs, resolver):
    """GS1 Digital Link URI of GS1 ``(ai, value)`` pairs, primary key first."""
    path = "".join(f"/{ai}/{quote(value, safe='')}" for ai, value in pairs)
    return resolver.rstrip("/") + path


def is_giai(company_prefix, reference):
    """Whether prefix + reference is a valid GIAI (AI 8004: set 82, up to 30)."""
    return bool(
        company_prefix
        and reference
        and len(company_prefix) + len(reference) <= _GIAI_MAX
        and set(reference) <= gs1.CSET82
    )


def asset_uri(code, epc_hex, company_prefix, config):
    """The URI that names an asset in ``epcList`` (see the module's doc)."""
    decoded = None
    if epc_hex:
        try:
            decoded = epc_lib.decode_hex(epc_hex, strict=False)
        except epc_lib.EpcError:
            decoded = None
    if decoded is None or decoded.scheme == "raw":
        if not is_giai(company_prefix, code):
            return f"{config.base_url}/asset-tracking/asset/{quote(code, safe='')}"
        decoded = epc_lib.Epc(
            "giai", company_prefix=company_prefix, asset_reference=code
        )
    if config.digital_link and decoded.gs1_pairs:  # ADI, GID, USDoD: no GS1 key
        return digital_link(decoded.gs1_pairs, config.digital_link)
    return decoded.pure_uri


def location_uri(location_id, gln, company_prefix, config):
    """The URI of a place (``readPoint`` / ``bizLocation``)."""
    if not gln:
        return f"{config.base_url}/asset-tracking/location/{location_id}"
    if (
        not config.digital_link
        and company_prefix
        and len(gln) == 13
        and gln.startswith(company_prefix)
    ):
        sgln = epc_lib.Epc(
            "sgln",
            company_prefix=company_prefix,
            location_reference=gln[len(company_prefix) : 12],
            extension="0",
        )
        return sgln.pure_uri
    return digital_link((("414", gln),), config.digital_link or GS1_RESOLVER)


def event_id(kind, record_id, namespace):
    """The stable ``eventID`` of the event of ``kind`` from record ``record_id``."""
    return f"urn:uuid:{uuid.uuid5(namespace, f'{kind}:{record_id}')}"


def event_position(event):
    """Where ``event`` is in the order of an export: ``(time, rank of its kind,
    record id)``, unique (a record gives at most one event of a kind)."""
    return (event["time"], KIND_ORDER[event["kind"]], event["record_id"])


def build_events(events, assets, locations, config):
    """The ``ObjectEvent`` s of ``events``, oldest first.

    ``events``: dicts with ``kind`` (a key of :data:`EVENT_KINDS`),
    ``record_id``, ``time`` (naive UTC datetime), ``asset_id``, and optional
    ``read_point_id``, ``biz_location_id`` and ``reference`` (the name of the
    document behind the event). ``assets``: ``{id: {"code", "epc",
    "company_prefix"}}``; ``locations``: ``{id: {"gln", "company_prefix"}}``.
    """
    epcs = {
        asset_id: asset_uri(
            asset["code"], asset.get("epc"), asset.get("company_prefix"), config
        )
        for asset_id, asset in assets.items()
    }
    places = {
        location_id: location_uri(
            location_id,
            location.get("gln"),
            location.get("company_prefix"),
            config,
        )
        for location_id, location in locations.items()
    }
    namespace, zone_name = config.namespace, config.timezone
    answer = []
    for event in sorted(events, key=event_position):
        kind = event["kind"]
        biz_step, disposition = EVENT_KINDS[kind]
        moment = event["time"]
        item = {
            "type": "ObjectEvent",
            "eventID": event_id(kind, event["record_id"], namespace),
            "eventTime": format_time(moment),
            "eventTimeZoneOffset": time_zone_offset(moment, zone_name),
            "epcList": [epcs[event["asset_id"]]],
            "action": "OBSERVE",
        }
        if biz_step:
            item["bizStep"] = biz_step
        if disposition:
            item["disposition"] = disposition
        if event.get("read_point_id"):
            item["readPoint"] = {"id": places[event["read_point_id"]]}
        if event.get("biz_location_id"):
            item["bizLocation"] = {"id": places[event["biz_location_id"]]}
        if event.get("reference"):
            item[f"{EXTENSION_PREFIX}:reference"] = event["reference"]
        answer.append(item)
    return answer


def build_document(events, assets, locations, config, creation_date):
    """The ``EPCISDocument`` (dict) of ``events`` (see :func:`build_events`).

    ``creation_date``: naive UTC datetime of the export.
    """
    return {
        "@context": [EPCIS_CONTEXT, {EXTENSION_PREFIX: EXTENSION_NAMESPACE}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": format_time(creation_date),
        "epcisBody": {"eventList": build_events(events, assets, locations, config)},
    }


def parse_time(value):
    """A ``from`` / ``to`` bound as a naive UTC datetime.

    ISO 8601 date-time with a time zone (``2026-11-01T00:00:00Z``,
    ``...+01:00``), or a date alone (midnight UTC). Raises ValueError otherwise.
    """
    text = value.strip()
    moment = datetime.fromisoformat(text)
    if len(text) == 10:
        return moment
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no time zone (add Z or +hh:mm)")
    return moment.astimezone(UTC).replace(tzinfo=None)


# Paging -----------------------------------------------------------------------------
# the signed token of tools/paging.py, under a scope of its own
_TOKEN_SCOPE = b"stock_asset_tracking.epcis_page_token:"
_MAX_ID = 2**31 - 1
PageTokenError = paging.PageTokenError


def query_key(asset_id, date_from, date_to):
    """A short digest of what an export selects (asset id or None, naive UTC
    bounds or None): a token only continues the query it was issued for."""
    text = json.dumps(
        [asset_id, *(bound and bound.isoformat() for bound in (date_from, date_to))]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _sign(body, secret):
    return paging.sign(body, secret, _TOKEN_SCOPE)


def page_token(position, user_id, query, expires, secret):
    """The opaque ``nextPageToken`` of the page after ``position`` (see
    :func:`event_position`) for user ``user_id`` and query ``query`` (see
    :func:`query_key`), valid until ``expires`` (naive UTC), signed with
    ``secret`` (HMAC-SHA256)."""
    moment, rank, record_id = position
    return paging.issue_token(
        (moment.isoformat(), rank, record_id),
        user_id,
        query,
        expires,
        secret,
        _TOKEN_SCOPE,
    )


def _parse_position(values):
    """The event position a token's values write, else ValueError."""
    moment, rank, record_id = values
    position = (datetime.fromisoformat(moment), rank, record_id)
    if not (
        position[0].tzinfo is None
        and all(type(n) is int for n in (rank, record_id))
        and rank in KIND_ORDER.values()
        and 0 <= record_id <= _MAX_ID
    ):
        raise ValueError("not an event position")
    return position


def read_page_token(token, user_id, query, now, secret):
    """The position a token of :func:`page_token` continues after, or
    :class:`PageTokenError` when it is not this server's, was issued to another
    user or for another query, or has expired (``now``: naive UTC)."""
    return paging.read_token(
        token, user_id, query, now, secret, _TOKEN_SCOPE, _parse_position
    )
