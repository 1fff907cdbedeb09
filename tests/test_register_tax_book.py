# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The tax book (issue 18, item 3): a second board per asset, the difference
reported or posted (France's amortissement dérogatoire: 6872 / 145 / 7872).

The pinned case: an asset of 10,000 acquired on 1 January 2026, depreciated
linearly over 5 years in the accounts (2,000 a year) and, for tax, degressive
then linear at 40 % a year (France's coefficient 2 times the linear 20 % of 5
years) over 5 years: 4,000, 2,400, 1,440 (40 % of 3,600, above 3,600 / 3),
then the linear 2,160 / 2 = 1,080 twice (above 40 % of 2,160 = 864)."""

import base64
import re

import xlrd

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_register_common import D, RegisterCommon, board_rows

TAX_BOARD = [
    # date, tax, cumulative, remaining, accounting, difference, state
    ("2026-12-31", 4000.0, 4000.0, 6000.0, 2000.0, 2000.0, "draft"),
    ("2027-12-31", 2400.0, 6400.0, 3600.0, 2000.0, 400.0, "draft"),
    ("2028-12-31", 1440.0, 7840.0, 2160.0, 2000.0, -560.0, "draft"),
    ("2029-12-31", 1080.0, 8920.0, 1080.0, 2000.0, -920.0, "draft"),
    ("2030-12-31", 1080.0, 10000.0, 0.0, 2000.0, -920.0, "draft"),
]


@tagged("post_install", "-at_install")
class TestRegisterTaxBook(RegisterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        chart = cls.chart_a
        cls.tax_expense = cls.copy_account(
            chart["expense"], {"name": "Dotations aux provisions réglementées"}
        )
        cls.tax_income = cls.copy_account(
            chart["income"], {"name": "Reprises sur provisions réglementées"}
        )
        cls.tax_provision = cls.copy_account(
            chart["reserve"], {"name": "Amortissements dérogatoires"}
        )
        cls.tax_category = cls.env["stock.asset.category"].create(
            cls._register_category_vals(
                chart,
                name="Machines (tax book)",
                company_id=cls.company_a.id,
                method="linear",
                method_number=5,
                method_period="12",
                tax_book=True,
                tax_method="degressive_then_linear",
                tax_method_number=5,
                tax_method_period="12",
                tax_degressive_factor=0.4,
                tax_difference_posting="post",
                tax_journal_id=chart["journal"].id,
                tax_account_expense_id=cls.tax_expense.id,
                tax_account_income_id=cls.tax_income.id,
                tax_account_provision_id=cls.tax_provision.id,
            )
        )

    def _tax_asset(self, **vals):
        vals.setdefault("original_value", 10000.0)
        vals.setdefault("category_id", self.tax_category.id)
        return self._register_asset(**vals)

    def assertWritesRefused(self, asset, *cases):
        """Each ``(vals, rule)`` written on ``asset`` is refused with a
        ValidationError naming the asset and stating the rule."""
        for vals, rule in cases:
            with (
                self.subTest(vals=vals),
                self.assertRaisesRegex(
                    ValidationError, f"Asset .*{re.escape(asset.code)}.* .*{rule}"
                ),
            ):
                asset.write(vals)

    def _monthly_tax_asset(self, value, **tax_vals):
        """An asset of ``value`` over 12 months in the accounts, linear for tax
        (``tax_vals``: its number and length of tax periods)."""
        return self._tax_asset(
            original_value=value,
            method_period="1",
            method_number=12,
            tax_method="linear",
            **tax_vals,
        )

    def _tax_board(self, asset):
        return board_rows(
            asset.tax_line_ids.sorted("date"), "book_amount", "difference", "state"
        )

    def test_tax_board_beside_the_accounting_board(self):
        asset = self._tax_asset()
        self.assertRecordValues(
            asset,
            [
                {
                    "tax_book": True,
                    "tax_method": "degressive_then_linear",
                    "tax_method_number": 5,
                    "tax_method_period": "12",
                    "tax_degressive_factor": 0.4,
                }
            ],
        )
        self.assertEqual(
            [row[1] for row in self._board(asset)], [2000.0] * 5, "accounting board"
        )
        self.assertEqual(self._tax_board(asset), TAX_BOARD)
        self.assertEqual(sum(asset.tax_line_ids.mapped("difference")), 0.0)

    def test_tax_board_follows_its_settings_and_the_value(self):
        asset = self._tax_asset()
        asset.write({"tax_method": "linear", "tax_method_number": 4})
        self.assertEqual(
            self._tax_board(asset),
            [
                ("2026-12-31", 2500.0, 2500.0, 7500.0, 2000.0, 500.0, "draft"),
                ("2027-12-31", 2500.0, 5000.0, 5000.0, 2000.0, 500.0, "draft"),
                ("2028-12-31", 2500.0, 7500.0, 2500.0, 2000.0, 500.0, "draft"),
                ("2029-12-31", 2500.0, 10000.0, 0.0, 2000.0, 500.0, "draft"),
                # the accounting board is longer: its last year releases
                ("2030-12-31", 0.0, 10000.0, 0.0, 2000.0, -2000.0, "draft"),
            ],
        )
        asset.write({"original_value": 12000.0})
        self.assertEqual(
            [(row[0], row[1], row[4], row[5]) for row in self._tax_board(asset)],
            [
                ("2026-12-31", 3000.0, 2400.0, 600.0),
                ("2027-12-31", 3000.0, 2400.0, 600.0),
                ("2028-12-31", 3000.0, 2400.0, 600.0),
                ("2029-12-31", 3000.0, 2400.0, 600.0),
                ("2030-12-31", 0.0, 2400.0, -2400.0),
            ],
        )
        asset.tax_book = False
        self.assertFalse(asset.tax_line_ids, "no tax book, no tax board")

    def test_monthly_accounts_beside_a_yearly_tax_board(self):
        # 1,200 over 12 months in the accounts, one year for tax: the tax year
        # sums the twelve months of the accounts
        asset = self._monthly_tax_asset(1200.0, tax_method_number=1)
        self.assertEqual(len(asset.depreciation_line_ids), 12)
        self.assertEqual(
            self._tax_board(asset),
            [("2026-12-31", 1200.0, 1200.0, 0.0, 1200.0, 0.0, "draft")],
        )

    def test_post_tax_differences_of_posted_periods(self):
        asset = self._tax_asset()
        asset.action_post_until(D(2027, 12, 31))
        moves = asset._post_tax_differences_until(D(2028, 12, 31))
        # 2028's accounting depreciation is not posted: its difference waits
        self.assertEqual(len(moves), 2)
        first, second = moves.sorted("date")
        self.assertRecordValues(
            moves.sorted("date"),
            [
                {
                    "date": D(2026, 12, 31),
                    "journal_id": self.chart_a["journal"].id,
                    "asset_id": asset.id,
                    "state": "posted",
                },
                {
                    "date": D(2027, 12, 31),
                    "journal_id": self.chart_a["journal"].id,
                    "asset_id": asset.id,
                    "state": "posted",
                },
            ],
        )
        self.assertEntryLines(
            first,
            [(self.tax_expense, 2000.0, 0.0), (self.tax_provision, 0.0, 2000.0)],
        )
        self.assertEntryLines(
            second,
            [(self.tax_expense, 400.0, 0.0), (self.tax_provision, 0.0, 400.0)],
        )
        self.assertEqual(
            [row[6] for row in self._tax_board(asset)],
            ["posted", "posted", "draft", "draft", "draft"],
        )
        self.assertEqual(asset.tax_provision, 2400.0)
        # posting again posts nothing twice
        self.assertFalse(asset._post_tax_differences_until(D(2028, 12, 31)))

        asset.action_post_until(D(2028, 12, 31))
        release = asset._post_tax_differences_until(D(2028, 12, 31))
        self.assertEqual(release.date, D(2028, 12, 31))
        self.assertEntryLines(
            release,
            [(self.tax_provision, 560.0, 0.0), (self.tax_income, 0.0, 560.0)],
        )
        asset.invalidate_recordset(["tax_provision"])
        self.assertEqual(asset.tax_provision, 1840.0)
        # the posted periods stay as they were when the value changes... and the
        # tax settings are final
        with self.assertRaisesRegex(UserError, "posted tax differences"):
            asset.tax_method_number = 3
        self.assertEqual(
            self._tax_board(asset)[:3], [(*row[:6], "posted") for row in TAX_BOARD[:3]]
        )

    def test_reset_entry_gives_the_period_back(self):
        asset = self._tax_asset()
        asset.action_post_until(D(2026, 12, 31))
        move = asset._post_tax_differences_until(D(2026, 12, 31))
        move.button_draft()
        line = asset.tax_line_ids.sorted("date")[0]
        self.assertEqual((line.state, line.move_id), ("draft", move))
        again = asset._post_tax_differences_until(D(2026, 12, 31))
        self.assertEqual(again, move, "the entry reset to draft is posted again")
        self.assertEqual((line.state, move.state), ("posted", "posted"))

    def test_only_reported_differences_are_not_posted(self):
        self.tax_category.tax_difference_posting = "report"
        asset = self._tax_asset()
        asset.action_post_until(D(2027, 12, 31))
        self.assertFalse(asset._post_tax_differences_until(D(2027, 12, 31)))
        self.assertEqual(self._tax_board(asset), TAX_BOARD)

    def test_locked_period_is_refused_naming_the_asset(self):
        asset = self._tax_asset()
        asset.action_post_until(D(2026, 12, 31))
        self.company_a.fiscalyear_lock_date = D(2026, 12, 31)
        with self.assertRaisesRegex(
            UserError,
            f"tax difference of asset {re.escape(asset.code)} on .*period is locked",
        ):
            asset._post_tax_differences_until(D(2026, 12, 31))
        self.assertEqual(asset.tax_line_ids.mapped("state"), ["draft"] * 5)

    def test_category_without_tax_accounts_is_refused(self):
        self.tax_category.tax_account_provision_id = False
        asset = self._tax_asset()
        asset.action_post_until(D(2026, 12, 31))
        with self.assertRaisesRegex(
            UserError, f"asset {re.escape(asset.code)}: set Tax Provision Account"
        ):
            asset._post_tax_differences_until(D(2026, 12, 31))

    def test_tax_method_the_asset_cannot_use_is_refused(self):
        self.assertWritesRefused(
            self._tax_asset(),
            ({"tax_degressive_factor": 0.0}, "degressive rate must be above 0"),
            ({"tax_degressive_factor": 1.5}, "degressive rate must be above 0"),
            ({"tax_method_number": 0}, "at least 1 period"),
        )
        with self.assertRaisesRegex(
            ValidationError, "Category Machines \\(tax book\\): a tax book needs"
        ):
            self.tax_category.tax_method_number = 0

    def test_tax_book_outside_the_register_is_refused(self):
        asset = self.env["stock.asset"].create(
            {
                "name": "Customer's press",
                "company_id": self.company_a.id,
                "ownership": "customer",
                "partner_id": self.customer.id,
                "category_id": self.tax_category.id,
            }
        )
        self.assertFalse(asset.tax_book, "a customer's item keeps no tax book")
        with self.assertRaisesRegex(
            ValidationError, f"Asset .*{re.escape(asset.code)}.* is not in the company"
        ):
            asset.tax_book = True

    def test_rights(self):
        asset = self._tax_asset()
        with self.assertRaisesRegex(AccessError, "tax book of an asset"):
            asset.with_user(self.user_a).write({"tax_method_number": 4})
        lines = asset.with_user(self.user_a).tax_line_ids
        self.assertEqual(len(lines), 5, "asset users read the tax board")
        with self.assertRaises(AccessError):
            lines.with_user(self.user_a).unlink()
        # a user choosing a category keeps the tax book it proposes
        other = self.env["stock.asset"].create(
            {"name": "Drill", "company_id": self.company_a.id}
        )
        category = self.tax_category
        other.with_user(self.user_a).write(
            {
                "category_id": category.id,
                "tax_book": True,
                "tax_method": category.tax_method,
                "tax_method_number": category.tax_method_number,
                "tax_method_period": category.tax_method_period,
                "tax_degressive_factor": category.tax_degressive_factor,
            }
        )
        self.assertEqual(other.tax_book, True)
        with self.assertRaisesRegex(AccessError, "tax book of an asset"):
            other.with_user(self.user_a).write(
                {"category_id": category.id, "tax_method_number": 9}
            )
        asset.with_user(self.accountant_a).write({"tax_method_number": 4})
        self.assertEqual(len(asset.tax_line_ids), 5)
        self.assertEqual(asset.tax_line_ids.sorted("date")[0].amount, 4000.0)
        # another company's users see none of it
        self.assertFalse(
            self.env["stock.asset.tax.line"]
            .with_user(self.accountant_b)
            .search([("asset_id", "=", asset.id)])
        )

    def test_tax_board_follows_an_impairment(self):
        # 1,000 impaired on 1 January 2027: the accounts re-spread 7,000 over 4
        # years (1,750); for tax 40 % of 5,000 = 2,000, 40 % of 3,000 = 1,200,
        # then the linear 1,800 / 2 = 900 twice
        asset = self._tax_asset()
        asset._register_value_change(
            "impairment", D(2027, 1, 1), 1000.0, self.chart_a["loss"]
        )
        self.assertEqual(
            [(row[0], row[1], row[4], row[5]) for row in self._tax_board(asset)],
            [
                ("2026-12-31", 4000.0, 2000.0, 2000.0),
                ("2027-12-31", 2000.0, 1750.0, 250.0),
                ("2028-12-31", 1200.0, 1750.0, -550.0),
                ("2029-12-31", 900.0, 1750.0, -850.0),
                ("2030-12-31", 900.0, 1750.0, -850.0),
            ],
        )

    def test_post_tax_differences_wizard(self):
        asset = self._tax_asset()
        asset.action_post_until(D(2026, 12, 31))
        wizard = (
            self.env["stock.asset.tax.post"]
            .with_user(self.accountant_a)
            .with_context(active_model="stock.asset", active_ids=asset.ids)
            .create({"date": D(2027, 12, 31)})
        )
        self.assertEqual(wizard.asset_ids, asset)
        action = wizard.action_post()
        move = self.env["account.move"].browse(action["res_id"])
        self.assertRecordValues(
            move, [{"date": D(2026, 12, 31), "asset_id": asset.id, "state": "posted"}]
        )
        self.assertEntryLines(
            move,
            [(self.tax_expense, 2000.0, 0.0), (self.tax_provision, 0.0, 2000.0)],
        )
        # nothing left to post: a notification
        again = wizard.action_post()
        self.assertEqual(again["tag"], "display_notification")

    def test_tax_board_stops_at_the_disposal(self):
        # scrapped on 30 June 2027: the accounts charge 2,000 x 181 / 365 =
        # 991.78 for 2027, the tax board 2,400 x 181 / 365 = 1,190.14; nothing
        # was posted, so there is no provision to release
        asset = self._tax_asset()
        asset._dispose(D(2027, 6, 30), "scrap")
        self.assertEqual(asset.state, "disposed")
        self.assertEqual(
            self._tax_board(asset),
            [
                ("2026-12-31", 4000.0, 4000.0, 6000.0, 2000.0, 2000.0, "draft"),
                ("2027-12-31", 1190.14, 5190.14, 4809.86, 991.78, 198.36, "draft"),
            ],
        )
        self.assertRecordValues(
            asset,
            [
                {
                    "tax_provision": 0.0,
                    "tax_provision_released": 0.0,
                    "tax_release_move_id": False,
                }
            ],
        )

    def test_disposal_releases_the_posted_provision(self):
        # 2026's excess of 2,000 is posted (6872 / 145); scrapped on 30 June
        # 2027, the provision goes back: Dr 145 2,000 / Cr 7872 2,000
        asset = self._tax_asset()
        asset.action_post_until(D(2026, 12, 31))
        asset._post_tax_differences_until(D(2026, 12, 31))
        self.assertEqual(asset.tax_provision, 2000.0)
        asset._dispose(D(2027, 6, 30), "scrap")
        release = asset.tax_release_move_id
        self.assertRecordValues(
            release,
            [{"date": D(2027, 6, 30), "asset_id": asset.id, "state": "posted"}],
        )
        self.assertEntryLines(
            release,
            [(self.tax_provision, 2000.0, 0.0), (self.tax_income, 0.0, 2000.0)],
        )
        asset.invalidate_recordset(["tax_provision"])
        self.assertRecordValues(
            asset, [{"tax_provision": 0.0, "tax_provision_released": 2000.0}]
        )
        provision = self.env["account.move.line"].search(
            [
                ("account_id", "=", self.tax_provision.id),
                ("parent_state", "=", "posted"),
            ]
        )
        self.assertEqual(sum(provision.mapped("balance")), 0.0, "145 is cleared")
        with self.assertRaisesRegex(UserError, "cannot be reset"):
            release.button_draft()
        # the posted period stays, the disposal one is prorated and never posted
        self.assertEqual(
            [(row[0], row[1], row[6]) for row in self._tax_board(asset)],
            [("2026-12-31", 4000.0, "posted"), ("2027-12-31", 1190.14, "draft")],
        )
        self.assertFalse(asset._post_tax_differences_until(D(2027, 12, 31)))

    def test_disposal_without_release_accounts_is_refused(self):
        asset = self._tax_asset()
        asset.action_post_until(D(2026, 12, 31))
        asset._post_tax_differences_until(D(2026, 12, 31))
        self.tax_category.tax_account_income_id = False
        with self.assertRaisesRegex(
            UserError,
            f"tax provision of asset {re.escape(asset.code)} on its disposal on "
            ".*: set Tax Release Income Account on category Machines",
        ):
            asset._dispose(D(2027, 6, 30), "scrap")
        self.assertNotEqual(asset.state, "disposed")
        self.assertFalse(asset.tax_release_move_id)

    def _go_live_asset(self, **vals):
        # 10,000 bought on 1 January 2023, taken over on 1 January 2025 with
        # 4,000 of accounting depreciation (2,000 in 2023 and 2024)
        return self._tax_asset(
            acquisition_date=D(2023, 1, 1),
            opening_date=D(2025, 1, 1),
            opening_depreciation=4000.0,
            **vals,
        )

    def test_go_live_tax_accumulated_amount(self):
        # typed: the tax board's own 4,000 + 2,400, so the board is unchanged;
        # the 2,400 provision the former register left is taken over
        asset = self._go_live_asset(tax_opening_depreciation=6400.0)
        self.assertEqual(
            self._tax_board(asset),
            [
                ("2023-12-31", 4000.0, 4000.0, 6000.0, 2000.0, 2000.0, "opening"),
                ("2024-12-31", 2400.0, 6400.0, 3600.0, 2000.0, 400.0, "opening"),
                ("2025-12-31", 1440.0, 7840.0, 2160.0, 2000.0, -560.0, "draft"),
                ("2026-12-31", 1080.0, 8920.0, 1080.0, 2000.0, -920.0, "draft"),
                ("2027-12-31", 1080.0, 10000.0, 0.0, 2000.0, -920.0, "draft"),
            ],
        )
        self.assertEqual(asset.tax_provision, 2400.0)
        asset.action_post_until(D(2025, 12, 31))
        move = asset._post_tax_differences_until(D(2027, 12, 31))
        self.assertEqual(move.date, D(2025, 12, 31), "the periods taken over stay")
        self.assertEntryLines(
            move, [(self.tax_provision, 560.0, 0.0), (self.tax_income, 0.0, 560.0)]
        )
        asset.invalidate_recordset(["tax_provision"])
        self.assertEqual(asset.tax_provision, 1840.0)
        # disposed on 30 June 2026: 2026 is prorated (1,080 x 181 / 365 =
        # 535.56 for tax, 991.78 in the accounts) and the 1,840 released
        asset._dispose(D(2026, 6, 30), "scrap")
        self.assertEqual(
            [(row[0], row[1], row[4], row[6]) for row in self._tax_board(asset)],
            [
                ("2023-12-31", 4000.0, 2000.0, "opening"),
                ("2024-12-31", 2400.0, 2000.0, "opening"),
                ("2025-12-31", 1440.0, 2000.0, "posted"),
                ("2026-12-31", 535.56, 991.78, "draft"),
            ],
        )
        self.assertEntryLines(
            asset.tax_release_move_id,
            [(self.tax_provision, 1840.0, 0.0), (self.tax_income, 0.0, 1840.0)],
        )

    def test_go_live_tax_amount_defaults_to_the_accounting_one(self):
        # 4,000 for tax too (no provision taken over), shared 4,000 : 2,400 =
        # 2,500 and 1,500; the 6,000 left is depreciated from 2025 by the tax
        # method: 40 % = 2,400, then the linear 3,600 / 2 = 1,800 twice
        asset = self._go_live_asset()
        self.assertEqual(asset.tax_opening_depreciation, 4000.0)
        self.assertEqual(
            [(row[0], row[1], row[5], row[6]) for row in self._tax_board(asset)],
            [
                ("2023-12-31", 2500.0, 500.0, "opening"),
                ("2024-12-31", 1500.0, -500.0, "opening"),
                ("2025-12-31", 2400.0, 400.0, "draft"),
                ("2026-12-31", 1800.0, -200.0, "draft"),
                ("2027-12-31", 1800.0, -200.0, "draft"),
            ],
        )
        self.assertEqual(asset.tax_provision, 0.0)

    def test_go_live_tax_amount_refused(self):
        self.assertWritesRefused(
            self._go_live_asset(),
            (
                {"tax_opening_depreciation": 10000.01},
                "exceeds the tax depreciable value",
            ),
            ({"tax_opening_depreciation": -1.0}, "cannot be negative"),
            (
                {
                    "opening_date": False,
                    "opening_depreciation": 0.0,
                    "tax_opening_depreciation": 100.0,
                },
                "needs a go-live date",
            ),
            (
                {"tax_book": False, "tax_opening_depreciation": 100.0},
                "needs a tax book",
            ),
        )

    def test_tax_board_honours_pauses(self):
        # 12,000 over 12 months in the accounts, 6 months for tax; paused on 10
        # March, resumed on 5 May 2026: March and April are skipped by both
        asset = self._monthly_tax_asset(
            12000.0, tax_method_number=6, tax_method_period="1"
        )
        asset._register_pause(D(2026, 3, 10))
        self.assertEqual(
            [(row[0], row[1], row[4]) for row in self._tax_board(asset)],
            [("2026-01-31", 2000.0, 1000.0), ("2026-02-28", 2000.0, 1000.0)],
            "an open pause stops the tax board at its period",
        )
        asset._register_resume(D(2026, 5, 5))
        board = [(row[0], row[1], row[4], row[5]) for row in self._tax_board(asset)]
        self.assertEqual(
            board[:6],
            [
                ("2026-01-31", 2000.0, 1000.0, 1000.0),
                ("2026-02-28", 2000.0, 1000.0, 1000.0),
                ("2026-05-31", 2000.0, 1000.0, 1000.0),
                ("2026-06-30", 2000.0, 1000.0, 1000.0),
                ("2026-07-31", 2000.0, 1000.0, 1000.0),
                ("2026-08-31", 2000.0, 1000.0, 1000.0),
            ],
        )
        self.assertEqual(
            board[6:],
            [(f"{day}", 0.0, 1000.0, -1000.0) for day in (
                "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31",
                "2027-01-31", "2027-02-28",
            )],
        )  # fmt: skip

    def test_register_report_per_book(self):
        # 2027 of the pinned case, 2026 and 2027 posted in the accounts: the tax
        # register shows 4,000 opening, 2,400 charge, 6,400 closing
        asset = self._tax_asset()
        asset.action_post_until(D(2027, 12, 31))
        self._register_asset(name="No tax book", original_value=5000.0)
        report = self.env["stock.asset.register.report"].create(
            {
                "company_id": self.company_a.id,
                "date_from": D(2027, 1, 1),
                "date_to": D(2027, 12, 31),
                "category_ids": [(6, 0, self.tax_category.ids)],
            }
        )
        keys = ("cost_closing", "dep_opening", "dep_charge", "dep_closing")
        keys += ("nbv_opening", "nbv_closing")
        books = {}
        for book in ("accounting", "tax"):
            report.book = book
            data = report._get_register_data()
            books[book] = [data["total"][key] for key in keys]
            self.assertEqual([line["code"] for line in data["assets"]], [asset.code])
        self.assertEqual(
            books,
            {
                "accounting": [10000.0, 2000.0, 2000.0, 4000.0, 8000.0, 6000.0],
                "tax": [10000.0, 4000.0, 2400.0, 6400.0, 6000.0, 3600.0],
            },
        )
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "stock_asset_tracking.stock_asset_register_report_action_pdf",
                report.ids,
            )[0]
            .decode()
        )
        for text in (
            "Fixed-asset register (tax book)",
            "Accumulated Tax Depreciation",
            "Tax Net Book Value",
            "6,400.00",
        ):
            self.assertIn(text, html)
        report.action_export_xlsx()
        self.assertEqual(
            report.xlsx_filename,
            "Fixed-asset register (tax book) 2027-01-01 2027-12-31.xlsx",
        )
        sheet = xlrd.open_workbook(
            file_contents=base64.b64decode(report.xlsx_file)
        ).sheet_by_name("Register")
        self.assertEqual(
            sheet.cell_value(2, 6), "Accumulated Tax Depreciation\nOpening"
        )
        self.assertEqual(
            sheet.row_values(sheet.nrows - 1),
            ["Total", 10000.0, 0.0, 0.0, 0.0, 10000.0, 4000.0, 2400.0, 0.0, 0.0,
             6400.0, 6000.0, 3600.0],
        )  # fmt: skip
