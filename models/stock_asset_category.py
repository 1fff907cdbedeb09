# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .common import records_action, set_counts

METHOD_SELECTION = [
    ("linear", "Linear"),
    ("degressive", "Degressive"),
    ("degressive_then_linear", "Degressive, then Linear"),
]
PERIOD_SELECTION = [("1", "Months"), ("12", "Years")]
# What posting the depreciation needs, and what must belong to the asset's company
REGISTER_POSTING_FIELDS = (
    "journal_id",
    "account_depreciation_id",
    "account_depreciation_expense_id",
)
REGISTER_ACCOUNT_FIELDS = (
    "account_asset_id",
    "account_depreciation_id",
    "account_depreciation_expense_id",
    "account_gain_id",
    "account_loss_id",
)


# The account type a new category takes each default account from (the company's
# chart, never by code), and the company's default product account it falls back
# on when the chart has none of that type
REGISTER_DEFAULT_ACCOUNTS = {
    "account_asset_id": ("asset_fixed", None),
    "account_depreciation_id": ("asset_fixed", None),
    "account_depreciation_expense_id": (
        "expense_depreciation",
        "property_account_expense_categ_id",
    ),
    "account_gain_id": ("income_other", "property_account_income_categ_id"),
    "account_loss_id": (None, "property_account_expense_categ_id"),
}


class StockAssetCategory(models.Model):
    _name = "stock.asset.category"
    _inherit = ["analytic.mixin"]
    _description = "Asset Category"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the category between companies.",
    )
    color = fields.Integer()
    description = fields.Html()
    asset_ids = fields.One2many("stock.asset", "category_id")
    asset_count = fields.Integer(compute="_compute_asset_count")
    product_tmpl_ids = fields.One2many(
        "product.template", "asset_category_id", string="Products"
    )
    audit_interval_days = fields.Integer(
        string="Audit Interval (Days)",
        help="Days between two physical audits of the category's assets: closing "
        "an audit sets their next audit date. 0: no scheduled audits.",
    )

    # Fixed-asset register: defaults of its assets, accounts and journal -----------
    method = fields.Selection(
        METHOD_SELECTION,
        string="Depreciation Method",
        required=True,
        default="linear",
        help="Linear: the depreciable value spread evenly over the periods. "
        "Degressive: the remaining value times the yearly rate. Degressive, then "
        "linear: the larger of the two, so that the board ends on time.",
    )
    method_number = fields.Integer(
        string="Number of Periods",
        required=True,
        default=5,
        help="Useful life, in periods (months or years).",
    )
    method_period = fields.Selection(
        PERIOD_SELECTION,
        string="Period Length",
        required=True,
        default="12",
        help="Years follow the company's fiscal year.",
    )
    degressive_factor = fields.Float(
        digits=(16, 4),
        default=0.3,
        help="Yearly rate of the degressive methods (0.3 = 30 %).",
    )
    prorata = fields.Boolean(
        string="Prorata Temporis",
        help="Charge the first period from the acquisition date only; the board "
        "then gets one more period carrying the rest.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        string="Register Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the depreciation, change and disposal entries.",
    )
    account_asset_id = fields.Many2one(
        "account.account",
        string="Fixed Asset Account",
        check_company=True,
        help="Carries the cost of the assets: debited by the vendor bill, "
        "credited by the disposal.",
    )
    account_depreciation_id = fields.Many2one(
        "account.account",
        string="Accumulated Depreciation Account",
        check_company=True,
    )
    account_depreciation_expense_id = fields.Many2one(
        "account.account",
        string="Depreciation Expense Account",
        check_company=True,
    )
    account_gain_id = fields.Many2one(
        "account.account",
        string="Gain on Disposal Account",
        check_company=True,
    )
    account_loss_id = fields.Many2one(
        "account.account",
        string="Loss on Disposal Account",
        check_company=True,
    )
    group_entries = fields.Boolean(
        string="Group Depreciation Entries",
        help="Post one depreciation entry per period for all the assets of the "
        "category instead of one per asset.",
    )
    register_from_documents = fields.Boolean(
        string="Register from Bills and Receipts",
        help="Posting a vendor bill of a product of this category, or receiving "
        "its serial numbers, registers the fixed assets (one per unit for "
        "serial-tracked products) with the cost of the bill.",
    )

    # Installed base: serials delivered to customers ---------------------------------
    installed_base = fields.Boolean(
        string="Track as Installed Base",
        help="Delivering a serial number of a product of this category to a "
        "customer creates or updates its installed-base item.",
    )
    warranty_months = fields.Integer(
        help="Warranty of the installed-base items of this category, in months "
        "from their delivery (0: none), unless their product sets its own.",
    )
    preventive_interval_months = fields.Integer(
        string="Preventive Service Every (months)",
        help="Delivered items get a preventive service schedule (the calibration "
        "schedules' kind 'Preventive Service'), first due this many months after "
        "delivery (0: none).",
    )

    # Calibration: defaults of the schedules of its instruments ---------------------
    calibration_interval_days = fields.Integer(
        string="Calibration Interval (Days)",
        help="Days between two calibrations of the category's instruments. 0: not "
        "a measuring instrument. Otherwise each new asset of the category gets a "
        "calibration schedule, due at once.",
    )
    calibration_kind_id = fields.Many2one(
        "stock.asset.calibration.kind",
        check_company=True,
        help="Kind of the schedule the category's instruments get (Calibration "
        "when empty).",
    )
    calibration_due_soon_days = fields.Integer(
        string="Calibration Due Soon Margin (Days)",
        default=14,
        help="Instruments turn 'due soon', and their responsible gets a reminder, "
        "this many days before they are due.",
    )
    calibration_responsible_id = fields.Many2one(
        "res.users",
        domain="[('share', '=', False)]",
        help="Responsible of the schedules (the asset's responsible when empty).",
    )
    calibration_partner_id = fields.Many2one(
        "res.partner",
        string="Calibration Laboratory",
        check_company=True,
        help="External laboratory of the schedules; empty: calibrated internally.",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "An asset category name must be unique per company.",
        ),
        (
            "method_number_positive",
            "CHECK(method_number > 0)",
            "The number of depreciation periods must be positive.",
        ),
        (
            "audit_interval_days_positive",
            "CHECK(audit_interval_days >= 0)",
            "The audit interval cannot be negative (0: no scheduled audits).",
        ),
        (
            "calibration_interval_days_positive",
            "CHECK(calibration_interval_days >= 0)",
            "Calibration Interval: the interval cannot be negative (0: not a "
            "measuring instrument).",
        ),
    ]

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        company = (
            self.env["res.company"].browse(res["company_id"])
            if "company_id" in res
            else self.env.company
        )
        for fname, value in self._get_register_defaults(company).items():
            if fname in fields_list and not res.get(fname):
                res[fname] = value
        return res

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            company = self.env["res.company"].browse(
                vals["company_id"] if "company_id" in vals else self.env.company.id
            )
            defaults = self._get_register_defaults(company)
            for fname in ("journal_id", *REGISTER_DEFAULT_ACCOUNTS):
                vals.setdefault(fname, defaults.get(fname, False))
        return super().create(vals_list)

    def _compute_asset_count(self):
        set_counts(self, "asset_count", "stock.asset", "category_id")

    @api.constrains("company_id", "journal_id", *REGISTER_ACCOUNT_FIELDS)
    def _check_register_companies(self):
        """The journal and accounts of a category belong to the company of every
        asset of the register that uses it (a shared category used by several
        companies' registers cannot carry a journal: give each its category)."""
        self._check_company()  # Odoo's own message first, when it applies
        used = (
            self.env["stock.asset"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("category_id", "in", self.ids),
                    ("ownership", "=", "company"),
                    ("state", "!=", "disposed"),
                ],
                ["category_id", "company_id"],
            )
        )
        for category, company in used:
            problem = category._get_register_company_problem(company)
            if problem:
                raise ValidationError(problem)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["stock.asset"]
            .with_context(active_test=False)
            .search_count([("category_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                self.env._(
                    "Categories that still hold assets cannot be deleted; "
                    "archive them instead."
                )
            )

    def action_view_assets(self):
        return records_action(
            self,
            "stock_asset_tracking.stock_asset_action",
            "category_id",
            {"default_category_id": self.id},
        )

    # Register posting -------------------------------------------------------------
    @api.model
    def _get_register_defaults(self, company):
        """The register journal and accounts a new category of ``company`` gets:
        its first miscellaneous journal and, per account, the first active account
        of the company's chart of the type of ``REGISTER_DEFAULT_ACCOUNTS``, else
        the company's default product expense or income account (the loss on
        disposal always takes the expense one); the accumulated depreciation
        takes the fixed-asset account itself (the net book value then shows on
        it) until the accountant chooses a contra account. None for a shared
        category, or a company without a chart."""
        if not company or not company.sudo().chart_template:
            return {}
        accounts = self.env["account.account"].sudo().with_company(company)
        domain = [
            *accounts._check_company_domain(company),
            ("deprecated", "=", False),
        ]
        product_category = self.env["product.category"].sudo().with_company(company)
        defaults, by_type = {}, {}
        for fname, (account_type, fallback) in REGISTER_DEFAULT_ACCOUNTS.items():
            if account_type and account_type not in by_type:
                by_type[account_type] = accounts.search(
                    [*domain, ("account_type", "=", account_type)], limit=1
                )
            found = by_type.get(account_type) or accounts
            if not found and fallback:
                found = product_category._fields[
                    fallback
                ].get_company_dependent_fallback(product_category)
            if found[:1]:
                defaults[fname] = found[:1].id
        journal = (
            self.env["account.journal"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("type", "=", "general"),
                ],
                limit=1,
            )
        )
        if journal:
            defaults["journal_id"] = journal.id
        return defaults

    def _get_register_company_problem(self, company):
        """Why the journal or an account of the category cannot serve the
        register of ``company`` (they belong to another company), or ''."""
        self.ensure_one()
        category = self.sudo()
        journal = category.journal_id
        if journal and journal.company_id != company:
            return self.env._(
                "The register journal %(journal)s of category %(category)s belongs "
                "to %(owner)s, not to %(company)s: choose a journal of "
                "%(company)s, or give each company its own category.",
                journal=journal.display_name,
                category=category.display_name,
                owner=journal.company_id.display_name,
                company=company.display_name,
            )
        for fname in REGISTER_ACCOUNT_FIELDS:
            account = category[fname]
            if account and not account.company_ids & company.parent_ids:
                return self.env._(
                    "The %(field)s %(account)s of category %(category)s does not "
                    "belong to %(company)s: choose an account of %(company)s, or "
                    "give each company its own category.",
                    field=category._fields[fname]._description_string(self.env),
                    account=account.with_company(account.company_ids[:1]).display_name,
                    category=category.display_name,
                    company=company.display_name,
                )
        return ""

    def _get_register_posting_problem(self, company):
        """Why the depreciation of ``company``'s assets of the category cannot be
        posted (missing, foreign, archived or deprecated journal or accounts),
        or ''."""
        self.ensure_one()
        category = self.sudo()
        if not all(category[fname] for fname in REGISTER_POSTING_FIELDS):
            return self.env._(
                "Set a register journal, an accumulated depreciation account and a "
                "depreciation expense account on category %(category)s before "
                "posting its depreciation.",
                category=category.display_name,
            )
        problem = category._get_register_company_problem(company)
        if problem:
            return problem
        if not category.journal_id.active:
            return self.env._(
                "The register journal %(journal)s of category %(category)s is "
                "archived.",
                journal=category.journal_id.display_name,
                category=category.display_name,
            )
        for fname in REGISTER_POSTING_FIELDS[1:]:
            if category[fname].deprecated:
                return self.env._(
                    "The %(field)s %(account)s of category %(category)s is "
                    "deprecated.",
                    field=category._fields[fname]._description_string(self.env),
                    account=category[fname].with_company(company).display_name,
                    category=category.display_name,
                )
        return ""
