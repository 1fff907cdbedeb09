# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    asset_overdue_email = fields.Boolean(
        string="E-mail Holders of Overdue Assets",
        help="The daily overdue follow-up also e-mails the holder a reminder.",
    )
    asset_reservation_grace_hours = fields.Integer(
        string="Reservation No-show Delay (hours)",
        default=24,
        help="A reservation nobody checked out this many hours after its start "
        "expires and frees the asset.",
    )
