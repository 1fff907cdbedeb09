# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.common import selection_defaults


class StockAssetGenerate(models.TransientModel):
    """Turn serial numbers into assets, one asset per serial, in one batch."""

    _name = "stock.asset.generate"
    _description = "Create Assets from Serial Numbers"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        check_company=True,
        domain="[('asset_ids', '=', False)]",
    )
    category_id = fields.Many2one(
        "stock.asset.category",
        check_company=True,
        help="Category of the new assets; empty takes each product's asset category.",
    )
    confirm = fields.Boolean(
        string="Put in Use", help="Create the assets in use rather than as drafts."
    )
    existing_count = fields.Integer(compute="_compute_existing_count")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        res.update(selection_defaults(self.env, fields_list, "lot_ids", "stock.lot"))
        return res

    @api.depends("lot_ids")
    def _compute_existing_count(self):
        for wizard in self:
            wizard.existing_count = len(wizard.lot_ids.filtered("asset_ids"))

    def action_generate(self):
        self.ensure_one()
        lots = self.lot_ids.filtered(lambda lot: not lot.asset_ids)
        if not lots:
            raise UserError(
                self.env._("Every selected serial number already has its asset.")
            )
        if len(lots.company_id) > 1:
            raise UserError(
                self.env._(
                    "Create the assets of one company at a time: %(companies)s.",
                    companies=", ".join(lots.company_id.mapped("name")),
                )
            )
        Asset = self.env["stock.asset"]
        vals_list = [
            dict(
                Asset._prepare_asset_vals_from_lot(lot, self.category_id),
                company_id=(lot.company_id or self.company_id).id,
            )
            for lot in lots
        ]
        assets = Asset.create(vals_list)
        if self.confirm:
            assets.action_confirm()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_action"
        )
        action["domain"] = [("id", "in", assets.ids)]
        return action
