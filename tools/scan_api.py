"""Shape checks and errors of the scan API (plain Python, no ORM).

The controller turns an :class:`ApiError` into ``{"error": {"code", "message"}}``
with its HTTP status; models raise it for rules that need the database (device,
rights).
"""

MAX_BATCH_ID = 200
MODES = ("observe", "audit", "checkout", "checkin", "use")


class ApiError(Exception):
    """An answer of the API that is not a success."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def body(self):
        return {"error": {"code": self.code, "message": self.message}}


def _bad(message, code="bad_request"):
    return ApiError(400, code, message)


def validate_native_batch(payload):
    """Check a native batch body; return it with ``mode`` defaulted.

    Raises :class:`ApiError` (400) naming the first problem. Per-read problems
    (a bad code or timestamp) are not errors here: those reads are answered
    ``invalid`` and the rest of the batch applies.
    """
    if not isinstance(payload, dict):
        raise _bad("the body must be a JSON object")
    batch_id = payload.get("batch_id")
    if batch_id is None or batch_id == "":
        raise _bad("missing field: batch_id", "missing_field")
    if not isinstance(batch_id, str):
        raise _bad("batch_id must be a string")
    if len(batch_id) > MAX_BATCH_ID:
        raise _bad(f"batch_id is longer than {MAX_BATCH_ID} characters")
    if "reads" not in payload:
        raise _bad("missing field: reads", "missing_field")
    reads = payload["reads"]
    if not isinstance(reads, list):
        raise _bad("reads must be an array")
    if not reads:
        raise _bad("reads is empty")
    mode = payload.get("mode") or "observe"
    if mode not in MODES:
        raise _bad(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if mode == "use" and not payload.get("reference"):
        raise _bad("missing field: reference (use mode)", "missing_field")
    if mode == "checkout" and not payload.get("holder"):
        raise _bad("missing field: holder (checkout mode)", "missing_field")
    for field in ("device", "location", "holder", "reference", "due"):
        value = payload.get(field)
        if value is not None and not isinstance(value, str):
            raise _bad(f"{field} must be a string")
    payload = dict(payload, mode=mode)
    return payload
