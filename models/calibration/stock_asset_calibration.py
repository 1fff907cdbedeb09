# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..common import EDITABLE_COMPUTE, records_action, set_counts

RESULTS = [("pass", "Pass"), ("adjusted", "Adjusted"), ("fail", "Fail")]


class StockAssetCalibration(models.Model):
    """The evidence of one calibration, verification, test or service of an
    instrument. Immutable once confirmed: a correction is a new record that
    references the one it corrects."""

    _name = "stock.asset.calibration"
    _inherit = [
        "stock.asset.record.mixin",
        "stock.asset.reference.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _description = "Calibration Record"
    _order = "date desc, id desc"
    _check_company_auto = True

    asset_id = fields.Many2one(string="Instrument", tracking=True)
    schedule_id = fields.Many2one(
        "stock.asset.calibration.schedule",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        compute="_compute_schedule_id",
        domain="[('asset_id', '=', asset_id)]",
        tracking=True,
        **EDITABLE_COMPUTE,
    )
    kind_id = fields.Many2one(
        related="schedule_id.kind_id", store=True, index=True, string="Kind"
    )
    metrological = fields.Boolean(related="kind_id.metrological")
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed")],
        required=True,
        default="draft",
        copy=False,
        index=True,
        tracking=True,
    )
    date = fields.Date(
        required=True,
        index=True,
        tracking=True,
        default=fields.Date.context_today,
        help="Day the instrument was calibrated (or checked).",
    )
    performer_type = fields.Selection(
        [("internal", "Internal"), ("external", "External Laboratory")],
        string="Performed",
        required=True,
        compute="_compute_performer",
        tracking=True,
        **EDITABLE_COMPUTE,
    )
    technician_id = fields.Many2one(
        "res.users",
        string="Performed By",
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Laboratory",
        compute="_compute_performer",
        check_company=True,
        tracking=True,
        **EDITABLE_COMPUTE,
    )
    certificate_number = fields.Char(tracking=True, copy=False)
    certificate_file = fields.Binary(
        string="Certificate", attachment=True, copy=False, tracking=True
    )
    certificate_filename = fields.Char(copy=False)
    reference_ids = fields.Many2many(
        "stock.asset",
        "stock_asset_calibration_reference_rel",
        "calibration_id",
        "asset_id",
        string="Reference Standards",
        check_company=True,
        tracking=True,
        domain="[('id', '!=', asset_id)]",
        help="Instruments used as references; each must hold a valid calibration "
        "on the record's date.",
    )
    temperature = fields.Float(
        string="Temperature (°C)",
        digits=(6, 2),
        help="Ambient temperature during the calibration; 0: not recorded (the "
        "certificate then leaves it out).",
    )
    humidity = fields.Float(
        string="Relative Humidity (%)",
        digits=(6, 2),
        help="Relative humidity during the calibration; 0: not recorded (the "
        "certificate then leaves it out).",
    )
    environment_note = fields.Text(
        string="Environmental Conditions",
        help="Conditions during the measurement (pressure, stabilisation, ...).",
    )
    point_ids = fields.One2many(
        "stock.asset.calibration.point",
        "calibration_id",
        string="Measurement Points",
        copy=True,
    )
    result = fields.Selection(
        RESULTS,
        compute="_compute_result",
        store=True,
        readonly=False,
        tracking=True,
        help="Computed from the measurement points when there are any: pass (all "
        "found in tolerance), adjusted (some found out, all left in), fail. "
        "Chosen by hand for records without points (safety tests, service).",
    )
    as_found_failed = fields.Boolean(
        string="As-Found Out of Tolerance",
        compute="_compute_as_found_failed",
        store=True,
        help="The instrument was found out of tolerance: confirming the record "
        "opens an impact assessment of what it measured since its last good "
        "calibration.",
    )
    next_due_date = fields.Date(
        readonly=True,
        copy=False,
        help="Due date this record gave its schedule (its date plus the interval).",
    )
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_date = fields.Datetime(readonly=True, copy=False)
    correction_of_id = fields.Many2one(
        "stock.asset.calibration",
        string="Corrects",
        index="btree_not_null",
        copy=False,
        check_company=True,
        tracking=True,
        domain="[('asset_id', '=', asset_id), ('state', '=', 'confirmed')]",
        help="The confirmed record this one corrects; it is superseded once this "
        "one is confirmed.",
    )
    correction_ids = fields.One2many(
        "stock.asset.calibration", "correction_of_id", string="Corrections"
    )
    superseded = fields.Boolean(
        compute="_compute_superseded",
        store=True,
        help="A confirmed correction replaces this record.",
    )
    impact_ids = fields.One2many(
        "stock.asset.impact", "calibration_id", string="Impact Assessments"
    )
    impact_count = fields.Integer(compute="_compute_impact_count")
    note = fields.Html(string="Notes")

    # Computes ----------------------------------------------------------------
    @api.depends("asset_id")
    def _compute_schedule_id(self):
        for record in self:
            if record.schedule_id.asset_id != record.asset_id:
                record.schedule_id = record.asset_id.calibration_schedule_ids[:1]

    @api.depends("schedule_id")
    def _compute_performer(self):
        for record in self:
            record.performer_type = record.schedule_id.provider or "internal"
            record.partner_id = record.schedule_id.partner_id

    @api.depends("point_ids.result", "point_ids.as_found")
    def _compute_result(self):
        for record in self:
            if record.point_ids:
                record.result = record._points_result()
            else:
                record.result = record.result

    @api.depends("result", "point_ids.as_found_ok")
    def _compute_as_found_failed(self):
        for record in self:
            if record.point_ids:
                record.as_found_failed = not all(record.point_ids.mapped("as_found_ok"))
            else:
                record.as_found_failed = record.result in ("adjusted", "fail")

    @api.depends("correction_ids.state")
    def _compute_superseded(self):
        for record in self:
            record.superseded = any(
                correction.state == "confirmed" for correction in record.correction_ids
            )

    def _compute_impact_count(self):
        set_counts(self, "impact_count", "stock.asset.impact", "calibration_id")

    # Constraints ---------------------------------------------------------------
    @api.constrains("date")
    def _check_date_not_future(self):
        today = fields.Date.context_today(self)
        for record in self:
            if record.date > today:
                raise ValidationError(
                    self.env._(
                        "Date: record %(name)s is dated %(date)s, after today "
                        "(%(today)s); a calibration record cannot be dated in the "
                        "future.",
                        name=record.name,
                        date=format_date(self.env, record.date),
                        today=format_date(self.env, today),
                    )
                )

    @api.constrains("schedule_id", "asset_id")
    def _check_schedule_asset(self):
        for record in self:
            if record.schedule_id.asset_id != record.asset_id:
                raise ValidationError(
                    self.env._(
                        "Schedule: %(schedule)s plans another instrument than "
                        "%(asset)s; a record belongs to a schedule of its own "
                        "instrument.",
                        schedule=record.schedule_id.display_name,
                        asset=record.asset_id.display_name,
                    )
                )

    @api.constrains("reference_ids", "date")
    def _check_reference_standards(self):
        for record in self.filtered(lambda r: r.state == "draft"):
            record._raise_reference_problems()

    @api.constrains("correction_of_id")
    def _check_correction_of(self):
        for record in self.filtered("correction_of_id"):
            old = record.correction_of_id
            if old == record or old.state != "confirmed":
                raise ValidationError(
                    self.env._(
                        "Corrects: record %(old)s is not a confirmed record; only "
                        "confirmed records are corrected (drafts are edited).",
                        old=old.name,
                    )
                )
            if old.schedule_id != record.schedule_id:
                raise ValidationError(
                    self.env._(
                        "Corrects: record %(old)s is of schedule %(schedule)s; a "
                        "correction belongs to the schedule of the record it "
                        "corrects.",
                        old=old.name,
                        schedule=old.schedule_id.display_name,
                    )
                )

    # CRUD ----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "draft") != "draft" for vals in vals_list):
            raise UserError(
                self.env._(
                    "Status: a calibration record is created as a draft, then "
                    "confirmed."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_editable(
            ", ".join(
                self._fields[fname].string
                for fname in vals
                if fname in self._fields and fname not in self._free_fields()
            ),
            vals,
        )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_confirmed(self):
        confirmed = self.filtered(lambda r: r.state == "confirmed")
        if confirmed:
            raise UserError(
                self.env._(
                    "Status: record %(names)s is confirmed; a confirmed calibration "
                    "record is evidence and cannot be deleted.",
                    names=", ".join(confirmed.mapped("name")),
                )
            )

    # Actions -------------------------------------------------------------------
    def action_confirm(self):
        """Confirm the records in date order: each checked, frozen, moving its
        schedule's next due date and, when found out of tolerance, opening an
        impact assessment."""
        for record in self.sorted(lambda r: (r.date, r.id)):
            record._check_confirmable()
            next_due = (
                record.schedule_id._next_due_from(record.date)
                if record.result != "fail"
                else False
            )
            record.write(
                {
                    "state": "confirmed",
                    "next_due_date": next_due,
                    "confirmed_by_id": self.env.user.id,
                    "confirmed_date": fields.Datetime.now(),
                }
            )
            schedule = record.schedule_id
            if next_due and schedule.last_calibration_id == record:
                schedule.next_due_date = next_due
            schedule._close_reminders(
                self.env._("Record %(name)s confirmed.", name=record.name)
            )
            if record.as_found_failed and record.metrological:
                record._open_impact()
        return True

    def action_correct(self):
        """A draft copy of this confirmed record that corrects it."""
        self.ensure_one()
        if self.state != "confirmed":
            raise UserError(
                self.env._(
                    "Status: record %(name)s is a draft; edit it instead of "
                    "correcting it.",
                    name=self.name,
                )
            )
        correction = self.copy(
            {
                "correction_of_id": self.id,
                "schedule_id": self.schedule_id.id,
                "performer_type": self.performer_type,
                "partner_id": self.partner_id.id,
                "certificate_number": self.certificate_number,
                "result": self.result,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": correction.id,
            "view_mode": "form",
            "name": correction.name,
        }

    def action_print_certificate(self):
        return self.env.ref(
            "stock_asset_tracking.stock_asset_calibration_report_action"
        ).report_action(self)

    def action_view_impacts(self):
        action = records_action(
            self, "stock_asset_tracking.stock_asset_impact_action", "calibration_id"
        )
        if len(self.impact_ids) == 1:
            action.update(res_id=self.impact_ids.id, view_mode="form", views=False)
        return action

    # Business helpers ------------------------------------------------------------
    @api.model
    def _free_fields(self):
        """Fields a confirmed record still accepts: its chatter and activities."""
        return set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )

    def _check_editable(self, field_labels, vals=None):
        """Refuse to change a confirmed record (or its points)."""
        if vals is not None and not field_labels:
            return
        confirmed = self.filtered(lambda r: r.state == "confirmed")
        if confirmed:
            raise UserError(
                self.env._(
                    "%(fields)s: record %(names)s is confirmed; a confirmed "
                    "calibration record cannot be edited. Record a correction "
                    "that references it instead.",
                    fields=field_labels,
                    names=", ".join(confirmed.mapped("name")),
                )
            )

    def _get_current(self):
        """The confirmed records that no correction replaces, latest first."""
        return self.filtered(
            lambda r: r.state == "confirmed" and not r.superseded
        ).sorted(lambda r: (r.date, r.id), reverse=True)

    def _points_result(self):
        self.ensure_one()
        results = set(self.point_ids.mapped("result"))
        if False in results:
            return False
        if "fail" in results:
            return "fail"
        if "adjusted" in results:
            return "adjusted"
        return "pass"

    def _check_confirmable(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                self.env._(
                    "Status: record %(name)s is already confirmed.", name=self.name
                )
            )
        self.point_ids._check_confirmable()
        if not self.result:
            raise ValidationError(
                self.env._(
                    "Result: record %(name)s has no result; enter its measurement "
                    "points or choose pass, adjusted or fail.",
                    name=self.name,
                )
            )
        if self.point_ids and self.result != self._points_result():
            labels = dict(RESULTS)
            raise ValidationError(
                self.env._(
                    "Result: the measurement points of record %(name)s give "
                    "%(points)s; the result cannot say %(result)s.",
                    name=self.name,
                    points=labels[self._points_result()],
                    result=labels[self.result],
                )
            )
        if self.performer_type == "external":
            if not self.partner_id:
                raise ValidationError(
                    self.env._(
                        "Laboratory: record %(name)s was performed by an external "
                        "laboratory, so the laboratory is required.",
                        name=self.name,
                    )
                )
            if not self.certificate_number:
                raise ValidationError(
                    self.env._(
                        "Certificate Number: record %(name)s was performed by an "
                        "external laboratory, so its certificate number is "
                        "required.",
                        name=self.name,
                    )
                )
        elif not self.technician_id:
            raise ValidationError(
                self.env._(
                    "Performed By: record %(name)s was performed internally, so "
                    "the technician is required.",
                    name=self.name,
                )
            )
        if self.correction_of_id.superseded:
            raise ValidationError(
                self.env._(
                    "Corrects: record %(old)s is already superseded by a "
                    "correction; correct the latest one.",
                    old=self.correction_of_id.name,
                )
            )
        self._raise_reference_problems()

    def _raise_reference_problems(self):
        self.ensure_one()
        problems = [
            problem
            for standard in self.reference_ids
            if (problem := self._standard_problem(standard, self.date))
        ]
        if problems:
            raise ValidationError(
                self.env._(
                    "Reference Standards: %(problems)s. A reference standard must "
                    "hold a valid calibration on the record's date.",
                    problems="; ".join(problems),
                )
            )

    def _standard_problem(self, standard, date):
        """Why ``standard`` was not a valid reference on ``date`` (None if it was):
        every active metrological schedule of it must have a confirmed, passing
        record on or before ``date`` whose due date is not passed."""
        self.ensure_one()
        label = f"{standard.code} ({standard.name})"
        day = format_date(self.env, date)
        if standard.company_id != self.company_id:
            return None  # the company check refuses it
        if standard == self.asset_id:
            return self.env._("%(standard)s is the instrument itself", standard=label)
        schedules = standard.calibration_schedule_ids.filtered("metrological")
        if not schedules:
            return self.env._(
                "%(standard)s has no calibration schedule", standard=label
            )
        if standard.calibration_withdrawn:
            return self.env._("%(standard)s is withdrawn from service", standard=label)
        for schedule in schedules:
            current = schedule.calibration_ids._get_current()
            last = current.filtered(lambda r, d=date: r.date <= d)[:1]
            if not last:
                return self.env._(
                    "%(standard)s had no confirmed %(kind)s on or before %(date)s",
                    standard=label,
                    kind=schedule.kind_id.name,
                    date=day,
                )
            if last.result == "fail":
                return self.env._(
                    "%(standard)s was out of tolerance on %(date)s (record "
                    "%(record)s)",
                    standard=label,
                    date=day,
                    record=last.name,
                )
            due = schedule.next_due_date if last == current[:1] else last.next_due_date
            if due and due < date:
                return self.env._(
                    "%(standard)s was overdue on %(date)s (%(kind)s due " "%(due)s)",
                    standard=label,
                    date=day,
                    kind=schedule.kind_id.name,
                    due=format_date(self.env, due),
                )
        return None

    def _open_impact(self):
        """The impact assessment of this out-of-tolerance record (a correction
        reuses the one of the record it corrects)."""
        self.ensure_one()
        earlier = self.correction_of_id.impact_ids
        if earlier:
            earlier[:1].message_post(
                body=self.env._(
                    "Record %(new)s corrects %(old)s, which opened this assessment.",
                    new=self.name,
                    old=self.correction_of_id.name,
                )
            )
            return earlier[:1]
        return self.env["stock.asset.impact"]._open_for(self)
