# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockAssetCheckin(models.TransientModel):
    """Checking a kit in lists its components out with it; the user says which
    did not come back and confirms returning the kit incomplete."""

    _inherit = "stock.asset.checkin"

    kit_member_ids = fields.Many2many(
        "stock.asset",
        relation="stock_asset_checkin_kit_member_rel",
        column1="wizard_id",
        column2="asset_id",
        string="Kit Components",
        compute="_compute_kit_member_ids",
    )
    kit_not_returned_ids = fields.Many2many(
        "stock.asset",
        relation="stock_asset_checkin_kit_missing_rel",
        column1="wizard_id",
        column2="asset_id",
        string="Not Returned",
        help="Components that did not come back with their kit: they stay out "
        "with their holder and are flagged missing from the kit.",
    )
    kit_incomplete_confirmed = fields.Boolean(
        string="Return Incomplete",
        help="Confirm that the kits come back without the components above.",
    )

    @api.depends("asset_ids")
    def _compute_kit_member_ids(self):
        for wizard in self:
            wizard.kit_member_ids = wizard.asset_ids._kit_members().filtered(
                "custody_id"
            )

    def action_confirm(self):
        self.ensure_one()
        missing = self.kit_not_returned_ids & self.kit_member_ids
        if missing and not self.kit_incomplete_confirmed:
            raise UserError(
                self.env._(
                    "%(members)s did not come back with %(kits)s: tick Return "
                    "Incomplete to check the kit in without them.",
                    members=", ".join(missing.mapped("code")),
                    kits=", ".join(missing.parent_id.mapped("code")),
                )
            )
        return super(
            StockAssetCheckin,
            self.with_context(kit_not_returned_ids=missing.ids),
        ).action_confirm()
