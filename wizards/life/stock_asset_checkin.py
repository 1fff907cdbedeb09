# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetCheckin(models.TransientModel):
    """The condition of the assets as they come back, in their history."""

    _inherit = "stock.asset.checkin"

    condition_id = fields.Many2one(
        string="Condition on Return",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Recorded in the assets' condition history; a condition out of "
        "service takes them out of service and proposes a repair.",
    )

    def action_confirm(self):
        self.ensure_one()
        res = super().action_confirm()
        self._record_handover_condition("checkin")
        return res
