# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..common import records_action


class StockAsset(models.Model):
    _inherit = "stock.asset"

    # for employees: the portal shows customers their items, not these
    meter_ids = fields.One2many(
        "stock.asset.meter", "asset_id", string="Meters", groups="base.group_user"
    )
    meter_count = fields.Integer(
        compute="_compute_meter_count", groups="base.group_user"
    )

    @api.depends("meter_ids")
    def _compute_meter_count(self):
        for asset in self:
            asset.meter_count = len(asset.meter_ids)

    def action_add_meter_reading(self):
        """A new reading of the asset's first meter, in a dialog."""
        self.ensure_one()
        if not self.meter_ids:
            raise UserError(
                self.env._(
                    "Meters: asset %(asset)s has no meter to read; add one on its "
                    "Meters tab first.",
                    asset=self.code,
                )
            )
        return self.meter_ids[:1].action_add_reading()

    def action_view_meter_readings(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_meter_reading_action",
            "asset_id",
            {"meter_asset_id": self.id},
        )
