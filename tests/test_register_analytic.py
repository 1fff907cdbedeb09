# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Analytic distribution of the register: defaulted from the category, carried to
the expense side of every depreciation entry and to every disposal line, read
when the entry is made; bad distributions refused; the default accounts a new
category takes from the company's chart."""

from datetime import date

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_register_opening import RegisterOpeningCommon

D = date


@tagged("post_install", "-at_install")
class TestRegisterAnalytic(RegisterOpeningCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["account.analytic.plan"].create({"name": "Departments"})
        cls.logistics, cls.workshop = cls.env["account.analytic.account"].create(
            [
                {"name": name, "plan_id": cls.plan.id, "company_id": cls.company.id}
                for name in ("Logistics", "Workshop")
            ]
        )
        cls.monthly = cls.env["stock.asset.category"].create(
            {
                "name": "Forklifts",
                "company_id": cls.company.id,
                "method": "linear",
                "method_number": 12,
                "method_period": "1",
                "analytic_distribution": {str(cls.logistics.id): 100.0},
                **cls._category_accounts(),
            }
        )
        # the accountant sees the analytic widget
        cls.accountant.groups_id += cls.env.ref("analytic.group_analytic_accounting")

    def _forklift(self, **vals):
        vals.setdefault("category_id", self.monthly.id)
        vals.setdefault("acquisition_date", D(2026, 1, 1))
        vals.setdefault("original_value", 1200.0)
        return self._asset(name="Forklift", **vals)

    def _lines(self, moves):
        """(date, account, debit, credit, analytic distribution) of the entries'
        lines, sorted."""
        return sorted(
            (
                line.date.isoformat(),
                line.account_id.name,
                line.debit,
                line.credit,
                line.analytic_distribution or {},
            )
            for line in moves.line_ids
        )

    def test_depreciation_entries_carry_the_distribution_on_the_expense(self):
        asset = self._forklift()
        self.assertEqual(asset.analytic_distribution, {str(self.logistics.id): 100.0})
        asset.with_user(self.accountant).action_compute_board()
        moves = asset.with_user(self.accountant)._post_depreciation_until(
            D(2026, 1, 31)
        )[0]
        self.assertEqual(
            self._lines(moves),
            [
                ("2026-01-31", "Accumulated Depreciation", 0.0, 100.0, {}),
                (
                    "2026-01-31",
                    "Depreciation Expense",
                    100.0,
                    0.0,
                    {str(self.logistics.id): 100.0},
                ),
            ],
        )
        # the analytic item of the department
        self.assertRecordValues(
            moves.line_ids.analytic_line_ids,
            [{"amount": -100.0, self.plan._column_name(): self.logistics.id}],
        )

    def test_a_new_distribution_applies_to_later_entries_only(self):
        asset = self._forklift()
        asset.with_user(self.accountant).action_post_until(D(2026, 1, 31))
        asset.with_user(self.accountant).analytic_distribution = {
            str(self.logistics.id): 50.0,
            str(self.workshop.id): 50.0,
        }
        asset.with_user(self.accountant).action_post_until(D(2026, 2, 28))
        moves = self.env["account.move"].search([("asset_id", "=", asset.id)])
        expense = [
            row for row in self._lines(moves) if row[1] == "Depreciation Expense"
        ]
        self.assertEqual(
            expense,
            [
                (
                    "2026-01-31",
                    "Depreciation Expense",
                    100.0,
                    0.0,
                    {str(self.logistics.id): 100.0},
                ),
                (
                    "2026-02-28",
                    "Depreciation Expense",
                    100.0,
                    0.0,
                    {
                        str(self.logistics.id): 50.0,
                        str(self.workshop.id): 50.0,
                    },
                ),
            ],
        )

    def test_grouped_entry_splits_the_expense_by_distribution(self):
        self.monthly.group_entries = True
        self._forklift()
        self._forklift(
            original_value=600.0,
            analytic_distribution={str(self.workshop.id): 100.0},
        )
        self._forklift(original_value=2400.0)
        self.monthly.asset_ids.with_user(self.accountant).action_post_until(
            D(2026, 1, 31)
        )
        move = self.env["account.move"].search([("journal_id", "=", self.journal.id)])
        self.assertEqual(len(move), 1)
        self.assertEqual(
            self._lines(move),
            [
                ("2026-01-31", "Accumulated Depreciation", 0.0, 350.0, {}),
                (
                    "2026-01-31",
                    "Depreciation Expense",
                    50.0,
                    0.0,
                    {str(self.workshop.id): 100.0},
                ),
                (
                    "2026-01-31",
                    "Depreciation Expense",
                    300.0,
                    0.0,
                    {str(self.logistics.id): 100.0},
                ),
            ],
        )

    def test_disposal_lines_carry_the_distribution(self):
        asset = self._forklift()
        asset.with_user(self.accountant).action_post_until(D(2026, 2, 28))
        move = asset.with_user(self.accountant)._dispose(D(2026, 3, 31), "scrap")
        distribution = {str(self.logistics.id): 100.0}
        self.assertEqual(
            self._lines(move),
            [
                ("2026-03-31", "Accumulated Depreciation", 300.0, 0.0, distribution),
                ("2026-03-31", "Fixed Asset", 0.0, 1200.0, distribution),
                ("2026-03-31", "Loss on Disposal", 900.0, 0.0, distribution),
            ],
        )

    def test_bad_distributions_are_refused_naming_the_asset(self):
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["account.analytic.account"].create(
            {"name": "Foreign", "plan_id": self.plan.id, "company_id": other_company.id}
        )
        cases = [
            (
                {str(foreign.id): 100.0},
                "^Asset \\[.*\\] Forklift: the analytic account Foreign belongs to "
                "Other Co, not to the asset's company.$",
            ),
            (
                {str(self.logistics.id): 80.0, str(self.workshop.id): 40.0},
                "^Asset \\[.*\\] Forklift: the analytic plan Departments is "
                "distributed over 120.0 %, more than 100 %.$",
            ),
            (
                {"999999": 100.0},
                "^Asset \\[.*\\] Forklift: the analytic distribution names unknown "
                "analytic accounts or a percentage that is not a number.$",
            ),
            (
                {str(self.logistics.id): "half"},
                "^Asset Forklift: the analytic distribution names unknown "
                "analytic accounts or a percentage that is not a number.$",
            ),
        ]
        self.assertEachRefused(
            cases,
            lambda distribution: self._forklift(analytic_distribution=distribution),
        )

    def test_mandatory_plan_needs_a_full_distribution(self):
        self.env["account.analytic.applicability"].create(
            {
                "analytic_plan_id": self.plan.id,
                "business_domain": "general",
                "applicability": "mandatory",
            }
        )
        with self.assertRaisesRegex(
            ValidationError,
            "^Asset \\[.*\\] Forklift: an analytic plan is mandatory on "
            "miscellaneous entries; distribute 100 % of it.$",
        ):
            self._forklift(analytic_distribution={str(self.logistics.id): 50.0})
        asset = self._forklift()
        self.assertEqual(asset.analytic_distribution, {str(self.logistics.id): 100.0})

    def test_only_accountants_choose_the_distribution(self):
        asset = self._forklift()
        with self.assertRaisesRegex(
            AccessError,
            f"^Only asset register accountants can change the analytic "
            f"distribution of asset {asset.code}.$",
        ):
            asset.with_user(self.asset_user).analytic_distribution = {
                str(self.workshop.id): 100.0
            }
        # moving it to another category brings that category's distribution
        asset.with_user(self.asset_user).write(
            {"category_id": self.category.id, "analytic_distribution": False}
        )
        self.assertFalse(asset.analytic_distribution)

    # Category default accounts (issue 17) --------------------------------------
    def test_new_category_gets_the_company_accounts_by_type(self):
        category = (
            self.env["stock.asset.category"]
            .with_company(self.company)
            .create({"name": "Office Furniture"})
        )
        self.assertEqual(category.journal_id.type, "general")
        self.assertEqual(category.journal_id.company_id, self.company)
        self.assertRecordValues(
            category,
            [
                {
                    "account_asset_id": self.accounts["asset"].id,
                    # the net book value shows on it until a contra account
                    "account_depreciation_id": self.accounts["asset"].id,
                    "account_depreciation_expense_id": self.accounts["expense"].id,
                    "account_gain_id": self.accounts["gain"].id,
                    # no type for it: the company's default expense account
                    "account_loss_id": self.company_data["default_account_expense"].id,
                }
            ],
        )
        # the form proposes the same
        defaults = (
            self.env["stock.asset.category"]
            .with_company(self.company)
            .default_get(["journal_id", "account_asset_id", "account_gain_id"])
        )
        self.assertEqual(
            defaults,
            {
                "journal_id": category.journal_id.id,
                "account_asset_id": self.accounts["asset"].id,
                "account_gain_id": self.accounts["gain"].id,
            },
        )
        # what the user gives is kept; a shared category gets none
        kept = self.env["stock.asset.category"].create(
            {
                "name": "Kept",
                "company_id": self.company.id,
                "account_gain_id": self.company_data["default_account_revenue"].id,
            }
        )
        self.assertEqual(
            kept.account_gain_id, self.company_data["default_account_revenue"]
        )
        shared = self.env["stock.asset.category"].create(
            {"name": "Shared", "company_id": False}
        )
        self.assertRecordValues(
            shared,
            [
                {
                    "journal_id": False,
                    "account_asset_id": False,
                    "account_depreciation_expense_id": False,
                }
            ],
        )
