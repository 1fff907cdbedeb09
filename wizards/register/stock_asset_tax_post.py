# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class StockAssetTaxPost(models.TransientModel):
    """Post the tax differences of the register up to a date (tax book)."""

    _name = "stock.asset.tax.post"
    _description = "Post Asset Tax Differences"
    _inherit = "stock.asset.register.assets.wizard"
    _check_company_auto = True

    date = fields.Date(
        help="The tax differences of the periods ending on or before this date "
        "whose accounting depreciation is posted.",
    )
    asset_ids = fields.Many2many(
        "stock.asset",
        string="Assets",
        check_company=True,
        domain="[('tax_book', '=', True), ('state', '!=', 'disposed')]",
        help="Leave empty for every asset of the company with a tax book.",
    )

    def action_post(self):
        self.ensure_one()
        assets = self.asset_ids or self.env["stock.asset"].search(
            [
                ("company_id", "=", self.company_id.id),
                ("tax_book", "=", True),
                ("state", "!=", "disposed"),
            ]
        )
        moves = assets._post_tax_differences_until(self.date)
        if not moves:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "info",
                    "message": self.env._(
                        "No tax difference to post up to %(date)s.", date=self.date
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return assets._action_view_moves(moves, self.env._("Tax Difference Entries"))
