# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""A tour per role (issue 17): the asset manager in the asset list and form, the
accountant in the register (static/tests/tours/role_tours.js). The operator's
tour on the phone screen is tests/test_scan_screen_tour.py, at a phone's size.
Each tour asserts what its user sees; the database is checked afterwards."""

from datetime import date

from odoo.tests import HttpCase, tagged

from .test_register_common import RegisterCommon


@tagged("post_install", "-at_install")
class TestRoleTours(RegisterCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        firm = cls.env["res.partner"].create(
            {"name": "Mills & Sons", "is_company": True}
        )
        cls.dora = cls.env["res.partner"].create(
            {"name": "Dora Mills", "parent_id": firm.id}
        )
        cls.caliper, cls.gauge = cls.env["stock.asset"].create(
            [
                {
                    "name": "Tour Caliper",
                    "code": "TOUR-M1",
                    "company_id": cls.company_a.id,
                    "location_id": cls.stock_a.id,
                },
                {
                    "name": "Tour Gauge",
                    "code": "TOUR-M2",
                    "company_id": cls.company_a.id,
                    "location_id": cls.stock_a.id,
                },
            ]
        )
        (cls.caliper | cls.gauge).action_confirm()
        cls.gauge.action_checkout(cls.dora)

    def test_manager_checks_out_from_the_form(self):
        self.start_tour(
            "/odoo/action-stock_asset_tracking.stock_asset_action",
            "stock_asset_tracking_manager",
            login=self.manager_a.login,
        )
        self.assertEqual(self.caliper.holder_id, self.dora)
        self.assertEqual(self.caliper.custody_ids.holder_id, self.dora)

    def test_accountant_posts_and_reads_the_entry(self):
        self.category_a.write(self._register_category_vals(self.chart_a))
        lathe = self._register_asset(
            name="Tour Lathe",
            code="TOUR-R1",
            original_value=10_000,
            method_number=5,
            acquisition_date=date(2025, 1, 1),
        )
        lathe.action_confirm()
        self.start_tour(
            "/odoo/action-stock_asset_tracking.stock_asset_action_register",
            "stock_asset_tracking_accountant",
            login=self.accountant_a.login,
        )
        posted = lathe.depreciation_line_ids.filtered(lambda line: line.move_id)
        self.assertEqual(posted.mapped("date"), [date(2025, 12, 31)])
        self.assertEqual(posted.move_id.state, "posted")
        self.assertEntryLines(
            posted.move_id,
            [
                (self.chart_a["expense"], 2_000, 0),
                (self.chart_a["accumulated"], 0, 2_000),
            ],
        )
