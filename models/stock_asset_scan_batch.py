# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Scan batches: what handhelds and RFID readers post, stored before it is applied.

Ingestion is layered (see README, "Scan API"):

1. :meth:`_receive` stores the batch under its idempotency key in a transaction of
   its own, committed before anything is processed: a crash later leaves it
   ``received`` and the cron finishes it, exactly once.
2. :meth:`_process` locks the batch row (a concurrent replay waits there), collapses
   the reads to one observation per code, resolves every code in a few set-based
   queries, moves the assets by the time of the reads (never by arrival order), and
   writes the observations and the stored answer in the same transaction.
"""

import hashlib
import io
import json
import logging
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from psycopg2 import sql

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import reader_formats, scan_codes
from ..tools.scan_api import MAX_BATCH_ID, ApiError, validate_native_batch

_logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(minutes=5)
_FAR = timedelta(days=36600)  # a due date may lie in the future
DEFAULT_ASYNC_THRESHOLD = 150_000
MODES_AVAILABLE = ("observe", "audit", "checkout", "checkin", "use")


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


def canonical_json(payload):
    """A batch body as JSON text, keys sorted, no white space."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


def payload_hash(payload, canonical=None):
    """Hash of a batch body that ignores key order and white space."""
    canonical = canonical_json(payload) if canonical is None else canonical
    return hashlib.sha256(canonical.encode()).hexdigest()


def parse_read_time(value, now):
    """``(naive UTC datetime, error)`` of a read's timestamp.

    A read without a timestamp happened when the batch arrived (``now``).
    """
    if value is None or value == "":
        return now, None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                return None, reader_formats.TZ_MISSING
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
            if moment > now + FUTURE_TOLERANCE:
                return None, "timestamp in the future"
            return moment, None
    text, error = reader_formats.normalize_timestamp(value)
    if error:
        return None, error
    moment = datetime.fromisoformat(text).astimezone(timezone.utc).replace(tzinfo=None)
    if moment > now + FUTURE_TOLERANCE:
        return None, "timestamp in the future"
    return moment, None


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

    # API ----------------------------------------------------------------------
    @api.model
    def _api_post(
        self, parsed, *, source, device_name=None, idempotency_key=None, raw_body=b""
    ):
        """Everything the batch routes do past transport. ``(status, answer)``."""
        self._api_check_user()
        problems = []
        if source == "native":
            payload = validate_native_batch(parsed)
            device_name = payload.get("device")
        else:
            if idempotency_key and len(idempotency_key) > MAX_BATCH_ID:
                raise ApiError(
                    400,
                    "bad_request",
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
            raise ApiError(
                400,
                "mode_not_available",
                self.env._(
                    "mode %(mode)s is not available yet: only %(modes)s",
                    mode=payload["mode"],
                    modes=", ".join(MODES_AVAILABLE),
                ),
            )
        device = self.env["stock.asset.device"]
        if device_name:
            device = device._find_for_batch(device_name, self.env.user)
            if not device:
                raise ApiError(
                    404,
                    "unknown_device",
                    self.env._("unknown or inactive device %(name)s", name=device_name),
                )
        if not payload["reads"]:
            if source == "epcis":
                # nothing to store: the job tells which events were refused
                return 202, self._epcis_capture_job(payload["batch_id"], None, problems)
            return 200, self._empty_answer(payload["batch_id"])
        company = device.company_id or self.env.company
        status, answer = self._ingest(
            payload, company=company, device=device, source=source
        )
        if status == 409:
            raise ApiError(
                409,
                "batch_conflict",
                self.env._(
                    "batch %(batch)s was already received with another body",
                    batch=payload["batch_id"],
                ),
            )
        if source == "epcis":
            return 202, self._epcis_capture_job(answer["batch_id"], answer, problems)
        return status, answer

    @api.model
    def _api_status(self, batch_id):
        self._api_check_user()
        batch = self.search(
            [
                ("name", "=", batch_id),
                ("company_id", "in", list(self.env.user._get_company_ids())),
            ],
            limit=1,
        )
        if not batch:
            raise ApiError(
                404, "not_found", self.env._("no batch %(batch)s", batch=batch_id)
            )
        return batch._answer()

    @api.model
    def _api_check_user(self):
        if not self.env.user.has_group("stock_asset_tracking.group_asset_user"):
            raise ApiError(
                403,
                "forbidden",
                self.env._("the API key's user is not an asset user"),
            )

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
    def _api_capture_status(self, capture_id):
        """``GET .../epcis/capture/<captureID>``: the job of a stored capture."""
        self._api_check_user()
        batch = self.search(
            [
                ("name", "=", capture_id),
                ("source", "=", "epcis"),
                ("company_id", "in", list(self.env.user._get_company_ids())),
            ],
            limit=1,
        )
        if not batch:
            raise ApiError(
                404,
                "not_found",
                self.env._("no capture job %(capture)s", capture=capture_id),
            )
        # only the stored refusals, not the (large) list of reads
        self.env.cr.execute(
            "SELECT payload::json -> 'capture_errors' FROM stock_asset_scan_batch"
            " WHERE id = %s",
            [batch.id],
        )
        problems = self.env.cr.fetchone()[0] or []
        return self._epcis_capture_job(
            batch.name,
            batch._answer(),
            problems,
            created=batch.create_date,
            finished=batch.done_date,
        )

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
        done = answer is None or answer["status"] == "done"
        now = fields.Datetime.now()
        finished = (finished or now) if done else None
        job = {
            "captureID": capture_id,
            "createdAt": (created or now).isoformat() + "Z",
            "finishedAt": finished and finished.isoformat() + "Z",
            "running": not done,
            "success": done and not errors,
            "captureErrorBehaviour": "proceed",
            "errors": errors,
        }
        if answer is not None:
            job["batch"] = answer
        return job

    # Receiving ----------------------------------------------------------------------
    @api.model
    def _ingest(self, payload, *, company, device=None, source="native"):
        """Store, then apply, one batch. Returns ``(http_status, answer)``.

        The receipt is committed in a transaction of its own before anything is
        processed. The processing runs in a second, fresh transaction (the
        request's snapshot predates the receipt), at READ COMMITTED so that a
        replay or a batch touching the same assets waits for the row locks and
        then reads what was committed, instead of failing to serialize.
        """
        batch_id, conflict, state, created = self._receive(
            payload, company=company, device=device, source=source
        )
        if conflict:
            return 409, None
        batch = self.browse(batch_id)
        if state == "queued":
            # a replay of a batch still queued is a duplicate too
            return 202, self._answer_in_new_cursor(batch_id, duplicate=not created)
        if state != "received":
            return 200, self._answer_in_new_cursor(batch_id, duplicate=True)
        with self.env.registry.cursor() as cr:
            if not self.env.registry.in_test_mode():
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            answer = batch.with_env(self.env(cr=cr))._process()
        return 200, answer

    def _answer_in_new_cursor(self, batch_id, duplicate=False):
        with self.env.registry.cursor() as cr:
            return self.with_env(self.env(cr=cr)).browse(batch_id)._answer(duplicate)

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
        now = fields.Datetime.now()
        uid = self.env.uid
        reads = len(payload["reads"])
        state = "queued" if reads > self._async_threshold() else "received"
        with self.env.registry.cursor() as cr:
            cr.execute(
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
                    key,
                    company.id,
                    uid,
                    device.id if device else None,
                    source,
                    payload.get("mode") or "observe",
                    payload.get("location"),
                    digest,
                    canonical,
                    state,
                    reads,
                    uid,
                    now,
                    uid,
                    now,
                ],
            )
            row = cr.fetchone()
            if row:
                if state == "queued":
                    self.env(cr=cr).ref(
                        "stock_asset_tracking.ir_cron_process_scan_batches"
                    )._trigger()
                return row[0], False, state, True
            cr.execute(
                "SELECT id, body_hash, state FROM stock_asset_scan_batch"
                " WHERE name = %s AND company_id = %s",
                [key, company.id],
            )
            batch_id, stored_hash, stored_state = cr.fetchone()
        return batch_id, stored_hash != digest, stored_state, False

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
    def _answer(self, duplicate=False):
        """The JSON answer of the contract for this batch."""
        self.ensure_one()
        if self.state == "done" and self.result:
            answer = json.loads(self.result)
            answer["duplicate"] = duplicate
            return answer
        answer = {
            "batch_id": self.name,
            "duplicate": duplicate,
            "status": {"received": "received", "queued": "queued"}.get(
                self.state, self.state
            ),
            "reads": self.read_count,
            "unique_codes": self.unique_count,
            "matched": self.matched_count,
            "unknown": self.unknown_count,
            "invalid": self.invalid_count,
            "results": [],
        }
        if self.state == "failed":
            answer["message"] = self.error or ""
        return answer

    # Processing ----------------------------------------------------------------------
    def _lock_for_processing(self):
        """Lock the batch row; False when another transaction already did it."""
        self.ensure_one()
        self.env.cr.execute(
            "SELECT state FROM stock_asset_scan_batch WHERE id = %s FOR UPDATE",
            [self.id],
        )
        self.invalidate_recordset()
        return self.state in ("received", "queued")

    def _process(self):
        """Apply the batch (once), store and return its answer."""
        self.ensure_one()
        if not self._lock_for_processing():
            return self._answer(duplicate=True)
        started = datetime.now()
        payload = json.loads(self.payload)
        context = self._prepare_context(payload)
        codes, order = self._collapse_reads(payload.get("reads") or [], context)
        results = self._resolve(codes, order, context)
        moved = self._apply_mode(results, context)
        observations = self._store_observations(results, context)
        counts = defaultdict(int)
        for item in results:
            counts[item["status"]] += 1
        answer = {
            "batch_id": self.name,
            "duplicate": False,
            "status": "done",
            "reads": len(payload.get("reads") or []),
            "unique_codes": len(results),
            "matched": counts["matched"],
            "unknown": counts["unknown"],
            "invalid": counts["invalid"],
            "results": [item["answer"] for item in results],
        }
        # the outcome is bookkeeping of the service, not an edit by the poster, who
        # may only read batches
        batch_sudo = self.sudo()
        batch_sudo.write(
            {
                "state": "done",
                "location_id": context["location"].id,
                "read_count": answer["reads"],
                "unique_count": answer["unique_codes"],
                "matched_count": answer["matched"],
                "unknown_count": answer["unknown"],
                "invalid_count": answer["invalid"],
                "moved_count": moved,
                "result": json.dumps(answer, separators=(",", ":")),
                "done_date": fields.Datetime.now(),
                "duration": (datetime.now() - started).total_seconds(),
            }
        )
        batch_sudo.message_post(
            body=self.env._(
                "%(reads)s reads of %(codes)s codes: %(matched)s matched "
                "(%(moved)s moved), %(unknown)s unknown, %(invalid)s invalid.",
                reads=answer["reads"],
                codes=answer["unique_codes"],
                matched=answer["matched"],
                moved=moved,
                unknown=answer["unknown"],
                invalid=answer["invalid"],
            ),
            subtype_xmlid="mail.mt_note",
        )
        _logger.info(
            "scan batch %s: %s reads, %s codes, %s matched, %s moved, %s observations",
            self.name,
            answer["reads"],
            answer["unique_codes"],
            answer["matched"],
            moved,
            observations,
        )
        return answer

    def _prepare_context(self, payload):
        """Who, where and when: what every read of the batch shares."""
        user = self.user_id or self.env.user
        location = self.env["stock.location"]
        location_error = None
        if payload.get("location"):
            location = self.env["stock.location"]._find_for_scan(
                payload["location"], user
            )
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
        now = context["now"]
        # a batch that names a location it may not use is not at the device's place
        device = context["device"] if not context["location_error"] else None
        batch_location = context["location"]
        antenna_locations = {}
        # a server-side caller (EPCIS polling) places each read itself: a context
        # flag, which no HTTP caller can set
        read_places = {}
        if self.env.context.get("scan_batch_read_locations"):
            ids = {
                read["location_id"]
                for read in reads
                if isinstance(read, dict) and isinstance(read.get("location_id"), int)
            }
            read_places = {
                location.id: location
                for location in self.env["stock.location"].browse(sorted(ids))
            }
        codes = {}
        order = []
        for read in reads:
            if not isinstance(read, dict):
                read = {"code": read}
            raw_code = read.get("code")
            code = (
                scan_codes.collapse_key(scan_codes.strip_code(raw_code))
                if isinstance(raw_code, str)
                else ""
            )
            entry = codes.get(code)
            if entry is None:
                entry = codes[code] = {
                    "code": code,
                    "raw": raw_code,
                    "count": 0,
                    "valid": 0,
                    "first": None,
                    "last": None,
                    "rssi": None,
                    "antennas": set(),
                    "location": None,
                    "error": None,
                }
                order.append(code)
            entry["count"] += 1
            moment, error = parse_read_time(
                read.get("timestamp") or read.get("time"), now
            )
            if error:
                entry["error"] = error
                continue
            entry["valid"] += 1
            antenna = read.get("antenna")
            if isinstance(antenna, int) and not isinstance(antenna, bool):
                entry["antennas"].add(antenna)
            else:
                antenna = None
            rssi = read.get("rssi")
            if isinstance(rssi, int | float) and not isinstance(rssi, bool):
                if entry["rssi"] is None or rssi > entry["rssi"]:
                    entry["rssi"] = float(rssi)
            if entry["first"] is None or moment < entry["first"]:
                entry["first"] = moment
            if entry["last"] is None or moment >= entry["last"]:
                entry["last"] = moment
                if read_places.get(read.get("location_id")):
                    entry["location"] = read_places[read["location_id"]]
                elif batch_location:
                    entry["location"] = batch_location
                elif device:
                    if antenna not in antenna_locations:
                        antenna_locations[antenna] = device._location_for_antenna(
                            antenna
                        )
                    entry["location"] = antenna_locations[antenna] or None
        return codes, order

    def _resolve(self, codes, order, context):
        """Classify every code, find its asset with set-based queries."""
        classified = {code: scan_codes.classify(code) for code in order}
        wanted = defaultdict(set)
        for scan in classified.values():
            for kind, value in scan.keys:
                wanted[kind].add(value)
        found = self.env["stock.asset"]._find_by_scan_keys(
            wanted, context["company_ids"]
        )
        preferred = context["company"].id
        results = []
        for code in order:
            entry = codes[code]
            scan = classified[code]
            item = {"entry": entry, "scan": scan, "asset": None, "status": "unknown"}
            message = None
            if not code:
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
                "code": entry["raw"] if isinstance(entry["raw"], str) else code,
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
            companies[location.id] = location.company_id.id
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
        if ids:
            cr.execute(
                """
                UPDATE stock_asset AS a
                   SET location_id = v.location_id,
                       last_seen_date = v.seen,
                       write_uid = %s,
                       write_date = (now() at time zone 'UTC')
                  FROM unnest(%s::int[], %s::int[], %s::timestamp[])
                       AS v(id, location_id, seen)
                 WHERE a.id = v.id
                """,
                [self.env.uid, ids, locations, times],
            )
            assets = self.env["stock.asset"].browse(ids)
            assets.invalidate_recordset(["location_id", "last_seen_date"])
            assets.modified(["location_id", "last_seen_date"])
        return moved

    def _store_observations(self, results, context):
        """One observation row per code, in one statement."""
        if not results:
            return 0
        columns = defaultdict(list)
        device_id = context["device"].id or None
        for item in results:
            entry = item["entry"]
            asset = item["asset"]
            location = entry["location"]
            # the code as reads of it collapse (upper-case hex EPC, no blanks): the
            # key triage groups and relinks unknown codes by
            columns["code"].append((entry["code"] or item["answer"]["code"])[:256])
            columns["status"].append(item["status"])
            columns["message"].append(item["message"])
            columns["asset_id"].append(asset["id"] if asset else None)
            columns["company_id"].append(
                asset["company_id"] if asset else context["company"].id
            )
            columns["epc_uri"].append(item["scan"].epc_uri)
            columns["gs1"].append(item["scan"].gs1)
            columns["location_id"].append(location.id if location else None)
            columns["previous_location_id"].append(item.get("previous_location_id"))
            columns["first_seen"].append(entry["first"])
            columns["last_seen"].append(entry["last"])
            columns["read_count"].append(entry["count"])
            columns["rssi"].append(entry["rssi"])
            columns["antennas"].append(
                ",".join(map(str, sorted(entry["antennas"]))) or None
            )
            columns["applied"].append(bool(item.get("applied")))
            columns["moved"].append(bool(item.get("moved")))
        # the rows' shared columns, then one COPY: PostgreSQL's bulk path parses
        # plain text instead of 16 array literals of 20,000 values (about half
        # the time of ``INSERT ... FROM unnest`` for a large batch)
        count = len(results)
        now = self.env.cr.now()
        columns["batch_id"] = [self.id] * count
        columns["device_id"] = [device_id] * count
        columns["mode"] = [context["mode"]] * count
        columns["triage_state"] = [
            "new" if status == "unknown" else None for status in columns["status"]
        ]
        for name in ("create_uid", "write_uid"):
            columns[name] = [self.env.uid] * count
        for name in ("create_date", "write_date"):
            columns[name] = [now] * count
        names = list(columns)
        buffer = io.StringIO()
        buffer.writelines(
            "\t".join(map(_copy_text, row)) + "\n"
            for row in zip(*(columns[name] for name in names), strict=True)
        )
        buffer.seek(0)
        self.env.cr.copy_expert(
            sql.SQL("COPY stock_asset_observation ({}) FROM STDIN")
            .format(sql.SQL(", ").join(map(sql.Identifier, names)))
            .as_string(self.env.cr._obj),
            buffer,
        )
        self.env["stock.asset.observation"].invalidate_model()
        return len(results)

    # Crons ----------------------------------------------------------------------
    @api.model
    def _cron_process_pending(self, stale_minutes=10):
        """Finish queued batches, and received ones left behind by a crash."""
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
        cron = self.env["ir.cron"]
        for done, batch in enumerate(batches, start=1):
            try:
                with self.env.cr.savepoint():
                    batch.with_user(batch.user_id or self.env.user).with_company(
                        batch.company_id
                    )._process()
            except (UserError, ValueError, KeyError, TypeError) as error:
                batch.sudo().write({"state": "failed", "error": str(error)})
                _logger.info("scan batch %s failed: %s", batch.name, error)
            cron._notify_progress(done=done, remaining=len(batches) - done)
        return True

    # Actions ----------------------------------------------------------------------
    def action_process(self):
        """Process received or queued batches now (from the list)."""
        for batch in self.filtered(lambda b: b.state in ("received", "queued")):
            batch._process()
        return True

    def action_view_observations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_observation_action"
        )
        action["domain"] = [("batch_id", "=", self.id)]
        action["context"] = {}
        return action
