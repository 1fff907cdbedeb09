# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Going live with an existing register: the accumulated depreciation at a go-live
date (the periods before it are already depreciated, never posted), with every
method and prorata, the book values, disposal, the bad values refused, and the
import of a former register through Odoo's own import (``base_import``)."""

import csv
import io
from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import file_open

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import ASSET_ACCOUNTANT, ASSET_USER, company_user
from .test_register_common import (
    board_rows,
    register_accounts,
    register_category_vals,
)

D = date

IMPORT_COLUMNS = (
    ("Description", "name"),
    ("Category", "category_id"),
    ("Acquisition Date", "acquisition_date"),
    ("Original Value", "original_value"),
    ("Salvage Value", "salvage_value"),
    ("Depreciation Method", "method"),
    ("Number of Periods", "method_number"),
    ("Period Length", "method_period"),
    ("Go-Live Date", "opening_date"),
    ("Accumulated Depreciation at Go-Live", "opening_depreciation"),
)


class RegisterOpeningCommon(AccountTestInvoicingCommon):
    """Odoo's accounting company (generic chart) with a register category whose
    accounts are chart accounts or copies of them (named by record, never by
    code), and an asset accountant and an asset user of that company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(su=True)
        cls.company = cls.company_data["company"]
        cls.accounts = {
            **register_accounts(cls, cls.company_data),
            "gain": cls.copy_account(
                cls.company_data["default_account_revenue"],
                {"name": "Gain on Disposal", "account_type": "income_other"},
            ),
        }
        cls.journal = cls.accounts["journal"]
        cls.category = cls.env["stock.asset.category"].create(
            {
                "name": "Machines",
                "company_id": cls.company.id,
                "method": "linear",
                "method_number": 5,
                "method_period": "12",
                **cls._category_accounts(),
            }
        )
        cls.accountant = company_user(
            cls.env, "opening_accountant", cls.company, ASSET_ACCOUNTANT
        )
        cls.asset_user = company_user(
            cls.env, "opening_asset_user", cls.company, ASSET_USER
        )

    def assertEachRefused(self, cases, make):
        """For each (value, message) of ``cases``, ``make(value)`` raises a
        ValidationError matching ``message``, in a savepoint (nothing is left)."""
        for value, message in cases:
            with (
                self.subTest(value=value),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                make(value)

    @classmethod
    def _category_accounts(cls):
        return register_category_vals(cls.accounts)

    def _asset(self, **vals):
        """An asset of the category created by the accountant (yearly linear over
        5 years unless told)."""
        vals.setdefault("name", "Lathe")
        vals.setdefault("category_id", self.category.id)
        vals.setdefault("company_id", self.company.id)
        return self.env["stock.asset"].with_user(self.accountant).create(vals)

    def _board(self, asset):
        """(date, amount, cumulative, remaining, state) of the asset's lines."""
        return board_rows(asset.depreciation_line_ids.sorted("date"), "state")


@tagged("post_install", "-at_install")
class TestRegisterOpening(RegisterOpeningCommon):
    # Boards ---------------------------------------------------------------------
    def test_linear_continues_from_go_live_without_posting_the_past(self):
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            opening_date=D(2023, 1, 1),
            opening_depreciation=6000.0,
        )
        # the board is there at once: three years already depreciated
        self.assertEqual(
            self._board(asset),
            [
                ("2020-12-31", 2000.0, 2000.0, 8000.0, "opening"),
                ("2021-12-31", 2000.0, 4000.0, 6000.0, "opening"),
                ("2022-12-31", 2000.0, 6000.0, 4000.0, "opening"),
                ("2023-12-31", 2000.0, 8000.0, 2000.0, "draft"),
                ("2024-12-31", 2000.0, 10000.0, 0.0, "draft"),
            ],
        )
        self.assertRecordValues(
            asset,
            [
                {
                    "depreciated_value": 6000.0,
                    "book_value": 4000.0,
                    "value_residual": 4000.0,
                }
            ],
        )
        # posting up to the end of the board posts the two years left, only
        asset.with_user(self.accountant).action_post_until(D(2024, 12, 31))
        moves = self.env["account.move"].search([("asset_id", "=", asset.id)])
        self.assertEqual(
            sorted(moves.mapped("date")), [D(2023, 12, 31), D(2024, 12, 31)]
        )
        self.assertEqual(
            sorted(
                (line.date.isoformat(), line.account_id.name, line.debit, line.credit)
                for line in moves.line_ids
            ),
            [
                ("2023-12-31", "Accumulated Depreciation", 0.0, 2000.0),
                ("2023-12-31", "Depreciation Expense", 2000.0, 0.0),
                ("2024-12-31", "Accumulated Depreciation", 0.0, 2000.0),
                ("2024-12-31", "Depreciation Expense", 2000.0, 0.0),
            ],
        )
        opening = asset.depreciation_line_ids.filtered(
            lambda line: line.state == "opening"
        )
        self.assertFalse(opening.move_id)
        self.assertRecordValues(
            asset, [{"depreciated_value": 10000.0, "book_value": 0.0}]
        )

    def test_other_accumulated_amount_is_respread_over_the_rest(self):
        # the former register depreciated 5,400 (not the 6,000 of this board):
        # the past periods share it, the two years left take 4,600
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            opening_date=D(2023, 1, 1),
            opening_depreciation=5400.0,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2020-12-31", 1800.0, 1800.0, 8200.0, "opening"),
                ("2021-12-31", 1800.0, 3600.0, 6400.0, "opening"),
                ("2022-12-31", 1800.0, 5400.0, 4600.0, "opening"),
                ("2023-12-31", 2300.0, 7700.0, 2300.0, "draft"),
                ("2024-12-31", 2300.0, 10000.0, 0.0, "draft"),
            ],
        )
        self.assertEqual(asset.book_value, 4600.0)

    def test_degressive_continues_from_the_remaining_value(self):
        # 10,000 at 30 % degressive over 5 years: 3,000, 2,100, 1,470 before
        # go-live; then 30 % of 3,430 = 1,029 and the rest, 2,401
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            method="degressive",
            degressive_factor=0.3,
            opening_date=D(2023, 1, 1),
            opening_depreciation=6570.0,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2020-12-31", 3000.0, 3000.0, 7000.0, "opening"),
                ("2021-12-31", 2100.0, 5100.0, 4900.0, "opening"),
                ("2022-12-31", 1470.0, 6570.0, 3430.0, "opening"),
                ("2023-12-31", 1029.0, 7599.0, 2401.0, "draft"),
                ("2024-12-31", 2401.0, 10000.0, 0.0, "draft"),
            ],
        )

    def test_degressive_then_linear_with_another_accumulated_amount(self):
        # 4,000 before go-live instead of 5,100: shared 3,000 : 2,100, then the
        # 6,000 left over three years: linear (2,000) beats 30 % (1,800)
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            method="degressive_then_linear",
            degressive_factor=0.3,
            opening_date=D(2022, 1, 1),
            opening_depreciation=4000.0,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2020-12-31", 2352.94, 2352.94, 7647.06, "opening"),
                ("2021-12-31", 1647.06, 4000.0, 6000.0, "opening"),
                ("2022-12-31", 2000.0, 6000.0, 4000.0, "draft"),
                ("2023-12-31", 2000.0, 8000.0, 2000.0, "draft"),
                ("2024-12-31", 2000.0, 10000.0, 0.0, "draft"),
            ],
        )

    def test_prorata_monthly_go_live_keeps_the_board(self):
        # 1,200 over 12 months from 16 January with prorata: 51.61, eleven times
        # 100.00, then 48.39; the first three months were kept elsewhere
        asset = self._asset(
            acquisition_date=D(2024, 1, 16),
            original_value=1200.0,
            method_number=12,
            method_period="1",
            prorata=True,
            opening_date=D(2024, 4, 1),
            opening_depreciation=251.61,
        )
        board = self._board(asset)
        self.assertEqual(
            board[:4],
            [
                ("2024-01-31", 51.61, 51.61, 1148.39, "opening"),
                ("2024-02-29", 100.0, 151.61, 1048.39, "opening"),
                ("2024-03-31", 100.0, 251.61, 948.39, "opening"),
                ("2024-04-30", 100.0, 351.61, 848.39, "draft"),
            ],
        )
        self.assertEqual(len(board), 13)
        self.assertEqual(board[-1], ("2025-01-31", 48.39, 1200.0, 0.0, "draft"))
        self.assertEqual(asset.book_value, 948.39)

    def test_go_live_within_the_first_period(self):
        # nothing ended before go-live: one line the day before carries the 500
        # already depreciated, the 9,500 left are spread over the five years
        asset = self._asset(
            acquisition_date=D(2024, 3, 1),
            original_value=10000.0,
            opening_date=D(2024, 7, 1),
            opening_depreciation=500.0,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2024-06-30", 500.0, 500.0, 9500.0, "opening"),
                ("2024-12-31", 1900.0, 2400.0, 7600.0, "draft"),
                ("2025-12-31", 1900.0, 4300.0, 5700.0, "draft"),
                ("2026-12-31", 1900.0, 6200.0, 3800.0, "draft"),
                ("2027-12-31", 1900.0, 8100.0, 1900.0, "draft"),
                ("2028-12-31", 1900.0, 10000.0, 0.0, "draft"),
            ],
        )

    def test_board_ended_before_go_live_rest_in_the_go_live_period(self):
        # the useful life ended in 2019 but the former register left 100: it is
        # depreciated in the go-live year, never in a past period
        asset = self._asset(
            acquisition_date=D(2018, 1, 1),
            original_value=1000.0,
            method_number=2,
            opening_date=D(2023, 1, 1),
            opening_depreciation=900.0,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2018-12-31", 450.0, 450.0, 550.0, "opening"),
                ("2022-12-31", 450.0, 900.0, 100.0, "opening"),
                ("2023-12-31", 100.0, 1000.0, 0.0, "draft"),
            ],
        )

    def test_fully_depreciated_at_go_live(self):
        asset = self._asset(
            acquisition_date=D(2018, 1, 1),
            original_value=1000.0,
            salvage_value=100.0,
            method_number=2,
            opening_date=D(2023, 1, 1),
            opening_depreciation=900.0,
        )
        self.assertEqual(
            self._board(asset),
            [
                ("2018-12-31", 450.0, 450.0, 450.0, "opening"),
                ("2019-12-31", 450.0, 900.0, 0.0, "opening"),
            ],
        )
        self.assertRecordValues(asset, [{"book_value": 100.0, "value_residual": 0.0}])
        self.assertEqual(
            asset.with_user(self.accountant).action_post_until(D(2023, 12, 31)), True
        )

    def test_opening_changes_before_posting_rebuild_the_board(self):
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            opening_date=D(2023, 1, 1),
            opening_depreciation=6000.0,
        )
        asset.with_user(self.accountant).opening_depreciation = 5400.0
        self.assertEqual(
            [row[1:] for row in self._board(asset)],
            [
                (1800.0, 1800.0, 8200.0, "opening"),
                (1800.0, 3600.0, 6400.0, "opening"),
                (1800.0, 5400.0, 4600.0, "opening"),
                (2300.0, 7700.0, 2300.0, "draft"),
                (2300.0, 10000.0, 0.0, "draft"),
            ],
        )
        # no go-live any more: the board depreciates from the acquisition
        asset.with_user(self.accountant).write(
            {"opening_date": False, "opening_depreciation": 0.0}
        )
        self.assertEqual(
            [row[1:] for row in self._board(asset)],
            [
                (2000.0, 2000.0, 8000.0, "draft"),
                (2000.0, 4000.0, 6000.0, "draft"),
                (2000.0, 6000.0, 4000.0, "draft"),
                (2000.0, 8000.0, 2000.0, "draft"),
                (2000.0, 10000.0, 0.0, "draft"),
            ],
        )
        self.assertEqual(asset.book_value, 10000.0)

    def test_posted_depreciation_freezes_the_opening(self):
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            opening_date=D(2023, 1, 1),
            opening_depreciation=6000.0,
        )
        asset.with_user(self.accountant).action_post_until(D(2023, 12, 31))
        with self.assertRaisesRegex(
            UserError, f"^Asset {asset.code} has posted depreciation: change its"
        ):
            asset.with_user(self.accountant).opening_depreciation = 5000.0
        # a useful-life change keeps the past and re-spreads what is left
        asset.with_user(self.accountant)._register_useful_life(6)
        self.assertEqual(
            [row[1:] for row in self._board(asset)],
            [
                (2000.0, 2000.0, 8000.0, "opening"),
                (2000.0, 4000.0, 6000.0, "opening"),
                (2000.0, 6000.0, 4000.0, "opening"),
                (2000.0, 8000.0, 2000.0, "posted"),
                (1000.0, 9000.0, 1000.0, "draft"),
                (1000.0, 10000.0, 0.0, "draft"),
            ],
        )

    def test_disposal_releases_the_accumulated_depreciation_taken_over(self):
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            opening_date=D(2023, 1, 1),
            opening_depreciation=6000.0,
        )
        asset.with_user(self.accountant).action_post_until(D(2023, 12, 31))
        with self.assertRaisesRegex(
            UserError,
            f"^Asset {asset.code} went live in this register on 01/01/2023: record "
            "its disposal on or after that date.$",
        ):
            asset.with_user(self.accountant)._dispose(D(2022, 6, 30), "scrap")
        move = asset.with_user(self.accountant)._dispose(D(2024, 6, 30), "scrap")
        # 2024 up to 30 June: 2,000 x 182 / 366 = 994.54; accumulated 6,000 taken
        # over + 2,000 + 994.54 = 8,994.54; loss 1,005.46
        self.assertEqual(
            sorted(
                (line.account_id.name, line.debit, line.credit)
                for line in move.line_ids
            ),
            [
                ("Accumulated Depreciation", 8994.54, 0.0),
                ("Fixed Asset", 0.0, 10000.0),
                ("Loss on Disposal", 1005.46, 0.0),
            ],
        )
        self.assertEqual(
            self._board(asset)[-1], ("2024-06-30", 994.54, 8994.54, 1005.46, "posted")
        )
        self.assertRecordValues(
            asset,
            [{"state": "disposed", "book_value": 0.0, "depreciated_value": 8994.54}],
        )

    # Bad input ------------------------------------------------------------------
    def test_bad_opening_values_are_refused_naming_the_asset(self):
        cases = [
            (
                {"opening_date": D(2023, 1, 1), "opening_depreciation": 9000.01},
                "^Asset \\[.*\\] Lathe: the accumulated depreciation at go-live "
                "\\(\\$\xa09,000.01\\) exceeds the depreciable value \\(original "
                "value less salvage value: \\$\xa09,000.00\\).$",
            ),
            (
                {"opening_date": D(2019, 12, 31), "opening_depreciation": 0.0},
                "^Asset \\[.*\\] Lathe: the go-live date 12/31/2019 is before the "
                "acquisition on 01/01/2020.$",
            ),
            (
                {"opening_date": D(2023, 1, 1), "opening_depreciation": -1.0},
                "^Asset \\[.*\\] Lathe: the accumulated depreciation at go-live "
                "cannot be negative.$",
            ),
            (
                {"opening_depreciation": 100.0},
                "^Asset \\[.*\\] Lathe: an accumulated depreciation at go-live "
                "needs the go-live date it was reached at.$",
            ),
            (
                {"opening_date": D(2020, 1, 1), "opening_depreciation": 100.0},
                "^Asset \\[.*\\] Lathe: nothing can be depreciated before the "
                "go-live date when it is the acquisition date.$",
            ),
        ]
        self.assertEachRefused(
            cases,
            lambda vals: self._asset(
                acquisition_date=D(2020, 1, 1),
                original_value=10000.0,
                salvage_value=1000.0,
                **vals,
            ),
        )
        self.assertFalse(self.env["stock.asset"].search([("name", "=", "Lathe")]))

    def test_go_live_in_a_locked_period_is_refused(self):
        self.company.fiscalyear_lock_date = D(2022, 12, 31)
        with self.assertRaisesRegex(
            ValidationError,
            "^Asset \\[.*\\] Lathe: the go-live date 06/01/2022 is in a locked "
            "period",
        ):
            self._asset(
                acquisition_date=D(2020, 1, 1),
                original_value=10000.0,
                opening_date=D(2022, 6, 1),
                opening_depreciation=4000.0,
            )
        asset = self._asset(
            acquisition_date=D(2020, 1, 1),
            original_value=10000.0,
            opening_date=D(2023, 1, 1),
            opening_depreciation=6000.0,
        )
        self.assertEqual(asset.book_value, 4000.0)

    def test_only_asset_accountants_set_the_opening(self):
        asset = self._asset(acquisition_date=D(2020, 1, 1), original_value=10000.0)
        with self.assertRaisesRegex(
            AccessError, "^Only asset register accountants can set the register"
        ):
            asset.with_user(self.asset_user).write(
                {"opening_date": D(2023, 1, 1), "opening_depreciation": 6000.0}
            )
        # the asset user reads the board and the book value
        asset.with_user(self.accountant).write(
            {"opening_date": D(2023, 1, 1), "opening_depreciation": 6000.0}
        )
        seen = asset.with_user(self.asset_user)
        self.assertEqual(seen.book_value, 4000.0)
        self.assertEqual(
            seen.depreciation_line_ids.mapped("state"),
            ["opening", "opening", "opening", "draft", "draft"],
        )


@tagged("post_install", "-at_install")
class TestRegisterOpeningImport(RegisterOpeningCommon):
    """Odoo's import (base_import) of a former register: every bad row refused
    with its reason, and nothing imported while one row is wrong."""

    def _import(self, rows, dryrun):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([title for title, _fname in IMPORT_COLUMNS])
        writer.writerows(rows)
        wizard = (
            self.env["base_import.import"]
            .with_user(self.accountant)
            .create(
                {
                    "res_model": "stock.asset",
                    "file": buffer.getvalue().encode(),
                    "file_name": "register.csv",
                    "file_type": "text/csv",
                }
            )
        )
        return wizard.execute_import(
            [fname for _title, fname in IMPORT_COLUMNS],
            [title for title, _fname in IMPORT_COLUMNS],
            {
                "has_headers": True,
                "quoting": '"',
                "separator": ",",
                "date_format": "%Y-%m-%d",
                "float_decimal_separator": ".",
                "float_thousand_separator": ",",
            },
            dryrun=dryrun,
        )

    def _messages(self, result):
        return [
            (
                message.get("rows", {}).get("from"),
                message["type"],
                message["message"],
            )
            for message in result["messages"]
        ]

    def _imported(self):
        return self.env["stock.asset"].search(
            [("name", "like", "Imported %")], order="name"
        )

    GOOD = (
        (
            "Imported Lathe",
            "Machines",
            "2020-01-01",
            "10000",
            "0",
            "Linear",
            "5",
            "Years",
            "2023-01-01",
            "6000",
        ),
        (
            "Imported Press",
            "Machines",
            "2021-07-01",
            "24000",
            "4000",
            "Degressive",
            "5",
            "Years",
            "2023-01-01",
            "9800",
        ),
    )

    def test_import_dry_run_then_real_run(self):
        result = self._import(self.GOOD, dryrun=True)
        self.assertEqual(result["messages"], [])
        self.assertFalse(self._imported())
        result = self._import(self.GOOD, dryrun=False)
        self.assertEqual(result["messages"], [])
        lathe, press = self._imported()
        self.assertEqual(
            [row[1:] for row in self._board(lathe)],
            [
                (2000.0, 2000.0, 8000.0, "opening"),
                (2000.0, 4000.0, 6000.0, "opening"),
                (2000.0, 6000.0, 4000.0, "opening"),
                (2000.0, 8000.0, 2000.0, "draft"),
                (2000.0, 10000.0, 0.0, "draft"),
            ],
        )
        # 20,000 at 30 %: 6,000 in 2021 and 4,200 in 2022 on this board; the
        # 9,800 taken over are shared 6,000 : 4,200 (5,764.71 and 4,035.29),
        # then 30 % of the 10,200 left
        self.assertEqual(
            self._board(press),
            [
                ("2021-12-31", 5764.71, 5764.71, 14235.29, "opening"),
                ("2022-12-31", 4035.29, 9800.0, 10200.0, "opening"),
                ("2023-12-31", 3060.0, 12860.0, 7140.0, "draft"),
                ("2024-12-31", 2142.0, 15002.0, 4998.0, "draft"),
                ("2025-12-31", 4998.0, 20000.0, 0.0, "draft"),
            ],
        )
        self.assertRecordValues(
            lathe + press,
            [
                {"book_value": 4000.0, "category_id": self.category.id},
                {"book_value": 14200.0, "category_id": self.category.id},
            ],
        )

    def test_bad_rows_are_refused_one_by_one_and_nothing_is_imported(self):
        rows = [
            self.GOOD[0],
            (
                "Imported Rocket",
                "Spaceships",
                "2020-01-01",
                "100",
                "0",
                "Linear",
                "5",
                "Years",
                "2023-01-01",
                "0",
            ),
            (
                "Imported Drill",
                "Machines",
                "2020-01-01",
                "-100",
                "0",
                "Linear",
                "5",
                "Years",
                "",
                "",
            ),
            (
                "Imported Mill",
                "Machines",
                "2020-01-01",
                "1000",
                "0",
                "Linear",
                "5",
                "Years",
                "2023-01-01",
                "1500",
            ),
            (
                "Imported Saw",
                "Machines",
                "2020-01-01",
                "1000",
                "0",
                "Linear",
                "5",
                "Years",
                "2019-01-01",
                "0",
            ),
            self.GOOD[1],
        ]
        for dryrun in (True, False):
            with self.subTest(dryrun=dryrun):
                messages = self._messages(self._import(rows, dryrun=dryrun))
                errors = {row: text for row, kind, text in messages if kind == "error"}
                self.assertEqual(sorted(errors), [1, 2, 3, 4], messages)
                self.assertEqual(
                    errors[1],
                    "No matching record found for name 'Spaceships' in field "
                    "'Category'",
                )
                self.assertRegex(
                    errors[2],
                    "^The original and salvage values of asset .* cannot be "
                    "negative.$",
                )
                self.assertRegex(
                    errors[3],
                    "^Asset \\[.*\\] Imported Mill: the accumulated depreciation "
                    "at go-live \\(\\$\xa01,500.00\\) exceeds the depreciable value",
                )
                self.assertRegex(
                    errors[4],
                    "^Asset \\[.*\\] Imported Saw: the go-live date 01/01/2019 is "
                    "before the acquisition on 01/01/2020.$",
                )
                self.assertFalse(self._imported())

    def test_non_numeric_value_stops_the_import(self):
        # Odoo's import checks the numeric columns before any row: the column
        # and the value are named, nothing is imported
        crane = (
            (
                "Imported Crane",
                "Machines",
                "2020-01-01",
                "abc",
                "0",
                "Linear",
                "5",
                "Years",
                "",
                "",
            ),
        )
        for dryrun in (True, False):
            with self.subTest(dryrun=dryrun):
                self.assertEqual(
                    self._messages(self._import(self.GOOD + crane, dryrun=dryrun)),
                    [
                        (
                            None,
                            "error",
                            "Column original_value contains incorrect values "
                            "(value: abc)",
                        )
                    ],
                )
                self.assertFalse(self._imported())

    def test_template_is_offered_and_imports(self):
        templates = self.env["stock.asset"].get_import_templates()
        self.assertEqual(
            templates,
            [
                {
                    "label": "Import Template for the Fixed-Asset Register",
                    "template": "/stock_asset_tracking/static/xls/"
                    "stock_asset_register_import.xlsx",
                }
            ],
        )
        for name in ("Vehicles", "IT Equipment", "Power Tools"):
            self.env["stock.asset.category"].create(
                {"name": name, "company_id": self.company.id}
            )
        with file_open(
            "stock_asset_tracking/static/xls/stock_asset_register_import.xlsx", "rb"
        ) as handle:
            content = handle.read()
        wizard = (
            self.env["base_import.import"]
            .with_user(self.accountant)
            .create(
                {
                    "res_model": "stock.asset",
                    "file": content,
                    "file_name": "stock_asset_register_import.xlsx",
                    "file_type": "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet",
                }
            )
        )
        options = {"has_headers": True, "date_format": "%Y-%m-%d"}
        preview = wizard.parse_preview(options)
        self.assertNotIn("error", preview)
        # every column of the template is recognised by its title
        fields = [
            (preview["matches"] or {}).get(index, [None])[0]
            for index in range(len(preview["headers"]))
        ]
        self.assertEqual(
            fields,
            [
                "name",
                "code",
                "category_id",
                "acquisition_date",
                "original_value",
                "salvage_value",
                "method",
                "method_number",
                "method_period",
                "degressive_factor",
                "prorata",
                "opening_date",
                "opening_depreciation",
            ],
        )
        result = wizard.execute_import(fields, preview["headers"], options)
        self.assertEqual(result["messages"], [])
        assets = self.env["stock.asset"].search(
            [("code", "in", ("FA-2021-001", "FA-2023-014", "FA-2022-007"))],
            order="code",
        )
        self.assertRecordValues(
            assets,
            [
                {"code": "FA-2021-001", "book_value": 9750.0},
                {"code": "FA-2022-007", "book_value": 1572.0},
                {"code": "FA-2023-014", "book_value": 945.0},
            ],
        )
        drill = assets[1]
        self.assertEqual(
            self._board(drill),
            [
                ("2022-12-31", 1200.0, 1200.0, 2800.0, "opening"),
                ("2023-12-31", 840.0, 2040.0, 1960.0, "opening"),
                ("2024-12-31", 588.0, 2628.0, 1372.0, "opening"),
                ("2025-12-31", 411.6, 3039.6, 960.4, "draft"),
                ("2026-12-31", 960.4, 4000.0, 0.0, "draft"),
            ],
        )
