# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, models


class StockLocation(models.Model):
    _inherit = "stock.location"

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
