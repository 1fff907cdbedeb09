# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetCheckin(models.TransientModel):
    """Check one or many assets back in (asset form, list selection)."""

    _name = "stock.asset.checkin"
    _description = "Check In Assets"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company",
        required=True,
        compute="_compute_company_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    asset_ids = fields.Many2many(
        "stock.asset",
        string="Assets",
        check_company=True,
        domain=[("custody_id", "!=", False)],
    )
    custody_ids = fields.Many2many(
        "stock.asset.custody",
        string="Open Custody",
        compute="_compute_custody_ids",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Put Back In",
        check_company=True,
        help="Where the assets are stored again; empty keeps their location.",
    )
    note = fields.Text(string="Condition", help="Condition of the assets on return.")

    @api.depends("asset_ids")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = (
                wizard.asset_ids.company_id[:1] or wizard.company_id or self.env.company
            )

    @api.depends("asset_ids")
    def _compute_custody_ids(self):
        for wizard in self:
            wizard.custody_ids = wizard.asset_ids.custody_id

    def action_confirm(self):
        self.ensure_one()
        self.asset_ids._checkin(note=self.note, location=self.location_id)
        return {"type": "ir.actions.act_window_close"}
