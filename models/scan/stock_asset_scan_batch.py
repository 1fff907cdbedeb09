# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Scan batches: what handhelds and RFID readers post, stored before it is applied.

Ingestion is layered (see README, "Scan API"):

1. :meth:`_receive` stores the batch under its idempotency key in a transaction of
   its own, committed before anything is processed: a crash later leaves it
   ``received`` and the cron finishes it, exactly once.
2. :meth:`_process` locks the batch row (a concurrent replay does not wait: it is
   answered ``processing``), collapses the reads to one observation per code,
   resolves every code in a few set-based queries, moves the assets by the time of
   the reads (never by arrival order), and writes the observations and the stored
   answer in the same transaction. The cron applies a large batch in chunks of
   codes, one transaction per chunk, and resumes after the last committed chunk.
3. A batch whose processing raises is ``failed`` with a reason for people (the
   traceback goes to the server log), and the other batches go on; a manager
   retries it (:meth:`action_retry`).
"""

import json
import logging
from collections import defaultdict
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tools.misc import format_datetime

from ...exceptions import (
    BatchConflict,
    Forbidden,
    InvalidRequest,
    RecordNotFound,
    RequestTooLarge,
)
from ...tools import paging, reader_formats, scan_api, scan_codes
from ...tools.private_path import is_open
from ...tools.scan_api import (
    MAX_BATCH_ID,
    RequestError,
    canonical_json,
    payload_hash,
    validate_native_batch,
)
from ..common import (
    READ_LOCATIONS_PATH,
    own_transaction,
    page_token_secret,
    records_action,
    refused_page_token,
)

# Private path (tools/private_path.py) of a server-side caller (the EPCIS poller)
# that places each read itself: no context key, which any RPC caller could send.

_logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(minutes=5)
# no RFID read, custody or due date predates the epoch; older is a broken clock
EARLIEST_READ = datetime(1970, 1, 1)
TIME_OUT_OF_RANGE = reader_formats.TIMESTAMP_OUT_OF_RANGE
TIME_TOO_EARLY = "timestamp before 1970-01-01"
_FAR = timedelta(days=36600)  # a due date may lie in the future
DEFAULT_ASYNC_THRESHOLD = 150_000
DEFAULT_MAX_READS = 500_000  # stock_asset_tracking.max_reads_per_batch
DEFAULT_CHUNK_SIZE = 50_000  # stock_asset_tracking.batch_chunk_size (codes)
#: results of a page of a batch answer without perPage, and the most one page holds
PAGE_SIZE_PARAM = "stock_asset_tracking.batch_results_page_size"
MAX_PAGE_SIZE_PARAM = "stock_asset_tracking.batch_results_max_page_size"
DEFAULT_PAGE_SIZE = 10_000
DEFAULT_MAX_PAGE_SIZE = 50_000
#: how long a nextPageToken of a batch answer can be used
PAGE_TOKEN_TTL = timedelta(hours=24)
_PAGE_TOKEN_SCOPE = b"stock_asset_tracking.batch_page_token:"
_MAX_OFFSET = 2**31 - 1
MANAGER_GROUP = "stock_asset_tracking.group_asset_manager"
MODES_AVAILABLE = ("observe", "audit", "checkout", "checkin", "use")


def parse_read_time(value, now):
    """``(naive UTC datetime, error)`` of a read's timestamp.

    A read without a timestamp happened when the batch arrived (``now``). A time
    that leaves the calendar once its offset is applied (year 1 at +05:00), is
    before 1970 or more than five minutes after ``now`` is an error, never an
    exception.
    """
    if value is None or value == "":
        return now, None
    moment = None
    if isinstance(value, str):
        if "\x00" in value:
            # fromisoformat stops at a NUL: "...10:00Z\x00junk" is no time
            return None, reader_formats.INVALID_TIMESTAMP
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is None:
            return None, reader_formats.TZ_MISSING
    if moment is None:
        text, error = reader_formats.normalize_timestamp(value)
        if error:
            return None, error
        moment = datetime.fromisoformat(text)
    try:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (OverflowError, ValueError):
        return None, TIME_OUT_OF_RANGE
    if moment < EARLIEST_READ:
        return None, TIME_TOO_EARLY
    if moment > now + FUTURE_TOLERANCE:
        return None, "timestamp in the future"
    return moment, None


def _read_code(raw_code):
    """``(key, shown, problem)`` of a read's code: the key its reads collapse
    under, the code as answered and stored, and why it is ``invalid`` before any
    lookup (None when it may be looked up).

    A code with a control character, a line separator or an unpaired surrogate
    (none of which PostgreSQL, the answer or the log may receive as is) is shown
    with ``\\uXXXX`` escapes; its key starts with NUL, which no code that is
    looked up holds, so it never merges with a looked-up code.
    """
    if raw_code is None or raw_code == "":
        return "", "", None
    if not isinstance(raw_code, str):
        return "\x00", "", "code must be a string"
    stripped = scan_codes.strip_code(raw_code)
    problem = scan_api.text_problem(stripped, "code", code=True)
    if problem:
        shown = scan_api.shown(stripped, scan_codes.MAX_CODE_LENGTH)
        return "\x00" + shown, shown, problem
    if len(stripped) > scan_codes.MAX_CODE_LENGTH:
        # invalid once classified; the answer names it, without echoing it whole
        return stripped, scan_api.shown(stripped, scan_codes.MAX_CODE_LENGTH), None
    return scan_codes.collapse_key(stripped), raw_code, None


class _ReadMemo:
    """Readers repeat codes and times within a batch: each is parsed once."""

    def __init__(self, now):
        self.now = now
        self.codes = {}
        self.times = {}

    def code(self, raw_code):
        if type(raw_code) is not str:
            return _read_code(raw_code)
        parsed = self.codes.get(raw_code)
        if parsed is None:
            parsed = self.codes[raw_code] = _read_code(raw_code)
        return parsed

    def time(self, stamp):
        if type(stamp) is not str:
            return parse_read_time(stamp, self.now)
        parsed = self.times.get(stamp)
        if parsed is None:
            parsed = self.times[stamp] = parse_read_time(stamp, self.now)
        return parsed


def _new_entry(code, shown, problem):
    """What a batch collects of one code's reads."""
    return {
        "code": shown if problem else code,
        "raw": shown,
        "count": 0,
        "valid": 0,
        "first": None,
        "last": None,
        "rssi": None,
        "antennas": set(),
        "location": None,
        "error": problem,
        "bad_code": problem is not None,
        # the read's optional condition code (models/life applies it)
        "condition": None,
        # the read's optional meter value (models/meter records it)
        "meter": None,
    }


def _add_valid_read(entry, moment, antenna, rssi):
    entry["valid"] += 1
    if antenna is not None:
        entry["antennas"].add(antenna)
    if rssi is not None and (entry["rssi"] is None or rssi > entry["rssi"]):
        entry["rssi"] = rssi
    if entry["first"] is None or moment < entry["first"]:
        entry["first"] = moment
    if entry["last"] is None or moment >= entry["last"]:
        entry["last"] = moment


class StockAssetScanBatch(models.Model):
    _name = "stock.asset.scan.batch"
    _inherit = ["mail.thread"]
    _description = "Scan Batch"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Batch ID", required=True, readonly=True, index=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, readonly=True
    )
    user_id = fields.Many2one("res.users", string="Posted by", readonly=True)
    device_id = fields.Many2one(
        "stock.asset.device", readonly=True, index=True, check_company=True
    )
    source = fields.Selection(
        [
            ("native", "Native batch"),
            ("zebra", "Zebra reader"),
            ("impinj", "Impinj reader"),
            ("epcis", "EPCIS capture"),
            ("ui", "Web client"),
        ],
        required=True,
        default="native",
        readonly=True,
    )
    mode = fields.Selection(
        [
            ("observe", "Observe"),
            ("audit", "Audit"),
            ("checkout", "Check-out"),
            ("checkin", "Check-in"),
            ("use", "Use"),
        ],
        required=True,
        default="observe",
        readonly=True,
    )
    location_ref = fields.Char(string="Location Sent", readonly=True)
    location_id = fields.Many2one("stock.location", readonly=True, check_company=True)
    body_hash = fields.Char(readonly=True, copy=False)
    payload = fields.Text(readonly=True, prefetch=False)
    state = fields.Selection(
        [
            ("received", "Received"),
            ("queued", "Queued"),
            ("done", "Done"),
            ("failed", "Failed"),
        ],
        required=True,
        default="received",
        readonly=True,
        index=True,
        tracking=True,
    )
    read_count = fields.Integer(string="Reads", readonly=True)
    unique_count = fields.Integer(string="Codes", readonly=True)
    matched_count = fields.Integer(string="Matched", readonly=True)
    unknown_count = fields.Integer(string="Unknown", readonly=True)
    invalid_count = fields.Integer(string="Invalid", readonly=True)
    moved_count = fields.Integer(string="Moved", readonly=True)
    processed_count = fields.Integer(
        string="Codes Applied",
        readonly=True,
        copy=False,
        help="Codes applied so far: the cron applies a large batch in chunks and "
        "resumes after the last one it committed.",
    )
    result = fields.Text(readonly=True, prefetch=False)
    error = fields.Text(readonly=True)
    done_date = fields.Datetime(readonly=True)
    duration = fields.Float(string="Processing (s)", readonly=True, digits=(16, 3))
    observation_ids = fields.One2many(
        "stock.asset.observation", "batch_id", string="Observations", readonly=True
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A batch ID is used once per company.",
        ),
    ]

    def init(self):
        """The raw body and the stored answer (tens of MB for the largest batches)
        are compressed with LZ4 where PostgreSQL has it (14 and later, built with
        it): about twice as fast as its default (pglz) for a 10 MB body, for a
        sixth more space (bench/RESULTS.md, scan endpoint)."""
        self.env.cr.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings"
            " WHERE name = 'default_toast_compression'"
        )
        row = self.env.cr.fetchone()
        if row and row[0]:
            self.env.cr.execute(
                "ALTER TABLE stock_asset_scan_batch"
                " ALTER COLUMN payload SET COMPRESSION lz4,"
                " ALTER COLUMN result SET COMPRESSION lz4"
            )

    @api.depends(
        "device_id", "user_id", "source", "create_date", "read_count", "unknown_count"
    )
    def _compute_display_name(self):
        """What a person tells batches apart by: who sent it (the device, else
        the user), how, when, and its counts. ``name`` stays the batch ID."""
        sources = dict(self._fields["source"]._description_selection(self.env))
        for batch in self:
            parts = [
                batch.device_id.name or batch.user_id.name,
                sources.get(batch.source),
                batch.create_date
                and format_datetime(self.env, batch.create_date, dt_format="short"),
                batch._counts_summary(),
            ]
            batch.display_name = " · ".join(part for part in parts if part)

    def _counts_summary(self):
        """The reads, and the codes no asset has: "120 reads, 2 unknown"."""
        self.ensure_one()
        if self.read_count == 1:
            reads = self.env._("1 read")
        else:
            reads = self.env._("%(count)s reads", count=self.read_count)
        if not self.unknown_count:
            return reads
        return self.env._(
            "%(reads)s, %(unknown)s unknown", reads=reads, unknown=self.unknown_count
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_observed(self):
        """A batch whose reads became observations is the evidence of the movement
        history and of the EPCIS export: deleting it would delete them (the
        database cascades). Only the superuser (a retention purge) may."""
        if self.env.su:
            return
        observed = (
            self.env["stock.asset.observation"]
            .sudo()
            ._read_group([("batch_id", "in", self.ids)], ["batch_id"])
        )
        if observed:
            raise UserError(
                self.env._(
                    "Scan batches with observations cannot be deleted: the "
                    "observations are the evidence of what was read (movement "
                    "history, EPCIS export). Batches: %(batches)s",
                    batches=", ".join(batch.name for (batch,) in observed),
                )
            )

    # API ----------------------------------------------------------------------
    @api.model
    def _api_post(
        self, parsed, *, source, device_name=None, idempotency_key=None, raw_body=b""
    ):
        """Everything the batch routes do past transport: the answer of the
        batch (or, ``source`` ``epcis``, its capture job).

        Raises the addon's exceptions (``exceptions.py``) for a batch refused
        whole; nothing of it is stored then."""
        self._api_check_user()
        problems = []
        if source == "native":
            try:
                payload = validate_native_batch(parsed)
            except RequestError as error:
                raise InvalidRequest.of(error) from None
            device_name = payload.get("device")
        else:
            if idempotency_key and len(idempotency_key) > MAX_BATCH_ID:
                raise InvalidRequest(
                    self.env._(
                        "Idempotency-Key is longer than %(max)s characters",
                        max=MAX_BATCH_ID,
                    ),
                )
            vendor = parsed["vendor"]
            problems = vendor.get("problems") or []
            reads = [
                {k: v for k, v in read.items() if k != "timestamp_error"}
                for read in vendor.get("reads") or []
            ]
            payload = {
                "batch_id": idempotency_key
                or reader_formats.canonical_batch_id(
                    f"{source}:{device_name}" if device_name else source, raw_body
                ),
                "device": device_name,
                "mode": "observe",
                "reads": reads,
            }
            if problems:
                # stored with the reads: GET .../epcis/capture/<id> lists them
                payload["capture_errors"] = problems
        if payload["mode"] not in MODES_AVAILABLE:
            raise InvalidRequest(
                self.env._(
                    "mode %(mode)s is not available yet: only %(modes)s",
                    mode=payload["mode"],
                    modes=", ".join(MODES_AVAILABLE),
                ),
                "mode_not_available",
            )
        self._check_read_ceiling(payload)
        device = self.env["stock.asset.device"]
        if device_name:
            device = device._find_for_batch(device_name, self.env.user)
            if not device:
                raise RecordNotFound(
                    self.env._("unknown or inactive device %(name)s", name=device_name),
                    "unknown_device",
                )
        if not payload["reads"]:
            if source == "epcis":
                # nothing to store: the job tells which events were refused
                return self._epcis_capture_job(payload["batch_id"], None, problems)
            return self._empty_answer(payload["batch_id"])
        company = device.company_id or self.env.company
        answer = self._ingest(payload, company=company, device=device, source=source)
        if source == "epcis":
            return self._epcis_capture_job(answer["batch_id"], answer, problems)
        return answer

    @api.model
    def _check_read_ceiling(self, payload):
        """Refuse (413) a batch of more reads than one batch may hold, before
        anything of it is stored."""
        ceiling = self._int_param(
            "stock_asset_tracking.max_reads_per_batch", DEFAULT_MAX_READS
        )
        reads = len(payload["reads"])
        if reads > ceiling:
            raise RequestTooLarge(
                self.env._(
                    "batch %(batch)s has %(reads)s reads, more than the %(max)s a "
                    "batch may hold: split it",
                    batch=payload["batch_id"],
                    reads=reads,
                    max=ceiling,
                ),
                "too_many_reads",
            )

    @api.model
    def _int_param(self, key, default):
        """A positive integer system parameter, ``default`` when unset or wrong."""
        value = self.env["ir.config_parameter"].sudo().get_param(key)
        try:
            number = int(value) if value else default
        except ValueError:
            return default
        return number if number > 0 else default

    @api.model
    def _api_status(self, batch_id, per_page=None, page_token=None):
        """``GET .../batches/<batch_id>``: the batch's answer, its ``results`` in
        pages (see :meth:`_api_page`)."""
        self._api_check_user()
        batch = self._api_find(batch_id)
        if not batch:
            raise RecordNotFound(self.env._("no batch %(batch)s", batch=batch_id))
        page = batch._api_page("batches", per_page, page_token)
        page["answer"] = page.pop("batch")
        return page

    @api.model
    def _api_find(self, batch_id, capture=False):
        """The batch (or, ``capture``, the EPCIS capture) the status routes
        answer for an id, among the user's companies."""
        domain = [
            ("name", "=", batch_id),
            ("company_id", "in", list(self.env.user._get_company_ids())),
        ]
        if capture:
            domain.append(("source", "=", "epcis"))
        return self.search(domain, limit=1)

    def _api_page(self, route, per_page=None, page_token=None):
        """One page of this batch's answer for a status ``route`` (``batches`` or
        ``capture``): ``{"batch", "per_page", "next_page_token", "expires"}``.

        ``per_page`` / ``page_token``: the ``perPage`` and ``nextPageToken``
        parameters (text, as received). ``batch``: the answer with at most
        ``per_page`` of its ``results``; the token of the next page and its expiry
        (naive UTC) are None on the last page. The counts are the batch's.
        """
        self.ensure_one()
        limit = self._results_page_size(per_page)
        query = paging.query_key(route, self.id)
        offset = 0
        if page_token not in (None, ""):
            offset = self._read_results_token(page_token, query)
        answer, total = self._answer_page(offset=offset, limit=limit)
        return self._results_page(answer, route, offset + limit, total, limit)

    def _results_page(self, answer, route, next_offset, total, limit):
        """The page dict of ``answer`` (see :meth:`_api_page`), with the token of
        the results from ``next_offset`` on when any remain."""
        token = expires = None
        if next_offset < total:
            expires = fields.Datetime.now().replace(microsecond=0) + PAGE_TOKEN_TTL
            token = paging.issue_token(
                (next_offset,),
                self.env.uid,
                paging.query_key(route, self.id),
                expires,
                page_token_secret(self.env),
                _PAGE_TOKEN_SCOPE,
            )
        return {
            "batch": answer,
            "per_page": limit,
            "next_page_token": token,
            "expires": expires,
        }

    @api.model
    def _api_first_page(self, answer, capture=False):
        """The answer of a POST (a batch answer or, ``capture``, a capture job)
        as a page: a batch of more results than the default page size answers
        the first page, and the token of the next one on its status route (see
        :meth:`_api_page`); a smaller one answers whole, as it always did.

        Returns ``{"answer", "per_page", "next_page_token", "expires"}``.
        """
        batch_answer = answer.get("batch") if capture else answer
        limit = self._results_page_size(None)
        page = {"per_page": limit, "next_page_token": None, "expires": None}
        batch = self.browse()
        if batch_answer and batch_answer.get("status") == "done":
            results = batch_answer["results"]
            # a done batch has one result per distinct code; a stored answer read
            # again (a replay) holds its first page only
            total = max(len(results), batch_answer.get("unique_codes") or 0)
            if total > limit:
                batch_answer["results"] = results[:limit]
                # committed by a transaction of its own after this request's
                # snapshot (see _ingest): found in a fresh one
                with self._own_transaction() as cr:
                    batch_id = (
                        self.with_env(self.env(cr=cr))
                        ._api_find(batch_answer["batch_id"], capture=capture)
                        .id
                    )
                batch = self.browse(batch_id)
            if batch:
                page = batch._results_page(
                    batch_answer,
                    "capture" if capture else "batches",
                    limit,
                    total,
                    limit,
                )
        page.pop("batch", None)
        return dict(page, answer=answer)

    @api.model
    def _results_page_size(self, per_page):
        """The results of a page: ``perPage`` (a whole number from 1; above the
        maximum, the maximum), else the configured default (400 when wrong)."""
        maximum = self._int_param(MAX_PAGE_SIZE_PARAM, DEFAULT_MAX_PAGE_SIZE)
        default = self._int_param(PAGE_SIZE_PARAM, DEFAULT_PAGE_SIZE)
        size = paging.page_size(per_page, default, maximum)
        if size is None:
            raise InvalidRequest(
                self.env._(
                    "parameter perPage must be a whole number from 1 (at most "
                    "%(maximum)s results are served per page)",
                    maximum=maximum,
                ),
            )
        return size

    @api.model
    def _read_results_token(self, token, query):
        """The offset a ``nextPageToken`` of a batch answer continues at, or a
        400."""

        def offset(values):
            (number,) = values
            if type(number) is not int or not 0 < number <= _MAX_OFFSET:
                raise ValueError("not an offset")
            return number

        try:
            return paging.read_token(
                token,
                self.env.uid,
                query,
                fields.Datetime.now(),
                page_token_secret(self.env),
                _PAGE_TOKEN_SCOPE,
                offset,
            )
        except paging.PageTokenError as error:
            raise refused_page_token(
                self.env, error.reason, self.env._("it was issued for another batch")
            ) from None

    @api.model
    def _api_check_user(self):
        if not self.env.user.has_group("stock_asset_tracking.group_asset_user"):
            raise Forbidden(self.env._("the API key's user is not an asset user"))

    @api.model
    def _empty_answer(self, batch_id):
        return {
            "batch_id": batch_id,
            "duplicate": False,
            "status": "done",
            "reads": 0,
            "unique_codes": 0,
            "matched": 0,
            "unknown": 0,
            "invalid": 0,
            "results": [],
        }

    @api.model
    def _api_capture_status(self, capture_id, per_page=None, page_token=None):
        """``GET .../epcis/capture/<captureID>``: the job of a stored capture, its
        batch's ``results`` in pages (see :meth:`_api_page`): ``{"answer",
        "per_page", "next_page_token", "expires"}``."""
        self._api_check_user()
        batch = self._api_find(capture_id, capture=True)
        if not batch:
            raise RecordNotFound(
                self.env._("no capture job %(capture)s", capture=capture_id)
            )
        # only the stored refusals, not the (large) list of reads
        self.env.cr.execute(
            "SELECT payload::json -> 'capture_errors' FROM stock_asset_scan_batch"
            " WHERE id = %s",
            [batch.id],
        )
        problems = self.env.cr.fetchone()[0] or []
        page = batch._api_page("capture", per_page, page_token)
        page["answer"] = self._epcis_capture_job(
            batch.name,
            page.pop("batch"),
            problems,
            created=batch.create_date,
            finished=batch.done_date,
        )
        return page

    @api.model
    def _epcis_capture_job(
        self, capture_id, answer, problems, created=None, finished=None
    ):
        """An EPCIS 2.0 capture job (REST binding) for a processed capture.

        Each refused event is an RFC 7807 problem, as the binding's capture job
        lists them, with the event's position, id and type. ``answer`` is the
        batch the captured reads became (None when no event gave a read).
        ``created`` / ``finished``: when the stored capture was received and
        processed (default: now, for the answer of the capture itself).
        """
        errors = [
            {
                "type": "epcisException:ValidationException",
                "title": "Event not captured",
                "status": 400,
                "detail": problem.get("message"),
                "eventIndex": problem.get("index"),
                "eventID": problem.get("event_id"),
                "eventType": problem.get("type"),
            }
            for problem in problems
        ]
        status = "done" if answer is None else answer["status"]
        # a batch that failed is finished too, without success
        done = status in ("done", "failed")
        now = fields.Datetime.now()
        finished = (finished or now) if done else None
        job = {
            "captureID": capture_id,
            "createdAt": (created or now).isoformat() + "Z",
            "finishedAt": finished and finished.isoformat() + "Z",
            "running": not done,
            "success": status == "done" and not errors,
            "captureErrorBehaviour": "proceed",
            "errors": errors,
        }
        if answer is not None:
            job["batch"] = answer
        return job

    # Receiving ----------------------------------------------------------------------
    @api.model
    def _ingest(self, payload, *, company, device=None, source="native"):
        """Store, then apply, one batch; its answer (status ``done``,
        ``failed``, or ``processing`` / ``queued`` while it is being applied).
        Raises :class:`BatchConflict` for a known batch id with another body.

        The receipt is committed in a transaction of its own before anything is
        processed. The processing runs in a second, fresh transaction (the
        request's snapshot predates the receipt). Both run at READ COMMITTED, so
        that identical retries racing each other never fail to serialize: a
        second receipt waits for the first one's commit and finds it; a retry
        that finds the batch being processed answers 202 ``processing``; a batch
        touching the same assets waits for their row locks. The request's own
        transaction only reads. A batch whose processing raises is answered
        ``failed`` (kept, a manager may retry it).
        """
        if self._applies_at_once(payload, device):
            outcome = self._ingest_at_once(
                payload, company=company, device=device, source=source
            )
            if outcome is not None:
                return outcome
        batch_id, conflict, state, created = self._receive(
            payload, company=company, device=device, source=source
        )
        if conflict:
            raise BatchConflict(
                self.env._(
                    "batch %(batch)s was already received with another body",
                    batch=payload["batch_id"],
                )
            )
        if state == "queued":
            # a replay of a batch still queued is a duplicate too
            return self._answer_in_new_cursor(batch_id, duplicate=not created)
        if state != "received":
            return self._answer_in_new_cursor(batch_id, duplicate=True, payload=payload)
        return self._process_in_new_cursor(batch_id)

    def _applies_at_once(self, payload, device):
        """Whether a batch is received and applied in one transaction, without
        keeping its body: none by default (see the fixed readers' presence)."""
        return False

    def _ingest_at_once(self, payload, *, company, device=None, source="native"):
        """Receive and apply a new batch in one transaction that stores its digest
        and its answer, not its body; the answer, or None when the key
        is already known (the caller answers it as a replay or a conflict).

        An identical retry racing this one waits for its commit on the unique
        key and finds the batch done. A batch whose processing raises is rolled
        back whole and stored with its body, ``failed`` (a manager may retry it).
        """
        digest = payload_hash(payload)
        try:
            with self._own_transaction() as cr:
                batches = self.with_env(self.env(cr=cr))
                batch_id = batches._insert_receipt(
                    payload, digest, None, "received", company, device, source
                )
                if not batch_id:
                    return None
                return batches.browse(batch_id)._process(payload=payload)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:
            _logger.info("scan batch %s failed", payload["batch_id"], exc_info=True)
            reason = self._failure_reason(error)
        batch_id, _conflict, _state, created = self._receive(
            payload, company=company, device=device, source=source
        )
        if not created:
            return None
        return self._mark_failed(batch_id, reason)

    def _answer_in_new_cursor(self, batch_id, duplicate=False, payload=None):
        with self._own_transaction() as cr:
            batch = self.with_env(self.env(cr=cr)).browse(batch_id)
            return batch._answer(duplicate, payload=payload)

    @contextmanager
    def _own_transaction(self):
        """A cursor of its own, committed on success, at READ COMMITTED (see
        ``models.common.own_transaction``): the one place the scan pipeline
        opens a transaction, kept as a method so that a caller or a test may
        wrap it."""
        with own_transaction(self.env) as cr:
            yield cr

    def _process_in_new_cursor(self, batch_id, limit=None):
        """Apply (``limit`` codes of) one batch in a transaction of its own.

        Returns the answer of :meth:`_process` (None while chunks remain). A
        concurrency error (a lock or serialization failure) is raised for the
        caller to retry; any other error rolls the chunk back, marks the batch
        ``failed`` with a reason for people, logs the traceback and answers it.
        """
        try:
            with self._own_transaction() as cr:
                return self.with_env(self.env(cr=cr)).browse(batch_id)._process(limit)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception as error:
            # one bad batch never stops the others; an expected outcome of the
            # service, not a server error: info, with the traceback
            _logger.info("scan batch #%s failed", batch_id, exc_info=True)
            return self._mark_failed(batch_id, self._failure_reason(error))

    def _failure_reason(self, error):
        """Why a batch failed, for people: a rule's message, never internals."""
        if isinstance(error, json.JSONDecodeError):
            return self.env._(
                "The stored reads of this batch are damaged and cannot be read."
            )
        if isinstance(error, UserError) and not isinstance(error, AccessError):
            return self.env._(
                "A rule refused the batch: %(reason)s", reason=error.args[0]
            )
        return self.env._(
            "The batch could not be processed because of an unexpected error "
            "(logged on the server at %(when)s UTC). Once the cause is fixed, an "
            "asset manager can retry it.",
            when=fields.Datetime.to_string(fields.Datetime.now()),
        )

    def _mark_failed(self, batch_id, reason):
        """Record that a batch cannot be processed, in a transaction of its own;
        its answer (a batch another transaction finished meanwhile is kept)."""
        with self._own_transaction() as cr:
            batch = self.with_env(self.env(cr=cr)).browse(batch_id)
            if batch._lock_for_processing() == "locked":
                # bookkeeping of the service, not an edit by the poster
                batch.sudo().write({"state": "failed", "error": reason})
            return batch._answer()

    @api.model
    def _receive(self, payload, *, company, device=None, source="native"):
        """Store a batch under its idempotency key, committed on its own.

        A batch over the asynchronous threshold is stored ``queued`` and the cron is
        triggered. Returns ``(id, conflict, state, created)``: the stored batch (new,
        or found by its key), whether the key was already used with another body,
        its state, and whether this call stored it.
        """
        # serialised once: the idempotency hash and the stored body
        canonical = canonical_json(payload)
        digest = payload_hash(payload, canonical)
        key = payload["batch_id"]
        reads = len(payload["reads"])
        state = "queued" if reads > self._async_threshold() else "received"
        # READ COMMITTED: an identical receipt racing this one waits for its
        # commit and is found, where REPEATABLE READ fails to serialize
        with self._own_transaction() as cr:
            batches = self.with_env(self.env(cr=cr))
            batch_id = batches._insert_receipt(
                payload, digest, canonical, state, company, device, source
            )
            if batch_id:
                if state == "queued":
                    batches.env.ref(
                        "stock_asset_tracking.ir_cron_process_scan_batches"
                    )._trigger()
                return batch_id, False, state, True
            cr.execute(
                "SELECT id, body_hash, state FROM stock_asset_scan_batch"
                " WHERE name = %s AND company_id = %s",
                [key, company.id],
            )
            batch_id, stored_hash, stored_state = cr.fetchone()
        return batch_id, stored_hash != digest, stored_state, False

    def _insert_receipt(self, payload, digest, body, state, company, device, source):
        """Insert the receipt of a batch unless its key is known; its id or None.

        ``body``: the canonical JSON kept for processing later (None: the batch
        is applied in this transaction and only its answer is kept).
        """
        now = fields.Datetime.now()
        uid = self.env.uid
        self.env.cr.execute(
            """
            INSERT INTO stock_asset_scan_batch
                (name, company_id, user_id, device_id, source, mode, location_ref,
                 body_hash, payload, state, read_count,
                 create_uid, create_date, write_uid, write_date)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
                    %s, %s, %s, %s)
            ON CONFLICT (name, company_id) DO NOTHING
            RETURNING id
            """,
            [
                payload["batch_id"],
                company.id,
                uid,
                device.id if device else None,
                source,
                payload.get("mode") or "observe",
                payload.get("location"),
                digest,
                body,
                state,
                len(payload["reads"]),
                uid,
                now,
                uid,
                now,
            ],
        )
        row = self.env.cr.fetchone()
        return row[0] if row else None

    def _async_threshold(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("stock_asset_tracking.async_read_threshold")
        )
        try:
            return int(value) if value else DEFAULT_ASYNC_THRESHOLD
        except ValueError:
            return DEFAULT_ASYNC_THRESHOLD

    # Answering ----------------------------------------------------------------------
    def _answer(
        self, duplicate=False, processing=False, offset=0, limit=None, payload=None
    ):
        """The JSON answer of the contract for this batch.

        ``processing``: another transaction is applying it right now. Its
        ``results`` are those from ``offset`` on, at most ``limit`` of them
        (default: the page size of the status route, see :meth:`_api_page`).
        ``payload``: the body of a replay, for a batch that kept its answer
        without its body (see :meth:`_ingest_at_once`).
        """
        return self._answer_page(duplicate, processing, offset, limit)[0]

    def _answer_page(self, duplicate=False, processing=False, offset=0, limit=None):
        """``(answer, total)``: the answer of :meth:`_answer` and how many results
        the batch has in all."""
        self.ensure_one()
        if limit is None:
            limit = self._results_page_size(None)
        if self.state == "done":
            stored, total, results = self._bulk_read_result_page(offset, limit)
            if stored is not None:
                answer = dict(stored, duplicate=duplicate)
                answer["results"] = results
                return answer, total
        status = self.state
        if processing and status in ("received", "queued"):
            status = "processing"
        answer = {
            "batch_id": self.name,
            "duplicate": duplicate,
            "status": status,
            "reads": self.read_count,
            "unique_codes": self.unique_count,
            "matched": self.matched_count,
            "unknown": self.unknown_count,
            "invalid": self.invalid_count,
            "results": [],
        }
        if self.state == "failed":
            answer["message"] = self.error or ""
        return answer, 0

    def _bulk_read_result_page(self, offset, limit):
        """``(answer without results, total, results)`` of the stored answer of a
        done batch: the results from ``offset`` on, at most ``limit``, and how many
        there are; ``(None, 0, [])`` when none is stored.

        The stored answer (a Text column, up to ~100 MB for the largest batch) is
        cut by PostgreSQL's JSON functions, so that only the page reaches Python
        (measured on 150,000 codes: 24 MB stored, ~0.8 s and ~7 MB of Python
        memory a page of 10,000, where loading it whole takes ~110 MB). ``json``,
        not ``jsonb``: the text and the order of the keys are kept as stored.
        Keys starting with ``_`` are bookkeeping of the service, not answered.
        """
        self.ensure_one()
        self.flush_recordset(["state", "result"])
        self.env.cr.execute(
            """
            WITH parts AS MATERIALIZED (
                SELECT part.key, part.value, part.n
                  FROM stock_asset_scan_batch batch,
                       json_each(batch.result::json) WITH ORDINALITY
                           AS part(key, value, n)
                 WHERE batch.id = %s AND batch.result IS NOT NULL
            )
            SELECT (SELECT json_object_agg(key, value ORDER BY n)
                      FROM parts WHERE key <> 'results' AND left(key, 1) <> '_'),
                   page.total,
                   page.items
              FROM (
                SELECT count(*) AS total,
                       json_agg(item.value ORDER BY item.n)
                           FILTER (WHERE item.n > %s AND item.n <= %s) AS items
                  FROM parts,
                       json_array_elements(parts.value) WITH ORDINALITY
                           AS item(value, n)
                 WHERE parts.key = 'results'
              ) page
            """,
            [self.id, offset, offset + limit],
        )
        stored, total, items = self.env.cr.fetchone()
        if stored is None:
            return None, 0, []
        return stored, total, items or []

    # Processing ----------------------------------------------------------------------
    def _lock_for_processing(self):
        """Lock the batch row for this transaction, without waiting.

        ``"locked"``: this transaction is to apply it; ``"busy"``: another
        transaction holds it (it is being applied right now); ``"finished"``: it
        is done or failed already.
        """
        self.ensure_one()
        self.env.cr.execute(
            "SELECT state FROM stock_asset_scan_batch WHERE id = %s"
            " FOR UPDATE SKIP LOCKED",
            [self.id],
        )
        row = self.env.cr.fetchone()
        self.invalidate_recordset()
        if not row:
            return "busy"
        return "locked" if row[0] in ("received", "queued") else "finished"

    def _process(self, limit=None, payload=None):
        """Apply the batch (once), store and return its answer.

        ``limit``: apply at most that many more codes in this transaction and
        answer None while codes remain; the cron commits chunk after chunk, and
        the codes of a committed chunk are never applied again. A batch another
        transaction is applying is answered ``processing``. ``payload``: the
        body, when it is not stored (see :meth:`_ingest_at_once`).
        """
        self.ensure_one()
        lock = self._lock_for_processing()
        if lock != "locked":
            return self._answer(duplicate=True, processing=lock == "busy")
        started = datetime.now()
        if payload is None:
            payload = json.loads(self.payload)
        reads = len(payload.get("reads") or [])
        context = self._prepare_context(payload)
        codes, order = self._collapse_reads(payload.get("reads") or [], context)
        start = self.processed_count
        stop = len(order) if not limit else min(len(order), start + limit)
        results = self._resolve(codes, order[start:stop], context)
        moved = self._apply_mode(results, context)
        self._store_observations(results, context)
        counts = defaultdict(int)
        for item in results:
            counts[item["status"]] += 1
        # what the committed chunks before this one left
        items = json.loads(self.result) if start and self.result else []
        items += [item["answer"] for item in results]
        vals = {
            "processed_count": stop,
            "unique_count": len(order),
            "duration": (self.duration if start else 0.0)
            + (datetime.now() - started).total_seconds(),
        }
        if context["location"] != self.location_id:
            vals["location_id"] = context["location"].id
        for name, added in (
            ("matched_count", counts["matched"]),
            ("unknown_count", counts["unknown"]),
            ("invalid_count", counts["invalid"]),
            ("moved_count", moved),
        ):
            vals[name] = (self[name] if start else 0) + added
        # the outcome is bookkeeping of the service, not an edit by the poster, who
        # may only read batches
        if stop < len(order):
            vals["result"] = json.dumps(items, separators=(",", ":"))
            self.sudo().write(vals)
            _logger.info(
                "scan batch %s: %s of %s codes applied", self.name, stop, len(order)
            )
            return None
        return self._finish(vals, items, reads, context)

    def _finish(self, vals, items, reads, context):
        """Store the answer of a batch whose every code is applied; return it."""
        answer = {
            "batch_id": self.name,
            "duplicate": False,
            "status": "done",
            "reads": reads,
            "unique_codes": vals["unique_count"],
            "matched": vals["matched_count"],
            "unknown": vals["unknown_count"],
            "invalid": vals["invalid_count"],
            "results": items,
        }
        batch_sudo = self.sudo()
        if context.get("quiet"):
            # nothing changed that people follow: no chatter (see presence)
            batch_sudo = batch_sudo.with_context(tracking_disable=True)
        batch_sudo.write(
            dict(
                vals,
                state="done",
                error=False,
                read_count=reads,
                result=json.dumps(
                    self._answer_to_store(answer, context), separators=(",", ":")
                ),
                done_date=fields.Datetime.now(),
            )
        )
        if context.get("quiet"):
            return answer
        batch_sudo.message_post(
            body=self.env._(
                "%(reads)s reads of %(codes)s codes: %(matched)s matched "
                "(%(moved)s moved), %(unknown)s unknown, %(invalid)s invalid.",
                reads=answer["reads"],
                codes=answer["unique_codes"],
                matched=answer["matched"],
                moved=vals["moved_count"],
                unknown=answer["unknown"],
                invalid=answer["invalid"],
            ),
            subtype_xmlid="mail.mt_note",
        )
        _logger.info(
            "scan batch %s: %s reads, %s codes, %s matched, %s moved",
            self.name,
            answer["reads"],
            answer["unique_codes"],
            answer["matched"],
            vals["moved_count"],
        )
        return answer

    def _answer_to_store(self, answer, context):
        """What is kept of a done batch's answer: the whole answer by default."""
        return answer

    def _prepare_context(self, payload):
        """Who, where and when: what every read of the batch shares."""
        user = self.user_id or self.env.user
        location = self.env["stock.location"]
        location_error = None
        place = payload.get("location")
        # the API refuses such a place with a 400; a batch stored otherwise (EPCIS
        # poll, an older version) is answered here, before any query
        unsafe = place and (
            scan_api.text_problem(place, "location")
            if isinstance(place, str)
            else "location must be a string"
        )
        if unsafe:
            location_error = unsafe
        elif place:
            location = self.env["stock.location"]._find_for_scan(place, user)
            if not location:
                location_error = self.env._(
                    "location %(location)s is not one of your companies' locations",
                    location=payload["location"],
                )
        return {
            "user": user,
            "company": self.company_id,
            # ormcached, unlike ``user.company_ids``
            "company_ids": list(user._get_company_ids()),
            "device": self.device_id,
            "location": location,
            "location_error": location_error,
            "now": self.create_date or fields.Datetime.now(),
            "mode": self.mode,
            "holder_ref": payload.get("holder"),
            "reference": payload.get("reference"),
            "due": payload.get("due"),
        }

    def _collapse_reads(self, reads, context):
        """One entry per code: count, first/last time, best RSSI, antennas, place.

        Each code's place is the one of its latest valid read.
        """
        memo = _ReadMemo(context["now"])
        place_of = self._read_placer(reads, context)
        codes = {}
        order = []
        for read in reads:
            if not isinstance(read, dict):
                read = {"code": read}
            code, shown, problem = memo.code(read.get("code"))
            entry = codes.get(code)
            if entry is None:
                entry = codes[code] = _new_entry(code, shown, problem)
                order.append(code)
            entry["count"] += 1
            if problem:
                continue
            moment, error = memo.time(read.get("timestamp") or read.get("time"))
            if not error:
                antenna, rssi, error = scan_api.read_signal(read)
            if error:
                entry["error"] = error
                continue
            _add_valid_read(entry, moment, antenna, rssi)
            if entry["last"] == moment:
                entry["location"] = place_of(read, antenna)
            if read.get("condition") not in (None, ""):
                entry["condition"] = read["condition"]
            if read.get("meter") is not None:
                entry["meter"] = read["meter"]
        return codes, order

    def _read_placer(self, reads, context):
        """``place_of(read, antenna)``: the location of a read (None: none)."""
        # a batch that names a location it may not use is not at the device's place
        device = context["device"] if not context["location_error"] else None
        batch_location = context["location"]
        antenna_locations = {}
        # a server-side caller (EPCIS polling) places each read itself: a private
        # path, which neither an HTTP nor an RPC caller can open
        read_places = {}
        if is_open(self.env, READ_LOCATIONS_PATH):
            ids = {
                read["location_id"]
                for read in reads
                if isinstance(read, dict) and isinstance(read.get("location_id"), int)
            }
            read_places = {
                location.id: location
                for location in self.env["stock.location"].browse(sorted(ids))
            }

        def place_of(read, antenna):
            # only a server-side caller places reads (any JSON may come here)
            place = read_places and read.get("location_id")
            if type(place) is int and place in read_places:
                return read_places[place]
            if batch_location:
                return batch_location
            if not device:
                return None
            if antenna not in antenna_locations:
                antenna_locations[antenna] = device._location_for_antenna(antenna)
            return antenna_locations[antenna] or None

        return place_of

    def _resolve(self, codes, order, context):
        """Classify every code, find its asset with set-based queries."""
        classified = {
            code: scan_codes.ScanCode(
                code=codes[code]["code"], kind="invalid", message=codes[code]["error"]
            )
            if codes[code]["bad_code"]
            else scan_codes.classify(code)
            for code in order
        }
        found = self._find_assets(classified.values(), context["company_ids"])
        preferred = context["company"].id
        results = []
        for code in order:
            entry = codes[code]
            scan = classified[code]
            item = {"entry": entry, "scan": scan, "asset": None, "status": "unknown"}
            message = None
            if not code and not entry["bad_code"]:
                item["status"], message = "invalid", "missing code"
            elif not scan.valid:
                item["status"], message = "invalid", scan.message
            elif not entry["valid"]:
                item["status"], message = "invalid", entry["error"]
            else:
                asset, message = self._pick_asset(scan, found, preferred)
                if asset:
                    item["asset"] = asset
                    item["status"] = "matched"
                    message = self._check_place(asset, entry, context)
                    if message:
                        item["status"] = "invalid"
                elif message or scan.message:
                    item["status"] = "invalid"
                    message = message or scan.message
            item["answer"] = {
                "code": entry["raw"],
                "epc_uri": scan.epc_uri,
                "gs1": scan.gs1,
                "status": item["status"],
                "asset_id": item["asset"]["id"] if item["asset"] else None,
                "asset_code": item["asset"]["code"] if item["asset"] else None,
            }
            if message:
                item["answer"]["message"] = message
            item["message"] = message
            results.append(item)
        return results

    def _find_assets(self, scans, company_ids):
        """``{(kind, value): [asset, ...]}`` for the keys of ``scans`` that
        :meth:`_pick_asset` may need: each code's first key, then the other keys
        of the codes that one did not find. A tag found by its EPC is not looked
        up again by its GS1 key (half the rows of a batch of known tags); the
        answers are those of looking every key up at once, since a code takes
        its first key that has assets."""
        Asset = self.env["stock.asset"]
        first = defaultdict(set)
        for scan in scans:
            for kind, value in scan.keys[:1]:
                first[kind].add(value)
        found = Asset._find_by_scan_keys(first, company_ids)
        rest = defaultdict(set)
        for scan in scans:
            if scan.keys and not found.get(scan.keys[0]):
                for kind, value in scan.keys[1:]:
                    rest[kind].add(value)
        if rest:
            for key, assets in Asset._find_by_scan_keys(rest, company_ids).items():
                found.setdefault(key, assets)
        return found

    @staticmethod
    def _pick_asset(scan, found, preferred_company):
        """The asset a classified code names, or ``(None, reason)``."""
        for kind, value in scan.keys:
            candidates = found.get((kind, value))
            if not candidates:
                continue
            if len(candidates) > 1:
                own = [
                    asset
                    for asset in candidates
                    if asset["company_id"] == preferred_company
                ]
                if len(own) == 1:
                    return own[0], None
                if kind == "serial":
                    return None, (
                        f"serial number {value} names {len(candidates)} assets: "
                        "scan the asset tag"
                    )
                return None, f"{value} names {len(candidates)} assets"
            return candidates[0], None
        return None, None

    def _check_place(self, asset, entry, context):
        """Refuse a read whose place is not of the asset's company."""
        if context["location_error"]:
            return context["location_error"]
        location = entry["location"]
        if not location:
            return None
        # a batch has few places and many reads: each place's company once
        companies = context.setdefault("location_companies", {})
        if location.id not in companies:
            # the place's company only (the reader may not read every location)
            companies[location.id] = location.sudo().company_id.id
        company_id = companies[location.id]
        if company_id and company_id != asset["company_id"]:
            return self.env._(
                "location %(location)s belongs to another company than asset %(code)s",
                location=location.complete_name,
                code=asset["code"],
            )
        return None

    def _apply_mode(self, results, context):
        """Apply the matched codes in the batch's mode; returns the moves count."""
        mode = context["mode"]
        if mode == "observe":
            return self._apply_observe(results, context)
        if mode == "audit":
            self._apply_audit(results, context)
        elif mode in ("checkout", "checkin"):
            self._apply_custody(results, context)
        elif mode == "use":
            self._apply_use(results, context)
        return 0

    def _apply_use(self, results, context):
        """Log that the matched assets were used on the batch's document; an
        instrument that may not be used (calibration) is answered ``invalid``."""
        matched = [item for item in results if item["status"] == "matched"]
        if not matched:
            return
        assets = (
            self.env["stock.asset"]
            .with_user(context["user"])
            .browse(sorted({item["asset"]["id"] for item in matched}))
        )
        refusals = assets._check_usage_allowed()
        for item in matched:
            if refusals.get(item["asset"]["id"]):
                self._refuse(item, refusals[item["asset"]["id"]])
        allowed = assets.filtered(lambda asset: asset.id not in refusals)
        if allowed:
            self.env["stock.asset.usage"].with_user(context["user"])._log_usage(
                allowed,
                reference=context["reference"],
                user=context["user"],
                source="scan",
            )

    def _refuse(self, item, message):
        item["status"] = "invalid"
        item["message"] = message
        item["answer"]["status"] = "invalid"
        item["answer"]["message"] = message

    def _apply_custody(self, results, context):
        """Check the matched assets out to the batch's holder, or in; a refused
        asset is answered ``invalid`` with the reason, the others apply."""
        matched = [item for item in results if item["status"] == "matched"]
        if not matched:
            return
        Asset = self.env["stock.asset"].with_user(context["user"])
        assets = Asset.browse(sorted({item["asset"]["id"] for item in matched}))
        if context["mode"] == "checkout":
            holder = self.env["res.partner"]._asset_find_holder(
                context["holder_ref"], company=context["company"]
            )
            due = None
            if context["due"]:
                due, error = parse_read_time(context["due"], context["now"] + _FAR)
                if error:
                    for item in matched:
                        self._refuse(item, self.env._("due: %(error)s", error=error))
                    return
            outcome = Asset._checkout_for_scan(
                assets,
                holder,
                date_due=due,
                note=context["reference"],
            )
        else:
            outcome = Asset._checkin_for_scan(
                assets, note=context["reference"], location=context["location"] or None
            )
        for item in matched:
            reason = outcome.get(item["asset"]["id"])
            if reason:
                self._refuse(item, reason)

    def _apply_audit(self, results, context):
        """Count the codes toward the open audits of where they were read."""
        items = [
            {
                "code": item["answer"]["code"],
                "asset_id": item["asset"]["id"] if item["asset"] else None,
                "location_id": item["entry"]["location"].id
                if item["entry"]["location"]
                else None,
                "seen": item["entry"]["last"],
                "count": item["entry"]["count"],
            }
            for item in results
            if item["status"] in ("matched", "unknown")
        ]
        if not items:
            return
        outcomes = self.env["stock.asset.audit"]._record_scans(
            items, location=context["location"] or None, user=context["user"]
        )
        for item in results:
            status, message = outcomes.get(item["answer"]["code"], (None, None))
            if status in ("outside_audit", "no_location"):
                self._refuse(item, message)
            elif status:
                item["answer"]["audit"] = status
                if message:
                    item["answer"]["message"] = message

    def _apply_observe(self, results, context):
        """Move matched assets to where they were last seen, newest read wins."""
        if context["mode"] != "observe":
            return 0
        matched = [item for item in results if item["status"] == "matched"]
        if not matched:
            return 0
        by_asset = {}
        for item in matched:
            asset_id = item["asset"]["id"]
            other = by_asset.get(asset_id)
            # two codes of one asset (its EPC and its tag): the latest read wins
            if other is None or item["entry"]["last"] > other["entry"]["last"]:
                by_asset[asset_id] = item
        cr = self.env.cr
        # lock in a stable order: concurrent batches touching the same assets queue
        # up instead of deadlocking
        cr.execute(
            "SELECT id, location_id, last_seen_date FROM stock_asset"
            " WHERE id = ANY(%s) ORDER BY id FOR NO KEY UPDATE",
            [sorted(by_asset)],
        )
        current = {row[0]: (row[1], row[2]) for row in cr.fetchall()}
        ids, locations, times = [], [], []
        moved = 0
        for asset_id, item in by_asset.items():
            old_location, old_seen = current.get(asset_id, (None, None))
            entry = item["entry"]
            item["previous_location_id"] = old_location
            if old_seen is not None and entry["last"] <= old_seen:
                item["applied"] = False  # an older read never moves an asset back
                continue
            new_location = entry["location"].id if entry["location"] else old_location
            item["applied"] = True
            item["moved"] = bool(new_location and new_location != old_location)
            moved += item["moved"]
            ids.append(asset_id)
            locations.append(new_location)
            times.append(entry["last"])
        # the asset's own fast path: rights, record rules, company of the location
        self.env["stock.asset"]._bulk_set_seen(ids, locations, times)
        return moved

    def _store_observations(self, results, context):
        """One observation row per code, in one statement
        (``stock.asset.observation._bulk_create``)."""
        if not results:
            return 0
        device_id = context["device"].id or None
        company_id = context["company"].id
        mode = context["mode"]
        rows = []
        for item in results:
            entry = item["entry"]
            asset = item["asset"]
            location = entry["location"]
            status = item["status"]
            rows.append(
                {
                    "batch_id": self.id,
                    "device_id": device_id,
                    "mode": mode,
                    # the code as reads of it collapse (upper-case hex EPC, no
                    # blanks): the key triage groups and relinks unknown codes by
                    "code": (entry["code"] or item["answer"]["code"])[:256],
                    "status": status,
                    "message": item["message"],
                    "asset_id": asset["id"] if asset else None,
                    "company_id": asset["company_id"] if asset else company_id,
                    "epc_uri": item["scan"].epc_uri,
                    "gs1": item["scan"].gs1,
                    "location_id": location.id if location else None,
                    "previous_location_id": item.get("previous_location_id"),
                    "first_seen": entry["first"],
                    "last_seen": entry["last"],
                    "read_count": entry["count"],
                    "rssi": entry["rssi"],
                    "antennas": ",".join(map(str, sorted(entry["antennas"]))) or None,
                    "applied": bool(item.get("applied")),
                    "moved": bool(item.get("moved")),
                    "triage_state": "new" if status == "unknown" else None,
                }
            )
        self.env["stock.asset.observation"]._bulk_create(rows)
        return len(results)

    # Crons ----------------------------------------------------------------------
    @api.model
    def _cron_process_pending(self, stale_minutes=10):
        """Finish queued batches, and received ones left behind by a crash.

        Each batch, and each chunk of a large one, is applied in a transaction of
        its own (the cron runner's transaction only reads the list and keeps the
        progress). A batch that cannot be processed is ``failed`` with its reason
        and the run goes on with the next one: the run itself succeeds, so Odoo
        counts no failure toward deactivating the cron.
        """
        stale = fields.Datetime.now() - timedelta(minutes=stale_minutes)
        batches = self.search(
            [
                "|",
                ("state", "=", "queued"),
                "&",
                ("state", "=", "received"),
                ("create_date", "<", stale),
            ],
            order="id",
        )
        chunk = self._int_param(
            "stock_asset_tracking.batch_chunk_size", DEFAULT_CHUNK_SIZE
        )
        cron = self.env["ir.cron"]
        # the batches' own transactions read what this one holds
        self.env.flush_all()
        for done, batch in enumerate(batches, start=1):
            batch.with_user(batch.user_id or self.env.user).with_company(
                batch.company_id
            )._cron_process_one(chunk)
            cron._notify_progress(done=done, remaining=len(batches) - done)
        # the batches changed in other transactions
        self.env.invalidate_all()
        return True

    def _cron_process_one(self, chunk):
        """Apply one batch, ``chunk`` codes per transaction."""
        self.ensure_one()
        try:
            while self._process_in_new_cursor(self.id, limit=chunk) is None:
                continue
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY as error:
            # a concurrent transaction touched the same rows: the next run resumes
            # after the last committed chunk
            _logger.info(
                "scan batch %s left for the next run: %s", self.id, error.pgcode
            )

    # Actions ----------------------------------------------------------------------
    def action_process(self):
        """Process received or queued batches now (from the list)."""
        for batch in self.filtered(lambda b: b.state in ("received", "queued")):
            batch._process()
        return True

    def action_retry(self):
        """Queue failed batches again and wake the cron (asset managers).

        A batch the cron had applied in part resumes after its last applied
        chunk: no code is applied twice.
        """
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("Only an asset manager may retry a scan batch.")
            )
        for batch in self:
            if batch.state != "failed":
                raise UserError(
                    self.env._(
                        "Scan batch %(batch)s is %(state)s, not failed: only a "
                        "failed batch can be retried.",
                        batch=batch.name,
                        state=dict(
                            batch._fields["state"]._description_selection(batch.env)
                        )[batch.state],
                    )
                )
        # bookkeeping of the service: the batch's fields are not the user's to edit
        self.sudo().write({"state": "queued", "error": False})
        self.env.ref("stock_asset_tracking.ir_cron_process_scan_batches")._trigger()
        return True

    def action_view_observations(self):
        return records_action(
            self, "stock_asset_tracking.stock_asset_observation_action", "batch_id", {}
        )
