# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..tools import gs1


class StockLocation(models.Model):
    _inherit = "stock.location"

    gln = fields.Char(
        string="GLN",
        copy=False,
        help="GS1 Global Location Number of this place (13 digits). The EPCIS 2.0 "
        "export names the place by it (SGLN, or GS1 Digital Link).",
    )

    @api.constrains("gln")
    def _check_gln(self):
        for location in self.filtered("gln"):
            gln = location.gln
            if len(gln) != 13 or not gln.isdigit() or not gs1.is_valid_check_digit(gln):
                raise ValidationError(
                    self.env._(
                        "GLN of %(location)s: %(gln)s is not a GS1 Global Location "
                        "Number; it must be 13 digits with a valid check digit.",
                        location=location.complete_name,
                        gln=gln,
                    )
                )

    @api.model
    def _find_for_scan(self, reference, user):
        """The location a scan batch names: its barcode, else its full name.

        Searched as ``user`` over all their companies, so a location of another
        company is simply not found.
        """
        if not isinstance(reference, str) or not reference.strip():
            return self.browse()
        reference = reference.strip()
        Location = self.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )
        location = Location.search([("barcode", "=", reference)], limit=1)
        if not location:
            location = Location.search([("complete_name", "=", reference)], limit=1)
        return location.with_env(self.env)
