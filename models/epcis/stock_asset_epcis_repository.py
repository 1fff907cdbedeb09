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
   events go through the scan pipeline of the HTTP API (scan batches created
   and processed in that same transaction, one per mode, each read at the
   stock location its read point is mapped to), their keys are stored (an
   event seen twice applies once; refused ones with their reason) and the
   bookmark moves, all in that one commit;
4. a failure (network, timeout, SOAP fault, a WSDL that is not EPCIS, a host
   the server may not reach) is written on the repository with its reason and
   the next attempt is pushed back, longer after each consecutive failure; the
   bookmark stays, so nothing is lost.

Each poll asks from the bookmark minus ``poll_overlap_seconds`` (events a
repository commits late, with an earlier recordTime, are still seen; the keys
make sure nothing applies twice). A bad event costs only itself: it is stored
``refused`` or ``error`` with its reason, reported, and the bookmark moves on.
"""

import base64
import hashlib
import logging
from datetime import datetime, timedelta, timezone

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY

from ...tools import epcis_soap, epcis_xml
from ...tools.private_path import private_path
from ...tools.scan_api import canonical_json, payload_hash
from ..common import READ_LOCATIONS_PATH, own_transaction, records_action

_logger = logging.getLogger(__name__)

BACKOFF_MAX_MINUTES = 360
MIN_WINDOW = timedelta(seconds=1)
MAX_PAGES_PER_RUN = 200
STALE_POLL = timedelta(minutes=30)
MAX_REASONS = 20
MAX_READS_PER_BATCH = 5000
ALLOW_PRIVATE_PARAM = "stock_asset_tracking.epcis_allow_private_hosts"
_CONNECTION_FIELDS = frozenset(
    {
        "endpoint_url",
        "wsdl_url",
        "wsdl_file",
        "auth_type",
        "username",
        "password",
        "client_certificate",
        "client_key",
        "verify_tls",
    }
)
# an event that applies, or was given up, is never applied again
_FINAL_STATES = ("applied", "skipped", "retracted")
_REFUSED_STATES = ("refused", "error")
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
        if moment.tzinfo is not None:
            moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
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
    poll_overlap_seconds = fields.Integer(
        string="Overlap (s)",
        default=300,
        required=True,
        help="Each poll asks again for the events recorded this long before the "
        "bookmark, so that events the repository commits late are not missed; "
        "an event seen twice applies once.",
    )
    bookmark = fields.Datetime(
        string="Poll From",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="The next poll asks for the events recorded from this time on, "
        "minus the overlap (GE_recordTime). It moves past every event fetched, "
        "refused ones included (they are kept with their reason: Retry Refused "
        "Events asks for them again once the cause is fixed).",
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
    refused_count = fields.Integer(
        compute="_compute_event_counts",
        help="Events refused or failed (not skipped): kept with their reason.",
    )

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
        (
            "poll_overlap_range",
            "CHECK(poll_overlap_seconds >= 0 AND poll_overlap_seconds <= 86400)",
            "The overlap must be between 0 and 86400 seconds.",
        ),
    ]

    @api.depends("polled_event_ids.state")
    def _compute_event_counts(self):
        counts = {
            (repository.id, state): count
            for repository, state, count in self.env[
                "stock.asset.epcis.polled.event"
            ]._read_group(
                [
                    ("repository_id", "in", self.ids),
                    ("state", "in", ("applied", *_REFUSED_STATES)),
                ],
                ["repository_id", "state"],
                ["__count"],
            )
        }
        for repository in self:
            repository.applied_count = counts.get((repository.id, "applied"), 0)
            repository.refused_count = sum(
                counts.get((repository.id, state), 0) for state in _REFUSED_STATES
            )

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
        """http(s) only, and no loopback, link-local or private host unless an
        administrator allows it (checked again at each connection)."""
        policy = self._host_policy()
        for repository in self:
            for field in ("endpoint_url", "wsdl_url"):
                value = repository[field]
                if not value:
                    continue
                if not value.lower().startswith(("http://", "https://")):
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(name)s must be an http:// or https:// "
                            "URL, got %(value)s.",
                            field=self._fields[field].string,
                            name=repository.name,
                            value=value,
                        )
                    )
                try:
                    policy.check_url(value)
                except epcis_soap.RefusedUrl as error:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of %(name)s is refused: %(reason)s.",
                            field=self._fields[field].string,
                            name=repository.name,
                            reason=str(error),
                        )
                    ) from error

    @api.model
    def _host_policy(self):
        """Which non-public hosts the server may call: the administrators'
        system parameter (``1`` for all, or a list of hosts and networks)."""
        allow = (
            self.env["ir.config_parameter"].sudo().get_param(ALLOW_PRIVATE_PARAM, "")
        )
        return epcis_soap.HostPolicy(allow)

    def write(self, vals):
        changed = _CONNECTION_FIELDS & vals.keys()
        if changed:
            urls = {
                url
                for repository in self.sudo()
                for url in (repository.endpoint_url, repository.wsdl_url)
            }
        result = super().write(vals)
        if changed:
            urls |= {vals.get("endpoint_url"), vals.get("wsdl_url")}
            epcis_soap.forget_wsdls(self.env.cr.dbname, urls)
        return result

    def unlink(self):
        urls = {
            url
            for repository in self.sudo()
            for url in (repository.endpoint_url, repository.wsdl_url)
        }
        result = super().unlink()
        epcis_soap.forget_wsdls(self.env.cr.dbname, urls)
        return result

    # Actions ------------------------------------------------------------------------
    def action_test_connection(self):
        """getStandardVersion, getVendorVersion, getQueryNames (no transaction
        is written to while the calls run)."""
        self.ensure_one()
        self.check_access("write")
        self.env.flush_all()
        # a test reads the WSDL again (the cache is for the polls)
        settings = dict(self._client_settings(), reload=True)
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

    def action_skip_refused(self):
        """Give up the refused events: they stay listed, as skipped."""
        self.check_access("write")
        events = self.env["stock.asset.epcis.polled.event"].search(
            [("repository_id", "in", self.ids), ("state", "in", _REFUSED_STATES)]
        )
        # bookkeeping of the poller: the rows are read-only to everybody
        counts = {}
        for event in events:
            counts[event.repository_id] = counts.get(event.repository_id, 0) + 1
        events.sudo().write({"state": "skipped"})
        self.invalidate_recordset(["applied_count", "refused_count"])
        for repository, count in counts.items():
            if repository.state == "warning":
                repository.sudo().write({"state": "ok"})
            repository.message_post(
                body=self.env._(
                    "%(count)s refused events skipped by %(user)s.",
                    count=count,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_retry_refused(self):
        """Ask again for the refused events (e.g. once their read point is
        mapped): the bookmark goes back to the earliest of them; what was
        applied meanwhile is recognised and not applied twice."""
        self.check_access("write")
        Polled = self.env["stock.asset.epcis.polled.event"]
        for repository in self:
            earliest = Polled.search(
                [
                    ("repository_id", "=", repository.id),
                    ("state", "in", _REFUSED_STATES),
                    ("record_time", "!=", False),
                ],
                order="record_time",
                limit=1,
            ).record_time
            if not earliest or earliest >= repository.bookmark:
                continue
            repository.write(
                {
                    "bookmark": earliest.replace(microsecond=0),
                    "next_poll_date": fields.Datetime.now(),
                }
            )
        return True

    def action_view_events(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_epcis_polled_event_action",
            "repository_id",
            {"search_default_filter_refused": 0},
        )

    def action_view_refused(self):
        action = self.action_view_events()
        action["context"] = {"search_default_filter_refused": 1}
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
        # events a repository commits late carry an earlier recordTime: ask again
        # for the overlap, the keys keep them from applying twice
        start = settings["bookmark"] - timedelta(seconds=settings["overlap"])
        try:
            with self._client(settings) as client:
                start = self._poll_pages(client, start, now, largest, summary)
        except epcis_soap.EpcisSoapError as error:
            self._poll_failed(error.message, now)
            return "failed"
        except Exception:
            _logger.exception("EPCIS repository %s: poll failed", self.name)
            self._poll_failed(
                self.env._(
                    "unexpected error (logged on the server at %(when)s UTC); the "
                    "bookmark stays, the next poll asks again",
                    when=fields.Datetime.to_string(fields.Datetime.now()),
                ),
                now,
            )
            return "failed"
        self._poll_succeeded(summary, now, finished=start >= now)
        return "ok"

    def _poll_pages(self, client, start, now, largest, summary):
        """Ask ``client`` for the pages of recordTime from ``start`` to ``now``
        and apply each in turn (see :meth:`_apply_page`), the window halved on
        an unreadable or too large page and doubled again after a good one (at
        most ``largest``). Returns where the next poll starts."""
        window = min(now - start, largest)
        pages = 0
        while start < now and pages < MAX_PAGES_PER_RUN:
            end = min(now, start + max(window, MIN_WINDOW))
            try:
                event_list = client.poll_object_events(start, end)
            except epcis_soap.UnreadablePage as error:
                if end - start > MIN_WINDOW:
                    window = (end - start) / 2
                    continue
                # down to one second: that second is kept as errors
                events = self._unreadable_events(error, start, end)
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
            else:
                events = (
                    epcis_xml.parse_event_elements(event_list)
                    if event_list is not None
                    else []
                )
            self._apply_page(events, end, summary)
            start = end
            pages += 1
            window = min(window * 2, largest)
        return start

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
                overlap=repository.poll_overlap_seconds,
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
            # read at each poll: an administrator's change applies at once
            "allow_private": self.env["ir.config_parameter"]
            .sudo()
            .get_param(ALLOW_PRIVATE_PARAM, ""),
            "dbname": self.env.cr.dbname,
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
            policy=epcis_soap.HostPolicy(settings.get("allow_private")),
            dbname=settings.get("dbname"),
            reload=settings.get("reload", False),
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
        declared erroneous after it was applied) is its ``last_error``, and a
        poll that refused events leaves a note in the chatter."""
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
            if summary["rejected"]:
                repository.message_post(
                    body=Markup("<p>%s</p><ul>%s</ul>")
                    % (
                        self.env._(
                            "Poll of %(date)s UTC: %(count)s events refused, kept "
                            "with their reason (the others applied):",
                            date=fields.Datetime.to_string(now),
                            count=summary["rejected"],
                        ),
                        Markup().join(Markup("<li>%s</li>") % line for line in shown),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        self.invalidate_recordset()

    # Applying a page ----------------------------------------------------------------
    def _unreadable_events(self, error, start, end):
        """The events of a one-second answer that cannot be read at all: one
        ``error`` per eventID its bytes hold, else one for the window."""
        reason = self.env._(
            "the repository's answer for recordTime %(start)s to %(end)s cannot be "
            "read: %(reason)s",
            start=fields.Datetime.to_string(start),
            end=fields.Datetime.to_string(end),
            reason=error.message,
        )
        stamp = start.strftime("%Y-%m-%dT%H:%M:%SZ")
        keys = error.event_ids or [f"unreadable:{stamp}/{end:%Y-%m-%dT%H:%M:%SZ}"]
        return [
            {
                "index": index,
                "key": key,
                "record_time": stamp,
                "event_time": None,
                "declaration": None,
                "epcs": [],
                "problems": [reason],
                "state": "error",
            }
            for index, key in enumerate(keys)
        ]

    def _apply_page(self, events, end, summary):
        """Apply one page of events in a transaction of its own: the scan
        batches that apply them, their keys (refused ones with their reason)
        and the bookmark are committed together, or not at all."""
        with own_transaction(self.env) as cr:
            repository = self.with_env(self.env(cr=cr))
            repository._apply_events(events, summary)
            values = {"polled_until": end}
            if end > repository.bookmark:
                values["bookmark"] = end
            repository.sudo().write(values)
        self.invalidate_recordset()

    def _apply_events(self, events, summary):
        """Apply a page of events: each one is refused with its reason, counted
        as a duplicate, recorded as an error declaration or grouped by mode;
        the groups apply in scan batches, then the keys of all are stored."""
        self.ensure_one()
        known = self._known_polled_events(events)
        places = {
            mapping.epcis_location: mapping.location_id
            for mapping in self.location_map_ids
        }
        rows = {}  # (key, kind) -> row values
        groups = {}  # mode -> events
        for event in events:
            self._sort_event(event, places, known, rows, groups, summary)
        for mode, group in groups.items():
            for chunk in self._chunks(group):
                self._apply_chunk(mode, chunk, rows, summary)
        if rows:
            for row in rows.values():
                row.pop("group", None)
            self._store_polled(list(rows.values()))
        self.env["stock.asset.epcis.polled.event"].invalidate_model()

    def _known_polled_events(self, events):
        """``{(key, kind): state}`` of the keys of ``events`` already polled."""
        keys = [event["key"] for event in events if event.get("key")]
        if not keys:
            return {}
        self.env.cr.execute(
            "SELECT event_key, kind, state FROM stock_asset_epcis_polled_event"
            " WHERE repository_id = %s AND event_key = ANY(%s)",
            [self.id, keys],
        )
        return {(key, kind): state for key, kind, state in self.env.cr.fetchall()}

    def _sort_event(self, event, places, known, rows, groups, summary):
        """Refuse ``event``, count it as a duplicate, record its declaration, or
        add it to the group of its mode (with its stock location)."""
        key = event.get("key")
        if key is None or event.get("state") == "error":
            if known.get((key, "event")) in _FINAL_STATES:
                summary["duplicates"] += 1
                return
            message = "; ".join(event["problems"])
            state = event.get("state") or "error"
            self._refuse_event(event, message, known, rows, summary, state=state)
            return
        if event.get("declaration") is not None:
            self._declare(event, known, rows, groups, summary)
            return
        if known.get((key, "event")) in _FINAL_STATES or (
            (key, "event") in rows
            and rows[(key, "event")]["state"] not in _REFUSED_STATES
        ):
            summary["duplicates"] += 1
            return
        if event["problems"]:
            message = "; ".join(event["problems"])
            self._refuse_event(event, message, known, rows, summary)
            return
        location, message = self._event_location(event, places)
        if not location:
            self._refuse_event(event, message, known, rows, summary)
            return
        event["location_id"] = location.id
        group_key = event["mode"]
        groups.setdefault(group_key, []).append(event)
        rows[(key, "event")] = dict(self._polled_row(event, "applied"), group=group_key)

    def _event_location(self, event, places):
        """``(stock location, None)`` of the event's business location or read
        point as mapped on the repository, or ``(None, why not)``."""
        place = event.get("biz_location") or event.get("read_point")
        location = places.get(event.get("biz_location")) or places.get(
            event.get("read_point")
        )
        if not place:
            return None, self.env._(
                "the event names no read point or business location"
            )
        if not location:
            return None, self.env._(
                "read point / business location %(place)s is not mapped to a "
                "stock location on the repository",
                place=" / ".join(
                    filter(None, (event.get("read_point"), event.get("biz_location")))
                ),
            )
        return location, None

    def _refuse_event(self, event, message, known, rows, summary, state="refused"):
        """Refuse ``event`` with ``message``: reported in ``summary`` and kept
        with its reason, unless it was refused before (then only kept)."""
        key = event.get("key")
        if key and known.get((key, "event")) in _REFUSED_STATES:
            # refused before, still refused: kept, not reported again
            rows[(key, "event")] = self._polled_row(event, state, message=message)
            return
        # no f-string inside the call: the .pot extractor evaluates them
        label = key or f"#{event['index'] + 1}"
        summary["reasons"].append(
            self.env._("event %(key)s: %(message)s", key=label, message=message)
        )
        summary["rejected"] += 1
        if key:
            rows[(key, "event")] = self._polled_row(event, state, message=message)

    def _declare(self, event, known, rows, groups, summary):
        """Record an error declaration (an event declared erroneous before it
        applies never applies; after, it is reported)."""
        key = event["key"]
        if known.get((key, "declaration")) or (key, "declaration") in rows:
            summary["duplicates"] += 1
            return
        summary["declared"] += 1
        declaration = event["declaration"]
        note = self.env._(
            "declared erroneous on %(date)s (reason: %(reason)s)",
            date=declaration.get("declaration_time") or "-",
            reason=declaration.get("reason") or "-",
        )
        pending = rows.get((key, "event"))
        if pending and pending["state"] == "applied":
            # the event came earlier in this very page: never apply it
            pending_group = groups.get(pending.pop("group"))
            if pending_group:
                pending_group[:] = [e for e in pending_group if e["key"] != key]
        if known.get((key, "event")) == "applied":
            note = self.env._(
                "%(note)s after it was applied: its effect stays, correct the "
                "assets by hand",
                note=note,
            )
            summary["reasons"].append(
                self.env._("event %(key)s: %(note)s", key=key, note=note)
            )
        else:
            rows[(key, "event")] = self._polled_row(event, "retracted", message=note)
        rows[(key, "declaration")] = self._polled_row(
            event, "declared", kind="declaration", message=note
        )

    def _chunks(self, events):
        """The events of one mode in batches of at most so many reads."""
        limit = MAX_READS_PER_BATCH
        ceiling = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("stock_asset_tracking.max_reads_per_batch")
        )
        if ceiling and ceiling.isdigit() and int(ceiling) > 0:
            limit = min(limit, int(ceiling))
        chunk, size = [], 0
        for event in events:
            count = max(len(event.get("epcs") or ()), 1)
            if chunk and size + count > limit:
                yield chunk
                chunk, size = [], 0
            chunk.append(event)
            size += count
        if chunk:
            yield chunk

    def _apply_chunk(self, mode, events, rows, summary):
        """Apply events in a savepoint; when that fails, each one in its own, so
        that the event at fault is marked ``error`` and the others apply."""
        try:
            with self.env.cr.savepoint():
                batch = self._apply_batch(mode, events)
        except PG_CONCURRENCY_EXCEPTIONS_TO_RETRY:
            raise
        except Exception:  # isolated below, event by event
            self.env.invalidate_all()
            if len(events) == 1:
                self._event_failed(events[0], rows, summary)
                return
            for event in events:
                self._apply_chunk(mode, [event], rows, summary)
            return
        for event in events:
            rows[(event["key"], "event")]["batch_id"] = batch.id
        summary["applied"] += len(events)

    def _event_failed(self, event, rows, summary):
        _logger.warning(
            "EPCIS repository %s: event %s could not be applied",
            self.name,
            event["key"],
            exc_info=True,
        )
        message = self.env._(
            "it could not be applied (an unexpected error, logged on the server "
            "at %(when)s UTC)",
            when=fields.Datetime.to_string(fields.Datetime.now()),
        )
        summary["rejected"] += 1
        summary["reasons"].append(
            self.env._("event %(key)s: %(message)s", key=event["key"], message=message)
        )
        rows[(event["key"], "event")] = self._polled_row(
            event, "error", message=message
        )

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

    def _apply_batch(self, mode, events):
        """One scan batch of events of a page in one mode, stored and processed
        in the current transaction (never committed on its own: it commits with
        the page); each read is at the stock location its event's place is
        mapped to. Raises when it cannot be applied."""
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
        name = f"epcis-poll:{self.id}:{digest}"
        Batch = (
            self.env["stock.asset.scan.batch"]
            .with_user(self.user_id)
            .with_company(self.company_id)
        )
        existing = (
            Batch.sudo()
            .search(
                [("name", "=like", f"{name}%"), ("company_id", "=", self.company_id.id)]
            )
            .sorted("id")
        )
        if existing.filtered(lambda batch: batch.state == "done"):
            # applied before (a batch committed apart from its page, by an
            # earlier version): its effect is there, do not apply it again
            return existing.filtered(lambda batch: batch.state == "done")[:1]
        batch = existing.filtered(lambda batch: batch.state in ("received", "queued"))
        if not batch:
            if existing:
                name = f"{name}:{len(existing) + 1}"
            payload = {"batch_id": name, "device": None, "mode": mode, "reads": reads}
            canonical = canonical_json(payload)
            # bookkeeping of the service (the poll user may only read batches)
            batch = Batch.sudo().create(
                {
                    "name": name,
                    "company_id": self.company_id.id,
                    "user_id": self.user_id.id,
                    "source": "epcis",
                    "mode": mode,
                    "body_hash": payload_hash(payload, canonical),
                    "payload": canonical,
                    "state": "received",
                    "read_count": len(reads),
                }
            )
        batch = batch[:1].with_env(Batch.env)
        with private_path(self.env, READ_LOCATIONS_PATH):
            batch._process()
        batch.invalidate_recordset(["state", "error"])
        if batch.state != "done":
            raise UserError(
                self.env._(
                    "scan batch %(batch)s was not applied: %(reason)s",
                    batch=batch.name,
                    reason=batch.error or batch.state,
                )
            )
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
             WHERE stock_asset_epcis_polled_event.state IN ('refused', 'error')
                OR (EXCLUDED.state = 'retracted'
                    AND stock_asset_epcis_polled_event.state != 'applied')
            """,
            [self.id, self.company_id.id, self.env.uid, self.env.uid]
            + [[row[name] for row in rows] for name in _POLLED_COLUMNS],
        )
