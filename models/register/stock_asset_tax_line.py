# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError


class StockAssetTaxLine(models.Model):
    """One period of an asset's tax board (the second book, issue 18 item 3).

    The tax depreciation of the period, computed by the register's engine from
    the asset's tax method, beside the accounting depreciation of the same
    period (the accounting lines dated in it) and the difference: the excess of
    tax over accounting depreciation (positive) is charged to the provision
    (France's amortissement dérogatoire: 6872 / 145), a shortfall (negative)
    releases it (145 / 7872). Draft lines follow the asset; a posted line keeps
    its values and its entry. An asset taken over at go-live has its tax periods
    before the go-live date "already depreciated" (``opening``): they share the
    accumulated tax depreciation, are never posted, and their difference is the
    provision the former register left (in the company's opening entry).
    """

    _name = "stock.asset.tax.line"
    _description = "Asset Tax Board Line"
    _order = "date, id"
    _check_company_auto = True

    asset_id = fields.Many2one(
        "stock.asset",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    category_id = fields.Many2one("stock.asset.category", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(required=True, readonly=True, help="Last day of the tax period.")
    amount = fields.Monetary(string="Tax Depreciation", readonly=True)
    cumulative_amount = fields.Monetary(
        string="Cumulative Tax Depreciation", readonly=True
    )
    remaining_value = fields.Monetary(
        string="Remaining Tax Value",
        readonly=True,
        help="Depreciable value left for tax after this line.",
    )
    book_amount = fields.Monetary(
        string="Accounting Depreciation",
        readonly=True,
        help="Depreciation of the accounting board dated in the same period.",
    )
    difference = fields.Monetary(
        readonly=True,
        help="Tax less accounting depreciation of the period: positive, an excess "
        "charged to the provision; negative, a release of the provision.",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Journal Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("posted", "Posted"),
            # periods before the go-live date: the former register's, never posted
            ("opening", "Already Depreciated"),
        ],
        required=True,
        readonly=True,
        default="draft",
        copy=False,
    )

    _sql_constraints = [
        (
            "asset_date_uniq",
            "unique(asset_id, date)",
            "An asset has one tax board line per period.",
        ),
    ]

    @api.depends("asset_id.code", "date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.asset_id.code} {line.date or ''}".strip()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        posted = self.filtered(lambda line: line.state == "posted")
        if posted:
            raise UserError(
                self.env._(
                    "The tax difference of asset %(asset)s on %(date)s is posted: "
                    "reset its journal entry to draft and delete it first.",
                    asset=posted[0].asset_id.code,
                    date=posted[0].date,
                )
            )
