# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    stock_asset_ids = fields.One2many(
        "stock.asset",
        "invoice_line_id",
        string="Registered Assets",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )

    def _compute_account_id(self):
        # A vendor bill of a product whose category registers fixed assets debits
        # the category's fixed asset account rather than an expense account.
        res = super()._compute_account_id()
        for line in self.filtered(
            lambda line: line.display_type == "product"
            and line.product_id
            and line.move_id.is_purchase_document(include_receipts=True)
        ):
            category = line.product_id.with_company(line.company_id).asset_category_id
            account = category.sudo().account_asset_id
            if category.register_from_documents and account:
                fiscal_position = line.move_id.fiscal_position_id
                line.account_id = (
                    fiscal_position.map_account(account) if fiscal_position else account
                )
        return res
