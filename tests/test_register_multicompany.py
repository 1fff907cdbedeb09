# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Each company its own accounts, journals, assets and boards: nothing crosses."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_register_common import D, RegisterCommon

CROSS = r"Incompatible companies|You are not allowed to access|doesn't have"


@tagged("post_install", "-at_install")
class TestRegisterMultiCompany(RegisterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        monthly = {"original_value": 1200.0, "method_number": 12, "method_period": "1"}
        cls.asset_a = cls._register_asset(**monthly)
        cls.asset_b = cls._register_asset(
            company_id=cls.company_b.id, category_id=cls.category_b.id, **monthly
        )

    def test_each_company_posts_in_its_own_books(self):
        (self.asset_a | self.asset_b).action_post_until(D(2026, 1, 31))
        move_a = self.asset_a.depreciation_line_ids.move_id
        move_b = self.asset_b.depreciation_line_ids.move_id
        self.assertRecordValues(
            move_a | move_b,
            [
                {
                    "company_id": self.company_a.id,
                    "journal_id": self.chart_a["journal"].id,
                },
                {
                    "company_id": self.company_b.id,
                    "journal_id": self.chart_b["journal"].id,
                },
            ],
        )
        self.assertEntryLines(
            move_b,
            [
                (self.chart_b["accumulated"], 0.0, 100.0),
                (self.chart_b["expense"], 100.0, 0.0),
            ],
        )

    def test_lines_and_changes_are_invisible_to_other_companies(self):
        lines = self.env["stock.asset.depreciation.line"]
        self.assertEqual(
            lines.with_user(self.accountant_a).search([]).asset_id, self.asset_a
        )
        self.assertEqual(
            lines.with_user(self.accountant_b).search([]).asset_id, self.asset_b
        )
        line_b = self.asset_b.depreciation_line_ids[0]
        with self.assertRaises(AccessError):
            line_b.with_user(self.accountant_a).read(["amount"])
        with self.assertRaises(AccessError):
            self.asset_b.with_user(self.accountant_a).action_post_until(D(2026, 1, 31))
        self.asset_b.with_user(self.accountant_b).action_post_until(D(2026, 1, 31))
        self.assertEqual(self.asset_b.depreciated_value, 100.0)
        self.assertEqual(self.asset_a.depreciated_value, 0.0)

    def test_category_accounts_and_journal_stay_in_their_company(self):
        with self.assertRaisesRegex(UserError, CROSS):
            self.category_a.journal_id = self.chart_b["journal"]
        with self.assertRaisesRegex(UserError, CROSS):
            self.category_a.account_depreciation_id = self.chart_b["accumulated"]

    def test_an_asset_with_a_board_stays_in_its_company(self):
        with self.assertRaisesRegex(UserError, "cannot move to another company"):
            self.asset_a.company_id = self.company_b

    def test_wizards_and_report_stay_in_their_company(self):
        with self.assertRaisesRegex(UserError, CROSS):
            self.env["stock.asset.dispose"].with_user(self.accountant_a).create(
                {"asset_id": self.asset_b.id, "date": D(2026, 3, 1)}
            )
        self.asset_b.action_post_until(D(2026, 1, 31))
        report = self.env["stock.asset.register.report"].create(
            {
                "company_id": self.company_a.id,
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 12, 31),
            }
        )
        data = report._get_register_data()
        self.assertEqual([line["code"] for line in data["assets"]], [self.asset_a.code])
        self.assertEqual(data["total"]["dep_charge"], 0.0)
