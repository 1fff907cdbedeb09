# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class StockAssetRegisterWizard(models.AbstractModel):
    """What the register's one-asset wizards share (modify, dispose, transfer):
    opened from an asset, they act on it."""

    _name = "stock.asset.register.wizard"
    _description = "Fixed-Asset Register Wizard"

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "asset_id" in fields_list
            and not res.get("asset_id")
            and context.get("active_model") == "stock.asset"
            and context.get("active_id")
        ):
            res["asset_id"] = context["active_id"]
        return res
