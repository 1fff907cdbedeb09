# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models


class StockAssetRegisterChange(models.Model):
    """A transfer in the asset's register history: to another category of its
    company, or to another company of the database (``stock.asset._transfer``).

    The cost and accumulated depreciation moved are kept here, so that the
    roll-forward report shows them as transfers out of the giving (company,
    category) and into the receiving one; the entries of both sides are linked.
    The change follows the asset (its company is the asset's): the giving
    company keeps its own entry.
    """

    _inherit = "stock.asset.register.change"

    kind = fields.Selection(
        selection_add=[("transfer", "Transfer")], ondelete={"transfer": "cascade"}
    )
    transfer_company_from_id = fields.Many2one(
        "res.company", string="From Company", readonly=True
    )
    transfer_company_to_id = fields.Many2one(
        "res.company", string="To Company", readonly=True
    )
    transfer_category_from_id = fields.Many2one(
        "stock.asset.category", string="From Category", readonly=True
    )
    transfer_category_to_id = fields.Many2one(
        "stock.asset.category", string="To Category", readonly=True
    )
    transfer_cost = fields.Monetary(
        string="Cost Transferred",
        readonly=True,
        help="Original value and revaluations at the transfer date.",
    )
    transfer_depreciation = fields.Monetary(
        string="Depreciation Transferred",
        readonly=True,
        help="Posted depreciation and impairments at the transfer date.",
    )
    transfer_move_in_id = fields.Many2one(
        "account.move",
        string="Receiving Entry",
        readonly=True,
        copy=False,
        help="The receiving company's entry of a transfer between companies.",
    )

    @api.depends(
        "transfer_company_to_id", "transfer_category_to_id", "transfer_company_from_id"
    )
    def _compute_display_name(self):
        res = super()._compute_display_name()
        for change in self.filtered(lambda change: change.kind == "transfer"):
            target = change.transfer_category_to_id.name or ""
            if change.transfer_company_to_id != change.transfer_company_from_id:
                target = f"{change.transfer_company_to_id.name} / {target}"
            change.display_name = f"{change.display_name} → {target}"
        return res
