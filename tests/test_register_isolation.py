# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""One company's, or one asset's, misconfiguration never stops the others'
depreciation posting: the wrong ones are skipped with their reason, shown to the
user, noted on the asset and logged by the monthly job."""

import logging
import re

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL

from .test_register_common import D, RegisterCommon

LOGGER = (
    "odoo.addons.stock_asset_tracking.models.register.stock_asset_depreciation_line"
)


@tagged("post_install", "-at_install")
class TestRegisterIsolation(RegisterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.shared = cls.env["stock.asset.category"].create(
            {"name": "Shared Tools", "company_id": False}
        )
        monthly = {
            "original_value": 1200.0,
            "method_number": 12,
            "method_period": "1",
            "category_id": cls.shared.id,
        }
        cls.shared_a1 = cls._register_asset(name="Press A1", **monthly)
        cls.shared_a2 = cls._register_asset(name="Press A2", **monthly)
        cls.shared_b = cls._register_asset(
            name="Press B", company_id=cls.company_b.id, **monthly
        )
        # Data from before the constraint: the shared category posts in company
        # A's journal and accounts, while company B has an asset in it.
        cls._force_category_vals(
            cls.shared,
            journal_id=cls.chart_a["journal"].id,
            account_depreciation_id=cls.chart_a["accumulated"].id,
            account_depreciation_expense_id=cls.chart_a["expense"].id,
        )
        cls.reason_b = (
            f"The register journal {cls.chart_a['journal'].display_name} of "
            "category Shared Tools belongs to Asset Co A, not to Asset Co B: "
            "choose a journal of Asset Co B, or give each company its own category."
        )

    @classmethod
    def _force_category_vals(cls, category, **vals):
        """Write ``vals`` on ``category`` past its constraints (legacy data)."""
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE stock_asset_category SET %s WHERE id = %s",
                SQL(", ").join(
                    SQL("%s = %s", SQL.identifier(fname), value)
                    for fname, value in vals.items()
                ),
                category.id,
            )
        )
        category.invalidate_recordset()

    def _states(self, asset):
        return [
            (str(line.date), line.state)
            for line in asset.depreciation_line_ids.sorted("date")[:3]
        ]

    def _skip_notes(self, asset):
        return asset.message_ids.filtered(
            lambda message: "not posted" in (message.body or "")
        )

    def test_post_until_posts_company_a_and_skips_company_b(self):
        assets = self.shared_a1 | self.shared_a2 | self.shared_b
        action = assets.action_post_until(D(2026, 2, 28))
        moves = (self.shared_a1 | self.shared_a2).depreciation_line_ids.move_id
        self.assertEqual(len(moves), 4)
        self.assertEqual(
            action,
            {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": "Depreciation of 1 asset(s) not posted",
                    "message": f"{self.shared_b.code}: {self.reason_b}",
                    "next": {
                        "type": "ir.actions.act_window",
                        "res_model": "account.move",
                        "name": "Depreciation Entries",
                        "domain": [("id", "in", moves.ids)],
                        "context": {"create": False},
                        "view_mode": "list,form",
                        "views": [(False, "list"), (False, "form")],
                    },
                },
            },
        )
        self.assertRecordValues(
            moves,
            [{"company_id": self.company_a.id, "state": "posted"}] * 4,
        )
        for asset in self.shared_a1 | self.shared_a2:
            self.assertEqual(
                self._states(asset),
                [
                    ("2026-01-31", "posted"),
                    ("2026-02-28", "posted"),
                    ("2026-03-31", "draft"),
                ],
            )
        due_b = self.shared_b.depreciation_line_ids.sorted("date")[:2]
        self.assertRecordValues(
            due_b,
            [{"state": "draft", "move_id": False, "post_skip_reason": self.reason_b}]
            * 2,
        )
        # the reason stays on the asset, once
        notes = self._skip_notes(self.shared_b)
        self.assertEqual(len(notes), 1)
        self.assertIn(
            f"Depreciation of 2026-01-31, 2026-02-28 not posted: {self.reason_b}",
            notes.body,
        )
        self.assertFalse(self._skip_notes(self.shared_a1))
        # nothing left that can be posted: the user is told why, nothing changes
        with self.assertRaisesRegex(
            UserError,
            f"^No depreciation was posted:\n{re.escape(self.shared_b.code)}: "
            f"{re.escape(self.reason_b)}",
        ):
            assets.action_post_until(D(2026, 2, 28))
        self.assertEqual(self._states(self.shared_b)[0], ("2026-01-31", "draft"))
        # once the category is split, company B posts in its own books
        self.shared_b.write(
            {
                "category_id": self.category_b.id,
                "method_number": 12,
                "method_period": "1",
            }
        )
        self.shared_b.action_post_until(D(2026, 1, 31))
        first_b = self.shared_b.depreciation_line_ids.sorted("date")[0]
        self.assertRecordValues(
            first_b, [{"state": "posted", "post_skip_reason": False}]
        )
        self.assertEqual(first_b.move_id.journal_id, self.chart_b["journal"])

    def _drill_b(self, original_value):
        """A company-B asset depreciated monthly over 12 months."""
        return self._register_asset(
            name="Drill B",
            company_id=self.company_b.id,
            category_id=self.category_b.id,
            original_value=original_value,
            method_number=12,
            method_period="1",
        )

    def test_post_wizard_lists_the_skipped_assets(self):
        wizard = (
            self.env["stock.asset.post"]
            .with_user(self.accountant_a)
            .with_context(allowed_company_ids=[self.company_a.id])
            .create({"date": D(2026, 1, 31), "company_id": self.company_a.id})
        )
        action = wizard.action_post()
        self.assertEqual(action["res_model"], "account.move")
        self.assertEqual(len(action["domain"][0][2]), 2)
        # company B's accountant, on an asset that cannot post in its company
        asset_b = self._drill_b(2400.0)
        wizard = self._post_wizard(D(2026, 2, 28), self.company_b, self.accountant_b)
        self.assertEqual(wizard.line_count, 4)
        action = wizard.action_post()
        self.assertEqual(
            action,
            {
                "type": "ir.actions.act_window",
                "name": "Depreciation Not Posted",
                "res_model": "stock.asset.post",
                "res_id": wizard.id,
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
            },
        )
        self.assertEqual(wizard.state, "done")
        self.assertEqual(len(wizard.move_ids), 2)
        self.assertEqual(asset_b.depreciated_value, 400.0)
        self.assertRecordValues(
            wizard.skip_ids,
            [
                {
                    "asset_id": self.shared_b.id,
                    "date_from": D(2026, 1, 31),
                    "date_to": D(2026, 2, 28),
                    "reason": self.reason_b,
                }
            ],
        )
        self.assertEqual(
            wizard.action_view_moves()["domain"], [("id", "in", wizard.move_ids.ids)]
        )
        self.assertEqual(len(self._skip_notes(self.shared_b)), 1)

    @freeze_time("2026-03-05")
    def test_cron_posts_every_valid_line_and_reports_the_rest(self):
        asset_b = self._drill_b(1200.0)
        cron = self.env.ref("stock_asset_tracking.ir_cron_post_depreciation")
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": cron.id, "remaining": 0, "done": 0}
        )
        lines_model = self.env["stock.asset.depreciation.line"].with_context(
            ir_cron_progress_id=progress.id
        )
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            lines_model._cron_post_due()
        # January and February of two A assets and two B assets, all handled
        self.assertRecordValues(progress, [{"done": 8, "remaining": 0}])
        self.assertEqual(
            logs.output,
            [
                f"INFO:{LOGGER}:Depreciation posting skipped 2 line(s) of 1 "
                f"asset(s) of company [{self.company_b.id}] "
                f"(['{self.shared_b.code}']): '{self.reason_b}'"
            ],
        )
        for asset in self.shared_a1 | self.shared_a2 | asset_b:
            self.assertEqual(
                self._states(asset),
                [
                    ("2026-01-31", "posted"),
                    ("2026-02-28", "posted"),
                    ("2026-03-31", "draft"),
                ],
            )
        self.assertEqual(
            asset_b.depreciation_line_ids.move_id.journal_id, self.chart_b["journal"]
        )
        self.assertRecordValues(
            self.shared_b.depreciation_line_ids.sorted("date")[:2],
            [
                {
                    "state": "draft",
                    "post_skip_reason": self.reason_b,
                    "post_skip_date": D(2026, 3, 5),
                }
            ]
            * 2,
        )
        self.assertEqual(len(self._skip_notes(self.shared_b)), 1)
        # the same run does not take the skipped lines again
        lines_model._cron_post_due()
        self.assertRecordValues(progress, [{"done": 0, "remaining": 0}])
        # the next run retries them, and notes nothing new for the same reason
        with freeze_time("2026-04-02"), self.assertLogs(LOGGER, logging.INFO) as logs:
            lines_model._cron_post_due()
        self.assertEqual(len(logs.output), 1)
        self.assertIn("skipped 3 line(s) of 1 asset(s)", logs.output[0])
        self.assertRecordValues(progress, [{"done": 6, "remaining": 0}])
        self.assertEqual(
            [line.state for line in self.shared_b.depreciation_line_ids[:3]],
            ["draft"] * 3,
        )
        self.assertEqual(len(self._skip_notes(self.shared_b)), 1)
        self.assertEqual(self.shared_a1.depreciated_value, 300.0)

    def test_one_bad_asset_among_valid_ones_of_its_company(self):
        # the entry itself is refused: the account is closed to the register
        # journal (found only when the entry is created)
        closed = self.copy_account(
            self.chart_a["expense"],
            {
                "name": "Closed expense",
                "allowed_journal_ids": [
                    Command.set(self.chart_a["purchase_journal"].ids)
                ],
            },
        )
        category_closed = self.env["stock.asset.category"].create(
            {
                "name": "Closed Tools",
                "company_id": self.company_a.id,
                **self._register_category_vals(
                    self.chart_a, account_depreciation_expense_id=closed.id
                ),
            }
        )
        # an account of company B (legacy data: the constraints refuse it now)
        category_foreign = self.env["stock.asset.category"].create(
            {
                "name": "Foreign Tools",
                "company_id": self.company_a.id,
                **self._register_category_vals(self.chart_a),
            }
        )
        monthly = {"original_value": 1200.0, "method_number": 12, "method_period": "1"}
        good = self._register_asset(**monthly) | self._register_asset(**monthly)
        bad_entry = self._register_asset(category_id=category_closed.id, **monthly)
        bad_account = self._register_asset(category_id=category_foreign.id, **monthly)
        self._force_category_vals(
            category_foreign,
            account_depreciation_id=self.chart_b["accumulated"].id,
        )
        action = (good | bad_entry | bad_account).action_post_until(D(2026, 1, 31))
        accumulated_b = self.chart_b["accumulated"].with_company(self.company_b)
        self.assertEqual(
            action["params"]["message"],
            f"{bad_account.code}: The Accumulated Depreciation Account "
            f"{accumulated_b.display_name} of category Foreign Tools does not belong "
            "to Asset Co A: choose an account of Asset Co A, or give each company "
            f"its own category.\n{bad_entry.code}: You cannot use this account "
            f"({closed.with_company(self.company_a).display_name}) in this journal, "
            "check the field 'Allowed Journals' on the related account.",
        )
        self.assertEqual(good.mapped("depreciated_value"), [100.0, 100.0])
        self.assertEqual(
            action["params"]["next"]["domain"],
            [("id", "in", good.depreciation_line_ids.move_id.ids)],
        )
        self.assertEqual((bad_entry | bad_account).mapped("depreciated_value"), [0, 0])
        self.assertFalse((bad_entry | bad_account).depreciation_line_ids.move_id)
        self.assertFalse(
            self.env["account.move"].search(
                [("asset_id", "in", (bad_entry | bad_account).ids)]
            )
        )
        self.assertEqual(len(self._skip_notes(bad_entry)), 1)
        self.assertEqual(len(self._skip_notes(bad_account)), 1)

    def test_category_of_another_company_refused_at_configuration(self):
        shared = self.env["stock.asset.category"].create(
            {"name": "Shared Drills", "company_id": False}
        )
        monthly = {"original_value": 1200.0, "method_number": 12, "method_period": "1"}
        self._register_asset(category_id=shared.id, **monthly)
        # used by company A alone: accounts of company A are fine
        shared.write(
            {
                "account_depreciation_id": self.chart_a["accumulated"].id,
                "account_depreciation_expense_id": self.chart_a["expense"].id,
            }
        )
        accumulated_a = re.escape(
            self.chart_a["accumulated"].with_company(self.company_a).display_name
        )
        # from the asset's side: company B's asset cannot take that category
        with (
            self.assertRaisesRegex(
                ValidationError,
                "^Asset .* cannot take category Shared Drills: The Accumulated "
                f"Depreciation Account {accumulated_a} of category "
                "Shared Drills does not belong to Asset Co B",
            ),
            self.env.cr.savepoint(),
        ):
            self._register_asset(
                category_id=shared.id, company_id=self.company_b.id, **monthly
            )
        # from the category's side: once company B uses it, A's accounts are refused
        shared.write(
            {"account_depreciation_id": False, "account_depreciation_expense_id": False}
        )
        self._register_asset(
            category_id=shared.id, company_id=self.company_b.id, **monthly
        )
        with self.assertRaisesRegex(
            ValidationError,
            f"^The Accumulated Depreciation Account {accumulated_a} of category "
            "Shared Drills does not belong to Asset Co B: choose an account of "
            "Asset Co B, or give each company its own category.$",
        ):
            shared.account_depreciation_id = self.chart_a["accumulated"]
        # a shared category takes no journal of a company (Odoo's own rule)
        with self.assertRaisesRegex(UserError, "^Incompatible companies"):
            shared.journal_id = self.chart_a["journal"]
        # nor does a category of company A take company B's
        with self.assertRaisesRegex(UserError, "^Incompatible companies"):
            self.category_a.account_depreciation_id = self.chart_b["accumulated"]

    @freeze_time("2026-03-05")
    def test_locked_period_or_archived_journal_skips_only_their_assets(self):
        monthly = {"original_value": 1200.0, "method_number": 12, "method_period": "1"}
        old_journal = self.env["account.journal"].create(
            {
                "name": "Old Assets",
                "code": "OLDA",
                "type": "general",
                "company_id": self.company_a.id,
            }
        )
        category_old = self.env["stock.asset.category"].create(
            {
                "name": "Old Tools",
                "company_id": self.company_a.id,
                **self._register_category_vals(self.chart_a, journal_id=old_journal.id),
            }
        )
        old_journal.active = False
        asset_a = self._register_asset(**monthly)
        asset_b = self._register_asset(
            company_id=self.company_b.id, category_id=self.category_b.id, **monthly
        )
        asset_old = self._register_asset(category_id=category_old.id, **monthly)
        self.company_b.fiscalyear_lock_date = D(2026, 1, 31)
        action = (asset_a | asset_b | asset_old).action_post_until(D(2026, 2, 28))
        first, second = action["params"]["message"].split("\n")
        self.assertEqual(
            first,
            f"{asset_old.code}: The register journal Old Assets of category Old "
            "Tools is archived.",
        )
        self.assertRegex(
            second,
            rf"^{re.escape(asset_b.code)}: The depreciation of 2026-01-31 cannot be "
            r"posted in Asset Co B: the period is locked \(.*01/31/2026.*\)\.$",
        )
        self.assertEqual(asset_a.depreciated_value, 200.0)
        self.assertEqual((asset_b | asset_old).mapped("depreciated_value"), [0, 0])
        # the job leaves them for another day (it only skips February of the
        # shared category's asset of company B), and logs what waits for the lock
        with self.assertLogs(LOGGER, logging.INFO) as logs:
            self.env["stock.asset.depreciation.line"]._cron_post_due()
        self.assertEqual(
            logs.output,
            [
                f"INFO:{LOGGER}:Depreciation posting skipped 1 line(s) of 1 "
                f"asset(s) of company [{self.company_b.id}] "
                f"(['{self.shared_b.code}']): '{self.reason_b}'",
                f"INFO:{LOGGER}:Depreciation posting: 2 due line(s) of company "
                f"{self.company_b.id} wait, their period is locked (up to "
                "2026-01-31)",
            ],
        )
        self.assertEqual((asset_b | asset_old).mapped("depreciated_value"), [0, 0])
