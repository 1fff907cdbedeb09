"""Vendor RFID payloads turned into the native batch shape of the HTTP API.

Plain Python on purpose (no Odoo import): the controllers call these functions
before any ORM work, and the unit tests load them on their own.

Every ``parse_*`` function takes the raw request body (``bytes`` or ``str``; an
already decoded JSON value is accepted too) and returns a plain ``dict`` shaped
like a native batch, without ``batch_id``::

    {"reads": [{"code": "3474257BF40000000000162E", "antenna": 1,
                "rssi": -61.5, "timestamp": "2026-11-24T10:00:00.120Z"}],
     "skipped": 0}

* ``code`` is the tag identifier as sent; hexadecimal EPCs are upper-cased.
* ``antenna`` / ``rssi`` (dBm) are present only when the payload carries them.
* ``timestamp`` is an ISO-8601 string in UTC (``...Z``) when the payload gave an
  aware time. A time without a zone is kept exactly as given and the read gets
  ``"timestamp_error": "timestamp without time zone"`` (an unreadable value gets
  ``"invalid timestamp"``): the caller marks that read ``invalid`` with it.
  A read without any time has no ``timestamp`` key.
* ``skipped`` counts the events that carry no tag (heartbeats, GPI, BLE,
  inventory status, Speedway Connect heartbeats): they are not errors.

A body that cannot be read at all raises :class:`FormatError` (a ``ValueError``)
whose text is meant for the 400 answer and whose ``code`` is ``"invalid_json"``
or ``"bad_request"``.
"""

import base64
import binascii
import hashlib
import json
import re
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

from . import digital_link
from .scan_api import RequestError, quoted, shown, text_problem

__all__ = [
    "AUDIT_BIZ_STEPS",
    "INVALID_TIMESTAMP",
    "MODES",
    "TIMESTAMP_OUT_OF_RANGE",
    "TZ_MISSING",
    "FormatError",
    "biz_step_to_mode",
    "canonical_batch_id",
    "digital_link_to_gs1",
    "load_json",
    "normalize_timestamp",
    "parse_epcis_document",
    "parse_impinj",
    "parse_zebra",
    "sgln_to_gln",
]

MODES = ("observe", "audit", "checkout", "checkin", "use")
TZ_MISSING = "timestamp without time zone"
INVALID_TIMESTAMP = "invalid timestamp"
# a date-time that leaves the calendar once its offset is applied (year 1 at
# +05:00, year 9999 at -05:00), or a number of seconds beyond it
TIMESTAMP_OUT_OF_RANGE = "timestamp out of range"

# CBV business steps that count items against an audit; every other step (and
# no step at all) is a plain observation. The raw value is kept on each read.
AUDIT_BIZ_STEPS = frozenset({"cycle_counting", "stock_taking", "inventory_checking"})

_UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=_UTC)


class FormatError(RequestError):
    """The body cannot be read as the announced format.

    ``str(error)`` is a readable sentence for the 400 answer; ``code`` is the
    API error code to answer with (``invalid_json`` or ``bad_request``).
    """


# --------------------------------------------------------------------------
# Timestamps

_ISO_RE = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})"
    r"(?::(\d{2})(?:[.,](\d{1,12}))?)?"
    r"\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?\s*"
)
# Zebra FX Connect: "22/5/2020 22:4:0:111" (day/month/year, milliseconds, no zone)
_DMY_RE = re.compile(
    r"\s*(\d{1,2})/(\d{1,2})/(\d{4})[ T](\d{1,2}):(\d{1,2}):(\d{1,2})"
    r"(?:[:.](\d{1,3}))?\s*"
)
_OFFSETS = {}


def _offset(text):
    """``tzinfo`` of ``Z``, ``+0000``, ``+00:00`` or ``+03`` (ValueError if wrong)."""
    tz = _OFFSETS.get(text)
    if tz is None:
        if text in ("Z", "z"):
            tz = _UTC
        else:
            digits = text[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:] or 0)
            if minutes > 59:
                raise ValueError(text)
            delta = timedelta(hours=hours, minutes=minutes)
            tz = timezone(-delta if text[0] == "-" else delta)
        _OFFSETS[text] = tz
    return tz


def _format_utc(moment):
    """``2026-11-24T10:00:00.120Z``: UTC, milliseconds unless finer is needed."""
    moment = moment.astimezone(_UTC)
    text = (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )
    micro = moment.microsecond
    if micro:
        if micro % 1000:
            text += f".{micro:06d}"
        else:
            text += f".{micro // 1000:03d}"
    return text + "Z"


def _from_epoch(number):
    """Seconds, milliseconds or microseconds since 1970 (told apart by size)."""
    if number < 0:
        raise ValueError(number)
    if number >= 1e14:
        micros = int(number)
    elif number >= 1e11:
        micros = int(number * 1000)
    else:
        micros = int(number * 1_000_000)
    return _EPOCH + timedelta(microseconds=micros)


# UTC "YYYY-MM-DDTHH:MM" of (local minute, offset): offsets are whole minutes,
# so seconds and fractions never change and one entry serves a whole minute.
_UTC_MINUTES = {}


def _utc_minute(year, month, day, hour, minute, zone):
    key = (year, month, day, hour, minute, zone)
    text = _UTC_MINUTES.get(key)
    if text is None:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            tzinfo=_offset(zone),
        ).astimezone(_UTC)
        text = (
            f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
            f"T{moment.hour:02d}:{moment.minute:02d}"
        )
        if len(_UTC_MINUTES) >= 65536:
            _UTC_MINUTES.clear()
        _UTC_MINUTES[key] = text
    return text


def _fraction(digits):
    """ ".120" / ".123456" / "" from the fraction digits of a time."""
    if not digits:
        return ""
    digits = (digits + "00000")[:6]
    if digits == "000000":
        return ""
    if digits.endswith("000"):
        return "." + digits[:3]
    return "." + digits


def normalize_timestamp(value):
    """Return ``(timestamp, error)`` for one time value of a payload.

    * aware ISO-8601 (``Z``, ``+00:00``, ``+0000``, ``+03``; ``T`` or space;
      any number of fraction digits) or a number since the epoch (s / ms / us)
      -> ``("2026-11-24T10:00:00.120Z", None)``;
    * a date-time without a zone (ISO or FX Connect ``22/5/2020 22:4:0:111``)
      -> ``(value as given, "timestamp without time zone")``;
    * anything else -> ``(value as given, "invalid timestamp")``;
    * ``None`` / ``""`` -> ``(None, None)``.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return value, INVALID_TIMESTAMP
    if isinstance(value, int | float):
        try:
            return _format_utc(_from_epoch(value)), None
        except OverflowError:
            return value, TIMESTAMP_OUT_OF_RANGE
        except ValueError:
            return value, INVALID_TIMESTAMP
    if not isinstance(value, str):
        return value, INVALID_TIMESTAMP
    try:
        match = _ISO_RE.fullmatch(value)
        if match:
            year, month, day, hour, minute, second, fraction, zone = match.groups()
            if second and second > "59":
                raise ValueError(second)
            if zone is None:
                datetime(int(year), int(month), int(day), int(hour), int(minute))
                return value, TZ_MISSING
            head = _utc_minute(year, month, day, hour, minute, zone)
            return f"{head}:{second or '00'}{_fraction(fraction)}Z", None
        match = _DMY_RE.fullmatch(value)
        if match:
            day, month, year, hour, minute, second, _milli = match.groups()
            datetime(int(year), int(month), int(day), int(hour), int(minute))
            if int(second) > 59:
                raise ValueError(second)
            return value, TZ_MISSING
        stripped = value.strip()
        if stripped.isdigit() and len(stripped) >= 9:
            return _format_utc(_from_epoch(int(stripped))), None
    except OverflowError:
        return value, TIMESTAMP_OUT_OF_RANGE
    except ValueError:
        return value, INVALID_TIMESTAMP
    return value, INVALID_TIMESTAMP


def _stamp(read, value, cache):
    """Put the normalised ``value`` on ``read`` (memoised per call in ``cache``)."""
    try:
        result = cache[value]
    except KeyError:
        result = normalize_timestamp(value)
        cache[value] = result
    except TypeError:  # unhashable junk
        result = (value, INVALID_TIMESTAMP)
    timestamp, error = result
    if timestamp is not None:
        read["timestamp"] = timestamp
    if error:
        read["timestamp_error"] = error


# --------------------------------------------------------------------------
# Body decoding

_WS = re.compile(r"[ \t\n\r\x1e]*")  # \x1e: RFC 7464 JSON text sequences


def _json_type(value):
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def _text(body):
    if isinstance(body, bytes | bytearray | memoryview):
        try:
            return bytes(body).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FormatError(
                f"body is not UTF-8 text (byte {exc.start})", "invalid_json"
            ) from None
    if isinstance(body, str):
        return body[1:] if body.startswith("\ufeff") else body
    raise FormatError("body must be bytes or text")


# JSON nested deeper than this is refused as a body: no reader or EPCIS document
# comes near it, and a deeper value would exhaust the parser's or a later
# serialiser's recursion (Python raises RecursionError at about 1000 levels).
MAX_DEPTH = 64
TOO_DEEP = f"JSON nested deeper than {MAX_DEPTH} levels"
# more digits than Python turns into an int (``sys.get_int_max_str_digits``)
_MAX_INT_DIGITS = 4000


def _wide_int(digits):
    """An integer of the body; one of more digits than Python converts is out of
    any range anyway: an infinite float, which every range check refuses."""
    if len(digits) <= _MAX_INT_DIGITS:
        return int(digits)
    return float("-inf") if digits.startswith("-") else float("inf")


_DECODER = json.JSONDecoder()
_NESTING = frozenset((dict, list))
_WIDE_DECODER = json.JSONDecoder(parse_int=_wide_int)


def _too_deep(value):
    """Whether ``value`` nests arrays / objects deeper than :data:`MAX_DEPTH`.

    Walked a level at a time, without recursion; a container holding no
    container (a read of scalars: nearly every one of a batch) is settled by
    one C-level pass over the types of its items."""
    level = [value] if type(value) in _NESTING else []
    depth = 0
    while level:
        depth += 1
        if depth > MAX_DEPTH:
            return True
        below = []
        for item in level:
            items = item.values() if type(item) is dict else item
            if not _NESTING.isdisjoint(map(type, items)):
                below.extend(child for child in items if type(child) in _NESTING)
        level = below
    return False


def _decode(text, position, number=None):
    """``(value, end)`` of the JSON value at ``position``; :class:`FormatError`
    with a position built here (never the parser's own text) when it is not one.
    ``number``: the value's rank in a stream, named in the message."""
    where = f" in value {number}" if number else ""
    try:
        try:
            value, end = _DECODER.raw_decode(text, position)
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer of more digits than int() takes
            value, end = _WIDE_DECODER.raw_decode(text, position)
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"invalid JSON{where} at line {exc.lineno} column {exc.colno}",
            "invalid_json",
        ) from None
    except RecursionError:
        raise FormatError(TOO_DEEP, "invalid_json") from None
    if _too_deep(value):
        raise FormatError(TOO_DEEP, "invalid_json")
    return value, end


def _position_error(text, position, number=None):
    where = f" in value {number}" if number else ""
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    return FormatError(
        f"invalid JSON{where} at line {line} column {column}", "invalid_json"
    )


def load_json(body, what="a JSON object"):
    """The one JSON value of a request body (bytes or text, UTF-8).

    Raises :class:`FormatError` (``invalid_json``) for a body that is empty, not
    UTF-8, not JSON, more than one value, or nested deeper than
    :data:`MAX_DEPTH`; the message gives the line and column of the fault.
    """
    text = _text(body)
    if not text.strip():
        raise FormatError(f"empty body: expected {what}", "invalid_json")
    value, end = _decode(text, _WS.match(text, 0).end())
    end = _WS.match(text, end).end()
    if end < len(text):
        raise _position_error(text, end)
    return value


def _load_values(body, what):
    """All JSON values of the body: one value, or several back to back
    (concatenated, newline-delimited or JSON text sequences)."""
    if isinstance(body, dict | list):
        return [body]
    text = _text(body)
    if not text.strip():
        raise FormatError(f"empty body: expected {what}", "invalid_json")
    values = []
    position = _WS.match(text, 0).end()
    end = len(text)
    while position < end:
        value, position = _decode(text, position, len(values) + 1 if values else None)
        values.append(value)
        position = _WS.match(text, position).end()
        if position < end and text[position] == ",":  # "{...},{...}" streams
            position = _WS.match(text, position + 1).end()
    return values


def _load_events(body, what):
    """The events of a vendor body, arrays flattened one level."""
    values = _load_values(body, what)
    if len(values) == 1:
        value = values[0]
        return value if isinstance(value, list) else [value]
    events = []
    for value in values:
        if isinstance(value, list):
            events.extend(value)
        else:
            events.append(value)
    return events


# --------------------------------------------------------------------------
# Shared field helpers

_HEX_RE = re.compile(r"[0-9A-Fa-f]+")


def _place(where):
    """``where`` is a path text, or ``(index, suffix)`` formatted only on error."""
    if isinstance(where, tuple):
        return f"events[{where[0]}]{where[1]}"
    return where


def _code(value, where, field):
    if type(value) is not str or not value.strip():
        raise FormatError(f'{_place(where)}: "{field}" must be a non-empty string')
    value = value.strip()
    if _HEX_RE.fullmatch(value):
        return value.upper()
    return value


def _int(value):
    """An antenna port as an int; a value that is no whole number is returned as
    sent, for the read to be answered ``invalid`` with the reason."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if text.isascii() and text.isdigit() and len(text) <= 18:
            return int(text)
    return value


def _float(value):
    """An RSSI as a float (``inf`` beyond the float range); a value that is no
    number is returned as sent, for the read to be answered ``invalid``."""
    if type(value) is float:
        return value
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:
            return float("inf") if value > 0 else float("-inf")
    if isinstance(value, str) and len(value) <= 64:
        if not value.strip():
            return None
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _first(record, *keys):
    """The value of the first of ``keys`` that ``record`` holds, not null."""
    for key in keys:
        value = record.get(key)
        if value is not None:
            return value
    return None


def _append_read(reads, cache, code, antenna, rssi, stamp):
    """Append the read of ``code`` to ``reads``: its antenna port and RSSI when
    sent, its time normalised (``_stamp``)."""
    read = {"code": code}
    if antenna is not None:
        read["antenna"] = antenna if type(antenna) is int else _int(antenna)
    if rssi is not None:
        read["rssi"] = _float(rssi)
    _stamp(read, stamp, cache)
    reads.append(read)


def _event_objects(body, what):
    """``(index, event)`` of the events of a vendor body, each a JSON object."""
    for index, event in enumerate(_load_events(body, what)):
        if not isinstance(event, dict):
            raise FormatError(
                f"events[{index}]: expected a JSON object, got {_json_type(event)}"
            )
        yield index, event


def _speedway_connect_reads(records, where, reads, cache):
    """Reads of Speedway Connect / FX Connect tag records; returns heartbeats."""
    heartbeats = 0
    for position, record in enumerate(records):
        heartbeats += _speedway_connect_record(
            record, f"{where}[{position}]", reads, cache
        )
    return heartbeats


def _speedway_connect_record(record, spot, reads, cache):
    """One ``{"epc", "antennaPort", "peakRssi", "firstSeenTimestamp",
    "isHeartBeat"}`` record; returns 1 for a heartbeat (no read), else 0."""
    if not isinstance(record, dict):
        raise FormatError(f"{spot}: expected a JSON object, got {_json_type(record)}")
    if record.get("isHeartBeat") is True:
        return 1
    _append_read(
        reads,
        cache,
        _code(record.get("epc"), spot, "epc"),
        record.get("antennaPort"),
        record.get("peakRssi"),
        _first(record, "firstSeenTimestamp", "timeStamp", "lastSeenTimestamp"),
    )
    return 0


# --------------------------------------------------------------------------
# Zebra

# Tag identifier keys, best first: IoT Connector ``idHex``; RFD40/RFD90 MQTT
# ``EPCid``; ``tagId`` of older integrations.
_ZEBRA_ID_KEYS = ("idHex", "EPCid", "tagId")


def _zebra_record(record, envelope_stamp, spot, reads, cache):
    for key in _ZEBRA_ID_KEYS:
        if key in record:
            code = _code(record[key], spot, key)
            break
    else:
        code = _code(record.get("EPC"), spot, "EPC")
    stamp = envelope_stamp
    if stamp is None:
        stamp = _first(record, "lastSeenTime", "firstSeenTime")
    _append_read(
        reads, cache, code, record.get("antenna"), record.get("peakRssi"), stamp
    )


def _zebra_barcode(record, envelope_stamp, spot, reads, cache):
    """A barcode an RFD40 / RFD90 sled scanned: the label text, as printed."""
    if not isinstance(record, dict):
        raise FormatError(f"{spot}: expected a JSON object, got {_json_type(record)}")
    code = record.get("decodedBarcode")
    if type(code) is not str or not code.strip():
        raise FormatError(f'{spot}: "decodedBarcode" must be a non-empty string')
    read = {"code": code.strip()}
    _stamp(read, envelope_stamp, cache)
    reads.append(read)


def parse_zebra(body):
    """Zebra FX7500 / FX9600 / ATR7000 / FXR90 IoT Connector tag data events.

    Accepts one event, a JSON array of events, or events back to back (one per
    line, as the IoT Connector HTTP POST endpoint streams them). Understood:

    * IoT Connector: ``{"data": {"idHex", "antenna", "peakRssi", ...},
      "timestamp": "2026-11-24T10:00:00.120+0000", "type": "SIMPLE"}`` (any
      operating-mode ``type``; ``antenna`` / ``peakRssi`` only when enabled);
    * RFD40 / RFD90 MQTT ``dataEVT``: ``{"data": {"tagData": [{"EPCid", ...}],
      "barcodeData": [{"decodedBarcode", "symbology"}]}}`` (a scanned barcode is
      a read of its text, kept as printed);
    * FX Connect: ``{"reader_name", "mac_address", "tag_reads": [...]}``;
    * a bare record with ``idHex`` / ``tagId`` at the top level.

    Events without a tag (heartbeats, GPI / GPO, BLE, errors) are skipped.
    """
    reads = []
    skipped = 0
    cache = {}
    for index, event in _event_objects(body, "Zebra tag data events"):
        data = event.get("data")
        stamp = event.get("timestamp")
        if type(data) is dict and "idHex" in data:  # the common case, kept short
            _zebra_record(data, stamp, (index, ".data"), reads, cache)
        else:
            skipped += _zebra_event(event, data, stamp, index, reads, cache)
    return {"reads": reads, "skipped": skipped}


def _zebra_event(event, data, stamp, index, reads, cache):
    """Reads of any other event than ``{"data": {"idHex": ...}}``; returns 1 when
    it carries no tag (skipped), else 0."""
    if type(data) is dict:
        tag_data = data.get("tagData")
        barcodes = data.get("barcodeData")
        if isinstance(tag_data, list) or isinstance(barcodes, list):
            return _zebra_sled_data(tag_data, barcodes, stamp, index, reads, cache)
        if any(key in data for key in _ZEBRA_ID_KEYS):
            _zebra_record(data, stamp, f"events[{index}].data", reads, cache)
            return 0
        return 1
    if isinstance(data, list):
        return _zebra_data_list(data, stamp, index, reads, cache)
    if isinstance(event.get("tag_reads"), list):
        where = f"events[{index}].tag_reads"
        return _speedway_connect_reads(event["tag_reads"], where, reads, cache)
    if any(key in event for key in _ZEBRA_ID_KEYS):
        _zebra_record(event, stamp, f"events[{index}]", reads, cache)
        return 0
    return 1


def _zebra_sled_data(tag_data, barcodes, stamp, index, reads, cache):
    """RFD40 / RFD90 MQTT ``dataEVT`` data: its tags, then its barcodes; returns
    1 when it has neither, else 0."""
    for position, record in enumerate(tag_data or ()):
        spot = f"events[{index}].data.tagData[{position}]"
        if not isinstance(record, dict):
            raise FormatError(
                f"{spot}: expected a JSON object, got {_json_type(record)}"
            )
        _zebra_record(record, stamp, spot, reads, cache)
    for position, record in enumerate(barcodes or ()):
        spot = f"events[{index}].data.barcodeData[{position}]"
        _zebra_barcode(record, stamp, spot, reads, cache)
    return 0 if tag_data or barcodes else 1


def _zebra_data_list(records, stamp, index, reads, cache):
    """An event whose ``data`` is an array: its tag records (other items are
    ignored); returns 1 when none is a tag record, else 0."""
    found = False
    for position, record in enumerate(records):
        if isinstance(record, dict) and any(k in record for k in _ZEBRA_ID_KEYS):
            spot = f"events[{index}].data[{position}]"
            _zebra_record(record, stamp, spot, reads, cache)
            found = True
    return 0 if found else 1


# --------------------------------------------------------------------------
# Impinj


def _impinj_epc(tag, spot):
    epc_hex = tag.get("epcHex")
    if epc_hex is not None:
        return _code(epc_hex, spot, "epcHex")
    epc = tag.get("epc")
    if epc is None:
        raise FormatError(
            f'{_place(spot)}: tagInventoryEvent has neither "epcHex" nor "epc" '
            "(enable one of them in the preset's eventConfig.tagInventory)"
        )
    if type(epc) is not str or not epc.strip():
        raise FormatError(f'{_place(spot)}: "epc" must be a non-empty base64 string')
    text = epc.strip()
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise FormatError(
            f'{_place(spot)}: "epc" is not valid base64: {quoted(epc)}'
        ) from None
    if not raw:
        raise FormatError(f'{_place(spot)}: "epc" is empty once decoded')
    return raw.hex().upper()


def parse_impinj(body):
    """Impinj reader events.

    * IoT Device Interface (R700 / R720, firmware 7.x / 8.x): a JSON array of
      events, one event, or newline-delimited JSON (the ``/data/stream``
      output): ``{"timestamp", "hostname", "eventType": "tagInventory",
      "tagInventoryEvent": {"epcHex" | "epc" (base64), "antennaPort",
      "peakRssiCdbm", ...}}``. RSSI is converted from centi-dBm to dBm.
    * Speedway Connect (and its JSON lookalikes): records
      ``{"epc", "antennaPort", "peakRssi" (dBm), "firstSeenTimestamp",
      "isHeartBeat"}``, bare or wrapped in ``{"reader_name", "mac_address",
      "tag_reads": [...]}``.

    Other events (inventory status, GPI transitions, diagnostics, heartbeats)
    are skipped.
    """
    reads = []
    skipped = 0
    cache = {}
    for index, event in _event_objects(body, "Impinj reader events"):
        tag = event.get("tagInventoryEvent")
        if type(tag) is dict:
            read = {"code": _impinj_epc(tag, (index, ".tagInventoryEvent"))}
            antenna = tag.get("antennaPort")
            if antenna is not None:
                read["antenna"] = antenna if type(antenna) is int else _int(antenna)
            rssi = tag.get("peakRssiCdbm")
            if rssi is not None:
                rssi = _float(rssi)
                # centi-dBm; what is no finite number stays as sent (invalid read)
                finite = type(rssi) is float and rssi - rssi == 0
                read["rssi"] = round(rssi / 100.0, 2) if finite else rssi
            stamp = event.get("timestamp")
            if stamp is None:
                stamp = tag.get("lastSeenTime")
            _stamp(read, stamp, cache)
            reads.append(read)
        elif tag is not None or event.get("eventType") == "tagInventory":
            raise FormatError(
                f'events[{index}]: eventType "tagInventory" needs a '
                '"tagInventoryEvent" object'
            )
        elif isinstance(event.get("tag_reads"), list):
            where = f"events[{index}].tag_reads"
            skipped += _speedway_connect_reads(event["tag_reads"], where, reads, cache)
        elif "epc" in event and (
            "isHeartBeat" in event
            or "antennaPort" in event
            or "firstSeenTimestamp" in event
        ):
            skipped += _speedway_connect_record(event, f"events[{index}]", reads, cache)
        else:
            skipped += 1
    return {"reads": reads, "skipped": skipped}


# --------------------------------------------------------------------------
# EPCIS 2.0

_BIZ_STEP_PREFIX = re.compile(
    r"^(?:urn:epcglobal:cbv:bizstep:|https?://ref\.gs1\.org/cbv/BizStep-"
    r"|https?://gs1\.org/voc/BizStep-|cbv:BizStep-|gs1:BizStep-)",
    re.IGNORECASE,
)
_VERSION_RE = re.compile(r"\d+(?:\.\d+)*")
_TZ_OFFSET_RE = re.compile(r"[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00)")
_ACTIONS = ("ADD", "OBSERVE", "DELETE")
MAX_EVENT_ID = 1000
_SGLN_RE = re.compile(r"urn:epc:id:sgln:(\d+)\.(\d*)\.(.*)")


def biz_step_to_mode(biz_step):
    """Batch mode of a CBV business step (bare word, URN or Web URI)."""
    if not isinstance(biz_step, str):
        return "observe"
    word = _BIZ_STEP_PREFIX.sub("", biz_step.strip()).lower()
    return "audit" if word in AUDIT_BIZ_STEPS else "observe"


def _gs1_check_digit(digits):
    total = sum(
        int(char) * (3 if position % 2 == 0 else 1)
        for position, char in enumerate(reversed(digits))
    )
    return str((10 - total % 10) % 10)


def sgln_to_gln(uri):
    """``urn:epc:id:sgln:0614141.07346.1234`` -> ``{"gln": "0614141073467",
    "extension": "1234"}`` (``extension`` is ``None`` for ``.0`` / empty);
    ``None`` when ``uri`` is not a pure-identity SGLN."""
    if not isinstance(uri, str):
        return None
    match = _SGLN_RE.fullmatch(uri.strip())
    if not match:
        return None
    prefix, reference, extension = match.groups()
    body = prefix + reference
    if len(body) != 12:
        return None
    extension = unquote(extension)
    return {
        "gln": body + _gs1_check_digit(body),
        "extension": None if extension in ("", "0") else extension,
    }


# GS1 Digital Link URI -> element string: strict parsing in tools/digital_link.py.
digital_link_to_gs1 = digital_link.digital_link_to_gs1


def _uri_id(event, field, problems_add):
    """``readPoint`` / ``bizLocation`` id, or None; records a problem if malformed."""
    value = event.get(field)
    if value is None:
        return None
    if isinstance(value, dict) and isinstance(value.get("id"), str) and value["id"]:
        return value["id"]
    problems_add(f'"{field}" must be an object with a string "id"')
    return False


def _document_shape(document):
    if not isinstance(document, dict):
        raise FormatError(
            f"EPCIS document must be a JSON object, got {_json_type(document)}"
        )
    kind = document.get("type")
    if kind != "EPCISDocument":
        if kind is None:
            raise FormatError(
                'EPCIS document: "type" is missing (expected "EPCISDocument")'
            )
        raise FormatError(
            f'EPCIS document: "type" must be "EPCISDocument", got {quoted(kind)}'
        )
    version = document.get("schemaVersion")
    if version is None:
        raise FormatError('EPCIS document: "schemaVersion" is missing')
    if not isinstance(version, str) or not _VERSION_RE.fullmatch(version):
        raise FormatError(
            f'EPCIS document: "schemaVersion" must be a version string such as "2.0", '
            f"got {quoted(version)}"
        )
    if version.split(".")[0] != "2":
        raise FormatError(
            f'EPCIS document: schemaVersion "{version}" is not supported '
            "(this endpoint reads EPCIS 2.0 JSON / JSON-LD)"
        )
    created = document.get("creationDate")
    if created is None:
        raise FormatError('EPCIS document: "creationDate" is missing')
    stamp, error = normalize_timestamp(created)
    if error:
        raise FormatError(f'EPCIS document: "creationDate" {quoted(created)}: {error}')
    body = document.get("epcisBody")
    if not isinstance(body, dict):
        raise FormatError('EPCIS document: "epcisBody" must be an object')
    events = body.get("eventList")
    if events is None:
        raise FormatError('EPCIS document: "epcisBody.eventList" is missing')
    if not isinstance(events, list):
        raise FormatError('EPCIS document: "epcisBody.eventList" must be an array')
    return stamp, events


def _epcis_event_reads(event, index, reads, problems, notes):
    """Append the reads of one event; report what is wrong with it instead."""
    if not isinstance(event, dict):
        message = f"event must be a JSON object, got {_json_type(event)}"
        problems.append(_epcis_report(index, None, None, message))
        return
    found = []  # the problems of the event, in the order of its fields
    event_id = _epcis_event_id(event, found)
    kind = _epcis_event_type(event, found)
    fields = _object_event_fields(event, found) if kind == "ObjectEvent" else None
    if found:
        problems.append(_epcis_report(index, event_id, kind, "; ".join(found)))
        return
    # No problem: the event is an ObjectEvent.
    quantities = fields["quantities"]
    if quantities:
        message = (
            f"quantityList ignored: {len(quantities)} class-level "
            "quantity element(s) name no individual asset"
        )
        notes.append(_epcis_report(index, event_id, kind, message))
    _object_event_reads(event, index, event_id, fields, reads)


def _epcis_report(index, event_id, kind, message):
    """An entry of ``problems`` / ``notes``."""
    return {"index": index, "event_id": event_id, "type": kind, "message": message}


def _unsafe(value, field, found):
    """Refuse the event for a text that may not be stored or shown as is."""
    message = isinstance(value, str) and text_problem(value, f'"{field}"')
    if message:
        found.append(message)
    return bool(message)


def _epcis_event_id(event, found):
    """The ``eventID`` (safely shown when it cannot be kept), or None."""
    event_id = event.get("eventID")
    if event_id is not None and not isinstance(event_id, str):
        found.append('"eventID" must be a string')
        return None
    if _unsafe(event_id, "eventID", found):
        return shown(event_id, 200)  # in the report only, safely shown
    if event_id is not None and len(event_id) > MAX_EVENT_ID:
        found.append(f'"eventID" is longer than {MAX_EVENT_ID} characters')
        return shown(event_id, 200)
    return event_id


def _epcis_event_type(event, found):
    """The event ``type`` (safely shown when unsafe), or None when missing."""
    kind = event.get("type")
    if not isinstance(kind, str) or not kind:
        found.append('"type" is missing')
        return None
    if _unsafe(kind, "type", found):
        return shown(kind, 60)
    if kind != "ObjectEvent":
        found.append(
            f"{shown(kind, 60)} is not captured here: only ObjectEvent is supported"
        )
    return kind


def _object_event_fields(event, found):
    """The checked fields of an ObjectEvent that its reads carry; what is wrong
    goes to ``found``."""
    if "errorDeclaration" in event:
        found.append(
            "error declarations (corrections of earlier events) are not supported"
        )
    action = event.get("action")
    if action not in _ACTIONS:
        found.append(f'"action" must be ADD, OBSERVE or DELETE, got {quoted(action)}')
    stamp, stamp_error = _epcis_event_time(event, found)
    epcs, quantities = _epcis_epc_lists(event, found)
    read_point = _uri_id(event, "readPoint", found.append)
    biz_location = _uri_id(event, "bizLocation", found.append)
    biz_step = event.get("bizStep")
    if biz_step is not None and not isinstance(biz_step, str):
        found.append('"bizStep" must be a string')
    _unsafe(biz_step, "bizStep", found)
    _unsafe(read_point, "readPoint.id", found)
    _unsafe(biz_location, "bizLocation.id", found)
    _unsafe(event.get("disposition"), "disposition", found)
    return {
        "action": action,
        "stamp": stamp,
        "stamp_error": stamp_error,
        "epcs": epcs,
        "quantities": quantities,
        "read_point": read_point,
        "biz_location": biz_location,
        "biz_step": biz_step,
    }


def _epcis_event_time(event, found):
    """``(timestamp, timestamp error)`` of ``eventTime`` (see
    ``normalize_timestamp``); a time without its own offset takes
    ``eventTimeZoneOffset``."""
    offset = event.get("eventTimeZoneOffset")
    if offset is None:
        found.append('"eventTimeZoneOffset" is missing')
    elif not isinstance(offset, str) or not _TZ_OFFSET_RE.fullmatch(offset):
        found.append(
            f'"eventTimeZoneOffset" must look like "+02:00", got {quoted(offset)}'
        )
        offset = None
    event_time = event.get("eventTime")
    if event_time is None:
        found.append('"eventTime" is missing')
        return None, None
    if not isinstance(event_time, str):
        found.append(f'"eventTime" is not a date-time: {quoted(event_time)}')
        return None, None
    stamp, stamp_error = normalize_timestamp(event_time)
    if stamp_error == TZ_MISSING and offset:
        # eventTime without its own offset: the event's zone applies
        stamp, stamp_error = normalize_timestamp(event_time.strip() + offset)
    if stamp_error == INVALID_TIMESTAMP:
        found.append(f'"eventTime" is not a date-time: {quoted(event_time)}')
    elif stamp_error == TIMESTAMP_OUT_OF_RANGE:
        found.append(f'"eventTime" is out of range: {quoted(event_time)}')
    return stamp, stamp_error


def _epcis_epc_lists(event, found):
    """The event's ``epcList`` and ``quantityList``, checked."""
    epcs = event.get("epcList")
    quantities = event.get("quantityList")
    if epcs is None and quantities is None:
        found.append('an ObjectEvent needs "epcList" or "quantityList"')
    if epcs is not None and (
        not isinstance(epcs, list)
        or not all(isinstance(epc, str) and epc.strip() for epc in epcs)
    ):
        found.append('"epcList" must be an array of EPC URIs')
    elif epcs:
        for position, epc in enumerate(epcs):
            # a Digital Link's percent-escapes are decoded into the code
            where = f"epcList[{position}]"
            if _unsafe(epc, where, found) or _unsafe(unquote(epc), where, found):
                break
    if quantities is not None and not isinstance(quantities, list):
        found.append('"quantityList" must be an array')
    return epcs, quantities


def _object_event_reads(event, index, event_id, fields, reads):
    """Append one read per EPC of a valid ObjectEvent."""
    stamp, stamp_error = fields["stamp"], fields["stamp_error"]
    mode = biz_step_to_mode(fields["biz_step"])
    disposition = event.get("disposition")
    for epc in fields["epcs"] or ():
        epc = epc.strip()
        read = {"code": epc}
        gs1 = digital_link_to_gs1(epc)
        if gs1:
            read["code"] = gs1
            read["source_code"] = epc
        if stamp is not None:
            read["timestamp"] = stamp
        if stamp_error:
            read["timestamp_error"] = stamp_error
        read["event_id"] = event_id
        read["event_index"] = index
        read["action"] = fields["action"]
        read["biz_step"] = fields["biz_step"]
        read["mode"] = mode
        read["read_point"] = fields["read_point"]
        read["biz_location"] = fields["biz_location"]
        if isinstance(disposition, str):
            read["disposition"] = disposition
        reads.append(read)


def parse_epcis_document(body):
    """An EPCIS 2.0 JSON / JSON-LD ``EPCISDocument`` as a native batch.

    The document's shape (``type``, ``schemaVersion`` 2.x, ``creationDate``,
    ``epcisBody.eventList``) is checked and raises :class:`FormatError`.
    Each event is then judged on its own, as the capture interface does: every
    EPC of an ``ObjectEvent``'s ``epcList`` becomes a read, while an event that
    is not an ObjectEvent or is malformed lands in ``problems`` and the others
    still count. Returns::

        {"reads": [{"code": "urn:epc:id:sgtin:0614141.107346.2017",
                    "timestamp": "2005-04-04T02:33:31.116Z",
                    "event_id": "ni:///sha-256;...", "event_index": 0,
                    "action": "OBSERVE", "biz_step": "shipping",
                    "mode": "observe",
                    "read_point": "urn:epc:id:sgln:0614141.07346.1234",
                    "biz_location": None, "disposition": "in_transit"}],
         "mode": "observe",              # when every read has the same mode
         "location": "urn:epc:id:sgln:...",  # when the reads share one place
         "creation_date": "2005-07-11T11:30:47Z",
         "events": 2,                    # events in the document
         "problems": [{"index", "event_id", "type", "message"}],
         "notes": [{"index", "event_id", "type", "message"}]}

    ``mode`` per read comes from ``bizStep`` (``cycle_counting``,
    ``stock_taking``, ``inventory_checking`` -> ``audit``; anything else
    -> ``observe``); ``location`` is the common ``bizLocation`` id, else the
    common ``readPoint`` id. A GS1 Digital Link in ``epcList`` becomes a
    parenthesised element string in ``code`` (the URI stays in
    ``source_code``). ``quantityList`` entries give no read, only a note.
    """
    values = _load_values(body, "an EPCIS 2.0 EPCISDocument")
    if len(values) != 1:
        raise FormatError(
            f"expected one EPCISDocument, got {len(values)} JSON values back to back"
        )
    creation_date, events = _document_shape(values[0])
    reads = []
    problems = []
    notes = []
    for index, event in enumerate(events):
        _epcis_event_reads(event, index, reads, problems, notes)
    result = {
        "reads": reads,
        "creation_date": creation_date,
        "events": len(events),
        "problems": problems,
        "notes": notes,
    }
    modes = {read["mode"] for read in reads}
    if len(modes) == 1:
        result["mode"] = modes.pop()
    for field in ("biz_location", "read_point"):
        places = {read[field] for read in reads}
        if len(places) == 1 and None not in places:
            result["location"] = places.pop()
            break
    return result


# --------------------------------------------------------------------------
# Batch identity


def canonical_batch_id(prefix, body):
    """``prefix:<first 32 hex digits of sha256(body)>``: the batch id of a
    vendor payload posted without an ``Idempotency-Key`` header."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif isinstance(body, bytearray | memoryview):
        body = bytes(body)
    elif not isinstance(body, bytes):
        raise TypeError("body must be bytes or str")
    return f"{prefix}:{hashlib.sha256(body).hexdigest()[:32]}"
