# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    asset_replacement_lead_days = fields.Integer(
        string="Replacement Lead Time (Days)",
        config_parameter="stock_asset_tracking.replacement_lead_days",
        default=90,
        help="The replacement activity of an asset is scheduled this many days "
        "before its expected end of life.",
    )
