# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetRegisterWizard(models.AbstractModel):
    """What the register's one-asset wizards share (modify, dispose, transfer):
    opened from an asset, they act on it (not disposed of), in its company and
    currency, and show its book value."""

    _name = "stock.asset.register.wizard"
    _description = "Fixed-Asset Register Wizard"

    asset_id = fields.Many2one(
        "stock.asset",
        required=True,
        check_company=True,
        domain="[('state', '!=', 'disposed')]",
    )
    company_id = fields.Many2one(related="asset_id.company_id")
    currency_id = fields.Many2one(related="asset_id.currency_id")
    book_value = fields.Monetary(related="asset_id.book_value")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        context = self.env.context
        if (
            "asset_id" in fields_list
            and not res.get("asset_id")
            and context.get("active_model") == "stock.asset"
            and context.get("active_id")
        ):
            res["asset_id"] = context["active_id"]
        return res


class StockAssetRegisterAssetsWizard(models.AbstractModel):
    """What the register's wizards posting on several assets share (the
    depreciation, the tax differences): a company, the date to post up to, and
    the assets selected in the list they are opened from (``asset_ids``,
    declared by each wizard with its own domain), whose company becomes the
    wizard's."""

    _name = "stock.asset.register.assets.wizard"
    _description = "Fixed-Asset Register Wizard on Assets"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        string="Post Up To", required=True, default=fields.Date.context_today
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
