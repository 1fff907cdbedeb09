# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""EPCIS repositories polled over the SOAP query interface (see README,
"EPCIS repositories").

A poll never holds a database transaction open across the network:

1. :meth:`_poll_begin` marks the repository ``polling`` and reads its settings in a
   transaction of its own, committed before any call goes out;
2. the zeep calls run outside any transaction, each with a timeout; the answer
   is paged by ``recordTime`` window, halved when the server answers
   ``QueryTooLargeException``;
3. each page is applied by :meth:`_apply_page` in a fresh transaction: the
   events go through the scan pipeline of the HTTP API (one batch per mode,
   each read at the stock location its read point is mapped to), their keys
   are stored (an event seen twice applies once) and the bookmark moves, all
   in that one commit;
4. a failure (network, timeout, SOAP fault, a WSDL that is not EPCIS) is
   written on the repository with its reason and the next attempt is pushed
   back, longer after each consecutive failure; the bookmark stays, so nothing
   is lost.
"""

import base64
import hashlib
import logging
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import epcis_soap, epcis_xml

_logger = logging.getLogger(__name__)

BACKOFF_MAX_MINUTES = 360
MIN_WINDOW = timedelta(seconds=1)
MAX_PAGES_PER_RUN = 200
STALE_POLL = timedelta(minutes=30)
MAX_REASONS = 20
_POLLED_COLUMNS = (
    "event_key",
    "kind",
    "state",
    "record_time",
    "event_time",
    "epcis_location",
    "epc_count",
    "batch_id",
    "message",
)


def _utc(text):
    """Naive UTC datetime of an ISO ``...Z`` timestamp (None if unreadable)."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


class StockAssetEpcisRepository(models.Model):
    _name = "stock.asset.epcis.repository"
    _inherit = ["mail.thread"]
    _description = "EPCIS Repository"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Poll As",
        required=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        help="The events are applied as this user, within their companies, like "
        "a batch posted with their API key.",
    )
    endpoint_url = fields.Char(
        string="Endpoint URL",
        required=True,
        tracking=True,
        help="The SOAP address of the EPCIS query service.",
    )
    wsdl_url = fields.Char(
        string="WSDL URL",
        tracking=True,
        help="Where the query WSDL is read: GS1's EPCglobal-epcis-query WSDL "
        "published by the server (often the endpoint followed by ?wsdl).",
    )
    wsdl_file = fields.Binary(
        string="WSDL File",
        attachment=True,
        help="An uploaded WSDL, instead of a URL; its relative imports are read "
        "from the endpoint's server.",
    )
    wsdl_filename = fields.Char(string="WSDL File Name")
    auth_type = fields.Selection(
        [
            ("none", "None"),
            ("basic", "User name and password"),
            ("certificate", "Client certificate"),
        ],
        string="Authentication",
        required=True,
        default="none",
        groups="stock_asset_tracking.group_asset_manager",
    )
    username = fields.Char(
        string="User Name", groups="stock_asset_tracking.group_asset_manager"
    )
    password = fields.Char(groups="stock_asset_tracking.group_asset_manager")
    client_certificate = fields.Binary(
        string="Client Certificate (PEM)",
        attachment=False,
        groups="stock_asset_tracking.group_asset_manager",
    )
    client_key = fields.Binary(
        string="Private Key (PEM)",
        attachment=False,
        groups="stock_asset_tracking.group_asset_manager",
    )
    verify_tls = fields.Boolean(
        string="Verify TLS Certificate",
        default=True,
        groups="stock_asset_tracking.group_asset_manager",
    )
    timeout = fields.Integer(
        string="Timeout (s)",
        default=30,
        required=True,
        help="How long one call (loading the WSDL, or one operation) may take.",
    )
    poll_interval = fields.Integer(
        string="Poll Every (min)", default=15, required=True, tracking=True
    )
    max_window_hours = fields.Integer(
        string="Largest Window (h)",
        default=24,
        required=True,
        help="The widest recordTime window asked in one poll call; halved when "
        "the server answers that the query is too large.",
    )
    location_map_ids = fields.One2many(
        "stock.asset.epcis.location",
        "repository_id",
        string="Location Mappings",
        copy=True,
    )
    bookmark = fields.Datetime(
        string="Poll From",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="The next poll asks for the events recorded from this time on "
        "(GE_recordTime). It only moves past events that were applied: an event "
        "refused (e.g. at an unmapped read point) holds it until the event "
        "applies or is skipped.",
    )
    polled_until = fields.Datetime(
        readonly=True, help="The end of the last recordTime window fetched."
    )
    state = fields.Selection(
        [
            ("new", "Not polled yet"),
            ("polling", "Polling"),
            ("ok", "OK"),
            ("warning", "Events refused"),
            ("error", "Failing"),
        ],
        required=True,
        default="new",
        readonly=True,
        copy=False,
        tracking=True,
    )
    poll_started = fields.Datetime(readonly=True, copy=False)
    last_poll_date = fields.Datetime(string="Last Poll", readonly=True, copy=False)
    last_success_date = fields.Datetime(
        string="Last Successful Poll", readonly=True, copy=False
    )
    next_poll_date = fields.Datetime(
        string="Next Poll", readonly=True, copy=False, index=True
    )
    failure_count = fields.Integer(
        string="Consecutive Failures", readonly=True, copy=False
    )
    last_error = fields.Text(readonly=True, copy=False)
    last_message = fields.Text(string="Last Poll Result", readonly=True, copy=False)
    standard_version = fields.Char(readonly=True, copy=False)
    vendor_version = fields.Char(readonly=True, copy=False)
    query_names = fields.Char(readonly=True, copy=False)
    last_test_date = fields.Datetime(
        string="Last Connection Test", readonly=True, copy=False
    )
    polled_event_ids = fields.One2many(
        "stock.asset.epcis.polled.event", "repository_id", string="Events"
    )
    applied_count = fields.Integer(compute="_compute_event_counts")
    rejected_count = fields.Integer(compute="_compute_event_counts")

    _sql_constraints = [
        (
            "timeout_positive",
            "CHECK(timeout > 0 AND timeout <= 600)",
            "The timeout must be between 1 and 600 seconds.",
        ),
        (
            "poll_interval_positive",
            "CHECK(poll_interval > 0)",
            "The poll interval must be at least one minute.",
        ),
        (
            "max_window_positive",
            "CHECK(max_window_hours > 0)",
            "The largest window must be at least one hour.",
        ),
    ]

    def _compute_event_counts(self):
        counts = {
            (repository.id, state): count
            for repository, state, count in self.env[
                "stock.asset.epcis.polled.event"
            ]._read_group(
                [
                    ("repository_id", "in", self.ids),
                    ("state", "in", ("applied", "rejected")),
                ],
                ["repository_id", "state"],
                ["__count"],
            )
        }
        for repository in self:
            repository.applied_count = counts.get((repository.id, "applied"), 0)
            repository.rejected_count = counts.get((repository.id, "rejected"), 0)

    @api.constrains("user_id")
    def _check_user(self):
        for repository in self:
            if not repository.user_id.has_group(
                "stock_asset_tracking.group_asset_user"
            ):
                raise ValidationError(
                    self.env._(
                        "Poll As of %(name)s: %(user)s must be an asset user, as the "
                        "events are applied with their rights.",
                        name=repository.name,
                        user=repository.user_id.name,
                    )
                )

    @api.constrains("endpoint_url", "wsdl_url")
    def _check_urls(self):
        for repository in self:
            for field in ("endpoint_url", "wsdl_url"):
                value = repository[field]
                if value and not value.lower().startswith(("http://", "https://")):
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(name)s must be an http:// or https:// "
                            "URL, got %(value)s.",
                            field=self._fields[field].string,
                            name=repository.name,
                            value=value,
                        )
                    )

    # Actions ------------------------------------------------------------------------
    def action_test_connection(self):
        """getStandardVersion, getVendorVersion, getQueryNames (no transaction
        is written to while the calls run)."""
        self.ensure_one()
        self.check_access("write")
        self.env.flush_all()
        settings = self._client_settings()
        try:
            with self._client(settings) as client:
                answer = client.check()
        except epcis_soap.EpcisSoapError as error:
            self._write_in_new_cursor(
                {"last_error": error.message, "last_test_date": fields.Datetime.now()}
            )
            raise UserError(
                self.env._(
                    "Connection test of %(name)s failed: %(reason)s",
                    name=self.name,
                    reason=error.message,
                )
            ) from error
        values = {
            "standard_version": answer["standard_version"],
            "vendor_version": answer["vendor_version"],
            "query_names": ", ".join(answer["query_names"]),
            "last_test_date": fields.Datetime.now(),
        }
        if "SimpleEventQuery" not in answer["query_names"]:
            message = self.env._(
                "%(name)s answers, but offers no SimpleEventQuery (queries: "
                "%(names)s): it cannot be polled.",
                name=self.name,
                names=values["query_names"] or "-",
            )
            self._write_in_new_cursor(dict(values, last_error=message))
            raise UserError(message)
        self._write_in_new_cursor(values)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": self.env._("Connection OK"),
                "message": self.env._(
                    "EPCIS %(standard)s, %(vendor)s; queries: %(names)s",
                    standard=values["standard_version"],
                    vendor=values["vendor_version"] or "-",
                    names=values["query_names"],
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_poll_now(self):
        """Poll now; the outcome is on the repository and in a notification."""
        self.ensure_one()
        self.check_access("write")
        outcome = self._poll()
        if outcome == "busy":
            kind, message = (
                "warning",
                self.env._("A poll of this repository is running."),
            )
        elif outcome == "failed":
            kind, message = "danger", self.last_error
        else:
            kind = "warning" if self.state == "warning" else "success"
            message = self.last_message
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "title": self.name,
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_skip_rejected(self):
        """Give up the refused events: the bookmark may move past them."""
        for repository in self:
            rejected = repository.polled_event_ids.filtered(
                lambda event: event.state == "rejected"
            )
            rejected.write({"state": "skipped"})
            values = {
                "state": "ok" if repository.state == "warning" else repository.state
            }
            if (
                repository.polled_until
                and repository.polled_until > repository.bookmark
            ):
                values["bookmark"] = repository.polled_until
            repository.write(values)
        return True

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_epcis_polled_event_action"
        )
        action["domain"] = [("repository_id", "=", self.id)]
        action["context"] = {"search_default_filter_rejected": 0}
        return action

    # Cron ---------------------------------------------------------------------------
    @api.model
    def _cron_poll(self):
        """Poll the repositories that are due; a failing one never stops the others."""
        now = fields.Datetime.now()
        # every company's repositories: the cron's user need not be in them all
        repositories = self.sudo().search(
            [
                "|",
                ("next_poll_date", "=", False),
                ("next_poll_date", "<=", now),
            ]
        )
        cron = self.env["ir.cron"]
        for done, repository in enumerate(repositories, start=1):
            repository.with_company(repository.company_id)._poll()
            cron._notify_progress(done=done, remaining=len(repositories) - done)
        return True

    # Polling ------------------------------------------------------------------------
    def _poll(self, now=None):
        """Poll this repository once: every page since the bookmark, applied.

        Returns ``"ok"``, ``"busy"`` (another poll holds it) or ``"failed"``;
        a failure is recorded on the repository, never raised.
        """
        self.ensure_one()
        now = now or fields.Datetime.now()
        # what this transaction changed is what the poll's own cursors must see
        self.env.flush_all()
        try:
            settings = self._poll_begin(now)
        except UserError as error:
            self._poll_failed(error.args[0], now)
            return "failed"
        if settings is None:
            return "busy"
        summary = {
            "applied": 0,
            "duplicates": 0,
            "rejected": 0,
            "declared": 0,
            "reasons": [],
        }
        largest = timedelta(hours=settings["max_window_hours"])
        start = settings["bookmark"]
        try:
            with self._client(settings) as client:
                hold = None
                window = min(now - start, largest)
                pages = 0
                while start < now and pages < MAX_PAGES_PER_RUN:
                    end = min(now, start + max(window, MIN_WINDOW))
                    try:
                        event_list = client.poll_object_events(start, end)
                    except epcis_soap.QueryTooLarge as error:
                        if end - start <= MIN_WINDOW:
                            raise epcis_soap.EpcisSoapError(
                                "fault",
                                self.env._(
                                    "%(reason)s, even for one second of recordTime "
                                    "from %(start)s",
                                    reason=error.message,
                                    start=start,
                                ),
                            ) from error
                        window = (end - start) / 2
                        continue
                    events = (
                        epcis_xml.parse_event_elements(event_list)
                        if event_list is not None
                        else []
                    )
                    hold = self._apply_page(events, end, hold, summary)
                    start = end
                    pages += 1
                    window = min(window * 2, largest)
        except epcis_soap.EpcisSoapError as error:
            self._poll_failed(error.message, now)
            return "failed"
        except Exception as error:
            _logger.exception("EPCIS repository %s: poll failed", self.name)
            self._poll_failed(
                self.env._("unexpected error: %(error)s", error=error), now
            )
            return "failed"
        self._poll_succeeded(summary, now, finished=start >= now)
        return "ok"

    def _poll_begin(self, now):
        """Claim the repository for one poll in a committed transaction of its
        own; its settings, or None when another poll is running."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                """
                SELECT id FROM stock_asset_epcis_repository
                 WHERE id = %s
                   AND (state != 'polling' OR poll_started IS NULL
                        OR poll_started < %s)
                   FOR UPDATE SKIP LOCKED
                """,
                [self.id, now - STALE_POLL],
            )
            if not cr.fetchone():
                return None
            repository = self.with_env(self.env(cr=cr))
            settings = repository._client_settings()
            settings.update(
                bookmark=repository.bookmark,
                max_window_hours=repository.max_window_hours,
            )
            repository.sudo().write({"state": "polling", "poll_started": now})
        self.invalidate_recordset()
        return settings

    def _client_settings(self):
        """What the SOAP client needs, credentials included (read as superuser:
        they are hidden from everybody but asset managers)."""
        self.ensure_one()
        secret = self.sudo()
        wsdl_bytes = base64.b64decode(secret.wsdl_file) if secret.wsdl_file else None
        settings = {
            "endpoint": secret.endpoint_url,
            "wsdl_url": None if wsdl_bytes else (secret.wsdl_url or None),
            "wsdl_bytes": wsdl_bytes,
            "timeout": secret.timeout,
            "verify": secret.verify_tls,
        }
        if not settings["wsdl_url"] and not wsdl_bytes:
            raise UserError(
                self.env._(
                    "%(name)s has no WSDL: set the WSDL URL or upload the WSDL file.",
                    name=self.name,
                )
            )
        if secret.auth_type == "basic":
            settings.update(username=secret.username, password=secret.password)
        elif secret.auth_type == "certificate":
            if not secret.client_certificate:
                raise UserError(
                    self.env._(
                        "%(name)s uses a client certificate: upload it (PEM).",
                        name=self.name,
                    )
                )
            settings.update(
                certificate=base64.b64decode(secret.client_certificate),
                private_key=base64.b64decode(secret.client_key)
                if secret.client_key
                else None,
            )
        return settings

    @api.model
    def _client(self, settings):
        return epcis_soap.EpcisQueryClient(
            settings["endpoint"],
            wsdl_url=settings.get("wsdl_url"),
            wsdl_bytes=settings.get("wsdl_bytes"),
            username=settings.get("username"),
            password=settings.get("password"),
            certificate=settings.get("certificate"),
            private_key=settings.get("private_key"),
            timeout=settings["timeout"],
            verify=settings.get("verify", True),
        )

    def _write_in_new_cursor(self, values):
        with self.env.registry.cursor() as cr:
            # bound to a name: the commit flushes through the environments of
            # the transaction that are still alive
            repository = self.with_env(self.env(cr=cr)).sudo()
            repository.write(values)
        self.invalidate_recordset()

    def _poll_failed(self, reason, now):
        """Record a failed poll; the next attempt waits longer each time."""
        with self.env.registry.cursor() as cr:
            repository = self.with_env(self.env(cr=cr)).sudo()
            failures = repository.failure_count + 1
            delay = min(2 ** (failures - 1), BACKOFF_MAX_MINUTES)
            repository.write(
                {
                    "state": "error",
                    "failure_count": failures,
                    "last_poll_date": now,
                    "last_error": reason,
                    "next_poll_date": now + timedelta(minutes=delay),
                    "poll_started": False,
                }
            )
            _logger.info(
                "EPCIS repository %s: poll failed (%s in a row, next in %s min): %s",
                repository.name,
                failures,
                delay,
                reason,
            )
        self.invalidate_recordset()

    def _poll_succeeded(self, summary, now, finished=True):
        """Record a poll that went through; what it refused or noticed (an event
        declared erroneous after it was applied) is its ``last_error``."""
        reasons = summary["reasons"]
        shown = reasons[:MAX_REASONS]
        if len(reasons) > MAX_REASONS:
            shown.append(
                self.env._("... and %(count)s more", count=len(reasons) - MAX_REASONS)
            )
        with self.env.registry.cursor() as cr:
            repository = self.with_env(self.env(cr=cr)).sudo()
            message = self.env._(
                "%(applied)s events applied, %(duplicates)s already applied, "
                "%(rejected)s refused, %(declared)s error declarations.",
                applied=summary["applied"],
                duplicates=summary["duplicates"],
                rejected=summary["rejected"],
                declared=summary["declared"],
            )
            repository.write(
                {
                    "state": "warning" if reasons else "ok",
                    "failure_count": 0,
                    "last_poll_date": now,
                    "last_success_date": now,
                    "last_message": message,
                    "last_error": "\n".join(shown) or False,
                    # a run that stopped at its page limit goes on at the next cron
                    "next_poll_date": now + timedelta(minutes=repository.poll_interval)
                    if finished
                    else now,
                    "poll_started": False,
                }
            )
        self.invalidate_recordset()

    # Applying a page ----------------------------------------------------------------
    def _apply_page(self, events, end, hold, summary):
        """Apply one page of events in a transaction of its own; returns the
        earliest recordTime the bookmark must stay at (or None)."""
        with self.env.registry.cursor() as cr:
            if not self.env.registry.in_test_mode():
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            repository = self.with_env(self.env(cr=cr))
            hold = repository._apply_events(events, hold, summary)
            values = {"polled_until": end, "bookmark": hold or end}
            repository.sudo().write(values)
        self.invalidate_recordset()
        return hold

    def _apply_events(self, events, hold, summary):
        self.ensure_one()
        Polled = self.env["stock.asset.epcis.polled.event"]
        keys = [event["key"] for event in events if event.get("key")]
        known = {}
        if keys:
            self.env.cr.execute(
                "SELECT event_key, kind, state FROM stock_asset_epcis_polled_event"
                " WHERE repository_id = %s AND event_key = ANY(%s)",
                [self.id, keys],
            )
            known = {(key, kind): state for key, kind, state in self.env.cr.fetchall()}
        places = {
            mapping.epcis_location: mapping.location_id
            for mapping in self.location_map_ids
        }
        rows = {}  # (key, kind) -> row values
        groups = {}  # mode -> events
        reasons = summary["reasons"]

        def refuse(event, message):
            # no f-string inside the call: the .pot extractor evaluates them
            key = event.get("key") or f"#{event['index'] + 1}"
            reasons.append(
                self.env._("event %(key)s: %(message)s", key=key, message=message)
            )
            summary["rejected"] += 1
            if event.get("key"):
                rows[(event["key"], "event")] = self._polled_row(
                    event, "rejected", message=message
                )
            moment = _utc(event.get("record_time"))
            if moment is not None:
                moment = moment.replace(microsecond=0)
                return moment if hold is None or moment < hold else hold
            return hold

        for event in events:
            key = event.get("key")
            if key is None:
                hold = refuse(event, "; ".join(event["problems"]))
                continue
            declaration = event.get("declaration")
            if declaration is not None:
                if known.get((key, "declaration")) or (key, "declaration") in rows:
                    summary["duplicates"] += 1
                    continue
                summary["declared"] += 1
                reason = declaration.get("reason") or "-"
                original = known.get((key, "event"))
                note = self.env._(
                    "declared erroneous on %(date)s (reason: %(reason)s)",
                    date=declaration.get("declaration_time") or "-",
                    reason=reason,
                )
                pending = rows.get((key, "event"))
                if pending and pending["state"] == "applied":
                    # the event came earlier in this very page: never apply it
                    pending_group = groups.get(pending.pop("group"))
                    if pending_group:
                        pending_group[:] = [e for e in pending_group if e["key"] != key]
                if original == "applied":
                    note = self.env._(
                        "%(note)s after it was applied: its effect stays, "
                        "correct the assets by hand",
                        note=note,
                    )
                    reasons.append(
                        self.env._("event %(key)s: %(note)s", key=key, note=note)
                    )
                else:
                    rows[(key, "event")] = self._polled_row(
                        event, "retracted", message=note
                    )
                rows[(key, "declaration")] = self._polled_row(
                    event, "declared", kind="declaration", message=note
                )
                continue
            state = known.get((key, "event"))
            if state in ("applied", "skipped", "retracted") or (
                (key, "event") in rows and rows[(key, "event")]["state"] != "rejected"
            ):
                summary["duplicates"] += 1
                continue
            if event["problems"]:
                hold = refuse(event, "; ".join(event["problems"]))
                continue
            place = event.get("biz_location") or event.get("read_point")
            location = places.get(event.get("biz_location")) or places.get(
                event.get("read_point")
            )
            if not place:
                hold = refuse(
                    event,
                    self.env._("the event names no read point or business location"),
                )
                continue
            if not location:
                hold = refuse(
                    event,
                    self.env._(
                        "read point / business location %(place)s is not mapped to a "
                        "stock location on the repository",
                        place=" / ".join(
                            filter(
                                None,
                                (event.get("read_point"), event.get("biz_location")),
                            )
                        ),
                    ),
                )
                continue
            event["location_id"] = location.id
            group_key = event["mode"]
            groups.setdefault(group_key, []).append(event)
            rows[(key, "event")] = dict(
                self._polled_row(event, "applied"), group=group_key
            )
        for mode, group in groups.items():
            if not group:
                continue
            batch = self._ingest_group(mode, group)
            for event in group:
                rows[(event["key"], "event")]["batch_id"] = batch.id
            summary["applied"] += len(group)
        if rows:
            self._store_polled(list(rows.values()))
        Polled.invalidate_model()
        return hold

    def _polled_row(self, event, state, kind="event", message=None):
        return {
            "event_key": event["key"],
            "kind": kind,
            "state": state,
            "record_time": _utc(event.get("record_time")),
            "event_time": _utc(event.get("event_time")),
            "epcis_location": event.get("biz_location")
            or event.get("read_point")
            or None,
            "epc_count": len(event.get("epcs") or ()),
            "batch_id": None,
            "message": message,
        }

    def _ingest_group(self, mode, events):
        """One scan batch of the events of a page in one mode; each read is at
        the stock location its event's place is mapped to."""
        reads = []
        for event in events:
            for read in epcis_xml.event_reads(event):
                entry = {
                    "code": read["code"],
                    "event_id": read["event_id"],
                    "location_id": event["location_id"],
                }
                if read.get("timestamp"):
                    entry["timestamp"] = read["timestamp"]
                reads.append(entry)
        digest = hashlib.sha256(
            "\n".join(sorted(event["key"] for event in events)).encode()
        ).hexdigest()[:32]
        payload = {
            "batch_id": f"epcis-poll:{self.id}:{digest}",
            "device": None,
            "mode": mode,
            "reads": reads,
        }
        Batch = (
            self.env["stock.asset.scan.batch"]
            .with_user(self.user_id)
            .with_company(self.company_id)
            .with_context(scan_batch_read_locations=True)
        )
        batch_id, _conflict, state, _created = Batch._receive(
            payload, company=self.company_id, source="epcis"
        )
        batch = Batch.browse(batch_id)
        if state in ("received", "queued"):
            batch._process()
        return batch

    def _store_polled(self, rows):
        """Upsert the event keys of a page; an applied, skipped or retracted
        event keeps its state."""
        self.env.cr.execute(
            """
            INSERT INTO stock_asset_epcis_polled_event
                (event_key, kind, state, record_time, event_time, epcis_location,
                 epc_count, batch_id, message, repository_id, company_id,
                 create_uid, create_date, write_uid, write_date)
            SELECT v.*, %s, %s, %s, now() at time zone 'UTC', %s,
                   now() at time zone 'UTC'
              FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[],
                          %s::timestamp[], %s::timestamp[], %s::varchar[],
                          %s::int[], %s::int[], %s::text[]) AS v
            ON CONFLICT (repository_id, event_key, kind) DO UPDATE
               SET state = EXCLUDED.state,
                   message = EXCLUDED.message,
                   batch_id = EXCLUDED.batch_id,
                   write_date = EXCLUDED.write_date
             WHERE stock_asset_epcis_polled_event.state = 'rejected'
                OR (EXCLUDED.state = 'retracted'
                    AND stock_asset_epcis_polled_event.state != 'applied')
            """,
            [self.id, self.company_id.id, self.env.uid, self.env.uid]
            + [[row[name] for row in rows] for name in _POLLED_COLUMNS],
        )
