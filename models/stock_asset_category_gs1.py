# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockAssetCategory(models.Model):
    _inherit = "stock.asset.category"

    grai_asset_type = fields.Char(
        string="GRAI Asset Type",
        help="Set for returnable items (pallets, crates, gas cylinders): the asset "
        "type of their GRAI (AI 8003), digits that complete the company's GS1 "
        "company prefix to 12 digits. Assets of the category then get a GRAI "
        "whose serial is their asset tag.",
    )

    @api.constrains("grai_asset_type", "company_id")
    def _check_grai_asset_type(self):
        for category in self.filtered("grai_asset_type"):
            asset_type = category.grai_asset_type
            prefix = category.company_id.asset_gs1_company_prefix
            if not asset_type.isdigit() or len(asset_type) > 6:
                raise ValidationError(
                    self.env._(
                        "GRAI Asset Type of category %(category)s: %(value)s must be "
                        "0 to 6 digits.",
                        category=category.name,
                        value=asset_type,
                    )
                )
            if prefix and len(prefix) + len(asset_type) != 12:
                raise ValidationError(
                    self.env._(
                        "GRAI Asset Type of category %(category)s: with the GS1 "
                        "company prefix %(prefix)s it must have %(digits)s digits "
                        "(prefix and asset type make 12 digits).",
                        category=category.name,
                        prefix=prefix,
                        digits=12 - len(prefix),
                    )
                )
