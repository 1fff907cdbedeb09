# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetCheckout(models.TransientModel):
    """The condition of the assets as they go out, in their history."""

    _inherit = "stock.asset.checkout"

    condition_id = fields.Many2one(
        string="Condition Handed Over",
        domain="[('company_id', 'in', [company_id, False]), "
        "('out_of_service', '=', False)]",
        help="Recorded in the assets' condition history.",
    )

    def action_confirm(self):
        self.ensure_one()
        res = super().action_confirm()
        self._record_handover_condition("checkout")
        return res
