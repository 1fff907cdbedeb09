# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import math
from itertools import pairwise

from odoo import api, fields, models
from odoo.exceptions import UserError

from .stock_asset_meter import format_value

READING_SOURCES = [("manual", "By Hand"), ("scan", "Scan"), ("usage", "Usage Log")]


class StockAssetMeterReading(models.Model):
    """One value read on a meter at a time. A meter only counts up: a value
    lower than the reading before it is refused unless marked as a meter reset
    (the counter was reset or replaced)."""

    _name = "stock.asset.meter.reading"
    _description = "Meter Reading"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "meter_id"

    meter_id = fields.Many2one(
        "stock.asset.meter",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    asset_id = fields.Many2one(
        related="meter_id.asset_id", store=True, index=True, precompute=True
    )
    company_id = fields.Many2one(
        related="meter_id.company_id", store=True, index=True, precompute=True
    )
    unit = fields.Selection(related="meter_id.unit")
    date = fields.Datetime(required=True, index=True, default=fields.Datetime.now)
    value = fields.Float(required=True, digits=(16, 2))
    source = fields.Selection(READING_SOURCES, required=True, default="manual")
    user_id = fields.Many2one(
        "res.users", string="Read By", default=lambda self: self.env.user
    )
    reset = fields.Boolean(
        string="Meter Reset",
        help="The counter was reset or replaced: this value may be lower than "
        "the one before it; the schedules of the meter keep what remained of "
        "their interval.",
    )
    note = fields.Char()

    @api.model_create_multi
    def create(self, vals_list):
        readings = super().create(vals_list)
        readings._check_values()
        readings.filtered("reset")._shift_schedules()
        readings.meter_id._sync_schedules()
        return readings

    def write(self, vals):
        meters = self.meter_id
        result = super().write(vals)
        if {"value", "date", "reset", "meter_id"} & set(vals):
            self._check_values()
            (meters | self.meter_id)._sync_schedules()
        return result

    def unlink(self):
        meters = self.meter_id
        result = super().unlink()
        meters.exists()._sync_schedules()
        return result

    # Rules ---------------------------------------------------------------------
    def _value_problem(self):
        """Why this reading's value is not a meter value, or None."""
        if not math.isfinite(self.value) or self.value < 0:
            return self.env._(
                "Value: %(value)s on meter %(meter)s of asset %(asset)s is not a "
                "meter value; a meter counts up from zero.",
                value=self.value,
                meter=self.meter_id.name,
                asset=self.asset_id.code or self.asset_id.name,
            )
        return None

    def _check_values(self):
        """Refuse a value that is not a meter value, or lower than the reading
        before it (or higher than a later one) unless it is a meter reset."""
        for reading in self:
            problem = reading._value_problem()
            if problem:
                raise UserError(problem)
        for meter in self.meter_id:
            readings = meter._sorted_readings()
            for previous, current in pairwise(readings):
                if current.reset or current.value >= previous.value:
                    continue
                if current in self or previous in self:
                    raise UserError(
                        self._lower_message(
                            meter, current.value, previous.value, current.reset
                        )
                    )

    @api.model
    def _lower_message(self, meter, value, last, reset=False):
        return self.env._(
            "Meter reading: %(value)s on meter %(meter)s of asset %(asset)s is "
            "lower than the last reading %(last)s; mark it as a meter reset if the "
            "counter was reset or replaced.",
            value=format_value(value),
            last=format_value(last),
            meter=meter.name,
            asset=meter.asset_id.code or meter.asset_id.name,
        )

    @api.model
    def _problem_at(self, meter, moment, value):
        """Why ``value`` read on ``meter`` at ``moment`` would be refused, or
        None (the rule of :meth:`_check_values`, for a reading not yet made)."""
        readings = meter._sorted_readings()
        before = readings.filtered(lambda r: r.date <= moment)[-1:]
        after = readings.filtered(lambda r: r.date > moment)[:1]
        if before and value < before.value:
            return self._lower_message(meter, value, before.value)
        if after and not after.reset and after.value < value:
            return self._lower_message(meter, after.value, value)
        return None

    def _shift_schedules(self):
        """A meter reset keeps what remained of its schedules' intervals."""
        for reading in self.sorted(lambda r: (r.date, r.id)):
            readings = reading.meter_id._sorted_readings()
            if readings[-1] != reading or len(readings) < 2:
                continue
            shift = reading.value - readings[-2].value
            for schedule in reading.meter_id._meter_schedules():
                schedule.meter_last_value += shift
