# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ...models.common import EDITABLE_COMPUTE


class StockAssetHandoverMixin(models.AbstractModel):
    """A check-out or a check-in of selected assets, in the assets' company."""

    _name = "stock.asset.handover.mixin"
    _description = "Asset Check-out or Check-in"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        **EDITABLE_COMPUTE,
    )
    asset_ids = fields.Many2many("stock.asset", string="Assets", check_company=True)

    @api.depends("asset_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = (
                wizard.asset_ids.company_id[:1] or wizard.company_id or self.env.company
            )
