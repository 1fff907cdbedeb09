# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

_CAGE_RE = re.compile(r"[A-Z0-9]{5,6}")
_ADI_PART_RE = re.compile(r"[A-Z0-9/-]{1,32}")


class StockAssetCategory(models.Model):
    _inherit = "stock.asset.category"

    grai_asset_type = fields.Char(
        string="GRAI Asset Type",
        help="Set for returnable items (pallets, crates, gas cylinders): the asset "
        "type of their GRAI (AI 8003), digits that complete the company's GS1 "
        "company prefix to 12 digits. Assets of the category then get a GRAI "
        "whose serial is their asset tag.",
    )

    gdti_document_type = fields.Char(
        string="GDTI Document Type",
        help="Set for documents (certificates, manuals, title deeds): the document "
        "type of their GDTI (AI 253), digits that complete the company's GS1 "
        "company prefix to 12 digits. Assets of the category then get a GDTI whose "
        "serial is their asset tag, on their labels and RFID tags.",
    )
    adi_cage = fields.Char(
        string="ADI CAGE/DoDAAC",
        help="Set for aerospace and defence parts: the CAGE code (5 characters) or "
        "DoDAAC (6) of the part's manufacturer or owner. Assets of the category "
        "then get an ADI (TDS ADI-var EPC) whose serial is their asset tag; no GS1 "
        "company prefix is needed.",
    )
    adi_part_number = fields.Char(
        string="ADI Part Number",
        help="The part number of the ADI (up to 32 upper-case letters, digits, "
        "'-' and '/'); empty when the serial is unique for the CAGE/DoDAAC.",
    )

    @api.constrains("grai_asset_type", "gdti_document_type", "adi_cage")
    def _check_one_gs1_key(self):
        for category in self:
            keys = [
                category.grai_asset_type,
                category.gdti_document_type,
                category.adi_cage,
            ]
            if len([key for key in keys if key]) > 1:
                raise ValidationError(
                    self.env._(
                        "Category %(category)s: set only one of GRAI Asset Type, "
                        "GDTI Document Type and ADI CAGE/DoDAAC (the key its "
                        "assets are labelled and tagged with).",
                        category=category.name,
                    )
                )

    @api.constrains("gdti_document_type", "company_id")
    def _check_gdti_document_type(self):
        for category in self.filtered("gdti_document_type"):
            document_type = category.gdti_document_type
            prefix = category.company_id.asset_gs1_company_prefix
            if (
                not document_type.isdigit()
                or len(document_type) > 6
                or (prefix and len(prefix) + len(document_type) != 12)
            ):
                raise ValidationError(
                    self.env._(
                        "GDTI Document Type of category %(category)s: %(value)s "
                        "must be digits that complete the GS1 company prefix to 12 "
                        "digits.",
                        category=category.name,
                        value=document_type,
                    )
                )

    @api.constrains("adi_cage", "adi_part_number")
    def _check_adi(self):
        for category in self.filtered("adi_cage"):
            part = category.adi_part_number
            if not _CAGE_RE.fullmatch(category.adi_cage) or (
                part and not _ADI_PART_RE.fullmatch(part)
            ):
                raise ValidationError(
                    self.env._(
                        "ADI of category %(category)s: the CAGE/DoDAAC is 5 or 6 "
                        "upper-case letters or digits, the part number up to 32 "
                        "upper-case letters, digits, '-' or '/'.",
                        category=category.name,
                    )
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
