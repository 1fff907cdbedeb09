# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

#: the fields that move a meter schedule's due date
_DUE_FIELDS = {
    "meter_id",
    "meter_interval",
    "meter_only",
    "meter_last_value",
    "next_due_date",
    "time_due_date",
}


class StockAssetCalibrationSchedule(models.Model):
    """A schedule may also fall due on a meter: when the meter reaches its value
    when last done plus an interval in meter units. Its due date
    (``next_due_date``, what the status, reminders and asset state read) is the
    earlier of the time due date and the day the meter reached or is forecast to
    reach its threshold; a meter-only schedule keeps the time due date while
    there are too few readings to forecast."""

    _inherit = "stock.asset.calibration.schedule"

    time_due_date = fields.Date(
        string="Due by Time",
        copy=False,
        help="The due date by the time interval alone (each confirmed passing "
        "record sets it).",
    )
    meter_id = fields.Many2one(
        "stock.asset.meter",
        index="btree_not_null",
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain="[('asset_id', '=', asset_id)]",
    )
    meter_unit = fields.Selection(related="meter_id.unit")
    meter_interval = fields.Float(
        string="Every (Meter)",
        digits=(16, 2),
        tracking=True,
        help="Due again after this much use, in the meter's unit.",
    )
    meter_only = fields.Boolean(
        string="Due on Meter Only",
        tracking=True,
        help="Due on the meter instead of time; the time due date only stands "
        "while there are too few readings to forecast.",
    )
    meter_last_value = fields.Float(
        string="Meter When Last Done",
        digits=(16, 2),
        tracking=True,
        help="The meter's value at the last confirmed passing record (its value "
        "when the meter was set on the schedule before that).",
    )
    meter_due_value = fields.Float(
        string="Due at Meter",
        digits=(16, 2),
        compute="_compute_meter_due_value",
        store=True,
    )
    meter_current_value = fields.Float(
        related="meter_id.current_value", string="Meter Now"
    )
    meter_reached = fields.Boolean(
        compute="_compute_meter_reached", string="Meter Threshold Reached"
    )
    meter_rate = fields.Float(
        string="Use per Day",
        digits=(16, 2),
        readonly=True,
        copy=False,
        help="The recent rate of use: over the readings of the last 90 days "
        "(system parameter stock_asset_tracking.meter_rate_days).",
    )
    meter_forecast_date = fields.Date(
        string="Meter Due Date",
        readonly=True,
        copy=False,
        help="The day the meter reached its threshold, or the forecast of it "
        "from the recent rate of use.",
    )

    @api.depends("meter_id", "meter_last_value", "meter_interval")
    def _compute_meter_due_value(self):
        for schedule in self:
            schedule.meter_due_value = (
                schedule.meter_last_value + schedule.meter_interval
                if schedule.meter_id
                else 0.0
            )

    @api.depends("meter_id.current_value", "meter_due_value")
    def _compute_meter_reached(self):
        for schedule in self:
            schedule.meter_reached = bool(
                schedule.meter_id
                and schedule.meter_id.reading_ids
                and schedule.meter_current_value >= schedule.meter_due_value
            )

    @api.constrains("meter_id", "meter_interval", "asset_id")
    def _check_meter(self):
        for schedule in self.filtered("meter_id"):
            if schedule.meter_id.asset_id != schedule.asset_id:
                raise ValidationError(
                    self.env._(
                        "Meter: meter %(meter)s is not a meter of %(asset)s, the "
                        "instrument of schedule %(schedule)s.",
                        meter=schedule.meter_id.display_name,
                        asset=schedule.asset_id.code,
                        schedule=schedule.display_name,
                    )
                )
            if schedule.meter_interval <= 0:
                raise ValidationError(
                    self.env._(
                        "Every (Meter): the meter interval of schedule "
                        "%(schedule)s must be positive.",
                        schedule=schedule.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        Meter = self.env["stock.asset.meter"]
        for vals in vals_list:
            if vals.get("meter_id") and "meter_last_value" not in vals:
                vals["meter_last_value"] = Meter.browse(vals["meter_id"]).current_value
        schedules = super().create(vals_list)
        for schedule in schedules.filtered(lambda s: not s.time_due_date):
            schedule.with_context(
                meter_due_sync=True
            ).time_due_date = schedule.next_due_date
        schedules.filtered("meter_id")._sync_meter_due()
        return schedules

    def write(self, vals):
        if self.env.context.get("meter_due_sync"):
            return super().write(vals)
        if "next_due_date" in vals:
            vals = dict(vals, time_due_date=vals["next_due_date"])
        if vals.get("meter_id") and "meter_last_value" not in vals:
            meter = self.env["stock.asset.meter"].browse(vals["meter_id"])
            vals = dict(vals, meter_last_value=meter.current_value)
        result = super().write(vals)
        if _DUE_FIELDS & set(vals):
            self._sync_meter_due()
        return result

    def _sync_meter_due(self):
        """Set the due date from the time due date and the meter's forecast."""
        for schedule in self:
            time_due = schedule.time_due_date or schedule.next_due_date
            forecast, rate = None, 0.0
            if schedule.meter_id:
                forecast, rate = schedule.meter_id._forecast(schedule.meter_due_value)
            due = time_due
            if forecast:
                due = forecast if schedule.meter_only else min(time_due, forecast)
            vals = {
                "meter_forecast_date": forecast or False,
                "meter_rate": rate,
                "next_due_date": due,
            }
            changed = {
                name: value for name, value in vals.items() if schedule[name] != value
            }
            if changed:
                # a forecast moves with each reading: no chatter line for each
                schedule.with_context(meter_due_sync=True, tracking_disable=True).write(
                    changed
                )
