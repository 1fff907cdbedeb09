# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockAssetImpact(models.Model):
    """What an instrument found out of tolerance may have measured wrongly: every
    custody period, usage and lot since its last passing calibration, each to be
    decided (no impact, re-check, recall) before the assessment closes."""

    _name = "stock.asset.impact"
    _inherit = ["stock.asset.reference.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Out-of-Tolerance Impact Assessment"
    _order = "id desc"
    _check_company_auto = True

    calibration_id = fields.Many2one(
        "stock.asset.calibration",
        string="Out-of-Tolerance Record",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    asset_id = fields.Many2one(
        related="calibration_id.asset_id", store=True, index=True, string="Instrument"
    )
    company_id = fields.Many2one(
        related="calibration_id.company_id", store=True, index=True, precompute=True
    )
    kind_id = fields.Many2one(related="calibration_id.kind_id")
    last_pass_calibration_id = fields.Many2one(
        "stock.asset.calibration",
        string="Last Passing Record",
        readonly=True,
        check_company=True,
        help="The last record that left the instrument in tolerance; empty when "
        "it never had one (then everything since its registration is listed).",
    )
    date_from = fields.Datetime(
        string="Since",
        readonly=True,
        help="Start of the day of the last passing calibration.",
    )
    date_to = fields.Datetime(
        string="Until",
        readonly=True,
        help="End of the day of the out-of-tolerance record when the instrument "
        "was adjusted; its confirmation when it was left out of tolerance.",
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        required=True,
        default="open",
        copy=False,
        index=True,
        tracking=True,
    )
    responsible_id = fields.Many2one(
        "res.users",
        tracking=True,
        domain="[('share', '=', False)]",
    )
    line_ids = fields.One2many(
        "stock.asset.impact.line", "impact_id", string="Affected", copy=False
    )
    line_count = fields.Integer(compute="_compute_counts")
    undecided_count = fields.Integer(compute="_compute_counts")
    recheck_count = fields.Integer(string="Re-checks", compute="_compute_counts")
    recall_count = fields.Integer(string="Recalls", compute="_compute_counts")
    conclusion = fields.Text(tracking=True)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)

    @api.depends("line_ids.decision")
    def _compute_counts(self):
        for impact in self:
            decisions = impact.line_ids.mapped("decision")
            impact.line_count = len(decisions)
            impact.undecided_count = decisions.count(False)
            impact.recheck_count = decisions.count("recheck")
            impact.recall_count = decisions.count("recall")

    def write(self, vals):
        if set(vals) & {"conclusion", "responsible_id"}:
            self._check_open(self._fields["conclusion"].string)
        return super().write(vals)

    # Actions -------------------------------------------------------------------
    def action_close(self):
        self.check_access("write")
        for impact in self:
            impact._check_open(impact._fields["state"].string)
            undecided = impact.line_ids.filtered(lambda line: not line.decision)
            if undecided:
                raise UserError(
                    self.env._(
                        "Decision: assessment %(name)s has %(count)s undecided "
                        "line(s) (%(lines)s); an assessment is closed only when "
                        "every line is decided.",
                        name=impact.name,
                        count=len(undecided),
                        lines=", ".join(undecided[:5].mapped("display_name")),
                    )
                )
        self.write(
            {
                "state": "closed",
                "closed_by_id": self.env.uid,
                "closed_date": fields.Datetime.now(),
            }
        )
        self.activity_ids.action_feedback(feedback=self.env._("Assessment closed."))
        return True

    def action_reopen(self):
        self.write({"state": "open", "closed_by_id": False, "closed_date": False})
        return True

    def action_refresh_lines(self):
        """Add what was logged late (usage entered afterwards); decided lines stay."""
        for impact in self:
            impact._check_open(impact._fields["line_ids"].string)
            impact._add_lines(impact._collect_line_vals())
        return True

    def action_print(self):
        return self.env.ref(
            "stock_asset_tracking.stock_asset_impact_report_action"
        ).report_action(self)

    # Business helpers ------------------------------------------------------------
    def _check_open(self, field_label):
        closed = self.filtered(lambda impact: impact.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "%(field)s: assessment %(names)s is closed; reopen it to change "
                    "it.",
                    field=field_label,
                    names=", ".join(closed.mapped("name")),
                )
            )

    @api.model
    def _open_for(self, record):
        """Open the assessment of ``record`` (confirmed, found out of tolerance)."""
        last_pass = self._last_passing_record(record)
        date_from = self._day_start(last_pass.date) if last_pass else False
        if record.result == "fail":
            date_to = record.confirmed_date or fields.Datetime.now()
        else:
            date_to = self._day_start(record.date + timedelta(days=1))
        responsible = record.schedule_id.responsible_id or self.env.user
        impact = self.create(
            {
                "calibration_id": record.id,
                "last_pass_calibration_id": last_pass.id,
                "date_from": date_from,
                "date_to": date_to,
                "responsible_id": responsible.id,
            }
        )
        impact._add_lines(impact._collect_line_vals())
        impact.activity_schedule(
            "mail.mail_activity_data_todo",
            user_id=responsible.id,
            summary=self.env._(
                "Assess what %(asset)s measured since its last good calibration",
                asset=record.asset_id.display_name,
            ),
        )
        record.message_post(
            body=self.env._(
                "Found out of tolerance: impact assessment %(name)s opened with "
                "%(count)s line(s).",
                name=impact.name,
                count=len(impact.line_ids),
            )
        )
        return impact

    @api.model
    def _last_passing_record(self, record):
        """The latest current record of the same schedule, on or before
        ``record``, that left the instrument in tolerance."""
        previous = record.schedule_id.calibration_ids._get_current().filtered(
            lambda r: r != record
            and r != record.correction_of_id
            and (r.date, r.id) < (record.date, record.id)
            and r.result in ("pass", "adjusted")
        )
        return previous[:1]

    def _day_start(self, day):
        """UTC time at which ``day`` starts for the user (naive, as stored)."""
        tz = pytz.timezone(self.env.user.tz or "UTC")
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _collect_line_vals(self):
        """Values of the lines: custody periods overlapping the window, usage
        entries in it, then the lots their documents touched."""
        self.ensure_one()
        vals_list = []
        vals_list += self._collect_custody_line_vals()
        usage_domain = [
            ("asset_id", "=", self.asset_id.id),
            ("date", "<", self.date_to),
            ("source", "!=", "custody"),
        ]
        if self.date_from:
            usage_domain.append(("date", ">=", self.date_from))
        usages = self.env["stock.asset.usage"].sudo().search(usage_domain, order="date")
        lots = {}
        for usage in usages:
            vals_list.append(
                {
                    "line_type": "usage",
                    "usage_id": usage.id,
                    "date_from": usage.date,
                    "user_id": usage.user_id.id,
                    "holder_id": usage.user_id.partner_id.id,
                    "res_model": usage.res_model,
                    "res_id": usage.res_id,
                    "res_name": usage.res_name or usage.reference,
                }
            )
            if usage.res_model and usage.res_id:
                document = self.env[usage.res_model].browse(usage.res_id).exists()
                if document:
                    for lot in self.env["stock.asset.usage"]._get_document_lots(
                        document
                    ):
                        lots.setdefault(lot, []).append(usage)
        for lot, lot_usages in lots.items():
            vals_list.append(
                {
                    "line_type": "lot",
                    "lot_id": lot.id,
                    "date_from": lot_usages[0].date,
                    "date_to": lot_usages[-1].date,
                    "user_id": lot_usages[0].user_id.id,
                    "holder_id": lot_usages[0].user_id.partner_id.id,
                    "res_model": lot_usages[0].res_model,
                    "res_id": lot_usages[0].res_id,
                    "res_name": ", ".join(
                        dict.fromkeys(u.res_name or u.reference for u in lot_usages)
                    ),
                }
            )
        return vals_list

    def _collect_custody_line_vals(self):
        """Custody periods of the instrument overlapping the window."""
        self.ensure_one()
        domain = [
            ("asset_id", "=", self.asset_id.id),
            ("date_from", "<", self.date_to),
        ]
        if self.date_from:
            domain += [
                "|",
                ("date_returned", "=", False),
                ("date_returned", ">=", self.date_from),
            ]
        custodies = (
            self.env["stock.asset.custody"].sudo().search(domain, order="date_from")
        )
        return [
            {
                "line_type": "custody",
                "custody_id": custody.id,
                "date_from": custody.date_from,
                "date_to": custody.date_returned,
                "holder_id": custody.holder_id.id,
                "user_id": custody.checkout_user_id.id,
                "res_model": custody._name,
                "res_id": custody.id,
                "res_name": custody.display_name,
            }
            for custody in custodies
        ]

    def _add_lines(self, vals_list):
        """Create the lines not there yet (one per custody period, usage, lot)."""
        self.ensure_one()
        Line = self.env["stock.asset.impact.line"]
        existing = {line._get_key() for line in self.line_ids}
        new = []
        for vals in vals_list:
            key = Line._get_key_of(vals)
            if key in existing:
                continue
            existing.add(key)
            new.append(dict(vals, impact_id=self.id, sequence=len(existing) * 10))
        return Line.create(new)
