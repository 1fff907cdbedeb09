# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ..models.common import opened_on


class StockAssetSelectionMixin(models.AbstractModel):
    """A wizard on assets of one company: the user's current company, and the
    assets selected in the list (or the form) it was opened from."""

    _name = "stock.asset.selection.mixin"
    _description = "Action on Selected Assets"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    asset_ids = fields.Many2many(
        "stock.asset",
        string="Assets",
        check_company=True,
        default=lambda self: self._default_asset_ids(),
    )

    @api.model
    def _default_asset_ids(self):
        """The assets the wizard was opened on, those that still exist."""
        return opened_on(self.env, "stock.asset").exists()
