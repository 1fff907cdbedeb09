# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Boards of the register through the ORM: the exact semantics of the README."""

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .test_register_common import D, RegisterCommon


@tagged("post_install", "-at_install")
class TestRegisterBoard(RegisterCommon):
    def test_odoo_documented_linear_example(self):
        # Cost 27,000, salvage 7,000, 5 yearly periods, linear: 4,000 a year.
        asset = self._register_asset(
            original_value=27000.0,
            salvage_value=7000.0,
            method="linear",
            method_number=5,
            method_period="12",
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2026-12-31", 4000.0, 4000.0, 16000.0, "draft"),
                ("2027-12-31", 4000.0, 8000.0, 12000.0, "draft"),
                ("2028-12-31", 4000.0, 12000.0, 8000.0, "draft"),
                ("2029-12-31", 4000.0, 16000.0, 4000.0, "draft"),
                ("2030-12-31", 4000.0, 20000.0, 0.0, "draft"),
            ],
        )
        self.assertEqual(
            asset.depreciation_line_ids.sorted("date").mapped("book_value"),
            [23000.0, 19000.0, 15000.0, 11000.0, 7000.0],
        )
        self.assertRecordValues(
            asset,
            [
                {
                    "book_value": 27000.0,
                    "value_residual": 20000.0,
                    "depreciated_value": 0.0,
                }
            ],
        )

    def test_monthly_linear_prorata_from_mid_month(self):
        # 1,200 over 12 months from 16 January: 100 x 16/31 = 51.61 in January,
        # 100 a month, and a 13th line takes the other 48.39.
        asset = self._register_asset(
            original_value=1200.0,
            method_number=12,
            method_period="1",
            prorata=True,
            acquisition_date=D(2026, 1, 16),
        )
        board = self._board(asset)
        self.assertEqual(len(board), 13)
        self.assertEqual(board[0], ("2026-01-31", 51.61, 51.61, 1148.39, "draft"))
        self.assertEqual(board[1], ("2026-02-28", 100.0, 151.61, 1048.39, "draft"))
        self.assertEqual(
            [row[1] for row in board[1:12]], [100.0] * 11, "full months in between"
        )
        self.assertEqual(board[11], ("2026-12-31", 100.0, 1151.61, 48.39, "draft"))
        self.assertEqual(board[12], ("2027-01-31", 48.39, 1200.0, 0.0, "draft"))

    def test_without_prorata_the_first_period_is_full(self):
        asset = self._register_asset(
            original_value=1200.0,
            method_number=12,
            method_period="1",
            acquisition_date=D(2026, 1, 16),
        )
        board = self._board(asset)
        self.assertEqual(len(board), 12)
        self.assertEqual(board[0], ("2026-01-31", 100.0, 100.0, 1100.0, "draft"))
        self.assertEqual(board[-1], ("2026-12-31", 100.0, 1200.0, 0.0, "draft"))

    def test_degressive_then_linear_switches_to_linear(self):
        # 30 % degressive against the remaining value over the remaining years:
        # 3,000 and 2,100 degressive, then 4,900 / 3 = 1,633.33 linear (the
        # switch), 3,266.67 / 2 = 1,633.34 (half-up), the last year the rest.
        asset = self._register_asset(
            original_value=10000.0,
            method="degressive_then_linear",
            method_number=5,
            degressive_factor=0.3,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2026-12-31", 3000.0, 3000.0, 7000.0, "draft"),
                ("2027-12-31", 2100.0, 5100.0, 4900.0, "draft"),
                ("2028-12-31", 1633.33, 6733.33, 3266.67, "draft"),
                ("2029-12-31", 1633.34, 8366.67, 1633.33, "draft"),
                ("2030-12-31", 1633.33, 10000.0, 0.0, "draft"),
            ],
        )

    def test_pure_degressive_ends_with_the_rest(self):
        asset = self._register_asset(
            original_value=10000.0,
            method="degressive",
            method_number=5,
            degressive_factor=0.2,
        )
        self.assertEqual(
            [row[1] for row in self._board(asset)],
            [2000.0, 1600.0, 1280.0, 1024.0, 4096.0],
        )

    def test_rounding_over_seven_periods(self):
        # 100.00 / 7 = 14.2857...: 14.29 six times, the last line absorbs: 14.26.
        asset = self._register_asset(
            original_value=100.0, method_number=7, method_period="1"
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2026-01-31", 14.29, 14.29, 85.71, "draft"),
                ("2026-02-28", 14.29, 28.58, 71.42, "draft"),
                ("2026-03-31", 14.29, 42.87, 57.13, "draft"),
                ("2026-04-30", 14.29, 57.16, 42.84, "draft"),
                ("2026-05-31", 14.29, 71.45, 28.55, "draft"),
                ("2026-06-30", 14.29, 85.74, 14.26, "draft"),
                ("2026-07-31", 14.26, 100.0, 0.0, "draft"),
            ],
        )
        self.assertEqual(
            round(sum(asset.depreciation_line_ids.mapped("amount")), 2), 100.0
        )

    def test_fiscal_year_ending_in_june(self):
        # Yearly periods follow the company's fiscal year (1 July - 30 June).
        # 1 October 2025 with prorata: 273/365 of 2,000 = 1,495.89, then 2,000
        # a year, and a sixth line carries the other 504.11.
        self.company_a.write({"fiscalyear_last_month": "6", "fiscalyear_last_day": 30})
        asset = self._register_asset(
            original_value=10000.0,
            method_number=5,
            method_period="12",
            prorata=True,
            acquisition_date=D(2025, 10, 1),
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2026-06-30", 1495.89, 1495.89, 8504.11, "draft"),
                ("2027-06-30", 2000.0, 3495.89, 6504.11, "draft"),
                ("2028-06-30", 2000.0, 5495.89, 4504.11, "draft"),
                ("2029-06-30", 2000.0, 7495.89, 2504.11, "draft"),
                ("2030-06-30", 2000.0, 9495.89, 504.11, "draft"),
                ("2031-06-30", 504.11, 10000.0, 0.0, "draft"),
            ],
        )

    def test_defaults_come_from_the_category(self):
        self.category_a.write(
            {
                "method": "degressive",
                "method_number": 3,
                "method_period": "1",
                "degressive_factor": 0.24,
                "prorata": True,
            }
        )
        asset = self._register_asset(original_value=1000.0)
        self.assertRecordValues(
            asset,
            [
                {
                    "method": "degressive",
                    "method_number": 3,
                    "method_period": "1",
                    "degressive_factor": 0.24,
                    "prorata": True,
                }
            ],
        )
        # 2 % a month of the remaining value; the last month takes the rest
        self.assertEqual([row[1] for row in self._board(asset)], [20.0, 19.6, 960.4])

    def test_recompute_keeps_posted_lines_and_draft_lines(self):
        asset = self._register_asset(
            original_value=100.0, method_number=7, method_period="1"
        )
        lines = asset.depreciation_line_ids
        asset.action_post_until(D(2026, 2, 28))
        posted = lines.filtered(lambda line: line.state == "posted")
        self.assertEqual(len(posted), 2)
        moves = posted.move_id
        self.assertTrue(asset.action_compute_board())
        # the same records: posting moves no cent, recomputing is idempotent
        self.assertEqual(asset.depreciation_line_ids, lines)
        self.assertEqual(posted.move_id, moves)
        self.assertEqual(
            [row[1] for row in self._board(asset)],
            [14.29, 14.29, 14.29, 14.29, 14.29, 14.29, 14.26],
        )

    def test_changing_values_recomputes_the_board(self):
        asset = self._register_asset(
            original_value=1200.0, method_number=12, method_period="1"
        )
        asset.write({"original_value": 2400.0, "salvage_value": 1200.0})
        self.assertEqual([row[1] for row in self._board(asset)], [100.0] * 12)
        asset.method_number = 6
        self.assertEqual([row[1] for row in self._board(asset)], [200.0] * 6)

    def test_values_are_frozen_once_depreciation_is_posted(self):
        asset = self._register_asset(
            original_value=1200.0, method_number=12, method_period="1"
        )
        asset.action_post_until(D(2026, 1, 31))
        with self.assertRaisesRegex(UserError, "has posted depreciation"):
            asset.original_value = 1500.0
        # writing the same value is no change
        asset.write({"original_value": 1200.0})

    def test_not_in_the_register_without_value_or_date(self):
        asset = self._register_asset(original_value=0.0)
        self.assertFalse(asset.depreciation_line_ids)
        asset = self._register_asset(original_value=500.0, acquisition_date=False)
        self.assertFalse(asset.depreciation_line_ids)
        self.assertTrue(asset.action_post_until(D(2030, 1, 1)))

    def test_installed_base_items_stay_out_of_the_register(self):
        with self.assertRaisesRegex(ValidationError, "belongs to a customer"):
            self._register_asset(
                original_value=500.0, ownership="customer", partner_id=self.holder_a.id
            )

    def test_salvage_above_cost_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "salvage value"):
            self._register_asset(original_value=500.0, salvage_value=600.0)

    def test_plain_users_read_the_register_but_do_not_change_it(self):
        asset = self._register_asset(
            original_value=1200.0, method_number=12, method_period="1"
        )
        as_user = asset.with_user(self.user_a)
        self.assertEqual(len(as_user.depreciation_line_ids), 12)
        self.assertEqual(as_user.book_value, 1200.0)
        with self.assertRaises(AccessError):
            as_user.action_compute_board()
        with self.assertRaises(AccessError):
            as_user.action_post_until(D(2026, 12, 31))
        with self.assertRaisesRegex(AccessError, "register accountants"):
            as_user.original_value = 10.0
        with self.assertRaisesRegex(AccessError, "register accountants"):
            self.env["stock.asset"].with_user(self.user_a).create(
                {"name": "Drill", "original_value": 10.0}
            )
        # a plain user still creates and moves assets
        drill = (
            self.env["stock.asset"]
            .with_user(self.user_a)
            .create({"name": "Drill", "category_id": self.category_a.id})
        )
        self.assertEqual(drill.method, "linear")
        self.assertTrue(drill.register_readonly)
        self.assertFalse(asset.with_user(self.accountant_a).register_readonly)

    def test_views_load_for_each_group(self):
        for user in (self.user_a, self.accountant_a, self.manager_a):
            self.assertViewsLoad(
                user,
                {
                    "stock.asset": ["form", "list", "search"],
                    "stock.asset.depreciation.line": [
                        "list",
                        "pivot",
                        "graph",
                        "search",
                    ],
                },
            )
        form = self.form_arch(self.accountant_a)
        self.assertIn('name="action_compute_board"', form)
        self.assertIn('name="depreciation_line_ids"', form)
        form = self.form_arch(self.user_a)
        self.assertNotIn('name="action_compute_board"', form)
        self.assertIn('name="depreciation_line_ids"', form)
