"""Shape checks and errors of the scan API (plain Python, no ORM).

A refused shape is a :class:`RequestError` (a 400 of the API: its ``code`` and a
message for people); the rules that need the database (device, rights) are the
models', which raise the addon's Odoo exceptions (``exceptions.py``).

Untrusted text (identifiers of a batch, device names, the Idempotency-Key, scanned
codes) is checked here before it reaches the database, an answer or the log:
:func:`text_problem` names what is wrong with it, :func:`shown` renders it safely.
"""

import hashlib
import json
import logging
import math
import re

MAX_BATCH_ID = 200
MAX_FIELD = 256  # device, location, holder, due
MAX_REFERENCE = 1000
MAX_ANTENNA = 65535
MAX_RSSI = 1000  # dBm, either sign: far beyond any reader, within any column
MODES = ("observe", "audit", "checkout", "checkin", "use")
ANTENNA_ERROR = f"antenna must be a whole number from 0 to {MAX_ANTENNA}"
RSSI_ERROR = f"rssi must be a number from -{MAX_RSSI} to {MAX_RSSI} (dBm)"

# What may not reach the database, an answer or the log from a request: C0 and C1
# control characters (NUL, CR, LF, ESC ...) and DEL, the Unicode line and paragraph
# separators, the bidirectional controls (they reorder what a log viewer shows) and
# unpaired surrogates (JSON "\ud800": no UTF-8 for them, PostgreSQL refuses them).
_CONTROLS = "\x00-\x1c\x1e-\x1f\x7f-\x9f"
_OTHERS = "\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_UNSAFE_RE = re.compile(f"[{_CONTROLS}\x1d{_OTHERS}]")
# a scanned code may hold the GS1 group separator (FNC1, ``\x1d``), nothing else
_UNSAFE_CODE_RE = re.compile(f"[{_CONTROLS}{_OTHERS}]")


class RequestError(ValueError):
    """A request the API refuses for its shape (answered 400): ``code`` (see
    docs/openapi.yaml) and a ``message`` written for people."""

    # an expected answer: if one ever escapes a route, Odoo logs it at this level
    loglevel = logging.INFO

    def __init__(self, message, code="bad_request"):
        super().__init__(message)
        self.message = message
        self.code = code


def _bad(message, code="bad_request"):
    return RequestError(message, code)


def validate_native_batch(payload):
    """Check a native batch body; return it with ``mode`` defaulted.

    Raises :class:`RequestError` (400) naming the first problem. Per-read problems
    (a bad code or timestamp) are not errors here: those reads are answered
    ``invalid`` and the rest of the batch applies.
    """
    if not isinstance(payload, dict):
        raise _bad("the body must be a JSON object")
    batch_id = payload.get("batch_id")
    if batch_id is None or batch_id == "":
        raise _bad("missing field: batch_id", "missing_field")
    check_text(batch_id, "batch_id", MAX_BATCH_ID)
    if "reads" not in payload:
        raise _bad("missing field: reads", "missing_field")
    reads = payload["reads"]
    if not isinstance(reads, list):
        raise _bad("reads must be an array")
    if not reads:
        raise _bad("reads is empty")
    mode = payload.get("mode") or "observe"
    if type(mode) is not str or mode not in MODES:
        raise _bad(f"mode must be one of {', '.join(MODES)}, got {quoted(mode)}")
    if mode == "use" and not payload.get("reference"):
        raise _bad("missing field: reference (use mode)", "missing_field")
    if mode == "checkout" and not payload.get("holder"):
        raise _bad("missing field: holder (checkout mode)", "missing_field")
    for field in ("device", "location", "holder", "reference", "due"):
        value = payload.get(field)
        if value is not None:
            check_text(
                value, field, MAX_REFERENCE if field == "reference" else MAX_FIELD
            )
    payload = dict(payload, mode=mode)
    return payload


# Untrusted text ------------------------------------------------------------------
def _kind(char):
    point = ord(char)
    if 0xD800 <= point <= 0xDFFF:
        return "an unpaired surrogate"
    if point in (0x2028, 0x2029):
        return "a line or paragraph separator"
    if point > 0x9F:
        return "a bidirectional control character"
    return "a control character"


def text_problem(value, field, *, code=False):
    """Why the text ``value`` may not be used as ``field``, or None.

    ``code``: a scanned code, which may hold the GS1 group separator (``\x1d``).
    """
    found = (_UNSAFE_CODE_RE if code else _UNSAFE_RE).search(value)
    if found is None:
        return None
    char = found.group()
    return f"{field} contains {_kind(char)} (U+{ord(char):04X})"


def shown(value, limit=None):
    """``value`` safe for an answer, the database or the log: each unsafe character
    written as ``\\uXXXX``; cut to ``limit`` characters (with "...") when given."""
    if not isinstance(value, str):
        value = repr(value) if limit is None else _short_repr(value, limit)
    elif _UNSAFE_RE.search(value):
        value = _UNSAFE_RE.sub(lambda found: f"\\u{ord(found.group()):04x}", value)
    if limit is not None and len(value) > limit:
        value = value[:limit] + "..."
    return value


def quoted(value, limit=40):
    """A value of the request for a message: a text in quotes, safely shown."""
    if isinstance(value, str):
        return f"'{shown(value, limit)}'"
    return shown(value, limit)


def _short_repr(value, limit):
    """``repr`` of a JSON value, never longer than about ``limit`` characters
    (``repr`` of a huge or deeply nested value is not built)."""
    if isinstance(value, dict | list):
        return "an object" if isinstance(value, dict) else "an array"
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value.bit_length() > 64
    ):
        return "a number out of range"
    return repr(value[: limit + 1] if isinstance(value, str) else value)


def check_text(value, field, limit=MAX_FIELD):
    """Raise the 400 :class:`RequestError` of an identifier that is not a safe text."""
    if not isinstance(value, str):
        raise _bad(f"{field} must be a string")
    problem = text_problem(value, field)
    if problem:
        raise _bad(problem)
    if len(value) > limit:
        raise _bad(f"{field} is longer than {limit} characters")
    return value


def read_signal(read):
    """``(antenna, rssi, error)`` of one read: a whole antenna port from 0 to
    65535 and a finite RSSI in dBm within +/-1000, or None when absent; ``error``
    names the first value out of its range or of the wrong type."""
    antenna = read.get("antenna")
    rssi = read.get("rssi")
    # the common case, in one test (NaN fails every comparison)
    if (antenna is None or (type(antenna) is int and 0 <= antenna <= MAX_ANTENNA)) and (
        rssi is None or (type(rssi) is float and -MAX_RSSI <= rssi <= MAX_RSSI)
    ):
        return antenna, rssi, None
    if antenna is not None:
        if type(antenna) is float and antenna.is_integer():
            antenna = int(antenna)
        if type(antenna) is not int or not 0 <= antenna <= MAX_ANTENNA:
            return None, None, ANTENNA_ERROR
    if rssi is not None:
        if (
            type(rssi) not in (int, float)
            or (type(rssi) is float and not math.isfinite(rssi))
            or not -MAX_RSSI <= rssi <= MAX_RSSI
        ):
            return None, None, RSSI_ERROR
        rssi = float(rssi)
    return antenna, rssi, None


def check_idempotency_key(key):
    """The ``Idempotency-Key`` header, refused (400) when it holds unsafe text."""
    if key is None:
        return None
    problem = text_problem(key, "Idempotency-Key")
    if problem:
        raise _bad(problem)
    return key


def check_param(value, field):
    """A text taken from the URL (path segment or query parameter), refused (400)
    when it holds a character that may not reach the log or the database; a
    scanned ``code`` or ``asset`` may hold the GS1 group separator."""
    if value is None:
        return None
    problem = text_problem(value, field, code=field in ("code", "asset"))
    if problem:
        raise _bad(problem)
    return value


# Idempotency ----------------------------------------------------------------------
def canonical_json(payload):
    """A batch body as JSON text, keys sorted, no white space.

    Always JSON that PostgreSQL's ``json`` type reads: a NaN or an infinity of
    the body (a read's bad RSSI, say) is written as the string of its token.
    """
    try:
        return json.dumps(
            payload, sort_keys=True, separators=(",", ":"), default=str, allow_nan=False
        )
    except ValueError:
        return json.dumps(
            _finite(payload), sort_keys=True, separators=(",", ":"), default=str
        )


def _finite(value):
    """``value`` with each NaN / infinity replaced by ``"NaN"``, ``"Infinity"`` or
    ``"-Infinity"`` (the body is at most 64 levels deep: the recursion is bounded).
    """
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite(item) for item in value]
    return value


def payload_hash(payload, canonical=None):
    """Hash of a batch body that ignores key order and white space."""
    canonical = canonical_json(payload) if canonical is None else canonical
    return hashlib.sha256(canonical.encode()).hexdigest()
