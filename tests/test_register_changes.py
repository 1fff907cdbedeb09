# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Changes during life: revaluation, impairment, pause and resume, useful life;
each recomputes the remaining board and leaves a note in the chatter."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_register_common import D, RegisterCommon


@tagged("post_install", "-at_install")
class TestRegisterChanges(RegisterCommon):
    def setUp(self):
        super().setUp()
        # 1,200 over 12 months from January 2026, January to March posted
        self.asset = self._register_asset(
            original_value=1200.0, method_number=12, method_period="1"
        )
        self.asset.action_post_until(D(2026, 3, 31))

    def _modify(self, **vals):
        wizard = (
            self.env["stock.asset.modify"]
            .with_user(self.accountant_a)
            .with_context(active_model="stock.asset", active_id=self.asset.id)
            .create(vals)
        )
        wizard.action_apply()
        return wizard

    def _draft_amounts(self):
        return [
            (row[0], row[1]) for row in self._board(self.asset) if row[4] == "draft"
        ]

    def _last_note(self):
        return self.asset.message_ids.sorted("id")[-1].body

    def test_revaluation(self):
        self._modify(
            action="revaluation",
            date=D(2026, 4, 1),
            amount=180.0,
            account_id=self.chart_a["reserve"].id,
        )
        # 900 + 180 = 1,080 over the 9 remaining months: 120 a month
        self.assertEqual(
            self._draft_amounts(),
            [
                (f"2026-{month:02d}-{day}", 120.0)
                for month, day in (
                    (4, 30),
                    (5, 31),
                    (6, 30),
                    (7, 31),
                    (8, 31),
                    (9, 30),
                    (10, 31),
                    (11, 30),
                    (12, 31),
                )
            ],
        )
        change = self.asset.register_change_ids
        self.assertRecordValues(
            change, [{"kind": "revaluation", "amount": 180.0, "date": D(2026, 4, 1)}]
        )
        self.assertEntryLines(
            change.move_id,
            [
                (self.chart_a["reserve"], 0.0, 180.0),
                (self.chart_a["asset"], 180.0, 0.0),
            ],
        )
        self.assertRecordValues(
            self.asset, [{"book_value": 1080.0, "value_residual": 1080.0}]
        )
        self.assertIn("Revaluation", self._last_note())
        self.assertIn("recomputed", self._last_note())

    def test_downward_revaluation(self):
        self._modify(
            action="revaluation",
            date=D(2026, 4, 1),
            amount=-90.0,
            account_id=self.chart_a["reserve"].id,
        )
        self.assertEqual({amount for _day, amount in self._draft_amounts()}, {90.0})
        self.assertEntryLines(
            self.asset.register_change_ids.move_id,
            [(self.chart_a["reserve"], 90.0, 0.0), (self.chart_a["asset"], 0.0, 90.0)],
        )
        self.assertEqual(self.asset.book_value, 810.0)

    def test_impairment(self):
        wizard = self.env["stock.asset.modify"].new(
            {"asset_id": self.asset.id, "action": "impairment"}
        )
        self.assertEqual(wizard.account_id, self.chart_a["loss"])
        impairment = {
            "action": "impairment",
            "date": D(2026, 4, 15),
            "account_id": self.chart_a["loss"].id,
        }
        self._modify(**impairment, amount=90.0)
        # 900 - 90 = 810 over 9 months: 90 a month
        self.assertEqual({amount for _day, amount in self._draft_amounts()}, {90.0})
        self.assertEqual(len(self._draft_amounts()), 9)
        self.assertEntryLines(
            self.asset.register_change_ids.move_id,
            [
                (self.chart_a["accumulated"], 0.0, 90.0),
                (self.chart_a["loss"], 90.0, 0.0),
            ],
        )
        self.assertRecordValues(
            self.asset, [{"book_value": 810.0, "depreciated_value": 300.0}]
        )
        self.assertIn("Impairment", self._last_note())
        with self.assertRaisesRegex(UserError, "exceeds"):
            self._modify(**impairment, amount=811.0)
        self.company_a.fiscalyear_lock_date = D(2026, 4, 30)
        with self.assertRaisesRegex(UserError, "the period is locked"):
            self._modify(**impairment, amount=10.0)

    def test_pause_and_resume(self):
        self._modify(action="pause", date=D(2026, 4, 10), note="In storage")
        self.assertTrue(self.asset.depreciation_paused)
        # nothing to depreciate from April on while paused
        self.assertEqual(self._draft_amounts(), [])
        self.assertIs(self.asset.action_post_until(D(2026, 12, 31)), True)
        self.assertIn("paused", self._last_note())
        self._modify(action="resume", date=D(2026, 6, 20))
        self.assertFalse(self.asset.depreciation_paused)
        self.assertRecordValues(
            self.asset.register_change_ids,
            [{"kind": "pause", "months": 2, "resume_date": D(2026, 6, 20)}],
        )
        # April and May skipped: the 9 remaining months run June 2026 - Feb. 2027
        self.assertEqual(
            self._draft_amounts(),
            [
                ("2026-06-30", 100.0),
                ("2026-07-31", 100.0),
                ("2026-08-31", 100.0),
                ("2026-09-30", 100.0),
                ("2026-10-31", 100.0),
                ("2026-11-30", 100.0),
                ("2026-12-31", 100.0),
                ("2027-01-31", 100.0),
                ("2027-02-28", 100.0),
            ],
        )
        self.assertIn("2 month(s) skipped", self._last_note())

    def test_pause_in_a_posted_period_is_refused(self):
        with self.assertRaisesRegex(UserError, "depreciated up to"):
            self._modify(action="pause", date=D(2026, 3, 10))
        with self.assertRaisesRegex(UserError, "not paused"):
            self._modify(action="resume", date=D(2026, 6, 20))

    def test_resume_in_the_same_period_skips_nothing(self):
        self._modify(action="pause", date=D(2026, 4, 10))
        self._modify(action="resume", date=D(2026, 4, 25))
        self.assertFalse(self.asset.register_change_ids)
        self.assertEqual(len(self._draft_amounts()), 9)

    def test_change_of_useful_life(self):
        self._modify(action="useful_life", method_number=6)
        # 900 left over April, May and June
        self.assertEqual(
            self._draft_amounts(),
            [("2026-04-30", 300.0), ("2026-05-31", 300.0), ("2026-06-30", 300.0)],
        )
        self.assertRecordValues(
            self.asset.register_change_ids,
            [
                {
                    "kind": "useful_life",
                    "method_number_before": 12,
                    "method_number_after": 6,
                }
            ],
        )
        self.assertEqual(self.asset.method_number, 6)
        self.assertIn("from 12 to 6 periods", self._last_note())
        # longer again: 900 over the 21 months from April 2026
        self._modify(action="useful_life", method_number=24)
        amounts = self._draft_amounts()
        self.assertEqual(len(amounts), 21)
        self.assertEqual(amounts[0], ("2026-04-30", 42.86))
        self.assertEqual(amounts[-1], ("2027-12-31", 42.8))
        self.assertEqual(round(sum(amount for _day, amount in amounts), 2), 900.0)
