# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Physical audits: which assets should be in some locations, which were seen there.

Starting an audit snapshots the expected assets as lines in one statement; scans
(from the scan endpoint in ``audit`` mode, or typed into the "Record Scans" window)
are applied to the lines of every open audit of their location with two upserts
(:meth:`StockAssetAudit._record_scans`); closing turns what was never seen into
``missing``, dates the audited assets and may report the missing ones lost.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ...tools.private_path import is_open, private_path
from ..common import records_action

# per-code outcomes of _record_scans, best first: a code counted in several audits
# answers the best of its outcomes
OUTCOME_RANK = {"found": 0, "found_elsewhere": 1, "unknown": 2}
COUNTER_FIELDS = [
    "expected_count",
    "found_count",
    "found_elsewhere_count",
    "pending_count",
    "missing_count",
    "unknown_count",
    "progress",
]
# What the audit's actions set (see tools/private_path.py): never written by hand.
STATE_FIELDS = frozenset({"state", "date_start", "date_done"})
STATE_PATH = "stock.asset.audit.state"


class StockAssetAudit(models.Model):
    _name = "stock.asset.audit"
    _inherit = ["stock.asset.reference.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Asset Audit"
    _order = "date_due desc, id desc"
    _check_company_auto = True

    name = fields.Char(index="trigram")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
    )
    location_ids = fields.Many2many(
        "stock.location",
        "stock_asset_audit_location_rel",
        "audit_id",
        "location_id",
        string="Locations",
        required=True,
        check_company=True,
        domain="[('usage', 'in', ('internal', 'transit'))]",
        help="The locations to audit, with all the locations inside them.",
    )
    date_due = fields.Date(string="Due Date", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancel", "Cancelled"),
        ],
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
    )
    date_start = fields.Datetime(string="Started On", readonly=True, copy=False)
    date_done = fields.Datetime(string="Closed On", readonly=True, copy=False)
    note = fields.Html(string="Instructions")
    color = fields.Integer()
    line_ids = fields.One2many(
        "stock.asset.audit.line", "audit_id", string="Lines", readonly=True
    )
    expected_count = fields.Integer(string="Expected", compute="_compute_counts")
    found_count = fields.Integer(string="Found", compute="_compute_counts")
    found_elsewhere_count = fields.Integer(
        string="Found Elsewhere", compute="_compute_counts"
    )
    pending_count = fields.Integer(string="Not Seen Yet", compute="_compute_counts")
    missing_count = fields.Integer(string="Missing", compute="_compute_counts")
    unknown_count = fields.Integer(string="Unknown Codes", compute="_compute_counts")
    progress = fields.Float(
        string="Found (%)",
        compute="_compute_counts",
        help="Share of the expected assets seen (where expected or elsewhere).",
    )

    # Computes ----------------------------------------------------------------------
    @api.depends("line_ids.status", "line_ids.expected")
    def _compute_counts(self):
        groups = self.env["stock.asset.audit.line"]._read_group(
            [("audit_id", "in", self.ids)],
            ["audit_id", "status", "expected"],
            ["__count"],
        )
        counts = defaultdict(lambda: defaultdict(int))
        for audit, status, expected, count in groups:
            counts[audit.id][status] += count
            if expected:
                counts[audit.id]["expected"] += count
                if status in ("found", "found_elsewhere"):
                    counts[audit.id]["expected_seen"] += count
        for audit in self:
            mine = counts[audit.id]
            audit.expected_count = mine["expected"]
            audit.found_count = mine["found"]
            audit.found_elsewhere_count = mine["found_elsewhere"]
            audit.pending_count = mine["pending"]
            audit.missing_count = mine["missing"]
            audit.unknown_count = mine["unknown"]
            audit.progress = (
                100.0 * mine["expected_seen"] / mine["expected"]
                if mine["expected"]
                else 0.0
            )

    # CRUD ----------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_state_write(
                {
                    fname: value
                    for fname, value in vals.items()
                    if value and not (fname == "state" and value == "draft")
                }
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_state_write(vals)
        if "location_ids" in vals and any(audit.state != "draft" for audit in self):
            raise UserError(
                self.env._(
                    "The locations of a started audit cannot change: cancel it and "
                    "start another one."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda audit: audit.state not in ("draft", "cancel"))
        if started:
            raise UserError(
                self.env._(
                    "Only draft or cancelled audits can be deleted: %(audits)s.",
                    audits=", ".join(started.mapped("name")),
                )
            )

    # Actions -------------------------------------------------------------------------
    def action_start(self):
        """Snapshot the expected assets and open the audit to scans."""
        self._check_states(("draft",), self.env._("start"))
        for audit in self:
            if not audit.location_ids:
                raise UserError(
                    self.env._(
                        "Choose the locations to audit in %(audit)s.",
                        audit=audit.name,
                    )
                )
        self._write_state({"state": "in_progress", "date_start": fields.Datetime.now()})
        for audit in self:
            audit._snapshot()
        for audit in self:
            audit.message_post(
                body=self.env._(
                    "Audit started: %(count)s assets expected.",
                    count=audit.expected_count,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_close(self, mark_lost=False):
        """Close the audit: unseen assets become missing; the assets seen get their
        last and next audit dates; with ``mark_lost``, the missing ones are reported
        lost (and the accountants told about those in the register)."""
        self._check_states(("in_progress",), self.env._("close"))
        self.check_access("write")  # before the statements below
        self._lock_rows()
        self.env.cr.execute(
            """
            UPDATE stock_asset_audit_line
               SET status = 'missing', write_uid = %s,
                   write_date = (now() at time zone 'UTC')
             WHERE audit_id = ANY(%s) AND status = 'pending'
            """,
            [self.env.uid, self.ids],
        )
        self._invalidate_lines()
        Line = self.env["stock.asset.audit.line"]
        today = fields.Date.context_today(self)
        seen = Line.search(
            [
                ("audit_id", "in", self.ids),
                ("status", "in", ("found", "found_elsewhere")),
                ("asset_id", "!=", False),
            ]
        )
        self._set_audit_dates(seen.asset_id, today)
        lost_lines = Line
        if mark_lost:
            lost_lines = self._mark_missing_lost()
        self._write_state({"state": "done", "date_done": fields.Datetime.now()})
        for audit in self:
            audit.message_post(
                body=audit._closing_summary(
                    lost_lines.filtered(
                        lambda line, audit=audit: line.audit_id == audit
                    )
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_cancel(self):
        if not self.env.user.has_group("stock_asset_tracking.group_asset_manager"):
            raise AccessError(
                self.env._("Only asset administrators may cancel an audit.")
            )
        self._check_states(("draft", "in_progress"), self.env._("cancel"))
        self._write_state({"state": "cancel"})
        return True

    def action_reset_to_draft(self):
        """A cancelled audit back to draft, its scans forgotten."""
        if not self.env.user.has_group("stock_asset_tracking.group_asset_manager"):
            raise AccessError(
                self.env._("Only asset administrators may reset a cancelled audit.")
            )
        self._check_states(("cancel",), self.env._("reset to draft"))
        for audit in self.filtered("line_ids"):
            audit.message_post(
                body=self.env._(
                    "Reset to draft: the %(count)s lines of the cancelled audit "
                    "were discarded.",
                    count=len(audit.line_ids),
                ),
                subtype_xmlid="mail.mt_note",
            )
        # sudo: audit lines are evidence nobody deletes; the manager was checked
        self.line_ids.sudo().unlink()
        self._write_state({"state": "draft", "date_start": False})
        return True

    def action_open_close_wizard(self):
        self.ensure_one()
        self._check_states(("in_progress",), self.env._("close"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Close %(audit)s", audit=self.name),
            "res_model": "stock.asset.audit.close",
            "view_mode": "form",
            "target": "new",
            "context": {"default_audit_id": self.id},
        }

    def action_open_scan_wizard(self):
        self.ensure_one()
        self._check_states(("in_progress",), self.env._("record scans in"))
        location = self.location_ids if len(self.location_ids) == 1 else False
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Scans"),
            "res_model": "stock.asset.audit.scan",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_audit_id": self.id,
                "default_location_id": location and location.id,
            },
        }

    def action_view_lines(self):
        """The audit's lines; ``line_status`` in the context filters them."""
        action = records_action(
            self,
            "stock_asset_tracking.stock_asset_audit_line_action",
            "audit_id",
            {"default_audit_id": self.id},
        )
        status = self.env.context.get("line_status")
        if status:
            action["context"][f"search_default_filter_{status}"] = 1
        action["display_name"] = self.name
        return action

    def action_print_report(self):
        return self.env.ref(
            "stock_asset_tracking.stock_asset_audit_report_action"
        ).report_action(self)

    # Scans -------------------------------------------------------------------------
    @api.model
    def _record_scans(self, items, location=None, user=None):
        """Count scanned codes toward the open audits of the places they were read.

        Called by the scan endpoint (``audit`` mode) with one item per distinct
        code, and by the "Record Scans" window. Called on the model, a code counts
        in every audit in progress (of ``user``'s companies) whose locations
        contain the place of the read; called on audits, in those only.

        :param items: iterable of dicts, one per distinct code::

            {"code": str,              # what was read (kept on unknown lines)
             "asset_id": int | None,   # the asset the code names, None if none
             "location_id": int | None,  # where it was read (else ``location``)
             "seen": datetime | None,  # latest read, naive UTC (else now)
             "count": int}             # reads of the code (default 1)

        :param location: ``stock.location`` (or id) of the reads without one
        :param user: ``res.users`` the scans are posted as (default: env user)
        :return: ``{code: (status, message)}`` where status is ``found`` (where
            expected), ``found_elsewhere``, ``unknown`` (no asset: an unknown
            line), ``outside_audit`` (the place is in no open audit: not counted)
            or ``no_location``; the message says where and in which audit.
        """
        user = user or self.env.user
        # the lines are written in SQL below; counting toward an audit is the
        # right to work on audits (nobody writes lines through the ORM)
        self.env["stock.asset.audit"].with_user(user).check_access("write")
        # the statements below read audits, locations and assets in SQL
        self.env.flush_all()
        if isinstance(location, int):
            location = self.env["stock.location"].browse(location)
        default_location = location.id if location else None
        now = fields.Datetime.now()
        outcomes = {}
        scans = []
        for item in items:
            code = item["code"]
            location_id = item.get("location_id") or default_location
            if not location_id:
                outcomes[code] = (
                    "no_location",
                    self.env._("no location: an audit scan needs one"),
                )
                continue
            scans.append(
                {
                    "code": code,
                    "asset_id": item.get("asset_id") or None,
                    "location_id": location_id,
                    "seen": item.get("seen") or now,
                    "count": item.get("count") or 1,
                }
            )
        if not scans:
            return outcomes
        audits_by_location = self._open_audits_at(
            {scan["location_id"] for scan in scans}, user
        )
        assets = {}
        asset_ids = {scan["asset_id"] for scan in scans if scan["asset_id"]}
        if asset_ids:
            self.env.cr.execute(
                "SELECT id, company_id FROM stock_asset WHERE id = ANY(%s)",
                [list(asset_ids)],
            )
            assets = dict(self.env.cr.fetchall())
        # one row per (audit, asset) and (audit, unknown code): the latest read wins
        known, unknown, counted = {}, {}, defaultdict(list)
        for scan in scans:
            asset_id = scan["asset_id"]
            audits = audits_by_location.get(scan["location_id"], [])
            if asset_id:
                audits = [a for a in audits if a[1] == assets.get(asset_id)]
            for audit_id, _company_id in audits:
                key = (audit_id, asset_id or scan["code"])
                rows = known if asset_id else unknown
                row = rows.get(key)
                if row is None:
                    rows[key] = dict(scan)
                else:
                    row["count"] += scan["count"]
                    if scan["seen"] >= row["seen"]:
                        row.update(location_id=scan["location_id"], seen=scan["seen"])
                counted[scan["code"]].append(key)
        results = {}
        results.update(self._upsert_asset_lines(known, user))
        results.update(self._upsert_unknown_lines(unknown, user))
        self._invalidate_lines()
        outcomes.update(self._scan_outcomes(scans, counted, results))
        return outcomes

    @api.model
    def _items_from_scan_results(self, results):
        """``_record_scans`` items of the per-code results of a scan batch
        (``stock.asset.scan.batch._resolve``): matched and unknown codes, each at
        the place of its latest read; invalid codes are left out."""
        items = []
        for item in results:
            if item["status"] not in ("matched", "unknown"):
                continue
            entry = item["entry"]
            items.append(
                {
                    "code": item["answer"]["code"],
                    "asset_id": item["asset"]["id"] if item["asset"] else None,
                    "location_id": entry["location"].id if entry["location"] else None,
                    "seen": entry["last"],
                    "count": entry["count"],
                }
            )
        return items

    # Business helpers ---------------------------------------------------------------
    @api.model
    def _invalidate_lines(self):
        """Forget the cached lines and counters after a statement wrote lines."""
        self.env["stock.asset.audit.line"].invalidate_model()
        self.env["stock.asset.audit"].invalidate_model(["line_ids", *COUNTER_FIELDS])

    def _write_state(self, vals):
        """Write ``vals`` for an action that applied its rules: the only way the
        status of an audit and its start and close dates change."""
        with private_path(self.env, STATE_PATH):
            return self.write(vals)

    def _check_state_write(self, vals):
        if self.env.su or is_open(self.env, STATE_PATH):
            return
        touched = STATE_FIELDS & vals.keys()
        if touched:
            raise UserError(
                self.env._(
                    "%(audits)s: %(fields)s change through the audit's actions only "
                    "(start, close, cancel, reset to draft), which apply their "
                    "rules.",
                    audits=", ".join(self.mapped("name")) or self._description,
                    fields=", ".join(
                        self._fields[fname]._description_string(self.env)
                        for fname in sorted(touched)
                    ),
                )
            )

    def _check_states(self, allowed_states, action_label):
        wrong = self.filtered(lambda audit: audit.state not in allowed_states)
        if wrong:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "Cannot %(action)s %(audits)s.",
                    action=action_label,
                    audits=", ".join(
                        f"{audit.name} ({labels[audit.state]})" for audit in wrong
                    ),
                )
            )

    def _lock_rows(self):
        """Lock the audits: scans recorded concurrently wait, then see them done."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM stock_asset_audit WHERE id = ANY(%s) ORDER BY id"
            " FOR UPDATE",
            [self.ids],
        )

    def _get_expected_assets_domain(self):
        """The assets an audit expects to find: the company's active assets, not
        disposed of, in its locations or inside them."""
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "!=", "disposed"),
            ("location_id", "child_of", self.location_ids.ids),
        ]

    def _snapshot(self):
        """The expected assets as pending lines, in one INSERT ... SELECT (10,000
        assets in a few tens of milliseconds; ``create()`` takes seconds, see
        bench/RESULTS.md)."""
        self.ensure_one()
        Asset = self.env["stock.asset"].with_company(self.company_id)
        Asset.check_access("read")
        query = Asset._search(self._get_expected_assets_domain())
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO stock_asset_audit_line
                    (audit_id, company_id, asset_id, code, expected,
                     expected_location_id, scan_count, status, relocated,
                     marked_lost, create_uid, create_date, write_uid, write_date)
                SELECT %(audit)s, a.company_id, a.id, a.code, TRUE, a.location_id,
                       0, 'pending', FALSE, FALSE, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM stock_asset a
                 WHERE a.id IN %(assets)s
                 ORDER BY a.id
                """,
                audit=self.id,
                uid=self.env.uid,
                now=now,
                assets=query.subselect(),
            )
        )
        self._invalidate_lines()

    @api.model
    def _open_audits_at(self, location_ids, user):
        """``{location id: [(audit id, company id)]}``: the audits in progress whose
        locations contain each location. ``self`` (when not empty) limits the
        audits. The audit rows are share-locked: a concurrent close waits."""
        restrict = SQL(" AND a.id = ANY(%s)", self.ids) if self else SQL()
        self.env.cr.execute(
            SQL(
                """
                SELECT l.id, a.id, a.company_id
                  FROM stock_asset_audit a
                  JOIN stock_asset_audit_location_rel r ON r.audit_id = a.id
                  JOIN stock_location s ON s.id = r.location_id
                  JOIN stock_location l ON starts_with(l.parent_path, s.parent_path)
                 WHERE l.id = ANY(%s) AND a.state = 'in_progress'
                   AND a.company_id = ANY(%s)%s
                 ORDER BY a.id
                   FOR SHARE OF a
                """,
                list(location_ids),
                user.company_ids.ids,
                restrict,
            )
        )
        found = defaultdict(list)
        for location_id, audit_id, company_id in self.env.cr.fetchall():
            if (audit_id, company_id) not in found[location_id]:
                found[location_id].append((audit_id, company_id))
        return found

    @api.model
    def _upsert_asset_lines(self, rows, user):
        """Apply the scans of assets, one statement: the asset's line of the audit
        takes the place and time of the latest read (``found`` when inside the
        expected location, else ``found_elsewhere``); an asset the audit did not
        expect gets a new ``found_elsewhere`` line, recorded at its location.

        Returns ``{(audit id, asset id): line values}``.
        """
        if not rows:
            return {}
        ordered = sorted(rows.items())
        self.env.cr.execute(
            """
            WITH v AS (
                SELECT * FROM unnest(%s::int[], %s::int[], %s::int[],
                                     %s::timestamp[], %s::int[])
                       AS v(audit_id, asset_id, location_id, seen, n)
            )
            INSERT INTO stock_asset_audit_line AS l
                (audit_id, company_id, asset_id, code, expected,
                 expected_location_id, found_location_id, found_date, scan_count,
                 status, relocated, marked_lost,
                 create_uid, create_date, write_uid, write_date)
            SELECT v.audit_id, a.company_id, v.asset_id, a.code, FALSE,
                   a.location_id, v.location_id, v.seen, v.n,
                   'found_elsewhere', FALSE, FALSE,
                   %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
              FROM v
              JOIN stock_asset a ON a.id = v.asset_id
              JOIN stock_asset_audit au
                ON au.id = v.audit_id AND au.company_id = a.company_id
             ORDER BY v.audit_id, v.asset_id
            ON CONFLICT (audit_id, asset_id) DO UPDATE SET
                scan_count = l.scan_count + EXCLUDED.scan_count,
                found_location_id = CASE
                    WHEN l.found_date IS NULL OR EXCLUDED.found_date >= l.found_date
                    THEN EXCLUDED.found_location_id ELSE l.found_location_id END,
                found_date = GREATEST(l.found_date, EXCLUDED.found_date),
                status = CASE WHEN l.expected AND (
                    SELECT starts_with(f.parent_path, e.parent_path)
                      FROM stock_location f, stock_location e
                     WHERE e.id = l.expected_location_id
                       AND f.id = CASE
                           WHEN l.found_date IS NULL
                             OR EXCLUDED.found_date >= l.found_date
                           THEN EXCLUDED.found_location_id
                           ELSE l.found_location_id END
                ) THEN 'found' ELSE 'found_elsewhere' END,
                write_uid = EXCLUDED.write_uid,
                write_date = EXCLUDED.write_date
            RETURNING l.audit_id, l.asset_id, l.status, l.expected,
                      l.expected_location_id, l.found_location_id
            """,
            [
                [audit_id for (audit_id, _asset), _row in ordered],
                [asset_id for (_audit, asset_id), _row in ordered],
                [row["location_id"] for _key, row in ordered],
                [row["seen"] for _key, row in ordered],
                [row["count"] for _key, row in ordered],
                user.id,
                user.id,
            ],
        )
        return self._fetch_upserted_lines()

    @api.model
    def _upsert_unknown_lines(self, rows, user):
        """Codes that name no asset: one ``unknown`` line per audit and code, in one
        statement. Returns ``{(audit id, code): line values}``."""
        if not rows:
            return {}
        ordered = sorted(rows.items())
        self.env.cr.execute(
            """
            INSERT INTO stock_asset_audit_line AS l
                (audit_id, company_id, code, expected, found_location_id,
                 found_date, scan_count, status, relocated, marked_lost,
                 create_uid, create_date, write_uid, write_date)
            SELECT v.audit_id, au.company_id, v.code, FALSE, v.location_id, v.seen,
                   v.n, 'unknown', FALSE, FALSE,
                   %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
              FROM unnest(%s::int[], %s::varchar[], %s::int[], %s::timestamp[],
                          %s::int[]) AS v(audit_id, code, location_id, seen, n)
              JOIN stock_asset_audit au ON au.id = v.audit_id
             ORDER BY v.audit_id, v.code
            ON CONFLICT (audit_id, code) WHERE asset_id IS NULL DO UPDATE SET
                scan_count = l.scan_count + EXCLUDED.scan_count,
                found_location_id = CASE
                    WHEN EXCLUDED.found_date >= l.found_date
                    THEN EXCLUDED.found_location_id ELSE l.found_location_id END,
                found_date = GREATEST(l.found_date, EXCLUDED.found_date),
                write_uid = EXCLUDED.write_uid,
                write_date = EXCLUDED.write_date
            RETURNING l.audit_id, l.code, l.status, l.expected,
                      l.expected_location_id, l.found_location_id
            """,
            [
                user.id,
                user.id,
                [audit_id for (audit_id, _code), _row in ordered],
                [code for (_audit, code), _row in ordered],
                [row["location_id"] for _key, row in ordered],
                [row["seen"] for _key, row in ordered],
                [row["count"] for _key, row in ordered],
            ],
        )
        return self._fetch_upserted_lines()

    @api.model
    def _fetch_upserted_lines(self):
        """``{(audit id, asset id or code): line values}`` from the rows an upsert
        of audit lines returned (audit, key, status, expected, expected and found
        locations)."""
        names = ("status", "expected", "expected_location_id", "found_location_id")
        return {
            (audit_id, key): dict(zip(names, values, strict=True))
            for audit_id, key, *values in self.env.cr.fetchall()
        }

    @api.model
    def _scan_outcomes(self, scans, counted, results):
        """The per-code answer: the best status over the audits the code counted
        in, and a message saying where, per audit."""
        location_ids = {scan["location_id"] for scan in scans}
        for values in results.values():
            location_ids.update(
                filter(
                    None,
                    (values["expected_location_id"], values["found_location_id"]),
                )
            )
        names = {
            location.id: location.complete_name
            for location in self.env["stock.location"]
            .sudo()
            .browse(location_ids)
            .with_prefetch(list(location_ids))
        }
        audit_ids = {key[0] for key in results}
        audit_names = {audit.id: audit.name for audit in self.browse(audit_ids).sudo()}
        templates = self._scan_message_templates()
        outcomes = {}
        for scan in scans:
            code = scan["code"]
            keys = [key for key in counted.get(code, []) if key in results]
            if not keys:
                outcomes[code] = (
                    "outside_audit",
                    self.env._(
                        "location %(location)s is not part of an open audit",
                        location=names.get(scan["location_id"], scan["location_id"]),
                    ),
                )
                continue
            parts = []
            best = None
            for key in keys:
                values = results[key]
                status = values["status"]
                if best is None or OUTCOME_RANK[status] < OUTCOME_RANK[best]:
                    best = status
                parts.append(
                    self._scan_message(
                        templates, status, values, names, audit_names.get(key[0], "")
                    )
                )
            outcomes[code] = (best, "; ".join(parts))
        return outcomes

    @api.model
    def _scan_message_templates(self):
        """The per-code messages, translated once per call (not once per code)."""
        return {
            "found": self.env._("%(audit)s: found at %(location)s"),
            "unknown": self.env._(
                "%(audit)s: no asset has this code; recorded as unknown at "
                "%(location)s"
            ),
            "expected": self.env._(
                "%(audit)s: expected at %(expected)s, found at %(location)s"
            ),
            "unexpected": self.env._(
                "%(audit)s: not expected here (recorded at %(expected)s), found at "
                "%(location)s"
            ),
            "no_location": self.env._("no location"),
        }

    @api.model
    def _scan_message(self, templates, status, values, names, audit_name):
        key = status
        if status == "found_elsewhere":
            key = "expected" if values["expected"] else "unexpected"
        return templates[key] % {
            "audit": audit_name,
            "location": names.get(values["found_location_id"], ""),
            "expected": names.get(values["expected_location_id"])
            or templates["no_location"],
        }

    @api.model
    def _set_audit_dates(self, assets, date):
        """Last audit ``date`` on ``assets``, next audit after their category's
        interval (none when 0), through ``stock.asset._bulk_set_audit_dates``."""
        if not assets:
            return
        # the asset's own fast path: rights, record rules, write_uid / date, cache
        self.env["stock.asset"]._bulk_set_audit_dates(assets.ids, date)

    def _mark_missing_lost(self):
        """Report lost the missing assets that are in use or in repair and held by
        no one (a held asset is with its holder, not lost). Returns their lines."""
        lines = self.env["stock.asset.audit.line"].search(
            [
                ("audit_id", "in", self.ids),
                ("status", "=", "missing"),
                ("asset_id.state", "in", ("in_use", "in_repair")),
                ("asset_id.holder_id", "=", False),
            ]
        )
        if not lines:
            return lines
        lines.asset_id.action_mark_lost()
        lines._write_results({"marked_lost": True})
        self._schedule_lost_activities(lines.asset_id)
        return lines

    @api.model
    def _schedule_lost_activities(self, assets):
        """One activity per lost register asset for each accountant who may see it,
        unless that accountant already has one open on it."""
        if "original_value" not in assets._fields:
            return self.env["mail.activity"]
        registered = assets.filtered("original_value")
        if not registered:
            return self.env["mail.activity"]
        activity_type = self.env.ref(
            "stock_asset_tracking.mail_activity_type_asset_lost"
        )
        accountants = (
            self.env.ref("stock_asset_tracking.group_asset_accountant")
            .sudo()
            .users.filtered(lambda user: user.active and not user.share)
        )
        existing = {
            (activity.res_id, activity.user_id.id)
            for activity in self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "stock.asset"),
                    ("res_id", "in", registered.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        }
        model_id = self.env["ir.model"]._get_id("stock.asset")
        deadline = fields.Date.context_today(self)
        vals_list = []
        for asset in registered:
            for user in accountants:
                if asset.company_id not in user.company_ids:
                    continue
                if (asset.id, user.id) in existing:
                    continue
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": asset.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "date_deadline": deadline,
                        "summary": self.env._(
                            "Lost in audit: %(code)s", code=asset.code
                        ),
                        "note": Markup("<p>%s</p>")
                        % self.env._(
                            "Asset %(code)s (%(name)s) was not found in an audit and "
                            "is reported lost: review it in the fixed-asset "
                            "register.",
                            code=asset.code,
                            name=asset.name,
                        ),
                    }
                )
        # no e-mail per activity: closing a large audit could send hundreds; the
        # accountants see them in their activities
        return (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )

    def _closing_summary(self, lost_lines):
        self.ensure_one()
        return self.env._(
            "Audit closed: %(found)s found, %(elsewhere)s found elsewhere, "
            "%(missing)s missing (%(lost)s reported lost), %(unknown)s unknown codes.",
            found=self.found_count,
            elsewhere=self.found_elsewhere_count,
            missing=self.missing_count,
            lost=len(lost_lines),
            unknown=self.unknown_count,
        )
