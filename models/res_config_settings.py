# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    asset_overdue_email = fields.Boolean(
        related="company_id.asset_overdue_email", readonly=False
    )
    asset_reservation_grace_hours = fields.Integer(
        related="company_id.asset_reservation_grace_hours", readonly=False
    )
    asset_gs1_company_prefix = fields.Char(
        related="company_id.asset_gs1_company_prefix", readonly=False
    )
