# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The GSRN of a contact who holds assets (GS1 Global Service Relation Number,
AI 8018): a badge, a GS1-128 / QR / Digital Link label or a GSRN-96 RFID card
scanned as the holder of a check-out names the contact."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import gs1, scan_codes
from .common import clashes


def gsrn_of_code(value):
    """The 18-digit GSRN a scanned holder code carries, else None.

    Reads a bare GSRN (18 digits, valid check digit), a GS1 element string or
    GS1 Digital Link with AI (8018), and a GSRN-96 EPC (hex, pure identity or
    tag URI).
    """
    value = scan_codes.strip_code(value or "")
    if len(value) == 18 and value.isdigit():
        return value if gs1.is_valid_check_digit(value) else None
    for kind, key in scan_codes.classify(value).keys:
        if kind == "gs1" and key.startswith("gsrn:"):
            return key[5:]
    return None


class ResPartner(models.Model):
    _inherit = "res.partner"

    gsrn = fields.Char(
        string="GSRN",
        size=18,
        copy=False,
        index="btree_not_null",
        groups="stock_asset_tracking.group_asset_user",
        help="GS1 Global Service Relation Number (AI 8018) of this contact as the "
        "recipient of a service, e.g. an employee badge: 18 digits, the last one "
        "the check digit. A scanned GSRN (barcode, Digital Link or GSRN-96 RFID "
        "card) names this contact as the holder of a check-out.",
    )

    @api.constrains("gsrn", "company_id")
    def _check_gsrn(self):
        partners = self.filtered("gsrn")
        for partner in partners:
            if not (len(partner.gsrn) == 18 and partner.gsrn.isdigit()):
                raise ValidationError(
                    self.env._(
                        "The GSRN of %(partner)s must have 18 digits, got " "%(gsrn)s.",
                        partner=partner.display_name,
                        gsrn=partner.gsrn,
                    )
                )
            if not gs1.is_valid_check_digit(partner.gsrn):
                raise ValidationError(
                    self.env._(
                        "The GSRN %(gsrn)s of %(partner)s has a wrong check digit: "
                        "it should end with %(digit)s.",
                        gsrn=partner.gsrn,
                        partner=partner.display_name,
                        digit=gs1.check_digit(partner.gsrn[:-1]),
                    )
                )
        if not partners:
            return
        # one contact per GSRN among those a company sees: its own and the shared
        others = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("gsrn", "in", partners.mapped("gsrn")), ("id", "not in", self.ids)]
            )
        )
        for partner in partners:
            clash = clashes(partner, others | partners - partner, "gsrn")
            if clash:
                raise ValidationError(
                    self.env._(
                        "The GSRN %(gsrn)s of %(partner)s is already the GSRN of "
                        "%(other)s: a GSRN names one contact of a company.",
                        gsrn=partner.gsrn,
                        partner=partner.display_name,
                        other=clash[0].display_name,
                    )
                )

    @api.model
    def _asset_find_holder(self, value, company=None):
        """Also a contact by its GSRN (AI 8018) when the reference or barcode
        names none: a GSRN barcode, Digital Link or GSRN-96 EPC."""
        holder = super()._asset_find_holder(value, company=company)
        if holder:
            return holder
        gsrn = gsrn_of_code(value)
        if not gsrn:
            return holder
        company = company or self.env.company
        # sudo: the GSRN is readable by asset users only, and a scanning flow of
        # another app (a stock user at a barcode screen) may ask too
        partners = self.sudo().search(
            [("gsrn", "=", gsrn), ("company_id", "in", [company.id, False])],
            limit=2,
        )
        return self.browse(partners.id) if len(partners) == 1 else self.browse()
