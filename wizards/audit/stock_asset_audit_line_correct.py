# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from ...models.audit.stock_asset_audit_line import (
    CORRECTABLE_STATUSES,
    STATUS_SELECTION,
)
from ...models.common import opened_on


class StockAssetAuditLineCorrect(models.TransientModel):
    """An asset administrator corrects counted audit results, saying why."""

    _name = "stock.asset.audit.line.correct"
    _description = "Correct Audit Results"

    line_ids = fields.Many2many(
        "stock.asset.audit.line",
        string="Audit Lines",
        required=True,
        default=lambda self: opened_on(self.env, "stock.asset.audit.line"),
    )
    status = fields.Selection(
        [item for item in STATUS_SELECTION if item[0] in CORRECTABLE_STATUSES],
        string="Correct Result",
        required=True,
    )
    reason = fields.Char(required=True)

    def action_correct(self):
        self.ensure_one()
        self.line_ids.action_correct(self.status, self.reason)
        return {"type": "ir.actions.act_window_close"}
