# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetCheckout(models.TransientModel):
    """Documents go out with a due date: the wizard asks for it."""

    _inherit = "stock.asset.checkout"

    has_document = fields.Boolean(
        compute="_compute_has_document",
        help="A document is among the assets: the due date is required.",
    )

    @api.depends("asset_ids")
    def _compute_has_document(self):
        for wizard in self:
            wizard.has_document = any(
                asset.category_id.asset_kind == "document" for asset in wizard.asset_ids
            )
