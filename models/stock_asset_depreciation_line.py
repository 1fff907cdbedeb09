# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import SQL, create_index


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
        [("draft", "Draft"), ("posted", "Posted")],
        required=True,
        readonly=True,
        default="draft",
        copy=False,
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

        Lines that cannot be posted (locked period, category without accounts)
        are left out of the domain, so they never block the lines behind them.
        """
        lines_model = self.sudo()
        domain = lines_model._get_due_domain(fields.Date.context_today(self))
        lines = lines_model.search(
            domain, order="date, category_id, asset_id", limit=self._cron_batch_size
        )
        lines._post_depreciation(check_locks=False)
        self.env["ir.cron"]._notify_progress(
            done=len(lines), remaining=lines_model.search_count(domain)
        )

    @api.model
    def _get_due_domain(self, day):
        """Draft lines on or before ``day`` that can be posted now: their category
        has a journal and accounts, their period is not locked."""
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
            ("category_id.account_depreciation_id", "!=", False),
            ("category_id.account_depreciation_expense_id", "!=", False),
            *company_domain,
        ]

    def _post_depreciation(self, check_locks=True):
        """Post the draft lines of ``self`` and return the journal entries.

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

        # an entry reset to draft is posted again rather than replaced
        held = lines.filtered("move_id")
        reposted = held.move_id.sudo().filtered(lambda move: move.state == "draft")
        if reposted:
            reposted._post(soft=False)
        lines -= held
        zero = lines.filtered(lambda line: line.currency_id.is_zero(line.amount))
        if zero:
            zero.write({"state": "posted"})
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
        moves = self.env["account.move"].sudo().create(vals_list)
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
        """Raise a UserError naming the lines that cannot be posted."""
        categories = self.category_id.sudo()
        missing = categories.filtered(
            lambda category: not (
                category.journal_id
                and category.account_depreciation_id
                and category.account_depreciation_expense_id
            )
        )
        no_category = self.filtered(lambda line: not line.category_id)
        if missing or no_category:
            raise UserError(
                self.env._(
                    "Set a register journal, an accumulated depreciation account and "
                    "a depreciation expense account on the category of %(assets)s "
                    "before posting its depreciation.",
                    assets=", ".join(
                        sorted(
                            set(
                                (
                                    no_category
                                    | self.filtered(
                                        lambda line: line.category_id in missing
                                    )
                                ).asset_id.mapped("code")
                            )
                        )
                    ),
                )
            )
        wrong_company = self.filtered(
            lambda line: line.category_id.sudo().journal_id.company_id
            != line.company_id
        )
        if wrong_company:
            raise UserError(
                self.env._(
                    "The register journal of category %(category)s belongs to "
                    "another company than asset %(asset)s.",
                    category=wrong_company[0].category_id.display_name,
                    asset=wrong_company[0].asset_id.code,
                )
            )
        if check_locks:
            self._check_lock_dates()

    def _check_lock_dates(self):
        dates = defaultdict(set)
        for line in self:
            dates[line.company_id].add(line.date)
        for company, days in dates.items():
            journal = self.category_id.sudo().journal_id.filtered(
                lambda journal, company=company: journal.company_id == company
            )[:1]
            day = min(days)
            violated = company._get_violated_lock_dates(day, False, journal)
            if violated:
                assets = self.filtered(
                    lambda line, company=company, violated=violated: line.company_id
                    == company
                    and line.date <= max(lock for lock, _field in violated)
                ).asset_id
                raise UserError(
                    self.env._(
                        "Cannot post the depreciation of %(date)s of %(assets)s: "
                        "the period is locked (%(locks)s).",
                        date=day,
                        assets=", ".join(assets[:10].mapped("code")),
                        locks=self.env["res.company"]._format_lock_dates(violated),
                    )
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
                Command.create(
                    {
                        "name": label,
                        "account_id": category.account_depreciation_expense_id.id,
                        "balance": amount,
                    }
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

    # Set-based writes -----------------------------------------------------------
    # A board of 60 lines for each of 10,000 assets is 600,000 rows: the ORM's
    # create() costs about a millisecond per row here (defaults, monetary rounding,
    # company checks), plain INSERT ... SELECT FROM unnest() a few microseconds.
    # Draft lines carry no computed stored field, no translation, no attachment
    # and nothing depends on them but the asset's one2many, which is invalidated.
    _bulk_chunk = 50000
    _analyze_threshold = 50000

    @api.model
    def _insert_draft_lines(self, rows):
        """Insert draft lines; ``rows`` are (asset_id, company_id, category_id,
        date, amount, cumulative_amount, remaining_value) tuples."""
        if not rows:
            return
        self.check_access("create")
        self.flush_model()
        cr = self.env.cr
        now, uid = cr.now(), self.env.uid
        for start in range(0, len(rows), self._bulk_chunk):
            chunk = rows[start : start + self._bulk_chunk]
            # arrays passed as text literals: PostgreSQL parses them faster than
            # psycopg2 adapts lists element by element
            columns = [
                "{" + ",".join("NULL" if v is None else str(v) for v in column) + "}"
                for column in zip(*chunk, strict=True)
            ]
            cr.execute(
                SQL(
                    """
                    INSERT INTO stock_asset_depreciation_line
                           (asset_id, company_id, category_id, date, amount,
                            cumulative_amount, remaining_value, state,
                            create_uid, create_date, write_uid, write_date)
                    SELECT asset_id, company_id, category_id, date, amount,
                           cumulative_amount, remaining_value, 'draft',
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM unnest(%(assets)s::int[], %(companies)s::int[],
                                  %(categories)s::int[], %(dates)s::date[],
                                  %(amounts)s::numeric[], %(cumulative)s::numeric[],
                                  %(remaining)s::numeric[])
                        AS row(asset_id, company_id, category_id, date, amount,
                               cumulative_amount, remaining_value)
                    """,
                    uid=uid,
                    now=now,
                    assets=columns[0],
                    companies=columns[1],
                    categories=columns[2],
                    dates=columns[3],
                    amounts=columns[4],
                    cumulative=columns[5],
                    remaining=columns[6],
                )
            )
        self.env["stock.asset"].browse({row[0] for row in rows}).invalidate_recordset(
            ["depreciation_line_ids"]
        )
        if len(rows) >= self._analyze_threshold:
            # a large board computation changes the table's size by an order of
            # magnitude: refresh the planner's statistics now rather than after
            # autovacuum, or the posting that follows plans sequential scans
            cr.execute(SQL("ANALYZE stock_asset_depreciation_line"))

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
                 WHERE id = ANY(%s) AND state = 'draft' AND move_id IS NULL
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
