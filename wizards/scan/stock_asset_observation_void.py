# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetObservationVoid(models.TransientModel):
    """An asset administrator voids wrong reads, saying why (the trace)."""

    _name = "stock.asset.observation.void"
    _description = "Void Observations"

    observation_ids = fields.Many2many(
        "stock.asset.observation", string="Observations", required=True
    )
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "stock.asset.observation":
            res["observation_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return res

    def action_void(self):
        self.ensure_one()
        self.observation_ids.action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
