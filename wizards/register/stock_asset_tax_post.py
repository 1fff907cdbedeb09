# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetTaxPost(models.TransientModel):
    """Post the tax differences of the register up to a date (tax book)."""

    _name = "stock.asset.tax.post"
    _description = "Post Asset Tax Differences"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Post Up To",
        required=True,
        default=fields.Date.context_today,
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

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "asset_ids" in fields_list
            and context.get("active_model") == "stock.asset"
            and context.get("active_ids")
        ):
            assets = self.env["stock.asset"].browse(context["active_ids"])
            res["asset_ids"] = [(6, 0, assets.ids)]
            res["company_id"] = assets.company_id[:1].id or res.get("company_id")
        return res

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
