# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""Posting many assets at once (issue 18, item 5): the entries numbered in one
pass and posted by chunks are exactly those Odoo's one-by-one numbering gives;
lock dates and unbalanced entries still refuse, naming the asset; a failed chunk
leaves the chunks before it posted and the rest draft."""

from contextlib import contextmanager, suppress
from unittest.mock import patch

from psycopg2 import OperationalError

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext, mute_logger

from ..models.register import stock_asset_posting
from ..models.register.stock_asset_depreciation_line import StockAssetDepreciationLine
from .test_register_common import D, RegisterCommon


class Rollback(Exception):
    pass


@contextmanager
def one_by_one_numbering():
    """The path before issue 18: Odoo's ``_post`` numbers each entry, all in one
    chunk, and Odoo's ``create``, ``write`` and ``message_subscribe`` do all
    their work (no context key of the register's posting)."""
    with (
        patch.object(
            stock_asset_posting.AccountMove,
            "_register_sequence_names",
            lambda self, vals_list: vals_list,
        ),
        patch.object(
            stock_asset_posting.StockAssetDepreciationLine, "_post_chunk_size", 10**6
        ),
        patch.object(
            stock_asset_posting.StockAssetDepreciationLine,
            "_register_batch_post",
            False,
        ),
    ):
        yield


@tagged("post_install", "-at_install")
class TestRegisterPostingBulk(RegisterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.journal = cls.chart_a["journal"]
        # an entry of the journal already numbered in January: the batch goes on
        # from its number; February and March start new monthly numberings
        cls.manual = cls.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": cls.journal.id,
                "date": D(2026, 1, 15),
                "line_ids": [
                    Command.create(
                        {"account_id": cls.chart_a["expense"].id, "balance": 10.0}
                    ),
                    Command.create(
                        {"account_id": cls.chart_a["bank"].id, "balance": -10.0}
                    ),
                ],
            }
        )
        cls.manual._post(soft=False)
        # seven assets, one of them acquired in February (two months to post)
        cls.assets = cls.env["stock.asset"]
        for n in range(7):
            cls.assets |= cls._register_asset(
                name=f"Drill {n}",
                original_value=1200.0 + 120 * n,
                method_number=12,
                method_period="1",
                acquisition_date=D(2026, 2, 10) if n == 3 else D(2026, 1, 1 + n),
            )

    def _entries(self, assets):
        moves = self.env["account.move"].search(
            [("asset_id", "in", assets.ids)], order="name"
        )
        return [
            (
                move.name,
                move.date,
                move.ref,
                move.state,
                move.asset_id.code,
                move.made_sequence_gap,
                self._entry_lines(move),
            )
            for move in moves
        ]

    def _post(self, assets, day):
        action = assets.action_post_until(day)
        self.env.flush_all()
        return action

    def test_bulk_entries_are_those_of_the_one_by_one_numbering(self):
        with one_by_one_numbering(), suppress(Rollback):
            # the entries Odoo's own numbering gives, then rolled back
            with self.env.cr.savepoint():
                self._post(self.assets, D(2026, 3, 31))
                expected = self._entries(self.assets)
                raise Rollback
        self.env.invalidate_all()
        self.assertFalse(self._entries(self.assets))
        # three chunks of about three lines
        with patch.object(
            stock_asset_posting.StockAssetDepreciationLine, "_post_chunk_size", 3
        ):
            self._post(self.assets, D(2026, 3, 31))
        entries = self._entries(self.assets)
        self.assertEqual(entries, expected)
        # 7 x January (6 assets) ... : 6 + 7 + 7 entries, numbered without gap
        # after the manual entry of January
        self.assertEqual(self.manual.name, "MISC/2026/01/0001")
        self.assertEqual(
            [(name, day, state) for name, day, _r, state, *_x in entries],
            [
                (f"MISC/2026/{month:02d}/{n:04d}", day, "posted")
                for month, day, first in (
                    (1, D(2026, 1, 31), 2),
                    (2, D(2026, 2, 28), 1),
                    (3, D(2026, 3, 31), 1),
                )
                for n in range(first, 8)
            ],
        )
        self.assertEqual({gap for *_x, gap, _l in entries}, {False})
        # numbered in the order Odoo numbers a batch: date, then reference
        january = [entry for entry in entries if entry[1] == D(2026, 1, 31)]
        self.assertEqual(
            [ref for _n, _d, ref, *_x in january],
            sorted(ref for _n, _d, ref, *_x in january),
        )
        first = self.assets[0]
        self.assertEqual(
            entries[0][2:5],
            (f"{first.code}: depreciation of 2026-01-31", "posted", first.code),
        )
        self.assertEqual(
            entries[0][6],
            sorted(
                [
                    (self.chart_a["accumulated"].code, 0.0, 100.0),
                    (self.chart_a["expense"].code, 100.0, 0.0),
                ]
            ),
        )
        lines = self.assets.depreciation_line_ids.filtered(
            lambda line: line.date <= D(2026, 3, 31)
        )
        self.assertEqual(set(lines.mapped("state")), {"posted"})
        self.assertEqual(len(lines.move_id), 20)
        # the next entry of the journal, Odoo's own, follows on
        later = self.manual.copy({"date": D(2026, 3, 31)})
        later._post(soft=False)
        self.assertEqual(later.name, "MISC/2026/03/0008")
        self.assertFalse(later.made_sequence_gap)

    def test_lock_date_refuses_naming_the_assets(self):
        self.company_a.fiscalyear_lock_date = D(2026, 1, 31)
        with self.assertRaises(UserError) as caught:
            self._post(self.assets[:2], D(2026, 1, 31))
        message = str(caught.exception)
        for asset in self.assets[:2]:
            self.assertIn(asset.code, message)
        self.assertIn("the period is locked", message)
        self.assertFalse(self._entries(self.assets))
        self.assertEqual(
            set(self.assets.depreciation_line_ids.mapped("state")), {"draft"}
        )

    def _unbalanced(self, asset):
        """``_prepare_move_vals`` with the credit of ``asset``'s entries a cent
        short."""
        prepare = StockAssetDepreciationLine._prepare_move_vals

        def prepare_unbalanced(lines):
            vals = prepare(lines)
            if vals["asset_id"] == asset.id:
                credit = vals["line_ids"][-1][2]
                credit["balance"] += 0.01
            return vals

        return patch.object(
            StockAssetDepreciationLine, "_prepare_move_vals", prepare_unbalanced
        )

    def test_unbalanced_entry_refuses_naming_the_asset(self):
        bad = self.assets[1]
        with self._unbalanced(bad), self.assertRaises(UserError) as caught:
            self._post(bad, D(2026, 1, 31))
        message = str(caught.exception)
        self.assertIn(f"{bad.code}: ", message)
        self.assertIn("is not balanced", message)
        self.assertFalse(self._entries(bad))
        # among others (chunks of two): only that asset is left draft, with why
        with (
            self._unbalanced(bad),
            patch.object(
                stock_asset_posting.StockAssetDepreciationLine, "_post_chunk_size", 2
            ),
        ):
            action = self._post(self.assets, D(2026, 1, 31))
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn(bad.code, action["params"]["message"])
        january = self.assets.depreciation_line_ids.filtered(
            lambda line: line.date == D(2026, 1, 31)
        )
        self.assertEqual(
            sorted((line.asset_id.code, line.state) for line in january),
            sorted(
                (asset.code, "draft" if asset == bad else "posted")
                for asset in self.assets - self.assets[3]
            ),
        )
        self.assertIn(
            "is not balanced", january.filtered("post_skip_reason").post_skip_reason
        )
        names = [name for name, *_x in self._entries(self.assets)]
        self.assertEqual(names, [f"MISC/2026/01/{n:04d}" for n in range(2, 7)])

    def test_failed_chunk_keeps_the_posted_chunks(self):
        lines = self.assets.depreciation_line_ids.filtered(
            lambda line: line.date == D(2026, 1, 31)
        ).sorted(lambda line: line.asset_id.id)
        self.assertEqual(len(lines), 6)
        post_locked = StockAssetDepreciationLine._post_locked
        failing = lines[2].asset_id

        def post_or_fail(chunk):
            if failing in chunk.asset_id:
                # what a serialisation failure looks like: never retried entry
                # by entry, the caller (the cron runner) retries the transaction
                raise OperationalError("could not serialize access")
            return post_locked(chunk)

        with (
            patch.object(StockAssetDepreciationLine, "_post_locked", post_or_fail),
            patch.object(
                stock_asset_posting.StockAssetDepreciationLine, "_post_chunk_size", 2
            ),
        ):
            # not assertRaises: Odoo's rolls its block back, chunks included
            try:
                lines._post_depreciation_isolated()
            except OperationalError:
                raised = True
            else:
                raised = False
        self.assertTrue(raised)
        self.env.invalidate_all()
        self.assertEqual(
            [line.state for line in lines],
            ["posted", "posted", "draft", "draft", "draft", "draft"],
        )
        self.assertEqual(
            [name for name, *_x in self._entries(self.assets)],
            ["MISC/2026/01/0002", "MISC/2026/01/0003"],
        )
        # the next run posts the rest, numbered on from there
        lines._post_depreciation_isolated()
        self.assertEqual(set(lines.mapped("state")), {"posted"})
        self.assertEqual(
            [name for name, *_x in self._entries(self.assets)],
            [f"MISC/2026/01/{n:04d}" for n in range(2, 8)],
        )

    def test_number_taken_meanwhile_is_stepped_over(self):
        names = stock_asset_posting.AccountMove._register_sequence_names

        def stale(moves, vals_list):
            # what a concurrent posting that took a number looks like: the
            # chunk's first number is already posted
            named = names(moves, vals_list)
            named[0]["name"] = self.manual.name
            return named

        with (
            patch.object(
                stock_asset_posting.AccountMove, "_register_sequence_names", stale
            ),
            mute_logger("odoo.sql_db"),
        ):
            self._post(self.assets[:3], D(2026, 1, 31))
        entries = self._entries(self.assets)
        # the chunk failed on the unique name and was posted entry by entry,
        # numbered by Odoo: no duplicate, no gap
        self.assertEqual(
            [(name, state, gap) for name, _d, _r, state, _a, gap, _l in entries],
            [(f"MISC/2026/01/{n:04d}", "posted", False) for n in range(2, 5)],
        )
        self.assertEqual(self.manual.state, "posted")
        self.assertEqual(
            sorted(code for *_x, code, _g, _l in entries),
            sorted(self.assets[:3].mapped("code")),
        )


@tagged("post_install", "-at_install")
class TestRegisterPostingBulkChatter(RegisterCommon):
    """The fast path gives the entries Odoo's own path gives, to the line, the
    analytic distribution and the analytic items; their chatter (the creation
    message) is Odoo's when the company keeps the audit trail, and left out
    when it does not."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls.env["account.analytic.plan"].create({"name": "Sites"})
        cls.site, cls.shared = cls.env["account.analytic.account"].create(
            [
                {"name": "North site", "plan_id": cls.plan.id},
                {"name": "Shared services", "plan_id": cls.plan.id},
            ]
        )
        # Odoo's default analytic of the accumulated depreciation account (the
        # credit line of each entry)
        cls.env["account.analytic.distribution.model"].create(
            {
                "account_prefix": cls.chart_a["accumulated"].code,
                "company_id": cls.company_a.id,
                "analytic_distribution": {str(cls.shared.id): 100},
            }
        )
        # four monthly boards of a year from 1 January
        monthly = {"method_number": 12, "method_period": "1"}
        cls.assets = cls.env["stock.asset"].concat(
            *(
                cls._register_asset(name=f"Press {n}", original_value=value, **monthly)
                for n, value in enumerate((1000.0, 1240.0, 1480.0, 1720.0))
            )
        )
        cls.assets[1:3].analytic_distribution = {
            str(cls.site.id): 60,
            str(cls.shared.id): 40,
        }
        # the context of a user's request or of the cron: chatter on (the
        # fixture's context disables it)
        cls.env = cls.env(context={})

    def _entries_in_full(self):
        moves = self.env["account.move"].search(
            [("asset_id", "in", self.assets.ids)], order="name"
        )
        return [
            (
                move.name,
                move.date,
                move.ref,
                move.state,
                move.checked,
                move.made_sequence_gap,
                move.journal_id.code,
                move.currency_id.name,
                move.asset_id.code,
                move.amount_total,
                sorted(
                    (
                        line.account_id.id,
                        line.name,
                        line.debit,
                        line.credit,
                        line.amount_currency,
                        line.currency_id.name,
                        line.partner_id.id,
                        line.parent_state,
                        line.display_type,
                        line.quantity,
                        line.tax_ids.ids,
                        line.price_subtotal,
                        line.amount_residual,
                        sorted((line.analytic_distribution or {}).items()),
                        sorted(
                            (
                                item[self.plan._column_name()].name,
                                item.currency_id.round(item.amount),
                            )
                            for item in line.analytic_line_ids
                        ),
                    )
                    for line in move.line_ids
                ),
            )
            for move in moves
        ]

    def _chatter(self):
        """Per entry, its messages: kind, text, tracked changes."""
        self.env.cr.flush()  # a commit's precommit writes the tracking
        moves = self.env["account.move"].search(
            [("asset_id", "in", self.assets.ids)], order="name"
        )
        return [
            sorted(
                (
                    message.message_type,
                    message.subtype_id.name or "",
                    html2plaintext(message.body or ""),
                    sorted(
                        (
                            value.field_id.name,
                            value.old_value_char or "",
                            value.new_value_char or "",
                            value.old_value_integer,
                            value.new_value_integer,
                        )
                        for value in message.tracking_value_ids
                    ),
                )
                for message in move.message_ids
            )
            for move in moves
        ]

    def _post_both_ways(self):
        """(Odoo's path, the fast path): entries and chatter of January."""
        day = D(2026, 1, 31)
        with one_by_one_numbering(), suppress(Rollback):
            with self.env.cr.savepoint():
                self.assets.with_env(self.env).action_post_until(day)
                expected = (self._entries_in_full(), self._chatter())
                raise Rollback
        self.env.invalidate_all()
        self.assertFalse(self._entries_in_full())
        with patch.object(
            stock_asset_posting.StockAssetDepreciationLine, "_post_chunk_size", 3
        ):
            self.assets.with_env(self.env).action_post_until(day)
        return expected, (self._entries_in_full(), self._chatter())

    def _assert_entries(self, entries):
        """Four posted entries, numbered on, with the analytic of the assets on
        the expense and Odoo's default one on the credit."""
        self.assertEqual(
            [(name, state, gap) for name, _d, _r, state, _c, gap, *_x in entries],
            [(f"MISC/2026/01/{n:04d}", "posted", False) for n in range(1, 5)],
        )
        lines = {entry[8]: entry[10] for entry in entries}[self.assets[1].code]
        amount = 103.33  # 1,240.00 over 12 months
        site, shared = str(self.site.id), str(self.shared.id)
        self.assertEqual(
            [
                (account, debit, credit, distribution, items)
                for account, _n, debit, credit, *_x, distribution, items in lines
            ],
            sorted(
                [
                    (
                        self.chart_a["expense"].id,
                        amount,
                        0.0,
                        sorted([(site, 60.0), (shared, 40.0)]),
                        sorted([("North site", -62.0), ("Shared services", -41.33)]),
                    ),
                    (
                        self.chart_a["accumulated"].id,
                        0.0,
                        amount,
                        [(shared, 100.0)],
                        [("Shared services", amount)],
                    ),
                ]
            ),
        )

    def test_audit_trail_on_keeps_odoo_chatter(self):
        self.company_a.check_account_audit_trail = True
        (entries, chatter), (fast_entries, fast_chatter) = self._post_both_ways()
        self.assertEqual(fast_entries, entries)
        self._assert_entries(fast_entries)
        self.assertEqual(fast_chatter, chatter)
        # each entry: its creation message (Odoo discards the tracking of a
        # record created in the same transaction: the posting is not tracked)
        self.assertEqual(
            [[text for _k, _s, text, _v in messages] for messages in fast_chatter],
            [["Journal Entry created"]] * 4,
        )

    def test_audit_trail_off_posts_without_chatter(self):
        self.assertFalse(self.company_a.check_account_audit_trail)
        (entries, chatter), (fast_entries, fast_chatter) = self._post_both_ways()
        self.assertEqual(fast_entries, entries)
        self._assert_entries(fast_entries)
        # Odoo's path logs each entry's creation; the fast path does not
        self.assertEqual(
            [[text for _k, _s, text, _v in messages] for messages in chatter],
            [["Journal Entry created"]] * 4,
        )
        self.assertEqual(fast_chatter, [[]] * 4)
