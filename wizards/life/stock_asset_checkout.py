# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetCheckout(models.TransientModel):
    """The condition of the assets as they go out, in their history."""

    _inherit = "stock.asset.checkout"

    condition_id = fields.Many2one(
        "stock.asset.condition",
        string="Condition Handed Over",
        domain="[('company_id', 'in', [company_id, False]), "
        "('out_of_service', '=', False)]",
        help="Recorded in the assets' condition history.",
    )
    condition_photo = fields.Image(string="Photo", max_width=1920, max_height=1920)

    def action_confirm(self):
        self.ensure_one()
        res = super().action_confirm()
        if self.condition_id:
            self.asset_ids._record_condition(
                self.condition_id,
                "checkout",
                note=self.note,
                photo=self.condition_photo,
            )
        return res
