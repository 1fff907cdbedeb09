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
        compute="_compute_location_id",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        help="Where the assets are stored again: their home location when they "
        "share one. Empty: each asset returns to its own home location (Return "
        "Home), or keeps its location.",
    )
    return_home = fields.Boolean(
        default=True,
        help="Without a location above, each asset goes back to its home "
        "location; untick to leave them where they are.",
    )
    note = fields.Text(string="Condition", help="Condition of the assets on return.")
    condition_id = fields.Many2one(
        "stock.asset.condition",
        string="Condition on Return",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Recorded in the assets' condition history; a condition out of "
        "service takes them out of service and proposes a repair.",
    )
    condition_photo = fields.Image(string="Photo", max_width=1920, max_height=1920)

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
        if self.condition_id:
            self.asset_ids._record_condition(
                self.condition_id,
                "checkin",
                note=self.note,
                photo=self.condition_photo,
            )
        return {"type": "ir.actions.act_window_close"}
