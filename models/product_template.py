# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models

from .common import records_action, set_counts


class ProductTemplate(models.Model):
    _inherit = "product.template"

    asset_category_id = fields.Many2one(
        "stock.asset.category",
        company_dependent=True,
        domain="['|', ('company_id', '=', False), "
        "('company_id', '=', allowed_company_ids[0])]",
        help="Serial numbers of this product become assets of this category "
        "(set per company, as products may be shared between companies).",
    )
    # Installed base (see models/stock_picking_installed_base.py)
    installed_base = fields.Boolean(
        string="Track as Installed Base",
        help="Delivering a serial number of this product to a customer creates or "
        "updates its installed-base item, whatever its asset category says.",
    )
    warranty_months = fields.Integer(
        help="Warranty of the delivered serials, in months from delivery; 0 takes "
        "the asset category's.",
    )
    warranty_renew = fields.Boolean(
        string="New Warranty on Re-delivery",
        help="A serial delivered again (after a return, or to another customer) "
        "starts a new warranty; otherwise it keeps the one of its first delivery.",
    )
    asset_count = fields.Integer(
        compute="_compute_asset_count",
        groups="stock_asset_tracking.group_asset_user",
    )

    def _compute_asset_count(self):
        set_counts(self, "asset_count", "stock.asset", "product_tmpl_id")

    def action_view_assets(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_action",
            "product_tmpl_id",
            {
                "default_product_id": self.product_variant_id.id,
                "default_category_id": self.asset_category_id.id,
            },
        )
