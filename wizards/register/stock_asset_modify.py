# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetModify(models.TransientModel):
    """Changes during an asset's life: revaluation, impairment, pause and resume,
    change of useful life. Each recomputes the remaining board and leaves a note
    in the asset's chatter (see the ``stock.asset._register_*`` methods)."""

    _name = "stock.asset.modify"
    _inherit = "stock.asset.register.wizard"
    _description = "Modify an Asset in the Register"
    _check_company_auto = True

    value_residual = fields.Monetary(related="asset_id.value_residual")
    depreciation_paused = fields.Boolean(related="asset_id.depreciation_paused")
    action = fields.Selection(
        [
            ("revaluation", "Revaluation"),
            ("impairment", "Impairment"),
            ("pause", "Pause Depreciation"),
            ("resume", "Resume Depreciation"),
            ("useful_life", "Change Useful Life"),
        ],
        required=True,
        default="revaluation",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount = fields.Monetary(
        help="Revaluation: the increase (negative: the decrease) of the value. "
        "Impairment: the loss of value."
    )
    account_id = fields.Many2one(
        "account.account",
        string="Counterpart Account",
        compute="_compute_account_id",
        store=True,
        readonly=False,
        check_company=True,
        help="Revaluation reserve or income, impairment loss.",
    )
    method_number = fields.Integer(
        string="Number of Periods",
        compute="_compute_method_number",
        store=True,
        readonly=False,
    )
    note = fields.Char(string="Reason")

    @api.depends("asset_id", "action")
    def _compute_account_id(self):
        for wizard in self:
            category = wizard.asset_id.category_id.sudo()
            if wizard.action == "revaluation":
                wizard.account_id = category.account_gain_id
            elif wizard.action == "impairment":
                wizard.account_id = category.account_loss_id
            else:
                wizard.account_id = False

    @api.depends("asset_id")
    def _compute_method_number(self):
        for wizard in self:
            wizard.method_number = wizard.asset_id.method_number

    def action_apply(self):
        self.ensure_one()
        asset = self.asset_id
        if self.action in ("revaluation", "impairment"):
            asset._register_value_change(
                self.action, self.date, self.amount, self.account_id, note=self.note
            )
        elif self.action == "pause":
            asset._register_pause(self.date, note=self.note)
        elif self.action == "resume":
            asset._register_resume(self.date, note=self.note)
        else:
            asset._register_useful_life(self.method_number, note=self.note)
        return {"type": "ir.actions.act_window_close"}
