# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import models


class WizStockBarcodesReadPicking(models.TransientModel):
    _inherit = "wiz.stock.barcodes.read.picking"

    def _get_asset_refusal(self, asset):
        code = self.picking_type_code or self.picking_id.picking_type_code
        reason = asset._get_picking_refusals(code).get(asset.id)
        return reason or super()._get_asset_refusal(asset)
