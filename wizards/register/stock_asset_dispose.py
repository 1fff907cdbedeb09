# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetDispose(models.TransientModel):
    """Dispose of an asset by sale or scrap (see ``stock.asset._dispose``)."""

    _name = "stock.asset.dispose"
    _inherit = "stock.asset.register.wizard"
    _description = "Dispose of an Asset"
    _check_company_auto = True

    date = fields.Date(
        string="Disposal Date", required=True, default=fields.Date.context_today
    )
    disposal_type = fields.Selection(
        [("sale", "Sale"), ("scrap", "Scrap")], required=True, default="sale"
    )
    invoice_line_ids = fields.Many2many(
        "account.move.line",
        string="Customer Invoice Lines",
        check_company=True,
        domain="[('company_id', '=', company_id), ('display_type', '=', 'product'), "
        "('parent_state', '=', 'posted'), ('move_id.move_type', '=', 'out_invoice')]",
        help="The invoice lines that sold the asset: their income is moved to the "
        "gain or loss on disposal.",
    )
    proceeds = fields.Monetary(
        compute="_compute_proceeds",
        store=True,
        readonly=False,
        help="Sale price in the company currency, without taxes.",
    )
    proceeds_account_id = fields.Many2one(
        "account.account",
        check_company=True,
        help="Debited with the proceeds when no customer invoice is linked.",
    )
    note = fields.Char(string="Reason")

    @api.depends("invoice_line_ids", "disposal_type")
    def _compute_proceeds(self):
        for wizard in self:
            if wizard.disposal_type == "scrap":
                wizard.proceeds = 0.0
            elif wizard.invoice_line_ids:
                wizard.proceeds = -sum(wizard.invoice_line_ids.mapped("balance"))
            else:
                wizard.proceeds = wizard.proceeds

    def action_dispose(self):
        self.ensure_one()
        self.asset_id._dispose(
            self.date,
            self.disposal_type,
            proceeds=self.proceeds,
            proceeds_account=self.proceeds_account_id,
            invoice_lines=self.invoice_line_ids,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}
