# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import datetime
import json
import logging
from collections import defaultdict

from psycopg2 import OperationalError

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools import SQL, create_index

from ..common import assets_of_other_companies, companies_refused, copy_rows

_logger = logging.getLogger(__name__)

# Skipped assets listed in a message (the others are counted)
SKIP_LIST_LIMIT = 20


class StockAssetDepreciationLine(models.Model):
    """One period of an asset's depreciation board.

    Draft lines are the forecast that ``stock.asset.action_compute_board`` rebuilds;
    a posted line holds its journal entry and is never touched again by a
    recomputation. Company and category are copied from the asset when the line is
    created (and kept in step by ``stock.asset.write``) rather than related, so that
    a board of sixty lines is inserted without sixty related computations.
    """

    _name = "stock.asset.depreciation.line"
    _description = "Asset Depreciation Line"
    _order = "date, id"
    _check_company_auto = True

    # Lines posted per cron call; a grouped category's period is never split.
    _cron_batch_size = 2000

    # Indexes: the unique (asset_id, date) index serves the lookups by asset, a
    # partial index the due draft lines; every other index would slow the
    # insertion of the boards for little use.
    asset_id = fields.Many2one(
        "stock.asset",
        required=True,
        readonly=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    category_id = fields.Many2one("stock.asset.category", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        required=True,
        readonly=True,
        help="Last day of the period (the disposal date for the last line of a "
        "disposed asset).",
    )
    amount = fields.Monetary(string="Depreciation", readonly=True)
    cumulative_amount = fields.Monetary(string="Cumulative Depreciation", readonly=True)
    remaining_value = fields.Monetary(
        readonly=True, help="Depreciable value left after this line."
    )
    book_value = fields.Monetary(
        compute="_compute_book_value",
        help="Value not yet depreciated after this line, salvage value included.",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Journal Entry",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("opening", "Already Depreciated"), ("posted", "Posted")],
        required=True,
        readonly=True,
        default="draft",
        copy=False,
    )
    post_skip_reason = fields.Char(
        string="Not Posted Because",
        readonly=True,
        copy=False,
        help="Why the last posting run left this line draft; cleared once posted.",
    )
    post_skip_date = fields.Date(
        string="Last Skipped On",
        readonly=True,
        copy=False,
        help="The monthly job does not retry a line on the day it skipped it.",
    )

    _sql_constraints = [
        (
            "asset_date_uniq",
            "unique(asset_id, date)",
            "An asset has one depreciation line per period.",
        ),
    ]

    def init(self):
        res = super().init()
        create_index(
            self.env.cr,
            "stock_asset_depreciation_line_draft_date_index",
            self._table,
            ["date"],
            where="state = 'draft'",
        )
        return res

    @api.depends("remaining_value", "asset_id.salvage_value")
    def _compute_book_value(self):
        for line in self:
            line.book_value = line.remaining_value + line.asset_id.salvage_value

    @api.depends("asset_id.code", "date")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.asset_id.code} {line.date or ''}".strip()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        if self.filtered(lambda line: line.state == "posted"):
            raise UserError(
                self.env._(
                    "Posted depreciation lines cannot be deleted: reset their "
                    "journal entry to draft and delete it first."
                )
            )

    # Posting ----------------------------------------------------------------------
    @api.model
    def _cron_post_due(self):
        """Post the draft lines due today, a batch per call, reporting progress.

        Each company, and within it each entry (an asset, or a grouped category),
        posts in its own savepoint: a line that cannot be posted (configuration of
        another company, missing or deprecated account, archived journal, error
        of the entry) is skipped with its reason, noted on its asset once per
        reason and logged at INFO, and never blocks the lines behind it. The
        cron runner commits each call; a skipped line is retried by the next
        day's run. Lines of categories without a register journal, and lines in
        locked periods, are left out of the domain and wait.
        """
        lines_model = self.sudo()
        today = fields.Date.context_today(self)
        domain = lines_model._get_due_domain(today)
        lines = lines_model.search(
            domain, order="date, category_id, asset_id", limit=self._cron_batch_size
        )
        _moves, skips = lines._post_depreciation_isolated()
        lines_model._record_post_skips(skips)
        remaining = lines_model.search_count(domain)
        if not remaining:
            lines_model._log_locked_due(today)
        self.env["ir.cron"]._notify_progress(done=len(lines), remaining=remaining)

    @api.model
    def _log_locked_due(self, day):
        """Log at INFO, per company, the due lines that wait for a locked period
        (the end of the job's run: a lock is a company's decision, not an asset's
        fault, so no note is left on the assets)."""
        for company in self.env["res.company"].sudo().search([]):
            lock = max(company.user_fiscalyear_lock_date, company.user_hard_lock_date)
            if not lock or lock == datetime.date.min:
                continue
            count = self.search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "draft"),
                    ("date", "<=", min(day, lock)),
                    ("asset_id.state", "!=", "disposed"),
                    ("category_id.journal_id", "!=", False),
                ]
            )
            if count:
                _logger.info(
                    "Depreciation posting: %s due line(s) of company %s wait, their "
                    "period is locked (up to %s)",
                    count,
                    company.id,
                    lock,
                )

    @api.model
    def _get_due_domain(self, day):
        """Draft lines on or before ``day`` that the job should post now: their
        category has a register journal, their period is not locked, and the job
        did not skip them on ``day`` already."""
        companies = self.env["res.company"].sudo().search([])
        company_domain = expression.OR(
            [
                [
                    ("company_id", "=", company.id),
                    (
                        "date",
                        ">",
                        max(
                            company.user_fiscalyear_lock_date,
                            company.user_hard_lock_date,
                        ),
                    ),
                ]
                for company in companies
            ]
        )
        return [
            ("state", "=", "draft"),
            ("date", "<=", day),
            ("asset_id.state", "!=", "disposed"),
            ("category_id.journal_id", "!=", False),
            "|",
            ("post_skip_date", "=", False),
            ("post_skip_date", "<", day),
            *company_domain,
        ]

    def _post_depreciation(self, check_locks=True):
        """Post the draft lines of ``self`` and return the journal entries; raise
        when one of them cannot be posted (nothing is posted then).

        One entry per asset and period (Dr expense / Cr accumulated depreciation),
        or one per category and period for categories that group their entries
        (then every draft line of that category and period is posted with them).
        Lines are locked first (``FOR UPDATE SKIP LOCKED``) and re-read, so a rerun,
        a concurrent cron or a crash never posts a line twice.
        """
        self.check_access("write")
        lines = self.filtered(lambda line: line.state == "draft")
        if not lines:
            return self.env["account.move"]
        lines = lines._with_grouped_siblings()
        lines = lines._lock_draft()
        if not lines:
            return self.env["account.move"]
        lines._check_postable(check_locks=check_locks)
        return lines._post_locked()

    def _post_depreciation_isolated(self, check_locks=True):
        """Post the draft lines of ``self`` as ``_post_depreciation`` does, but
        company by company and entry by entry: what cannot be posted is skipped
        and the rest is posted.

        Returns ``(moves, skips)``, ``skips`` a list of ``(lines, reason)``, the
        lines left draft. Each company posts in a savepoint; when that fails, each
        of its entries (an asset, or a grouped category) is retried in its own.
        """
        self.check_access("write")
        moves = self.env["account.move"]
        lines = self.filtered(lambda line: line.state == "draft")
        if not lines:
            return moves, []
        lines = lines._with_grouped_siblings()._lock_draft()
        skips = []
        for company_lines in lines.grouped("company_id").values():
            company_moves, company_skips = company_lines._post_company_isolated(
                check_locks
            )
            moves |= company_moves
            skips += company_skips
        return moves, skips

    def _post_company_isolated(self, check_locks):
        """Post the locked draft lines of ``self`` (one company): the entries that
        pass their checks, chunk by chunk (``_split_posting_chunks``), each chunk
        in one savepoint, or, when that fails, each of its entries in its own.
        Returns ``(moves, skips)``."""
        skips = self._get_post_skips(check_locks)
        skipped_ids = {line_id for lines, _reason in skips for line_id in lines.ids}
        postable = self.filtered(lambda line: line.id not in skipped_ids)
        moves = self.env["account.move"]
        for chunk in postable._split_posting_chunks():
            chunk_moves, chunk_skips = chunk._post_chunk_isolated()
            moves |= chunk_moves
            skips += chunk_skips
        return moves, skips

    def _post_chunk_isolated(self):
        """Post the checked lines of ``self`` in one savepoint, or, when that
        fails, entry by entry. Returns ``(moves, skips)``."""
        moves = self.env["account.move"]
        skips = []
        try:
            with self.env.cr.savepoint():
                return self._post_locked(), skips
        except OperationalError:
            raise  # concurrency: the transaction is retried as a whole
        except Exception:
            # one of the entries failed: each is retried on its own below, where
            # its reason is recorded and logged
            _logger.debug("grouped depreciation posting failed", exc_info=True)
        for unit in self._split_posting_units():
            try:
                with self.env.cr.savepoint():
                    # numbered by Odoo's _post, which retries past a number a
                    # concurrent posting took (stock_asset_posting.py)
                    moves |= unit.with_context(
                        register_sequence_by_odoo=True
                    )._post_locked()
            except OperationalError:
                raise
            except UserError as error:
                skips.append((unit, error.args[0]))
            except Exception:
                _logger.warning(
                    "Depreciation entry of asset lines %s failed",
                    unit.ids,
                    exc_info=True,
                )
                skips.append(
                    (
                        unit,
                        self.env._(
                            "The journal entry could not be created (unexpected "
                            "error, see the server log)."
                        ),
                    )
                )
        return moves, skips

    def _split_posting_units(self):
        """``self`` split in the lines that post together: an asset's, or a
        grouped category's in a company."""
        units = defaultdict(list)
        for line in self:
            key = (
                ("category", line.category_id.id, line.company_id.id)
                if line.category_id.group_entries
                else ("asset", line.asset_id.id)
            )
            units[key].append(line.id)
        return [self.browse(ids) for ids in units.values()]

    def _post_locked(self):
        """Create and post the entries of the draft lines of ``self``, locked and
        checked by the caller."""
        # an entry reset to draft is posted again rather than replaced
        lines = self
        held = lines.filtered("move_id")
        reposted = held.move_id.sudo().filtered(lambda move: move.state == "draft")
        if reposted:
            reposted._post(soft=False)
        lines -= held
        zero = lines.filtered(lambda line: line.currency_id.is_zero(line.amount))
        if zero:
            zero.write({"state": "posted", "post_skip_reason": False})
        lines -= zero
        grouped_ids = defaultdict(list)
        for line in lines:
            category = line.category_id
            key = (
                (category.id, line.company_id.id, line.date)
                if category.group_entries
                else (line.asset_id.id, line.date)
            )
            grouped_ids[key].append(line.id)
        groups = {key: lines.browse(ids) for key, ids in grouped_ids.items()}
        vals_list = [group._prepare_move_vals() for group in groups.values()]
        if not vals_list:
            return reposted.sudo(False)
        # Asset accountants keep the register without holding Invoicing rights:
        # the entries, built from the lines checked above, are created as superuser.
        move_model = self.env["account.move"].sudo()
        if len(self.company_id) == 1:
            # the company's own view of its accounts (codes) in messages
            move_model = move_model.with_company(self.company_id)
        # numbered in one pass, as Odoo would number them (stock_asset_posting.py)
        moves = move_model.create(move_model._register_batch_vals(vals_list))
        self._link_moves(
            [
                (line_id, move.id)
                for move, group in zip(moves, groups.values(), strict=True)
                for line_id in group.ids
            ]
        )
        moves._post(soft=False)  # marks the lines posted (account.move._post)
        return (reposted | moves).sudo(False)

    def _with_grouped_siblings(self):
        """Add the other draft lines of the grouped (category, period) pairs."""
        grouped = self.filtered("category_id.group_entries")
        if not grouped:
            return self
        keys = {
            (line.category_id.id, line.company_id.id, line.date) for line in grouped
        }
        siblings = self.search(
            [
                ("state", "=", "draft"),
                ("category_id", "in", list({key[0] for key in keys})),
                ("date", "in", list({key[2] for key in keys})),
                ("asset_id.state", "!=", "disposed"),
            ]
        ).filtered(
            lambda line: (line.category_id.id, line.company_id.id, line.date) in keys
        )
        return self | siblings

    def _lock_draft(self):
        """The lines of ``self`` still draft, row-locked for this transaction."""
        self.flush_recordset(["state", "move_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT id FROM stock_asset_depreciation_line
                 WHERE id = ANY(%s) AND state = 'draft'
                 ORDER BY id
                   FOR UPDATE SKIP LOCKED
                """,
                self.ids,
            )
        )
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        locked.invalidate_recordset(["state", "move_id"])
        return locked

    def _check_postable(self, check_locks=True):
        """Raise a UserError naming the lines that cannot be posted and why."""
        skips = self._get_post_skips(check_locks)
        if skips:
            raise UserError(self._format_post_skips(skips))

    def _get_post_skips(self, check_locks=True):
        """The lines of ``self`` that cannot be posted, entry by entry, with the
        reason: ``[(lines, reason)]``."""
        problems = {}
        locks = {}
        skips = []
        for unit in self._split_posting_units():
            first = unit[0]
            category, company = first.category_id, first.company_id
            if not category:
                skips.append(
                    (
                        unit,
                        self.env._(
                            "Asset %(asset)s has no category: set one with a "
                            "register journal and accounts.",
                            asset=first.asset_id.code,
                        ),
                    )
                )
                continue
            if (category, company) not in problems:
                problems[category, company] = category._get_register_posting_problem(
                    company
                )
            reason = problems[category, company]
            if not reason and check_locks:
                day = min(unit.mapped("date"))
                journal = category.sudo().journal_id
                if (company, journal, day) not in locks:
                    locks[company, journal, day] = unit._get_lock_problem(day, journal)
                reason = locks[company, journal, day]
            if reason:
                skips.append((unit, reason))
        return skips

    def _get_lock_problem(self, day, journal):
        """Why the period of ``day`` is closed to the company of ``self``, or ''."""
        company = self[0].company_id
        violated = company._get_violated_lock_dates(day, False, journal)
        if not violated:
            return ""
        return self.env._(
            "The depreciation of %(date)s cannot be posted in %(company)s: the "
            "period is locked (%(locks)s).",
            date=day,
            company=company.display_name,
            locks=self.env["res.company"]._format_lock_dates(violated),
        )

    def _format_post_skips(self, skips, limit=SKIP_LIST_LIMIT):
        """One line per skipped entry, "ASSET-CODES: reason", the first ``limit``
        of them, then how many more."""
        rows = [
            self.env._(
                "%(assets)s: %(reason)s",
                assets=", ".join(sorted(set(lines.asset_id.mapped("code")))[:10]),
                reason=reason,
            )
            for lines, reason in skips[:limit]
        ]
        if len(skips) > limit:
            rows.append(
                self.env._(
                    "... and %(count)s more (see the assets' chatter).",
                    count=len(skips) - limit,
                )
            )
        return "\n".join(rows)

    def _record_post_skips(self, skips):
        """Leave the reason on the skipped lines, a note on each skipped asset
        (once per reason: not again at every run while it stays the same), and
        a line in the log at INFO."""
        if not skips:
            return
        skipped = self.browse([line_id for lines, _r in skips for line_id in lines.ids])
        told = {
            (line.asset_id.id, line.post_skip_reason)
            for line in self.sudo().search(
                [
                    ("asset_id", "in", skipped.asset_id.ids),
                    ("state", "=", "draft"),
                    ("post_skip_reason", "!=", False),
                ]
            )
        }
        today = fields.Date.context_today(self)
        by_reason = defaultdict(lambda: self.browse())
        for lines, reason in skips:
            by_reason[reason] |= lines
        for reason, lines in by_reason.items():
            lines.sudo().write({"post_skip_reason": reason, "post_skip_date": today})
            dates = defaultdict(set)
            for line in lines:
                dates[line.asset_id].add(line.date)
            for asset, days in dates.items():
                if (asset.id, reason) in told:
                    continue
                asset.message_post(
                    body=self.env._(
                        "Depreciation of %(dates)s not posted: %(reason)s",
                        dates=", ".join(str(day) for day in sorted(days)),
                        reason=reason,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            _logger.info(
                "Depreciation posting skipped %s line(s) of %s asset(s) of company "
                "%s (%r): %r",
                len(lines),
                len(lines.asset_id),
                lines.company_id.ids,
                lines.asset_id[:10].mapped("code"),
                reason,
            )

    def _prepare_move_vals(self):
        """Values of the entry of ``self``: the lines of one asset and period, or
        of one grouped category and period."""
        first = self[0]
        category = first.category_id.sudo()
        amount = sum(self.mapped("amount"))
        if len(self) == 1 and not category.group_entries:
            asset = first.asset_id
            ref = self.env._(
                "%(asset)s: depreciation of %(date)s", asset=asset.code, date=first.date
            )
            label = f"{asset.code} {asset.name}"
        else:
            asset = self.env["stock.asset"]
            ref = self.env._(
                "%(category)s: depreciation of %(date)s",
                category=category.name,
                date=first.date,
            )
            label = ref
        return {
            "move_type": "entry",
            "journal_id": category.journal_id.id,
            "date": first.date,
            "ref": ref,
            "asset_id": asset.id,
            "line_ids": [
                *(
                    Command.create(
                        {
                            "name": label,
                            "account_id": category.account_depreciation_expense_id.id,
                            "balance": expense,
                            "analytic_distribution": distribution,
                        }
                    )
                    for distribution, expense in self._get_expense_by_analytic()
                ),
                Command.create(
                    {
                        "name": label,
                        "account_id": category.account_depreciation_id.id,
                        "balance": -amount,
                    }
                ),
            ],
        }

    def _get_expense_by_analytic(self):
        """``[(analytic distribution, amount)]`` of the expense side of the entry
        of ``self``: one per distinct distribution of the assets, read when the
        entry is made (a changed distribution applies to later entries only)."""
        amounts, distributions = defaultdict(float), {}
        for line in self:
            distribution = line.asset_id.sudo().analytic_distribution or False
            key = json.dumps(distribution, sort_keys=True)
            distributions[key] = distribution
            amounts[key] += line.amount
        return [
            (distributions[key], self[0].currency_id.round(amount))
            for key, amount in amounts.items()
            if not self[0].currency_id.is_zero(amount)
        ]

    # Set-based writes -----------------------------------------------------------
    # A board of 60 lines for each of 10,000 assets is 600,000 rows: the ORM's
    # create() costs about a millisecond per row here (defaults, monetary rounding,
    # company checks), one COPY a few microseconds. Draft lines carry no computed
    # stored field, no translation, no attachment and nothing depends on them but
    # the asset's one2many, which is invalidated.
    # The columns of a row given to ``_insert_draft_lines``, then those a new
    # draft line leaves empty; the others have a default. A stored field added
    # later belongs to one of them or has a default (tests/test_bulk_methods.py).
    _bulk_columns = (
        "asset_id",
        "company_id",
        "category_id",
        "date",
        "amount",
        "cumulative_amount",
        "remaining_value",
    )
    _bulk_empty_columns = ("move_id", "post_skip_reason", "post_skip_date")
    _bulk_chunk = 50000

    @api.model
    def _insert_draft_lines(self, rows, state="draft"):
        """Insert draft lines in one ``COPY``; ``rows`` are (asset_id, company_id,
        category_id, date, amount, cumulative_amount, remaining_value) tuples.
        ``state`` "opening" inserts the periods already depreciated at go-live.

        Keeps what ``create()`` checks: the create right, the record rules of
        the lines (their companies) and of the assets (``AccessError``), and the
        company of each line is its asset's (``UserError``); ``create_uid`` /
        ``write_uid`` and the dates are set, the caches invalidated."""
        if not rows:
            return
        self.check_access("create")
        self._bulk_check_rows(rows)
        self.flush_model()
        now, uid = self.env.cr.now(), self.env.uid
        defaults = self.default_get(
            [name for name in self._fields if name not in self._bulk_columns]
        )
        fixed = {
            name: value
            for name, value in defaults.items()
            if self._fields[name].store and name not in self._bulk_empty_columns
        }
        fixed.update(
            state=state, create_uid=uid, create_date=now, write_uid=uid, write_date=now
        )
        extra = tuple(fixed.values())
        # by chunks: the text of one COPY stays a few megabytes
        for start in range(0, len(rows), self._bulk_chunk):
            copy_rows(
                self.env.cr,
                self._table,
                [*self._bulk_columns, *fixed],
                (tuple(row) + extra for row in rows[start : start + self._bulk_chunk]),
            )
        self.env["stock.asset"].browse({row[0] for row in rows}).invalidate_recordset(
            ["depreciation_line_ids"]
        )

    @api.model
    def _bulk_check_rows(self, rows):
        """The record rules and company checks of ``create()``, once per company
        and asset instead of once per line (see ``_insert_draft_lines``)."""
        pairs = {(row[0], row[1]) for row in rows}
        wrong = sorted(
            str(asset_id) if code is None else code
            for asset_id, code in assets_of_other_companies(self.env, pairs)
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Depreciation lines of assets %(codes)s must be of their "
                    "asset's company.",
                    codes=", ".join(wrong[:10]),
                )
            )
        if self.env.su:
            return
        refused = companies_refused(self, {pair[1] for pair in pairs}, "create")
        if refused:
            raise AccessError(
                self.env._(
                    "You cannot create depreciation lines of a company you do not "
                    "belong to (company ids %(ids)s).",
                    ids=", ".join(map(str, sorted(refused))),
                )
            )
        self.env["stock.asset"]._bulk_reachable({pair[0] for pair in pairs}, "read")

    def _delete_draft_lines(self):
        """Delete the draft lines of ``self`` that hold no entry (the others go
        through ``unlink``)."""
        if not self:
            return
        self.check_access("unlink")
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """
                DELETE FROM stock_asset_depreciation_line
                 WHERE id = ANY(%s) AND state IN ('draft', 'opening')
                   AND move_id IS NULL
             RETURNING asset_id
                """,
                self.ids,
            )
        )
        assets = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset()
        self.env["stock.asset"].browse(assets).invalidate_recordset(
            ["depreciation_line_ids"]
        )
        self.exists().unlink()

    def _link_moves(self, pairs):
        """Set the entry of each line: ``pairs`` are (line id, move id)."""
        if not pairs:
            return
        self.flush_model()
        line_ids, move_ids = (list(column) for column in zip(*pairs, strict=True))
        self.env.cr.execute(
            SQL(
                """
                UPDATE stock_asset_depreciation_line line
                   SET move_id = link.move_id, write_uid = %s, write_date = %s
                  FROM unnest(%s::int[], %s::int[]) AS link(line_id, move_id)
                 WHERE line.id = link.line_id
                """,
                self.env.uid,
                self.env.cr.now(),
                line_ids,
                move_ids,
            )
        )
        self.browse(line_ids).invalidate_recordset(["move_id"])
        self.env["account.move"].browse(move_ids).invalidate_recordset(
            ["asset_depreciation_line_ids"]
        )
