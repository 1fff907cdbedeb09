# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL, format_date

from ..common import (
    CALIBRATION_OUT_OF_SERVICE_ASSET_STATES,
    CALIBRATION_STATES,
    EDITABLE_COMPUTE,
    records_action,
    set_counts,
)
from .stock_asset_calibration_kind import INTERVAL_UNITS

SCHEDULE_STATUSES = [s for s in CALIBRATION_STATES if s[0] != "none"]
# A setting of the plan: proposed from the asset's category and the kind of check
# (``_compute_plan_defaults``), then the user's to change, with its changes tracked.
_PLAN_SETTING = {
    "compute": "_compute_plan_defaults",
    "tracking": True,
    **EDITABLE_COMPUTE,
}


def calibration_state(
    today, count, failures, next_due, due_soon, withdrawn=False, asset_state=None
):
    """The calibration rule, its one definition: the status on ``today`` of an
    instrument with ``count`` active schedules, the ``failures`` (set of
    ``failure_state``) found among them and the earliest ``next_due`` and
    ``due_soon`` dates of them; ``withdrawn`` and ``asset_state`` are the
    asset's. One schedule's status is the same rule over that schedule alone.
    The stored compute, the live status of the lookups and refusals, and the
    daily set-based recomputation all call it."""
    if not count:
        return "none"
    if (
        withdrawn
        or asset_state in CALIBRATION_OUT_OF_SERVICE_ASSET_STATES
        or "out_of_service" in failures
    ):
        return "out_of_service"
    if "out_of_tolerance" in failures:
        return "out_of_tolerance"
    if next_due and next_due < today:
        return "overdue"
    if due_soon and due_soon <= today:
        return "due_soon"
    return "valid"


class StockAssetCalibrationSchedule(models.Model):
    """One plan of an instrument: which kind of check, how often, by whom, and when
    it is due next. An asset has one schedule per kind of check it needs."""

    _name = "stock.asset.calibration.schedule"
    _inherit = ["stock.asset.record.mixin", "mail.thread", "mail.activity.mixin"]
    _description = "Calibration Schedule"
    _order = "next_due_date, id"
    _check_company_auto = True

    asset_id = fields.Many2one(ondelete="cascade", tracking=True)
    kind_id = fields.Many2one(
        "stock.asset.calibration.kind",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        default=lambda self: self.env[
            "stock.asset.calibration.kind"
        ]._get_default_kind(),
    )
    metrological = fields.Boolean(related="kind_id.metrological")
    active = fields.Boolean(default=True, tracking=True)
    interval_number = fields.Integer(string="Interval", **_PLAN_SETTING)
    interval_unit = fields.Selection(INTERVAL_UNITS, required=True, **_PLAN_SETTING)
    due_soon_days = fields.Integer(
        string="Due Soon Margin (days)",
        help="The instrument turns 'due soon', and its responsible gets a reminder, "
        "this many days before the due date.",
        **_PLAN_SETTING,
    )
    responsible_id = fields.Many2one(
        "res.users", index=True, domain="[('share', '=', False)]", **_PLAN_SETTING
    )
    provider = fields.Selection(
        [("internal", "Internal"), ("external", "External Laboratory")],
        required=True,
        **_PLAN_SETTING,
    )
    partner_id = fields.Many2one(
        "res.partner", string="Laboratory", check_company=True, **_PLAN_SETTING
    )
    next_due_date = fields.Date(
        required=True,
        index=True,
        tracking=True,
        default=fields.Date.context_today,
        help="Set by each confirmed passing record: its date plus the interval.",
    )
    due_soon_date = fields.Date(
        compute="_compute_due_soon_date",
        store=True,
        index=True,
        help="From this day on the instrument is 'due soon'.",
    )
    calibration_ids = fields.One2many(
        "stock.asset.calibration", "schedule_id", string="Records"
    )
    calibration_count = fields.Integer(compute="_compute_calibration_count")
    last_calibration_id = fields.Many2one(
        "stock.asset.calibration",
        string="Last Record",
        compute="_compute_last_calibration",
        store=True,
    )
    last_calibration_date = fields.Date(compute="_compute_last_calibration", store=True)
    last_result = fields.Selection(
        [("pass", "Pass"), ("adjusted", "Adjusted"), ("fail", "Fail")],
        compute="_compute_last_calibration",
        store=True,
    )
    failure_state = fields.Selection(
        [
            ("out_of_tolerance", "Out of Tolerance"),
            ("out_of_service", "Out of Service"),
        ],
        compute="_compute_last_calibration",
        store=True,
        help="Set while the last confirmed record of the schedule failed.",
    )
    status = fields.Selection(
        SCHEDULE_STATUSES, compute="_compute_status", search="_search_status"
    )
    reminder_due_date = fields.Date(
        readonly=True,
        copy=False,
        help="Due date the last reminder was sent for (no duplicates on rerun).",
    )
    reminder_stage = fields.Selection(
        [("due_soon", "Due Soon"), ("overdue", "Overdue")], readonly=True, copy=False
    )
    note = fields.Text(help="Procedure, ranges, what the laboratory must check.")

    _sql_constraints = [
        (
            "interval_positive",
            "CHECK(interval_number > 0)",
            "Interval: the interval of a calibration schedule must be positive.",
        ),
        (
            "due_soon_days_positive",
            "CHECK(due_soon_days >= 0)",
            "Due Soon Margin: the margin cannot be negative.",
        ),
    ]

    # Computes ----------------------------------------------------------------
    @api.depends("asset_id", "kind_id")
    def _compute_plan_defaults(self):
        for schedule in self:
            category = schedule.asset_id.category_id
            kind = schedule.kind_id
            category_kind = category.calibration_kind_id or kind._get_default_kind()
            if category.calibration_interval_days and kind == category_kind:
                schedule.interval_number = category.calibration_interval_days
                schedule.interval_unit = "days"
            else:
                schedule.interval_number = kind.interval_number or 12
                schedule.interval_unit = kind.interval_unit or "months"
            schedule.due_soon_days = category.calibration_due_soon_days or 14
            schedule.responsible_id = (
                category.calibration_responsible_id
                or schedule.asset_id.user_id
                or schedule.responsible_id
                or self.env.user
            )
            schedule.partner_id = category.calibration_partner_id
            schedule.provider = "external" if schedule.partner_id else "internal"

    @api.depends("next_due_date", "due_soon_days")
    def _compute_due_soon_date(self):
        for schedule in self:
            schedule.due_soon_date = schedule.next_due_date and (
                schedule.next_due_date - timedelta(days=schedule.due_soon_days)
            )

    @api.depends("asset_id.code", "kind_id.name")
    def _compute_display_name(self):
        for schedule in self:
            schedule.display_name = (
                f"{schedule.asset_id.code or ''} · {schedule.kind_id.name or ''}"
            )

    def _compute_calibration_count(self):
        set_counts(self, "calibration_count", "stock.asset.calibration", "schedule_id")

    @api.depends(
        "kind_id.metrological",
        "calibration_ids.state",
        "calibration_ids.date",
        "calibration_ids.result",
        "calibration_ids.superseded",
    )
    def _compute_last_calibration(self):
        for schedule in self:
            last = schedule.calibration_ids._get_current()[:1]
            schedule.last_calibration_id = last
            schedule.last_calibration_date = last.date
            schedule.last_result = last.result
            if last.result == "fail":
                schedule.failure_state = (
                    "out_of_tolerance"
                    if schedule.kind_id.metrological
                    else "out_of_service"
                )
            else:
                schedule.failure_state = False

    @api.depends("failure_state", "next_due_date", "due_soon_date")
    @api.depends_context("tz")
    def _compute_status(self):
        today = fields.Date.context_today(self)
        for schedule in self:
            schedule.status = schedule._status_on(today)

    def _search_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise NotImplementedError(operator)
        wanted = {value} if isinstance(value, str) else set(value or ())
        today = fields.Date.context_today(self)
        domains = {
            "out_of_service": [("failure_state", "=", "out_of_service")],
            "out_of_tolerance": [("failure_state", "=", "out_of_tolerance")],
            "overdue": [("failure_state", "=", False), ("next_due_date", "<", today)],
            "due_soon": [
                ("failure_state", "=", False),
                ("next_due_date", ">=", today),
                ("due_soon_date", "<=", today),
            ],
            "valid": [("failure_state", "=", False), ("due_soon_date", ">", today)],
        }
        domain = expression.OR(
            [domains[status] for status in wanted if status in domains]
            or [expression.FALSE_DOMAIN]
        )
        if operator in ("!=", "not in"):
            return ["!", *domain]
        return domain

    # Constraints ---------------------------------------------------------------
    @api.constrains("provider", "partner_id")
    def _check_provider(self):
        for schedule in self:
            if schedule.provider == "external" and not schedule.partner_id:
                raise ValidationError(
                    self.env._(
                        "Laboratory: schedule %(schedule)s is performed by an "
                        "external laboratory, so the laboratory is required.",
                        schedule=schedule.display_name,
                    )
                )

    # CRUD ----------------------------------------------------------------------
    def write(self, vals):
        frozen = [fname for fname in ("asset_id", "kind_id") if fname in vals]
        if frozen:
            recorded = self.filtered(
                lambda s: any(s[fname].id != vals[fname] for fname in frozen)
                and s.calibration_ids
            )
            if recorded:
                raise UserError(
                    self.env._(
                        "%(fields)s: schedule %(schedule)s already has records; "
                        "its instrument and kind are part of their evidence. "
                        "Archive it and create another schedule instead.",
                        fields=", ".join(self._fields[f].string for f in frozen),
                        schedule=recorded[0].display_name,
                    )
                )
        return super().write(vals)

    # Actions -------------------------------------------------------------------
    def action_record_calibration(self):
        """A new draft record on this schedule."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.asset.calibration",
            "view_mode": "form",
            "name": self.env._("New Record"),
            "context": {
                "default_asset_id": self.asset_id.id,
                "default_schedule_id": self.id,
            },
        }

    def action_view_calibrations(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_calibration_action",
            "schedule_id",
            {
                "default_asset_id": self.asset_id.id,
                "default_schedule_id": self.id,
            },
        )

    # Business helpers ------------------------------------------------------------
    def _status_on(self, today):
        """The schedule's status on ``today`` (``calibration_state`` over this
        schedule alone)."""
        self.ensure_one()
        return calibration_state(
            today,
            1,
            {self.failure_state},
            self.next_due_date,
            self.due_soon_date,
        )

    def _next_due_from(self, date):
        """Due date of a check done on ``date`` under this schedule."""
        self.ensure_one()
        if self.interval_unit == "months":
            return date + relativedelta(months=self.interval_number)
        return date + timedelta(days=self.interval_number)

    @api.model
    def _calibration_states_of(self, assets, today):
        """``{asset: calibration_state}`` of ``assets`` on ``today``, from their
        active schedules (``calibration_state``, the rule)."""
        states = {}
        for asset in assets:
            schedules = asset.calibration_schedule_ids.filtered("active")
            states[asset] = calibration_state(
                today,
                len(schedules),
                set(schedules.mapped("failure_state")),
                min(schedules.mapped("next_due_date"), default=None),
                min(schedules.mapped("due_soon_date"), default=None),
                asset.calibration_withdrawn,
                asset.state,
            )
        return states

    @api.model
    def _recompute_calibration_states(self, today=None):
        """Set ``stock.asset.calibration_state`` of every asset from its schedules
        on ``today``: one statement reads each asset's schedules in aggregate,
        the rule (``calibration_state``) judges them, and only the assets whose
        state changed are written (``stock.asset._bulk_set_calibration_states``).
        Returns the ids of those assets."""
        today = today or fields.Date.context_today(self)
        self.flush_model(
            ["asset_id", "active", "failure_state", "next_due_date", "due_soon_date"]
        )
        self.env["stock.asset"].flush_model(
            ["state", "calibration_withdrawn", "calibration_state"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT a.id, a.calibration_state, a.calibration_withdrawn, a.state,
                       count(s.id), array_agg(DISTINCT s.failure_state),
                       min(s.next_due_date), min(s.due_soon_date)
                  FROM stock_asset a
                  LEFT JOIN stock_asset_calibration_schedule s
                    ON s.asset_id = a.id AND s.active
                 GROUP BY a.id
                 ORDER BY a.id
                """
            )
        )
        changed = {}
        for asset_id, stored, withdrawn, state, *schedules in self.env.cr.fetchall():
            wanted = calibration_state(
                today, *schedules, withdrawn=withdrawn, asset_state=state
            )
            if wanted != stored:
                changed[asset_id] = wanted
        self.env["stock.asset"]._bulk_set_calibration_states(changed)
        return list(changed)

    @api.model
    def _send_reminders(self, today=None):
        """One activity per schedule for its responsible: when it turns due soon,
        and again when it turns overdue. The due date and stage reminded are kept
        on the schedule, so a rerun creates nothing new. Returns the activities
        (created, or turned from due soon into overdue).

        Longer than most methods because it is one statement that picks the
        schedules to remind (a nightly run over thousands of instruments) and one
        pass that creates or advances their activities; split, the two halves
        would share every variable."""
        today = today or fields.Date.context_today(self)
        self.flush_model()
        self.env["stock.asset"].flush_model(["active", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT s.id
                  FROM stock_asset_calibration_schedule s
                  JOIN stock_asset a ON a.id = s.asset_id
                 WHERE s.active AND a.active AND a.state != 'disposed'
                   AND s.responsible_id IS NOT NULL
                   AND s.due_soon_date <= %(today)s
                   AND (s.reminder_due_date IS DISTINCT FROM s.next_due_date
                        OR (s.next_due_date < %(today)s
                            AND s.reminder_stage IS DISTINCT FROM 'overdue'))
                 ORDER BY s.id
                """,
                today=today,
            )
        )
        schedules = self.browse([row[0] for row in self.env.cr.fetchall()])
        activity_type = self._get_reminder_activity_type()
        Activity = self.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        )
        if not schedules:
            return Activity
        # the due-soon reminder of the same due date and responsible turns into
        # the overdue one in place; other earlier reminders give way
        existing = {
            activity.res_id: (activity.id, activity.user_id.id, activity.date_deadline)
            for activity in Activity.search_fetch(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", schedules.ids),
                    ("activity_type_id", "=", activity_type.id),
                ],
                ["res_id", "user_id", "date_deadline"],
            )
        }
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list, kept, replaced = [], {}, []
        overdue_ids, due_soon_ids = [], []
        date_labels = {}  # formatting a date looks the language up: once per date
        for schedule in schedules:
            overdue = schedule.next_due_date < today
            (overdue_ids if overdue else due_soon_ids).append(schedule.id)
            summary = schedule._reminder_summary(overdue, date_labels)
            activity_id, user_id, deadline = existing.get(schedule.id, (0, 0, None))
            if (
                activity_id
                and user_id == schedule.responsible_id.id
                and deadline == schedule.next_due_date
            ):
                kept[activity_id] = summary
                continue
            if activity_id:
                replaced.append(activity_id)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": schedule.id,
                    "activity_type_id": activity_type.id,
                    "user_id": schedule.responsible_id.id,
                    "date_deadline": schedule.next_due_date,
                    "summary": summary,
                }
            )
        Activity.browse(replaced).unlink()
        # one UPDATE at the flush: the ORM groups the summaries of all of them
        for activity_id, summary in kept.items():
            Activity.browse(activity_id).write({"summary": summary})
        activities = Activity.create(vals_list) | Activity.browse(list(kept))
        for stage, ids in (("overdue", overdue_ids), ("due_soon", due_soon_ids)):
            if ids:
                self.env.cr.execute(
                    SQL(
                        """
                        UPDATE stock_asset_calibration_schedule
                           SET reminder_due_date = next_due_date,
                               reminder_stage = %(stage)s
                         WHERE id = ANY(%(ids)s)
                        """,
                        stage=stage,
                        ids=ids,
                    )
                )
        self.invalidate_model(["reminder_due_date", "reminder_stage"])
        return activities

    def _reminder_summary(self, overdue, date_labels=None):
        self.ensure_one()
        date_labels = {} if date_labels is None else date_labels
        day = self.next_due_date
        if day not in date_labels:
            date_labels[day] = format_date(self.env, day)
        if overdue:
            return self.env._(
                "%(kind)s overdue: %(code)s %(name)s (due %(date)s)",
                kind=self.kind_id.name,
                code=self.asset_id.code,
                name=self.asset_id.name,
                date=date_labels[day],
            )
        return self.env._(
            "%(kind)s due: %(code)s %(name)s (by %(date)s)",
            kind=self.kind_id.name,
            code=self.asset_id.code,
            name=self.asset_id.name,
            date=date_labels[day],
        )

    @api.model
    def _get_reminder_activity_type(self):
        return self.env.ref("stock_asset_tracking.mail_activity_type_calibration_due")

    def _close_reminders(self, feedback):
        """Mark the open reminders of the schedules done (a record was confirmed)."""
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("activity_type_id", "=", self._get_reminder_activity_type().id),
            ]
        )
        if activities:
            activities.action_feedback(feedback=feedback)

    @api.model
    def _cron_daily(self, today=None):
        """Daily: calibration states whose thresholds were crossed, then reminders."""
        self._recompute_calibration_states(today)
        self._send_reminders(today)
        return True
