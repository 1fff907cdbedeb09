# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetTransfer(models.TransientModel):
    """Transfer an asset to another category of its company, or to another
    company of the database (see ``stock.asset._transfer``)."""

    _name = "stock.asset.transfer"
    _inherit = "stock.asset.register.wizard"
    _description = "Transfer an Asset"
    _check_company_auto = True

    date = fields.Date(
        string="Transfer Date", required=True, default=fields.Date.context_today
    )
    target_company_id = fields.Many2one(
        "res.company",
        string="To Company",
        compute="_compute_target_company_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        domain="[('id', 'in', allowed_company_ids)]",
        help="Another company of the database to give the asset to, or its own "
        "for a transfer between categories.",
    )
    between_companies = fields.Boolean(compute="_compute_between_companies")
    category_id = fields.Many2one(
        "stock.asset.category",
        string="To Category",
        required=True,
        domain="['|', ('company_id', '=', False), "
        "('company_id', '=', target_company_id)]",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="To Location",
        compute="_compute_location_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('usage', '=', 'internal'), ('company_id', '=', target_company_id)]",
    )
    account_out_id = fields.Many2one(
        "account.account",
        string="Giving Company's Transfer Account",
        check_company=True,
        help="Debited with the book value in the giving company (an inter-company "
        "or transfer account).",
    )
    account_in_id = fields.Many2one(
        "account.account",
        string="Receiving Company's Transfer Account",
        domain="[('company_ids', 'parent_of', target_company_id)]",
        help="Credited with the book value in the receiving company.",
    )
    note = fields.Char(string="Reason")

    @api.depends("asset_id")
    def _compute_target_company_id(self):
        for wizard in self:
            wizard.target_company_id = wizard.asset_id.company_id

    @api.depends("asset_id", "target_company_id")
    def _compute_between_companies(self):
        for wizard in self:
            wizard.between_companies = (
                wizard.target_company_id != wizard.asset_id.company_id
            )

    @api.depends("target_company_id")
    def _compute_location_id(self):
        for wizard in self:
            company = wizard.target_company_id
            if wizard.location_id.company_id == company:
                continue
            wizard.location_id = (
                self.env["stock.warehouse"]
                .search([("company_id", "=", company.id)], limit=1)
                .lot_stock_id
                if company and company != wizard.asset_id.company_id
                else False
            )

    def action_transfer(self):
        self.ensure_one()
        between = self.between_companies
        self.asset_id._transfer(
            self.date,
            self.category_id,
            company=self.target_company_id,
            location=self.location_id if between else None,
            account_out=self.account_out_id if between else None,
            account_in=self.account_in_id if between else None,
            note=self.note,
        )
        return {"type": "ir.actions.act_window_close"}
