# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ...models.audit.stock_asset_audit_line import (
    CORRECTABLE_STATUSES,
    STATUS_SELECTION,
)


class StockAssetAuditLineCorrect(models.TransientModel):
    """An asset administrator corrects counted audit results, saying why."""

    _name = "stock.asset.audit.line.correct"
    _description = "Correct Audit Results"

    line_ids = fields.Many2many(
        "stock.asset.audit.line", string="Audit Lines", required=True
    )
    status = fields.Selection(
        [item for item in STATUS_SELECTION if item[0] in CORRECTABLE_STATUSES],
        string="Correct Result",
        required=True,
    )
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "stock.asset.audit.line":
            res["line_ids"] = [
                fields.Command.set(self.env.context.get("active_ids", []))
            ]
        return res

    def action_correct(self):
        self.ensure_one()
        self.line_ids.action_correct(self.status, self.reason)
        return {"type": "ir.actions.act_window_close"}
