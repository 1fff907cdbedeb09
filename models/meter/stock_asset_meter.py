# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import timedelta
from itertools import pairwise

from odoo import api, fields, models

from ..common import set_counts

METER_UNITS = [
    ("hours", "Hours"),
    ("cycles", "Cycles"),
    ("km", "Kilometres"),
    ("shots", "Shots"),
    ("other", "Other"),
]
#: the days of readings, before the latest one, the rate of use is taken over
RATE_DAYS_PARAM = "stock_asset_tracking.meter_rate_days"
RATE_DAYS_DEFAULT = 90
METER_NAME_MAX = 64


def format_value(value):
    """A meter value as people write it: ``1234.5``, ``50000``."""
    return f"{value:f}".rstrip("0").rstrip(".")


class StockAssetMeter(models.Model):
    """A usage counter of an asset (running hours, cycles, kilometres, shots),
    read by hand, by a scan or from the usage log."""

    _name = "stock.asset.meter"
    _inherit = ["stock.asset.record.mixin"]
    _description = "Asset Meter"
    _order = "asset_id, sequence, id"
    _check_company_auto = True

    # a meter and its readings go with their asset
    asset_id = fields.Many2one(ondelete="cascade")
    name = fields.Char(
        required=True,
        size=METER_NAME_MAX,
        help="What a reader sends in a scan's meter, e.g. 'hours' (any case).",
    )
    sequence = fields.Integer(default=10)
    unit = fields.Selection(METER_UNITS, required=True, default="hours")
    active = fields.Boolean(default=True)
    count_usage = fields.Boolean(
        string="Count Usage Log",
        help="Each use logged for the asset (usage log, 'use' scans) adds one "
        "to this meter.",
    )
    reading_ids = fields.One2many(
        "stock.asset.meter.reading", "meter_id", string="Readings"
    )
    reading_count = fields.Integer(compute="_compute_reading_count")
    current_value = fields.Float(compute="_compute_current", store=True, digits=(16, 2))
    last_reading_date = fields.Datetime(compute="_compute_current", store=True)

    _sql_constraints = [
        (
            "name_asset_unique",
            "UNIQUE(asset_id, name)",
            "Name: an asset has one meter of each name.",
        ),
    ]

    @api.depends("reading_ids.value", "reading_ids.date")
    def _compute_current(self):
        for meter in self:
            last = meter.reading_ids.sorted(lambda r: (r.date, r.id))[-1:]
            meter.current_value = last.value
            meter.last_reading_date = last.date

    def _compute_reading_count(self):
        set_counts(self, "reading_count", "stock.asset.meter.reading", "meter_id")

    @api.depends("asset_id.code", "name")
    def _compute_display_name(self):
        for meter in self:
            meter.display_name = f"{meter.asset_id.code or ''} · {meter.name or ''}"

    # Actions -------------------------------------------------------------------
    def action_add_reading(self):
        """A new reading of this meter, in a dialog."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "stock.asset.meter.reading",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "name": self.env._("Meter Reading"),
            "context": {
                "default_meter_id": self.id,
                "meter_asset_id": self.asset_id.id,
            },
        }

    def action_view_readings(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_meter_reading_action"
        )
        action["domain"] = [("meter_id", "in", self.ids)]
        action["context"] = (
            {"default_meter_id": self.id, "meter_asset_id": self.asset_id.id}
            if len(self) == 1
            else {}
        )
        return action

    # Business helpers ------------------------------------------------------------
    def _meter_schedules(self):
        """The schedules that fall due on these meters. The due date follows the
        meter whoever reads it (a reader may not edit schedules): sudo."""
        return (
            self.env["stock.asset.calibration.schedule"]
            .sudo()
            .with_context(active_test=False)
            .search([("meter_id", "in", self.ids)])
        )

    def _sync_schedules(self):
        if self:
            self._meter_schedules()._sync_meter_due()

    def _sorted_readings(self):
        self.ensure_one()
        return self.reading_ids.sorted(lambda r: (r.date, r.id))

    def _value_at(self, moment):
        """The meter's value at ``moment`` (its last reading then), else its
        current value."""
        self.ensure_one()
        before = self._sorted_readings().filtered(lambda r: r.date <= moment)
        return before[-1].value if before else self.current_value

    def _rate_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param(RATE_DAYS_PARAM)
        try:
            days = int(value)
        except (TypeError, ValueError):
            return RATE_DAYS_DEFAULT
        return days if days > 0 else RATE_DAYS_DEFAULT

    def _rate(self):
        """Use per day over the readings of the last ``meter_rate_days`` days
        before the latest reading (a meter reset adds no use); 0.0 when there are
        too few readings to tell."""
        self.ensure_one()
        readings = self._sorted_readings()
        if len(readings) < 2:
            return 0.0
        since = readings[-1].date - timedelta(days=self._rate_days())
        window = readings.filtered(lambda r: r.date >= since)
        if len(window) < 2:
            return 0.0
        used = sum(
            0.0 if current.reset else current.value - previous.value
            for previous, current in pairwise(window)
        )
        days = (window[-1].date - window[0].date).total_seconds() / 86400
        return used / days if days > 0 and used > 0 else 0.0

    def _forecast(self, due_value):
        """``(date, rate)``: the day the meter reaches ``due_value`` (the day of
        the reading that reached it, or a forecast from the rate of use; None
        when unknown) and the rate of use per day."""
        self.ensure_one()
        readings = self._sorted_readings()
        rate = self._rate()
        if not readings:
            return None, rate
        resets = readings.filtered("reset")
        since = resets[-1:] if resets else readings[:1]
        current = readings.filtered(lambda r: (r.date, r.id) >= (since.date, since.id))
        reached = current.filtered(lambda r: r.value >= due_value)[:1]
        if reached:
            return reached.date.date(), rate
        if not rate:
            return None, rate
        last = readings[-1]
        days = (due_value - last.value) / rate
        return (last.date + timedelta(days=days)).date(), rate
