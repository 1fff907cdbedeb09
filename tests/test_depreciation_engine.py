# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Exact boards of the plain-Python depreciation engine (tools/depreciation.py).

No database: these are BaseCase tests. Every expected amount is written out and
was worked by hand; floats are compared with ``==`` on purpose (the engine
returns the float closest to the exact decimal amount).
"""

import ast
import dataclasses
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path

from odoo.tests import BaseCase, tagged

from odoo.addons.stock_asset_tracking.tools import depreciation
from odoo.addons.stock_asset_tracking.tools.depreciation import (
    BoardLine,
    BoardParams,
    Pause,
    PostedLine,
    ValueChange,
    book_value,
    compute_board,
    period_end,
    period_start,
    prorata_fraction,
)

from .test_register_common import board_rows

D = date


def rows(lines):
    """Board lines as (date, amount, cumulative, remaining, posted) tuples."""
    return board_rows(lines, "posted")


def monthly_1200(**kwargs):
    """1,200 over 12 months from 1 January 2026, linear (100 a month)."""
    values = {
        "acquisition_date": D(2026, 1, 1),
        "original_value": 1200.0,
        "method_number": 12,
        "method_period": 1,
    }
    values.update(kwargs)
    return BoardParams(**values)


FIRST_THREE_POSTED = (
    PostedLine(D(2026, 1, 31), 100.0),
    PostedLine(D(2026, 2, 28), 100.0),
    PostedLine(D(2026, 3, 31), 100.0),
)


@tagged("post_install", "-at_install")
class TestDepreciationPeriods(BaseCase):
    """period_end, period_start, prorata_fraction."""

    def test_monthly_period_end_and_start(self):
        self.assertEqual(period_end(D(2026, 1, 16)), D(2026, 1, 31))
        self.assertEqual(period_end(D(2028, 2, 10)), D(2028, 2, 29))
        self.assertEqual(period_end(D(2027, 2, 10)), D(2027, 2, 28))
        self.assertEqual(period_end(D(2026, 4, 30)), D(2026, 4, 30))
        self.assertEqual(period_start(D(2026, 4, 30)), D(2026, 4, 1))

    def test_yearly_period_end_calendar_and_june_fiscal_year(self):
        self.assertEqual(period_end(D(2026, 1, 1), 12), D(2026, 12, 31))
        self.assertEqual(period_end(D(2026, 12, 31), 12), D(2026, 12, 31))
        self.assertEqual(period_end(D(2026, 6, 30), 12, 6, 30), D(2026, 6, 30))
        self.assertEqual(period_end(D(2026, 7, 1), 12, 6, 30), D(2027, 6, 30))
        self.assertEqual(period_start(D(2026, 10, 1), 12, 6, 30), D(2026, 7, 1))
        self.assertEqual(period_start(D(2026, 6, 30), 12, 6, 30), D(2025, 7, 1))

    def test_february_fiscal_year_end_follows_leap_years(self):
        # A 28 February year end is the last day of February, as in Odoo.
        self.assertEqual(period_end(D(2027, 6, 1), 12, 2, 28), D(2028, 2, 29))
        self.assertEqual(period_start(D(2028, 6, 1), 12, 2, 28), D(2028, 3, 1))
        self.assertEqual(period_end(D(2028, 3, 1), 12, 2, 28), D(2029, 2, 28))

    def test_prorata_fraction(self):
        self.assertEqual(prorata_fraction(D(2026, 1, 16)), Fraction(16, 31))
        self.assertEqual(prorata_fraction(D(2026, 1, 1)), Fraction(1))
        self.assertEqual(prorata_fraction(D(2028, 2, 29)), Fraction(1, 29))
        # 1 October 2025 to 30 June 2026: 273 of the 365 days of the year.
        self.assertEqual(
            prorata_fraction(D(2025, 10, 1), 12, 6, 30), Fraction(273, 365)
        )
        self.assertEqual(prorata_fraction(D(2026, 4, 1), 12), Fraction(275, 365))


@tagged("post_install", "-at_install")
class TestDepreciationBoard(BaseCase):
    """Boards computed from scratch, one per method and rounding rule."""

    def test_odoo_documented_linear_example(self):
        # Cost 27,000, salvage 7,000, 5 years, linear: 4,000 a year.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=27000.0,
            salvage_value=7000.0,
            method="linear",
            method_number=5,
            method_period=12,
        )
        lines = compute_board(params)
        self.assertEqual(
            rows(lines),
            [
                ("2026-12-31", 4000.0, 4000.0, 16000.0, False),
                ("2027-12-31", 4000.0, 8000.0, 12000.0, False),
                ("2028-12-31", 4000.0, 12000.0, 8000.0, False),
                ("2029-12-31", 4000.0, 16000.0, 4000.0, False),
                ("2030-12-31", 4000.0, 20000.0, 0.0, False),
            ],
        )
        self.assertEqual(
            [book_value(line, params) for line in lines],
            [23000.0, 19000.0, 15000.0, 11000.0, 7000.0],
        )

    def test_without_prorata_the_first_period_is_full(self):
        params = BoardParams(
            acquisition_date=D(2026, 7, 15),
            original_value=27000.0,
            salvage_value=7000.0,
            method_number=5,
        )
        self.assertEqual(
            [(line.date, line.amount) for line in compute_board(params)],
            [
                (D(2026, 12, 31), 4000.0),
                (D(2027, 12, 31), 4000.0),
                (D(2028, 12, 31), 4000.0),
                (D(2029, 12, 31), 4000.0),
                (D(2030, 12, 31), 4000.0),
            ],
        )

    def test_monthly_linear_prorata_from_mid_month(self):
        # January: 100 x 16/31 = 51.61; 11 x 100; a 13th line takes 48.39.
        lines = compute_board(
            monthly_1200(acquisition_date=D(2026, 1, 16), prorata=True)
        )
        self.assertEqual(
            rows(lines),
            [
                ("2026-01-31", 51.61, 51.61, 1148.39, False),
                ("2026-02-28", 100.0, 151.61, 1048.39, False),
                ("2026-03-31", 100.0, 251.61, 948.39, False),
                ("2026-04-30", 100.0, 351.61, 848.39, False),
                ("2026-05-31", 100.0, 451.61, 748.39, False),
                ("2026-06-30", 100.0, 551.61, 648.39, False),
                ("2026-07-31", 100.0, 651.61, 548.39, False),
                ("2026-08-31", 100.0, 751.61, 448.39, False),
                ("2026-09-30", 100.0, 851.61, 348.39, False),
                ("2026-10-31", 100.0, 951.61, 248.39, False),
                ("2026-11-30", 100.0, 1051.61, 148.39, False),
                ("2026-12-31", 100.0, 1151.61, 48.39, False),
                ("2027-01-31", 48.39, 1200.0, 0.0, False),
            ],
        )

    def test_prorata_from_the_first_day_adds_no_period(self):
        lines = compute_board(monthly_1200(prorata=True))
        self.assertEqual([line.amount for line in lines], [100.0] * 12)
        self.assertEqual(lines[-1].date, D(2026, 12, 31))
        self.assertEqual(lines[-1].cumulative_amount, 1200.0)

    def test_rounding_over_seven_periods(self):
        # 100 / 7 = 14.2857: 14.29 six times, the last line absorbs: 14.26.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=100.0,
            method_number=7,
            method_period=1,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-01-31", 14.29, 14.29, 85.71, False),
                ("2026-02-28", 14.29, 28.58, 71.42, False),
                ("2026-03-31", 14.29, 42.87, 57.13, False),
                ("2026-04-30", 14.29, 57.16, 42.84, False),
                ("2026-05-31", 14.29, 71.45, 28.55, False),
                ("2026-06-30", 14.29, 85.74, 14.26, False),
                ("2026-07-31", 14.26, 100.0, 0.0, False),
            ],
        )

    def test_rounding_is_half_up(self):
        # 1.01 / 2 = 0.505 -> 0.51 (half-even would give 0.50).
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=1.01,
            method_number=2,
            method_period=1,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-01-31", 0.51, 0.51, 0.5, False),
                ("2026-02-28", 0.5, 1.01, 0.0, False),
            ],
        )

    def test_amounts_are_exact_decimals(self):
        # In floats 0.3 - 0.1 = 0.19999999999999998; the engine works in cents.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=0.3,
            salvage_value=0.1,
            method_number=2,
            method_period=1,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-01-31", 0.1, 0.1, 0.1, False),
                ("2026-02-28", 0.1, 0.2, 0.0, False),
            ],
        )

    def test_currency_rounding_to_units(self):
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=1000.0,
            method_number=3,
            rounding=1.0,
        )
        self.assertEqual(
            [line.amount for line in compute_board(params)], [333.0, 333.0, 334.0]
        )

    def test_nothing_to_depreciate_gives_an_empty_board(self):
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=500.0,
            salvage_value=500.0,
            method_number=5,
        )
        self.assertEqual(compute_board(params), [])

    def test_pure_degressive_last_period_takes_the_rest(self):
        # 20% a year of the remaining value; year 5 takes the remaining 4,096.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=10000.0,
            method="degressive",
            method_number=5,
            degressive_factor=0.2,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-12-31", 2000.0, 2000.0, 8000.0, False),
                ("2027-12-31", 1600.0, 3600.0, 6400.0, False),
                ("2028-12-31", 1280.0, 4880.0, 5120.0, False),
                ("2029-12-31", 1024.0, 5904.0, 4096.0, False),
                ("2030-12-31", 4096.0, 10000.0, 0.0, False),
            ],
        )

    def test_pure_degressive_monthly_uses_a_twelfth_of_the_rate(self):
        # 24% a year = 2% a month of the remaining value.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=1000.0,
            method="degressive",
            method_number=3,
            method_period=1,
            degressive_factor=0.24,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-01-31", 20.0, 20.0, 980.0, False),
                ("2026-02-28", 19.6, 39.6, 960.4, False),
                ("2026-03-31", 960.4, 1000.0, 0.0, False),
            ],
        )

    def test_pure_degressive_with_prorata_has_one_more_period(self):
        # 1 April: 275/365 of the first year; 10,000 x 40% x 275/365 = 3,013.70.
        params = BoardParams(
            acquisition_date=D(2026, 4, 1),
            original_value=10000.0,
            method="degressive",
            method_number=3,
            degressive_factor=0.4,
            prorata=True,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-12-31", 3013.7, 3013.7, 6986.3, False),
                ("2027-12-31", 2794.52, 5808.22, 4191.78, False),
                ("2028-12-31", 1676.71, 7484.93, 2515.07, False),
                ("2029-12-31", 2515.07, 10000.0, 0.0, False),
            ],
        )

    def test_degressive_then_linear_switches_to_linear(self):
        # 30% degressive vs remaining / remaining years:
        # y1 3000 vs 2000, y2 2100 vs 1750: degressive;
        # y3 1470 vs 4900/3 = 1633.33: the switch; y4 980 vs 1633.335 -> 1633.34
        # (half-up); y5 takes the rest.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=10000.0,
            method="degressive_then_linear",
            method_number=5,
            degressive_factor=0.3,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-12-31", 3000.0, 3000.0, 7000.0, False),
                ("2027-12-31", 2100.0, 5100.0, 4900.0, False),
                ("2028-12-31", 1633.33, 6733.33, 3266.67, False),
                ("2029-12-31", 1633.34, 8366.67, 1633.33, False),
                ("2030-12-31", 1633.33, 10000.0, 0.0, False),
            ],
        )

    def test_degressive_then_linear_is_linear_when_the_rate_is_low(self):
        # 10% degressive never beats 1/4 of the remaining value.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=1000.0,
            method="degressive_then_linear",
            method_number=4,
            degressive_factor=0.1,
        )
        self.assertEqual(
            [line.amount for line in compute_board(params)],
            [250.0, 250.0, 250.0, 250.0],
        )

    def test_june_fiscal_year_yearly_prorata(self):
        # Fiscal years end 30 June. 1 October 2025: 273/365 of FY 2025-26,
        # 2,000 x 273/365 = 1,495.89; the 6th line takes the other 504.11.
        params = BoardParams(
            acquisition_date=D(2025, 10, 1),
            original_value=10000.0,
            method_number=5,
            method_period=12,
            prorata=True,
            fy_end_month=6,
            fy_end_day=30,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-06-30", 1495.89, 1495.89, 8504.11, False),
                ("2027-06-30", 2000.0, 3495.89, 6504.11, False),
                ("2028-06-30", 2000.0, 5495.89, 4504.11, False),
                ("2029-06-30", 2000.0, 7495.89, 2504.11, False),
                ("2030-06-30", 2000.0, 9495.89, 504.11, False),
                ("2031-06-30", 504.11, 10000.0, 0.0, False),
            ],
        )

    def test_june_fiscal_year_without_prorata(self):
        params = BoardParams(
            acquisition_date=D(2025, 10, 1),
            original_value=10000.0,
            method_number=2,
            fy_end_month=6,
            fy_end_day=30,
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-06-30", 5000.0, 5000.0, 5000.0, False),
                ("2027-06-30", 5000.0, 10000.0, 0.0, False),
            ],
        )

    def test_board_lines_are_frozen(self):
        line = compute_board(monthly_1200())[0]
        self.assertEqual(line, BoardLine(D(2026, 1, 31), 100.0, 100.0, 1100.0, False))
        with self.assertRaises(dataclasses.FrozenInstanceError):
            line.amount = 1.0

    def test_engine_imports_nothing_from_odoo(self):
        tree = ast.parse(Path(depreciation.__file__).read_text())
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                imported.add(node.module or "")
        self.assertTrue(imported)
        self.assertEqual([name for name in imported if "odoo" in name], [])


@tagged("post_install", "-at_install")
class TestDepreciationRecompute(BaseCase):
    """Posted lines, value changes, pauses, change of useful life."""

    def test_posted_lines_of_the_board_change_nothing(self):
        # Recomputing is idempotent: the posted lines are the board's own, so
        # the draft lines keep 14.29 x 3 + 14.26 (no re-spread of 57.13 / 4).
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=100.0,
            method_number=7,
            method_period=1,
            posted=(
                (D(2026, 1, 31), 14.29),
                (D(2026, 2, 28), 14.29),
                (D(2026, 3, 31), 14.29),
            ),
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-01-31", 14.29, 14.29, 85.71, True),
                ("2026-02-28", 14.29, 28.58, 71.42, True),
                ("2026-03-31", 14.29, 42.87, 57.13, True),
                ("2026-04-30", 14.29, 57.16, 42.84, False),
                ("2026-05-31", 14.29, 71.45, 28.55, False),
                ("2026-06-30", 14.29, 85.74, 14.26, False),
                ("2026-07-31", 14.26, 100.0, 0.0, False),
            ],
        )

    def test_recompute_after_three_posted_lines_respreads_the_rest(self):
        # 100 + 100 + 150 posted: 850 left over 9 months = 94.44 x 8 + 94.48.
        posted = (
            PostedLine(D(2026, 1, 31), 100.0),
            PostedLine(D(2026, 2, 28), 100.0),
            PostedLine(D(2026, 3, 31), 150.0),
        )
        self.assertEqual(
            rows(compute_board(monthly_1200(posted=posted))),
            [
                ("2026-01-31", 100.0, 100.0, 1100.0, True),
                ("2026-02-28", 100.0, 200.0, 1000.0, True),
                ("2026-03-31", 150.0, 350.0, 850.0, True),
                ("2026-04-30", 94.44, 444.44, 755.56, False),
                ("2026-05-31", 94.44, 538.88, 661.12, False),
                ("2026-06-30", 94.44, 633.32, 566.68, False),
                ("2026-07-31", 94.44, 727.76, 472.24, False),
                ("2026-08-31", 94.44, 822.2, 377.8, False),
                ("2026-09-30", 94.44, 916.64, 283.36, False),
                ("2026-10-31", 94.44, 1011.08, 188.92, False),
                ("2026-11-30", 94.44, 1105.52, 94.48, False),
                ("2026-12-31", 94.48, 1200.0, 0.0, False),
            ],
        )

    def test_respread_with_prorata_keeps_the_short_last_period(self):
        # 898.39 left over 9 full months + 15/31 of January 2027:
        # 898.39 x 31 / (9 x 31 + 15) = 94.73 a month, January takes 45.82.
        params = monthly_1200(
            acquisition_date=D(2026, 1, 16),
            prorata=True,
            posted=(
                (D(2026, 1, 31), 51.61),
                (D(2026, 2, 28), 100.0),
                (D(2026, 3, 31), 150.0),
            ),
        )
        lines = compute_board(params)
        self.assertEqual(
            [line.amount for line in lines],
            [51.61, 100.0, 150.0] + [94.73] * 9 + [45.82],
        )
        self.assertEqual([line.posted for line in lines], [True] * 3 + [False] * 10)
        self.assertEqual(lines[-1].date, D(2027, 1, 31))
        self.assertEqual(lines[-1].cumulative_amount, 1200.0)

    def test_degressive_recompute_continues_from_the_remaining_value(self):
        # 2,500 posted instead of 2,000: 20% of 7,500, 6,000, 4,800, then the rest.
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=10000.0,
            method="degressive",
            method_number=5,
            degressive_factor=0.2,
            posted=[(D(2026, 12, 31), 2500.0)],
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-12-31", 2500.0, 2500.0, 7500.0, True),
                ("2027-12-31", 1500.0, 4000.0, 6000.0, False),
                ("2028-12-31", 1200.0, 5200.0, 4800.0, False),
                ("2029-12-31", 960.0, 6160.0, 3840.0, False),
                ("2030-12-31", 3840.0, 10000.0, 0.0, False),
            ],
        )

    def test_longer_useful_life(self):
        # 12 -> 24 months after 3 posted: 900 over 21 months = 42.86 x 20 + 42.80.
        lines = compute_board(monthly_1200(method_number=24, posted=FIRST_THREE_POSTED))
        self.assertEqual(len(lines), 24)
        self.assertEqual(
            [line.amount for line in lines], [100.0] * 3 + [42.86] * 20 + [42.8]
        )
        self.assertEqual(
            rows(lines[3:4] + lines[-1:]),
            [
                ("2026-04-30", 42.86, 342.86, 857.14, False),
                ("2027-12-31", 42.8, 1200.0, 0.0, False),
            ],
        )

    def test_shorter_useful_life(self):
        # 12 -> 6 months after 3 posted: 900 over April to June.
        lines = compute_board(monthly_1200(method_number=6, posted=FIRST_THREE_POSTED))
        self.assertEqual(
            rows(lines[3:]),
            [
                ("2026-04-30", 300.0, 600.0, 600.0, False),
                ("2026-05-31", 300.0, 900.0, 300.0, False),
                ("2026-06-30", 300.0, 1200.0, 0.0, False),
            ],
        )

    def test_useful_life_shorter_than_what_is_posted(self):
        # 12 -> 2 months with 3 posted: the rest goes on the next period.
        lines = compute_board(monthly_1200(method_number=2, posted=FIRST_THREE_POSTED))
        self.assertEqual(
            rows(lines),
            [
                ("2026-01-31", 100.0, 100.0, 1100.0, True),
                ("2026-02-28", 100.0, 200.0, 1000.0, True),
                ("2026-03-31", 100.0, 300.0, 900.0, True),
                ("2026-04-30", 900.0, 1200.0, 0.0, False),
            ],
        )

    def test_impairment_mid_life(self):
        # -300 on 15 April: 600 left over April to December = 66.67 x 8 + 66.64.
        params = monthly_1200(
            posted=FIRST_THREE_POSTED,
            value_changes=[ValueChange(D(2026, 4, 15), -300.0)],
        )
        lines = compute_board(params)
        self.assertEqual(
            rows(lines),
            [
                ("2026-01-31", 100.0, 100.0, 1100.0, True),
                ("2026-02-28", 100.0, 200.0, 1000.0, True),
                ("2026-03-31", 100.0, 300.0, 900.0, True),
                ("2026-04-30", 66.67, 366.67, 533.33, False),
                ("2026-05-31", 66.67, 433.34, 466.66, False),
                ("2026-06-30", 66.67, 500.01, 399.99, False),
                ("2026-07-31", 66.67, 566.68, 333.32, False),
                ("2026-08-31", 66.67, 633.35, 266.65, False),
                ("2026-09-30", 66.67, 700.02, 199.98, False),
                ("2026-10-31", 66.67, 766.69, 133.31, False),
                ("2026-11-30", 66.67, 833.36, 66.64, False),
                ("2026-12-31", 66.64, 900.0, 0.0, False),
            ],
        )
        # The same board without posted lines: the change re-spreads by itself.
        self.assertEqual(
            rows(compute_board(dataclasses.replace(params, posted=()))),
            [row[:4] + (False,) for row in rows(lines)],
        )

    def test_value_change_counts_from_the_period_containing_its_date(self):
        def april_and_may(day):
            lines = compute_board(monthly_1200(value_changes=[(day, -300.0)]))
            return [line.amount for line in lines[3:5]]

        # 1 or 30 April: April is re-spread (600 / 9); 1 May: from May (500 / 8).
        self.assertEqual(april_and_may(D(2026, 4, 1)), [66.67, 66.67])
        self.assertEqual(april_and_may(D(2026, 4, 30)), [66.67, 66.67])
        self.assertEqual(april_and_may(D(2026, 5, 1)), [100.0, 62.5])

    def test_revaluation_dated_in_a_posted_period(self):
        # +450 on 15 March, March already posted at 100: the posted lines stay,
        # 1,350 left over April to December = 150 a month.
        params = monthly_1200(
            posted=FIRST_THREE_POSTED,
            value_changes=[(D(2026, 3, 15), 450.0)],
        )
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-01-31", 100.0, 100.0, 1100.0, True),
                ("2026-02-28", 100.0, 200.0, 1000.0, True),
                ("2026-03-31", 100.0, 300.0, 1350.0, True),
                ("2026-04-30", 150.0, 450.0, 1200.0, False),
                ("2026-05-31", 150.0, 600.0, 1050.0, False),
                ("2026-06-30", 150.0, 750.0, 900.0, False),
                ("2026-07-31", 150.0, 900.0, 750.0, False),
                ("2026-08-31", 150.0, 1050.0, 600.0, False),
                ("2026-09-30", 150.0, 1200.0, 450.0, False),
                ("2026-10-31", 150.0, 1350.0, 300.0, False),
                ("2026-11-30", 150.0, 1500.0, 150.0, False),
                ("2026-12-31", 150.0, 1650.0, 0.0, False),
            ],
        )

    def test_book_value_after_impairment(self):
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=27000.0,
            salvage_value=7000.0,
            method_number=5,
            value_changes=[(D(2027, 6, 30), -2000.0)],
        )
        lines = compute_board(params)
        # 2027 onwards: 14,000 over 4 years = 3,500.
        self.assertEqual(
            [line.amount for line in lines], [4000.0, 3500.0, 3500.0, 3500.0, 3500.0]
        )
        self.assertEqual(
            [book_value(line, params) for line in lines],
            [23000.0, 17500.0, 14000.0, 10500.0, 7000.0],
        )

    def test_pause_shifts_the_remaining_periods(self):
        # May and June paused: the same amounts, the board ends in February 2027.
        params = monthly_1200(
            posted=FIRST_THREE_POSTED, pauses=[Pause(D(2026, 5, 1), 2)]
        )
        lines = compute_board(params)
        self.assertEqual(
            [line.date.isoformat() for line in lines],
            [
                "2026-01-31",
                "2026-02-28",
                "2026-03-31",
                "2026-04-30",
                "2026-07-31",
                "2026-08-31",
                "2026-09-30",
                "2026-10-31",
                "2026-11-30",
                "2026-12-31",
                "2027-01-31",
                "2027-02-28",
            ],
        )
        self.assertEqual([line.amount for line in lines], [100.0] * 12)
        self.assertEqual([line.posted for line in lines], [True] * 3 + [False] * 9)
        self.assertEqual(lines[-1].remaining_value, 0.0)

    def test_pause_starts_with_the_period_containing_its_start(self):
        # Starting on 30 April pauses April itself.
        lines = compute_board(monthly_1200(pauses=[(D(2026, 4, 30), 2)]))
        self.assertEqual(
            [line.date for line in lines[2:4]], [D(2026, 3, 31), D(2026, 6, 30)]
        )
        self.assertEqual(lines[-1].date, D(2027, 2, 28))

    def test_past_pause_matches_the_lines_posted_after_it(self):
        posted = [
            *FIRST_THREE_POSTED,
            (D(2026, 4, 30), 100.0),
            (D(2026, 7, 31), 100.0),
        ]
        params = monthly_1200(posted=posted, pauses=[(D(2026, 5, 1), 2)])
        self.assertEqual(
            rows(compute_board(params)),
            [
                ("2026-01-31", 100.0, 100.0, 1100.0, True),
                ("2026-02-28", 100.0, 200.0, 1000.0, True),
                ("2026-03-31", 100.0, 300.0, 900.0, True),
                ("2026-04-30", 100.0, 400.0, 800.0, True),
                ("2026-07-31", 100.0, 500.0, 700.0, True),
                ("2026-08-31", 100.0, 600.0, 600.0, False),
                ("2026-09-30", 100.0, 700.0, 500.0, False),
                ("2026-10-31", 100.0, 800.0, 400.0, False),
                ("2026-11-30", 100.0, 900.0, 300.0, False),
                ("2026-12-31", 100.0, 1000.0, 200.0, False),
                ("2027-01-31", 100.0, 1100.0, 100.0, False),
                ("2027-02-28", 100.0, 1200.0, 0.0, False),
            ],
        )

    def test_yearly_pause_of_one_year(self):
        params = BoardParams(
            acquisition_date=D(2026, 1, 1),
            original_value=27000.0,
            salvage_value=7000.0,
            method_number=5,
            pauses=[(D(2027, 3, 1), 12)],
        )
        self.assertEqual(
            [line.date.year for line in compute_board(params)],
            [2026, 2028, 2029, 2030, 2031],
        )

    def test_fully_posted_board(self):
        posted = [(line.date, line.amount) for line in compute_board(monthly_1200())]
        lines = compute_board(monthly_1200(posted=posted))
        self.assertEqual(len(lines), 12)
        self.assertTrue(all(line.posted for line in lines))
        self.assertEqual(lines[-1].remaining_value, 0.0)


@tagged("post_install", "-at_install")
class TestDepreciationValidation(BaseCase):
    """Each invalid input raises ValueError naming the field and the rule."""

    def assertInvalid(self, message, **kwargs):
        with self.assertRaises(ValueError) as caught:
            compute_board(monthly_1200(**kwargs))
        self.assertEqual(str(caught.exception), message)

    def test_method_number(self):
        self.assertInvalid(
            "method_number: must be an integer >= 1 (got 0)", method_number=0
        )
        self.assertInvalid(
            "method_number: must be an integer >= 1 (got 1.5)", method_number=1.5
        )

    def test_values(self):
        self.assertInvalid(
            "salvage_value: must not exceed original_value (got 1300.0 > 1200.0)",
            salvage_value=1300.0,
        )
        self.assertInvalid(
            "original_value: must be >= 0 (got -1.0)", original_value=-1.0
        )
        self.assertInvalid(
            "salvage_value: must be >= 0 (got -0.01)", salvage_value=-0.01
        )
        self.assertInvalid(
            "original_value: must be a finite number (got 'abc')", original_value="abc"
        )
        self.assertInvalid(
            "original_value: must be a finite number (got nan)",
            original_value=float("nan"),
        )

    def test_degressive_factor(self):
        self.assertInvalid(
            "degressive_factor: must be > 0 for method 'degressive' (got 0.0)",
            method="degressive",
            degressive_factor=0.0,
        )
        self.assertInvalid(
            "degressive_factor: must be > 0 for method 'degressive_then_linear' "
            "(got -0.2)",
            method="degressive_then_linear",
            degressive_factor=-0.2,
        )
        # Linear boards ignore the factor.
        lines = compute_board(monthly_1200(degressive_factor=0.0))
        self.assertEqual(len(lines), 12)

    def test_method_and_period(self):
        self.assertInvalid(
            "method_period: must be 1 (monthly) or 12 (yearly) (got 3)",
            method_period=3,
        )
        self.assertInvalid(
            "method: must be one of 'linear', 'degressive', 'degressive_then_linear' "
            "(got 'sum_of_years')",
            method="sum_of_years",
        )
        with self.assertRaises(ValueError) as caught:
            period_end(D(2026, 1, 1), 6)
        self.assertEqual(
            str(caught.exception),
            "method_period: must be 1 (monthly) or 12 (yearly) (got 6)",
        )

    def test_rounding_and_dates(self):
        self.assertInvalid("rounding: must be > 0 (got 0.0)", rounding=0.0)
        self.assertInvalid(
            "acquisition_date: must be a datetime.date "
            "(got datetime.datetime(2026, 1, 1, 0, 0))",
            acquisition_date=datetime(2026, 1, 1),
        )
        self.assertInvalid(
            "fy_end_month: must be an integer from 1 to 12 (got 13)", fy_end_month=13
        )
        self.assertInvalid(
            "fy_end_day: must be an integer from 1 to 30 for month 6 (got 31)",
            fy_end_month=6,
            fy_end_day=31,
        )

    def test_posted(self):
        self.assertInvalid(
            "posted: dates must be strictly increasing (2026-01-31 after 2026-02-28)",
            posted=[(D(2026, 2, 28), 100.0), (D(2026, 1, 31), 100.0)],
        )
        self.assertInvalid(
            "posted: date 2025-12-31 is before acquisition_date 2026-01-01",
            posted=[(D(2025, 12, 31), 100.0)],
        )
        self.assertInvalid(
            "posted: the posted amounts (1300.0) exceed the value to depreciate by "
            "100.0",
            posted=[(D(2026, 1, 31), 1300.0)],
        )
        self.assertInvalid(
            "posted: each item must be a (date, amount) pair (got 100.0)",
            posted=[100.0],
        )
        # an excess before the last posted line is named too (not an IndexError)
        self.assertInvalid(
            "posted: the posted amounts (1300.0) exceed the value to depreciate by "
            "100.0",
            posted=[(D(2026, 1, 31), 1300.0), (D(2026, 2, 28), 10.0)],
        )

    def test_value_changes(self):
        self.assertInvalid(
            "value_changes: the change of 2026-04-15 makes the remaining value "
            "negative",
            posted=FIRST_THREE_POSTED,
            value_changes=[(D(2026, 4, 15), -900.01)],
        )
        self.assertInvalid(
            "value_changes: date 2027-01-01 is after the end of the board "
            "(2026-12-31)",
            value_changes=[(D(2027, 1, 1), 100.0)],
        )

    def test_pauses(self):
        with self.assertRaises(ValueError) as caught:
            compute_board(
                BoardParams(
                    acquisition_date=D(2026, 1, 1),
                    original_value=1000.0,
                    pauses=[(D(2027, 1, 1), 6)],
                )
            )
        self.assertEqual(
            str(caught.exception),
            "pauses: months must be a positive multiple of method_period (12) "
            "(got 6)",
        )
        self.assertInvalid(
            "pauses: start 2025-06-01 is before acquisition_date 2026-01-01",
            pauses=[(D(2025, 6, 1), 1)],
        )
