# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Transfers of a register asset: to another category of its company (the
accounts change, the board continues) and to another company of the database
(the same record moves, each company books its side)."""

from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import ASSET_USER, company_user
from .test_register_common import (
    EntryLinesCase,
    register_accounts,
    register_category_vals,
)

D = date


class TransferCommon(EntryLinesCase, AccountTestInvoicingCommon):
    """Two companies on Odoo's generic chart: in company A the categories
    *Tools A* and *Machines A* (their own fixed asset and accumulated
    depreciation accounts), in company B *Tools B*; an inter-company account
    in each company; an accountant of both companies and one of A only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_data_2 = cls.setup_other_company(name="Transfer Co B")
        cls.env = cls.env(su=True, context=dict(cls.env.context, tracking_disable=True))
        cls.company_a = cls.company_data["company"]
        cls.company_b = cls.company_data_2["company"]
        cls.chart_a = cls._chart(cls.company_data, "A")
        cls.chart_b = cls._chart(cls.company_data_2, "B")
        Category = cls.env["stock.asset.category"]
        cls.tools_a = Category.create(
            {"name": "Tools A", **cls._category_vals(cls.company_a, cls.chart_a)}
        )
        cls.machines_a = Category.create(
            {
                "name": "Machines A",
                **cls._category_vals(
                    cls.company_a,
                    cls.chart_a,
                    account_asset_id=cls.copy_account(
                        cls.chart_a["asset"], {"name": "Machines"}
                    ).id,
                    account_depreciation_id=cls.copy_account(
                        cls.chart_a["accumulated"],
                        {"name": "Accumulated Depreciation Machines"},
                    ).id,
                ),
            }
        )
        cls.tools_b = Category.create(
            {"name": "Tools B", **cls._category_vals(cls.company_b, cls.chart_b)}
        )
        cls.stock_b = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company_b.id)], limit=1)
            .lot_stock_id
        )
        groups = "base.group_user,stock_asset_tracking.group_asset_accountant"
        cls.accountant = new_test_user(
            cls.env,
            login="transfer_accountant",
            groups=f"{groups},base.group_multi_company",
            company_id=cls.company_a.id,
            company_ids=[cls.company_a.id, cls.company_b.id],
        )
        cls.accountant_a = company_user(
            cls.env, "transfer_accountant_a", cls.company_a, groups
        )

    @classmethod
    def _chart(cls, company_data, suffix):
        return {
            **register_accounts(cls, company_data),
            "gain": company_data["default_account_revenue"],
            "bank": company_data["default_journal_bank"].default_account_id,
            "intercompany": cls.copy_account(
                company_data["default_account_deferred_expense"],
                {"name": f"Inter-company {suffix}"},
            ),
        }

    @classmethod
    def _category_vals(cls, company, chart, **extra):
        return register_category_vals(
            chart,
            company_id=company.id,
            method_period="1",
            method_number=12,
            **extra,
        )

    @classmethod
    def _asset(cls, name, value, category=None, day=None):
        """A company asset in the register, monthly over 12 months, its board
        computed."""
        category = category or cls.tools_a
        asset = cls.env["stock.asset"].create(
            {
                "name": name,
                "company_id": category.company_id.id,
                "category_id": category.id,
                "acquisition_date": day or D(2026, 1, 1),
                "original_value": value,
                "method_period": "1",
                "method_number": 12,
            }
        )
        asset.action_compute_board()
        return asset

    @classmethod
    def _to_company_b(cls):
        """The keyword arguments of ``_transfer`` to company B: its stock and the
        inter-company accounts of both companies."""
        return {
            "company": cls.company_b,
            "location": cls.stock_b,
            "account_out": cls.chart_a["intercompany"],
            "account_in": cls.chart_b["intercompany"],
        }

    def _notes(self, asset):
        return asset.message_ids.mapped("body")


@tagged("post_install", "-at_install")
class TestRegisterTransfer(TransferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.asset = cls._asset("Press", 12000.0)
        cls.asset.action_post_until(D(2026, 3, 31))  # 3 x 1,000

    def _transfer_wizard(self, user=None, **vals):
        asset = self.asset.with_user(user or self.accountant)
        wizard = Form(
            self.env["stock.asset.transfer"]
            .with_user(user or self.accountant)
            .with_context(
                active_model="stock.asset",
                active_id=asset.id,
                allowed_company_ids=(self.company_a | self.company_b).ids,
            )
        )
        for name, value in vals.items():
            setattr(wizard, name, value)
        return wizard.save()

    def test_transfer_between_categories(self):
        wizard = self._transfer_wizard(
            date=D(2026, 3, 31), category_id=self.machines_a, note="Moved to press shop"
        )
        self.assertFalse(wizard.between_companies)
        wizard.action_transfer()
        asset = self.asset
        self.assertEqual(asset.category_id, self.machines_a)
        change = asset.register_change_ids.filtered(lambda c: c.kind == "transfer")
        self.assertRecordValues(
            change,
            [
                {
                    "date": D(2026, 3, 31),
                    "transfer_company_from_id": self.company_a.id,
                    "transfer_company_to_id": self.company_a.id,
                    "transfer_category_from_id": self.tools_a.id,
                    "transfer_category_to_id": self.machines_a.id,
                    "transfer_cost": 12000.0,
                    "transfer_depreciation": 3000.0,
                    "transfer_move_in_id": False,
                }
            ],
        )
        move = change.move_id
        self.assertRecordValues(
            move,
            [
                {
                    "state": "posted",
                    "date": D(2026, 3, 31),
                    "journal_id": self.chart_a["journal"].id,
                    "asset_id": asset.id,
                }
            ],
        )
        self.assertEntryLines(
            move,
            [
                (self.tools_a.account_asset_id, 0.0, 12000.0),
                (self.machines_a.account_asset_id, 12000.0, 0.0),
                (self.tools_a.account_depreciation_id, 3000.0, 0.0),
                (self.machines_a.account_depreciation_id, 0.0, 3000.0),
            ],
        )
        # the posted lines stay in the old category, the board continues
        lines = asset.depreciation_line_ids.sorted("date")
        self.assertEqual(len(lines), 12)
        self.assertEqual(set(lines.mapped("amount")), {1000.0})
        self.assertEqual(lines[:3].category_id, self.tools_a)
        self.assertEqual(lines[3:].category_id, self.machines_a)
        april = asset.action_post_until(D(2026, 4, 30))
        april = self.env["account.move"].browse(april["res_id"])
        self.assertEntryLines(
            april,
            [
                (self.chart_a["expense"], 1000.0, 0.0),
                (self.machines_a.account_depreciation_id, 0.0, 1000.0),
            ],
        )
        self.assertEqual(asset.book_value, 8000.0)
        self.assertTrue(
            any(
                "from category Tools A to Machines A" in body
                and "Moved to press shop" in body
                and move.name in body
                for body in self._notes(asset)
            )
        )

    def test_transfer_between_categories_same_accounts(self):
        """Same accounts: no entry, the category still changes."""
        twin = self.env["stock.asset.category"].create(
            {"name": "Tools A bis", **self._category_vals(self.company_a, self.chart_a)}
        )
        moves_before = self.env["account.move"].search_count([])
        change = self.asset.with_user(self.accountant)._transfer(D(2026, 4, 1), twin)
        self.assertFalse(change.move_id)
        self.assertEqual(self.env["account.move"].search_count([]), moves_before)
        self.assertEqual(self.asset.category_id, twin)

    def test_transfer_between_companies(self):
        asset = self.asset
        code, asset_id = asset.code, asset.id
        wizard = self._transfer_wizard(
            date=D(2026, 3, 31),
            target_company_id=self.company_b,
            category_id=self.tools_b,
            account_out_id=self.chart_a["intercompany"],
            account_in_id=self.chart_b["intercompany"],
        )
        self.assertTrue(wizard.between_companies)
        self.assertEqual(wizard.location_id, self.stock_b)
        wizard.action_transfer()
        self.assertRecordValues(
            asset,
            [
                {
                    "id": asset_id,
                    "code": code,
                    "company_id": self.company_b.id,
                    "category_id": self.tools_b.id,
                    "location_id": self.stock_b.id,
                    "book_value": 9000.0,
                }
            ],
        )
        change = asset.register_change_ids.filtered(lambda c: c.kind == "transfer")
        move_out, move_in = change.move_id, change.transfer_move_in_id
        self.assertRecordValues(
            move_out | move_in,
            [
                {
                    "company_id": self.company_a.id,
                    "journal_id": self.chart_a["journal"].id,
                    "state": "posted",
                    "date": D(2026, 3, 31),
                },
                {
                    "company_id": self.company_b.id,
                    "journal_id": self.chart_b["journal"].id,
                    "state": "posted",
                    "date": D(2026, 3, 31),
                },
            ],
        )
        self.assertEntryLines(
            move_out,
            [
                (self.chart_a["asset"], 0.0, 12000.0),
                (self.chart_a["accumulated"], 3000.0, 0.0),
                (self.chart_a["intercompany"], 9000.0, 0.0),
            ],
        )
        self.assertEntryLines(
            move_in,
            [
                (self.chart_b["asset"], 12000.0, 0.0),
                (self.chart_b["accumulated"], 0.0, 3000.0),
                (self.chart_b["intercompany"], 0.0, 9000.0),
            ],
        )
        # A's posted depreciation stays A's; the board continues in B
        lines = self.env["stock.asset.depreciation.line"].search(
            [("asset_id", "=", asset.id)], order="date"
        )
        self.assertEqual(lines[:3].company_id, self.company_a)
        self.assertEqual(lines[3:].company_id, self.company_b)
        self.assertEqual(lines[3:].category_id, self.tools_b)
        self.assertEqual(set(lines.mapped("amount")), {1000.0})
        april = (
            asset.with_user(self.accountant)
            .with_context(allowed_company_ids=[self.company_b.id])
            .action_post_until(D(2026, 4, 30))
        )
        april = self.env["account.move"].browse(april["res_id"])
        self.assertEqual(april.company_id, self.company_b)
        self.assertEntryLines(
            april,
            [
                (self.chart_b["expense"], 1000.0, 0.0),
                (self.chart_b["accumulated"], 0.0, 1000.0),
            ],
        )
        self.assertEqual(asset.book_value, 8000.0)
        notes = self._notes(asset)
        self.assertTrue(
            any(
                "Transfer out of" in body
                and self.company_a.name in body
                and move_out.name in body
                and "9,000.00" in body
                for body in notes
            )
        )
        self.assertTrue(
            any(
                "Transfer into" in body
                and self.company_b.name in body
                and move_in.name in body
                for body in notes
            )
        )
        # the giver's accountants no longer see the asset
        self.assertFalse(
            self.env["stock.asset"]
            .with_user(self.accountant_a)
            .search([("id", "=", asset.id)])
        )

    def test_transfer_refusals(self):
        asset = self.asset.with_user(self.accountant).with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids
        )
        to_b = self._to_company_b()
        cases = [
            # before the last posted depreciation
            (
                (D(2026, 2, 15), self.machines_a),
                {},
                f"Asset {asset.code} is depreciated up to 03/31/2026",
            ),
            # a target category of another company
            (
                (D(2026, 3, 31), self.tools_b),
                {},
                "a transfer goes to a category of the receiving company",
            ),
            # a category of the target company without its accounts
            (
                (
                    D(2026, 3, 31),
                    self.env["stock.asset.category"].create(
                        {
                            "name": "Bare B",
                            "company_id": self.company_b.id,
                            "journal_id": False,
                            "account_asset_id": False,
                            "account_depreciation_id": False,
                        }
                    ),
                ),
                to_b,
                "set Register Journal, Fixed Asset Account",
            ),
            # the receiving company's transfer account is missing
            (
                (D(2026, 3, 31), self.tools_b),
                dict(to_b, account_in=self.env["account.account"]),
                f"Choose the transfer account of {self.company_b.name}",
            ),
        ]
        for args, kwargs, message in cases:
            with self.subTest(message=message):
                with self.assertRaisesRegex(UserError, message):
                    asset._transfer(*args, **kwargs)
        # a user without access to both companies
        with self.assertRaisesRegex(
            UserError,
            f"Asset {asset.code} cannot be transferred from .* you need access to "
            "both companies",
        ):
            self.asset.with_user(self.accountant_a)._transfer(
                D(2026, 3, 31), self.tools_b, **to_b
            )
        # unposted earlier depreciation
        with self.assertRaisesRegex(
            UserError, "has depreciation up to 04/30/2026 not posted yet"
        ):
            asset._transfer(D(2026, 5, 15), self.machines_a)
        # a locked period
        self.company_a.fiscalyear_lock_date = D(2026, 3, 31)
        with self.assertRaisesRegex(
            UserError, f"transfer of asset {asset.code} on 03/31/2026: the period is"
        ):
            asset._transfer(D(2026, 3, 31), self.machines_a)
        self.company_a.fiscalyear_lock_date = False
        # nothing was booked or moved by the refusals
        self.assertFalse(asset.register_change_ids.filtered("move_id"))
        self.assertEqual(self.asset.company_id, self.company_a)
        self.assertEqual(self.asset.category_id, self.tools_a)
        # a disposed asset
        self.asset._dispose(D(2026, 3, 31), "scrap")
        with self.assertRaisesRegex(
            UserError, f"Asset {asset.code} is already disposed"
        ):
            asset._transfer(D(2026, 4, 30), self.machines_a)

    def test_transfer_refused_checked_out(self):
        holder = self.env["res.partner"].create({"name": "Dora Holder"})
        self.asset.action_checkout(holder)
        self.asset.invalidate_recordset(["holder_id", "custody_id"])
        with self.assertRaisesRegex(
            UserError, f"Asset {self.asset.code} is checked out to Dora Holder"
        ):
            self.asset.with_user(self.accountant)._transfer(
                D(2026, 3, 31), self.tools_b, **self._to_company_b()
            )

    def test_transfer_access(self):
        """Only asset accountants open the wizard; its records follow the
        company rules."""
        user = company_user(self.env, "transfer_asset_user", self.company_a, ASSET_USER)
        with self.assertRaises(AccessError):
            self.env["stock.asset.transfer"].with_user(user).create(
                {"asset_id": self.asset.id, "category_id": self.machines_a.id}
            )
        asset_b = self._asset("B press", 1000.0, category=self.tools_b)
        wizard_b = self.env["stock.asset.transfer"].create(
            {"asset_id": asset_b.id, "category_id": self.tools_b.id}
        )
        self.assertFalse(
            self.env["stock.asset.transfer"]
            .with_user(self.accountant_a)
            .search([("id", "=", wizard_b.id)])
        )

    def test_transfer_history_kept(self):
        """The transfer stays in the asset's history: once it has an entry, it
        cannot be deleted."""
        change = self.asset.with_user(self.accountant)._transfer(
            D(2026, 3, 31), self.machines_a
        )
        self.assertIn(change, self.asset.register_change_ids)
        self.assertEqual(change.kind, "transfer")
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            change.unlink()

    def test_category_change_needs_transfer(self):
        """Outside a transfer, an asset with posted depreciation keeps its
        category (its amounts are on the category's accounts)."""
        with self.assertRaisesRegex(
            UserError,
            f"Asset {self.asset.code} has depreciation posted in category Tools A: "
            "move it with Transfer",
        ):
            self.asset.with_user(self.accountant).write(
                {"category_id": self.machines_a.id}
            )
        self.assertEqual(self.asset.category_id, self.tools_a)
        # without posted depreciation the category changes freely
        fresh = self._asset("Fresh", 600.0)
        fresh.with_user(self.accountant).write({"category_id": self.machines_a.id})
        self.assertEqual(fresh.depreciation_line_ids.category_id, self.machines_a)
