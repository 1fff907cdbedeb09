# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models

from ...models.common import EDITABLE_COMPUTE


class StockAssetCheckin(models.TransientModel):
    """Check one or many assets back in (asset form, list selection)."""

    _name = "stock.asset.checkin"
    _inherit = ["stock.asset.handover.mixin"]
    _description = "Check In Assets"
    _check_company_auto = True

    asset_ids = fields.Many2many(domain=[("custody_id", "!=", False)])
    custody_ids = fields.Many2many(
        "stock.asset.custody",
        string="Open Custody",
        compute="_compute_custody_ids",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Put Back In",
        compute="_compute_location_id",
        check_company=True,
        help="Where the assets are stored again: their home location when they "
        "share one. Empty: each asset returns to its own home location (Return "
        "Home), or keeps its location.",
        **EDITABLE_COMPUTE,
    )
    return_home = fields.Boolean(
        default=True,
        help="Without a location above, each asset goes back to its home "
        "location; untick to leave them where they are.",
    )
    note = fields.Text(string="Condition", help="Condition of the assets on return.")

    @api.depends("asset_ids")
    def _compute_custody_ids(self):
        for wizard in self:
            wizard.custody_ids = wizard.asset_ids.custody_id

    @api.depends("asset_ids")
    def _compute_location_id(self):
        for wizard in self:
            homes = wizard.asset_ids.home_location_id
            no_home = wizard.asset_ids.filtered(lambda a: not a.home_location_id)
            wizard.location_id = homes if len(homes) == 1 and not no_home else False

    def action_confirm(self):
        self.ensure_one()
        self.asset_ids._checkin(
            note=self.note,
            location=self.location_id,
            return_home=self.return_home,
        )
        return {"type": "ir.actions.act_window_close"}
