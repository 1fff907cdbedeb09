# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from ...models.common import opened_on


class StockAssetObservationVoid(models.TransientModel):
    """An asset administrator voids wrong reads, saying why (the trace)."""

    _name = "stock.asset.observation.void"
    _description = "Void Observations"

    observation_ids = fields.Many2many(
        "stock.asset.observation",
        string="Observations",
        required=True,
        default=lambda self: opened_on(self.env, "stock.asset.observation"),
    )
    reason = fields.Char(required=True)

    def action_void(self):
        self.ensure_one()
        self.observation_ids.action_void(self.reason)
        return {"type": "ir.actions.act_window_close"}
