# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import Counter

from odoo import api, models


class StockAssetUsage(models.Model):
    """Each use logged for an asset adds one to its meters that count the usage
    log (``count_usage``)."""

    _inherit = "stock.asset.usage"

    @api.model_create_multi
    def create(self, vals_list):
        usages = super().create(vals_list)
        usages._count_on_meters()
        return usages

    def _count_on_meters(self):
        meters = self.asset_id.meter_ids.filtered("count_usage")
        if not meters:
            return
        uses = Counter(usage.asset_id for usage in self)
        last_use = {}
        for usage in self:
            last_use[usage.asset_id] = max(
                usage.date, last_use.get(usage.asset_id, usage.date)
            )
        vals_list = []
        for meter in meters:
            date = last_use[meter.asset_id]
            if meter.last_reading_date and meter.last_reading_date > date:
                date = meter.last_reading_date
            vals_list.append(
                {
                    "meter_id": meter.id,
                    "date": date,
                    "value": meter.current_value + uses[meter.asset_id],
                    "source": "usage",
                    "user_id": self.env.uid,
                }
            )
        self.env["stock.asset.meter.reading"].create(vals_list)
