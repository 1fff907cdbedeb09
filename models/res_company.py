# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

GS1_COMPANY_PREFIX_RE = re.compile(r"^\d{6,12}$")


class ResCompany(models.Model):
    _inherit = "res.company"

    asset_overdue_email = fields.Boolean(
        string="E-mail Holders of Overdue Assets",
        help="The daily overdue follow-up also e-mails the holder a reminder.",
        groups="base.group_user",
    )
    asset_reservation_grace_hours = fields.Integer(
        string="Reservation No-show Delay (hours)",
        default=24,
        help="A reservation nobody checked out this many hours after its start "
        "expires and frees the asset.",
        groups="base.group_user",
    )
    asset_gs1_company_prefix = fields.Char(
        string="GS1 Company Prefix",
        help="The company's GS1 company prefix (6 to 12 digits). Set, assets get a "
        "GIAI (AI 8004: prefix + asset tag), returnable ones a GRAI (AI 8003), "
        "labels carry a GS1-128 barcode and RFID EPCs can be generated from it.",
        groups="base.group_user",
    )

    @api.constrains("asset_gs1_company_prefix")
    def _check_asset_gs1_company_prefix(self):
        for company in self.filtered("asset_gs1_company_prefix"):
            if not GS1_COMPANY_PREFIX_RE.match(company.asset_gs1_company_prefix):
                raise ValidationError(
                    self.env._(
                        "GS1 Company Prefix of %(company)s: %(prefix)s is not a GS1 "
                        "company prefix; it must be 6 to 12 digits.",
                        company=company.name,
                        prefix=company.asset_gs1_company_prefix,
                    )
                )
