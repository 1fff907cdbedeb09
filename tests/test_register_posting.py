# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Journal entries of the register: per asset or grouped, lock dates, reruns, the
monthly job and the Post Depreciation wizard."""

from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.register.stock_asset_depreciation_line import StockAssetDepreciationLine
from .test_register_common import D, RegisterCommon


@tagged("post_install", "-at_install")
class TestRegisterPosting(RegisterCommon):
    def _monthly(self, value=1200.0, **vals):
        vals.setdefault("method_number", 12)
        return self._register_asset(original_value=value, method_period="1", **vals)

    def test_one_entry_per_asset_and_period(self):
        asset = self._monthly()
        action = asset.action_post_until(D(2026, 3, 31))
        lines = asset.depreciation_line_ids.sorted("date")
        moves = lines[:3].move_id
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(action["domain"], [("id", "in", moves.ids)])
        self.assertRecordValues(
            lines[:4],
            [
                {"date": D(2026, 1, 31), "state": "posted", "amount": 100.0},
                {"date": D(2026, 2, 28), "state": "posted", "amount": 100.0},
                {"date": D(2026, 3, 31), "state": "posted", "amount": 100.0},
                {"date": D(2026, 4, 30), "state": "draft", "amount": 100.0},
            ],
        )
        self.assertFalse(lines[3].move_id)
        self.assertEqual(len(moves), 3)
        self.assertRecordValues(
            moves.sorted("date"),
            [
                {
                    "date": D(2026, 1, 31),
                    "state": "posted",
                    "journal_id": self.chart_a["journal"].id,
                    "asset_id": asset.id,
                    "move_type": "entry",
                    "company_id": self.company_a.id,
                },
                {
                    "date": D(2026, 2, 28),
                    "state": "posted",
                    "journal_id": self.chart_a["journal"].id,
                    "asset_id": asset.id,
                    "move_type": "entry",
                    "company_id": self.company_a.id,
                },
                {
                    "date": D(2026, 3, 31),
                    "state": "posted",
                    "journal_id": self.chart_a["journal"].id,
                    "asset_id": asset.id,
                    "move_type": "entry",
                    "company_id": self.company_a.id,
                },
            ],
        )
        # Dr depreciation expense / Cr accumulated depreciation
        self.assertEntryLines(
            moves[0],
            [
                (self.chart_a["accumulated"], 0.0, 100.0),
                (self.chart_a["expense"], 100.0, 0.0),
            ],
        )
        self.assertRecordValues(
            asset,
            [
                {
                    "book_value": 900.0,
                    "depreciated_value": 300.0,
                    "value_residual": 900.0,
                }
            ],
        )
        self.assertEqual(asset.register_entry_count, 3)

    def test_rerun_never_posts_twice(self):
        asset = self._monthly()
        asset.action_post_until(D(2026, 2, 28))
        moves = self.env["account.move"].search([("asset_id", "=", asset.id)])
        self.assertEqual(len(moves), 2)
        self.assertIs(asset.action_post_until(D(2026, 2, 28)), True)
        posted = asset.depreciation_line_ids.filtered(
            lambda line: line.state == "posted"
        )
        self.assertFalse(posted._post_depreciation())
        self.assertEqual(
            self.env["account.move"].search([("asset_id", "=", asset.id)]), moves
        )
        # one line per asset and period, whatever writes to the table
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env["stock.asset.depreciation.line"].create(
                {
                    "asset_id": asset.id,
                    "company_id": self.company_a.id,
                    "date": D(2026, 1, 31),
                    "amount": 100.0,
                }
            )
            self.env.flush_all()

    def test_line_locked_by_another_transaction_is_skipped(self):
        asset = self._monthly()
        line = asset.depreciation_line_ids.sorted("date")[0]
        # what a concurrent poster that already holds the row looks like
        with patch.object(
            StockAssetDepreciationLine, "_lock_draft", lambda lines: lines.browse()
        ):
            self.assertFalse(line._post_depreciation())
        self.assertEqual(line.state, "draft")

    def test_grouped_entry_per_category_and_period(self):
        self.category_a.group_entries = True
        first = self._monthly()
        second = self._monthly(2400.0)
        # posting one asset posts its whole category for the period, in one entry
        first.action_post_until(D(2026, 1, 31))
        january = (first | second).depreciation_line_ids.filtered(
            lambda line: line.date == D(2026, 1, 31)
        )
        move = january.move_id
        self.assertEqual(len(move), 1)
        self.assertEqual(january.mapped("state"), ["posted", "posted"])
        self.assertRecordValues(
            move, [{"asset_id": False, "date": D(2026, 1, 31), "state": "posted"}]
        )
        self.assertEntryLines(
            move,
            [
                (self.chart_a["accumulated"], 0.0, 300.0),
                (self.chart_a["expense"], 300.0, 0.0),
            ],
        )
        self.assertEqual(move.asset_depreciation_line_ids, january)
        self.assertEqual(second.book_value, 2200.0)
        # the shared entry counts once for each asset, read together
        (first | second).invalidate_recordset(["register_entry_count"])
        self.assertEqual((first | second).mapped("register_entry_count"), [1, 1])
        first.action_post_until(D(2026, 2, 28))
        (first | second).invalidate_recordset(["register_entry_count"])
        self.assertEqual((first | second).mapped("register_entry_count"), [2, 2])

    def test_asset_with_posted_depreciation_cannot_be_deleted(self):
        asset = self._monthly()
        asset.action_post_until(D(2026, 1, 31))
        with self.assertRaisesRegex(UserError, "posted depreciation cannot be deleted"):
            asset.unlink()

    def test_lock_dates_are_respected(self):
        asset = self._monthly()
        self.company_a.fiscalyear_lock_date = D(2026, 1, 31)
        with self.assertRaisesRegex(UserError, "the period is locked"):
            asset.action_post_until(D(2026, 2, 28))
        self.assertEqual(set(asset.depreciation_line_ids.mapped("state")), {"draft"})
        self.company_a.hard_lock_date = D(2026, 2, 28)
        with self.assertRaisesRegex(UserError, "the period is locked"):
            asset.depreciation_line_ids.filtered(
                lambda line: line.date == D(2026, 2, 28)
            )._post_depreciation()

    def test_category_without_accounts_cannot_post(self):
        self.category_a.account_depreciation_expense_id = False
        asset = self._monthly()
        with self.assertRaisesRegex(UserError, "depreciation expense account"):
            asset.action_post_until(D(2026, 1, 31))

    def _january_reset_to_draft(self):
        """``(asset, line, entry)``: a monthly asset whose January is posted,
        then its entry reset to draft."""
        asset = self._monthly()
        asset.action_post_until(D(2026, 1, 31))
        line = asset.depreciation_line_ids.sorted("date")[0]
        move = line.move_id
        move.button_draft()
        return asset, line, move

    def test_reset_entry_gives_the_line_back(self):
        asset, line, move = self._january_reset_to_draft()
        self.assertEqual(line.state, "draft")
        self.assertEqual(asset.book_value, 1200.0)
        # posted again as it is
        move.action_post()
        self.assertEqual(line.state, "posted")
        move.button_draft()
        move.unlink()
        self.assertRecordValues(line, [{"state": "draft", "move_id": False}])
        asset.action_post_until(D(2026, 1, 31))
        self.assertEqual(line.state, "posted")
        self.assertNotEqual(line.move_id, move)

    def test_entry_reset_to_draft_is_posted_again(self):
        asset, line, move = self._january_reset_to_draft()
        # an unchanged line keeps its draft entry through a recomputation
        asset.action_compute_board()
        self.assertRecordValues(line, [{"state": "draft", "move_id": move.id}])
        self.assertEqual(asset.action_post_until(D(2026, 1, 31))["res_id"], move.id)
        self.assertRecordValues(line, [{"state": "posted", "move_id": move.id}])
        self.assertEqual(move.state, "posted")
        self.assertEqual(
            self.env["account.move"].search_count([("asset_id", "=", asset.id)]), 1
        )
        # a changed line takes its draft entry with it
        move.button_draft()
        asset.write({"original_value": 2400.0})
        self.assertFalse(move.exists())
        self.assertEqual(asset.depreciation_line_ids.sorted("date")[0].amount, 200.0)

    def test_accountant_posts_without_invoicing_rights(self):
        asset = self._monthly()
        self.assertFalse(self.accountant_a.has_group("account.group_account_invoice"))
        asset.with_user(self.accountant_a).action_post_until(D(2026, 1, 31))
        self.assertEqual(asset.depreciated_value, 100.0)
        with self.assertRaises(AccessError):
            asset.with_user(self.user_a).action_post_until(D(2026, 2, 28))

    @freeze_time("2026-03-05")
    def test_cron_posts_due_lines_in_batches_with_progress(self):
        assets = self._monthly() | self._monthly(2400.0) | self._monthly(3600.0)
        # company B's period is locked: its due lines wait, they do not block
        asset_b = self._register_asset(
            original_value=1200.0,
            method_number=12,
            method_period="1",
            company_id=self.company_b.id,
            category_id=self.category_b.id,
        )
        self.company_b.fiscalyear_lock_date = D(2026, 1, 31)
        cron = self.env.ref("stock_asset_tracking.ir_cron_post_depreciation")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        lines_model = self.env["stock.asset.depreciation.line"].with_context(
            ir_cron_progress_id=progress.id
        )
        with patch.object(StockAssetDepreciationLine, "_cron_batch_size", 4):
            lines_model._cron_post_due()
            # 6 due lines of company A (January, February) + February of B
            self.assertRecordValues(progress, [{"done": 4, "remaining": 3}])
            lines_model._cron_post_due()
            self.assertRecordValues(progress, [{"done": 3, "remaining": 0}])
        posted = (assets | asset_b).depreciation_line_ids.filtered(
            lambda line: line.state == "posted"
        )
        self.assertEqual(
            sorted((line.asset_id.id, str(line.date)) for line in posted),
            sorted(
                [(asset.id, "2026-01-31") for asset in assets]
                + [(asset.id, "2026-02-28") for asset in assets]
                + [(asset_b.id, "2026-02-28")]
            ),
        )
        self.assertEqual(
            posted.move_id.journal_id.company_id, self.company_a | self.company_b
        )
        # nothing left: a third run posts nothing
        lines_model._cron_post_due()
        self.assertRecordValues(progress, [{"done": 0, "remaining": 0}])

    def test_post_wizard(self):
        first = self._monthly()
        second = self._monthly(2400.0)
        wizard = self._post_wizard(D(2026, 2, 28), self.company_a, self.accountant_a)
        self.assertEqual(wizard.line_count, 4)
        action = wizard.action_post()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(len(action["domain"][0][2]), 4)
        self.assertEqual((first | second).mapped("depreciated_value"), [200.0, 400.0])
        # nothing left to post: the wizard just closes
        wizard = self._post_wizard(D(2026, 2, 28), self.company_a)
        self.assertEqual(wizard.line_count, 0)
        self.assertEqual(wizard.action_post(), {"type": "ir.actions.act_window_close"})

    def test_post_wizard_from_selected_assets(self):
        first = self._monthly()
        second = self._monthly(2400.0)
        wizard = (
            self.env["stock.asset.post"]
            .with_context(active_model="stock.asset", active_ids=first.ids)
            .create({"date": D(2026, 3, 31)})
        )
        self.assertEqual(wizard.asset_ids, first)
        wizard.action_post()
        self.assertEqual(first.depreciated_value, 300.0)
        self.assertEqual(second.depreciated_value, 0.0)
