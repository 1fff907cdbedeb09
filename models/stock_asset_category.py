# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockAssetCategory(models.Model):
    _name = "stock.asset.category"
    _description = "Asset Category"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the category between companies.",
    )
    color = fields.Integer()
    description = fields.Html()
    asset_ids = fields.One2many("stock.asset", "category_id")
    asset_count = fields.Integer(compute="_compute_asset_count")
    product_tmpl_ids = fields.One2many(
        "product.template", "asset_category_id", string="Products"
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An asset category name must be unique per company.",
        ),
    ]

    def _compute_asset_count(self):
        counts = dict(
            self.env["stock.asset"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.asset_count = counts.get(category, 0)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["stock.asset"]
            .with_context(active_test=False)
            .search_count([("category_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "Categories that still hold assets cannot be deleted; "
                    "archive them instead."
                )
            )

    def action_view_assets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "stock_asset_tracking.stock_asset_action"
        )
        action["domain"] = [("category_id", "=", self.id)]
        action["context"] = {"default_category_id": self.id}
        return action
