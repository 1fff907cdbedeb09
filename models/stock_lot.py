# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from .common import records_action


class StockLot(models.Model):
    _inherit = "stock.lot"

    asset_ids = fields.One2many(
        "stock.asset",
        "lot_id",
        string="Linked Assets",
        groups="stock_asset_tracking.group_asset_user",
    )
    asset_id = fields.Many2one(
        "stock.asset",
        compute="_compute_asset_id",
        search="_search_asset_id",
        groups="stock_asset_tracking.group_asset_user",
        help="The asset this serial number identifies.",
    )
    # installed base: where the delivered serial is installed
    asset_installation_state = fields.Selection(
        related="asset_id.installation_state",
        groups="stock_asset_tracking.group_asset_user",
    )
    asset_partner_id = fields.Many2one(
        related="asset_id.partner_id",
        string="Installed At",
        groups="stock_asset_tracking.group_asset_user",
    )
    asset_warranty_state = fields.Selection(
        related="asset_id.warranty_state",
        groups="stock_asset_tracking.group_asset_user",
    )

    def _compute_asset_id(self):
        assets = self.env["stock.asset"].search([("lot_id", "in", self.ids)])
        asset_by_lot = {asset.lot_id.id: asset for asset in assets}
        for lot in self:
            lot.asset_id = asset_by_lot.get(lot.id, False)

    def _search_asset_id(self, operator, value):
        return [("asset_ids", operator, value)]

    def action_view_asset(self):
        action = records_action(
            self,
            "stock_asset_tracking.stock_asset_action",
            "lot_id",
            {
                "default_lot_id": self.id,
                "default_product_id": self.product_id.id,
                "default_name": self.product_id.display_name,
                "default_category_id": self.product_id.with_company(
                    self.company_id or self.env.company
                ).asset_category_id.id,
            },
        )
        if self.asset_id:
            action.update(
                {
                    "view_mode": "form",
                    "views": [(False, "form")],
                    "res_id": self.asset_id.id,
                }
            )
        return action
