# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from datetime import datetime, time

from odoo import models


class StockAssetCalibration(models.Model):
    _inherit = "stock.asset.calibration"

    def action_confirm(self):
        """A confirmed passing record also restarts its schedule's meter
        interval from the meter's value on the record's day."""
        result = super().action_confirm()
        for record in self.sorted(lambda r: (r.date, r.id)):
            schedule = record.schedule_id
            if (
                schedule.meter_id
                and record.result != "fail"
                and schedule.last_calibration_id == record
            ):
                schedule.meter_last_value = schedule.meter_id._value_at(
                    datetime.combine(record.date, time.max)
                )
        return result
