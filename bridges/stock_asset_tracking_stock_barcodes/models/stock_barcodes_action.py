# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from ..wizards.wiz_stock_barcodes_read_asset import ASSET_MODES


class StockBarcodesAction(models.Model):
    _inherit = "stock.barcodes.action"

    asset_scan_mode = fields.Selection(
        ASSET_MODES,
        help="Opens the asset scan screen in this mode (locate, audit, check out, "
        "check in). Such actions are shown to asset users only.",
    )

    def open_action(self):
        action = super().open_action()
        if self.asset_scan_mode:
            wizard = self.env["wiz.stock.barcodes.read.asset"].create(
                {"asset_mode": self.asset_scan_mode}
            )
            action["res_id"] = wizard.id
        return action
