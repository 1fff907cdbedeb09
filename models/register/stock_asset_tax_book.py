# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""The tax book: a second depreciation board per asset (issue 18, item 3).

Many countries depreciate differently for tax than for the accounts (France's
amortissement dérogatoire, German tax tables, US MACRS). A category (defaults)
and each of its assets may keep a tax book with its own method, number of
periods, period length and degressive rate. Its board is computed by the same
engine as the accounting one (``tools/depreciation.compute_board``), from the
same cost, salvage value, prorata and value changes, and set beside the
accounting depreciation of each tax period; the difference is only reported,
or posted to the accounts the category names (tax difference journal, excess
expense, release income and provision accounts).
"""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from ...tools.depreciation import (
    BoardParams,
    Pause,
    PostedLine,
    compute_board,
    period_end,
    period_start,
)
from ..stock_asset_category import METHOD_SELECTION, PERIOD_SELECTION
from .stock_asset import (
    FROM_CATEGORY,
    SET_BY_REGISTER,
    _paused_months,
    _prorate,
    field_labels,
)

# The asset's tax book settings (defaults from its category)
TAX_BOOK_FIELDS = frozenset(
    {
        "tax_book",
        "tax_method",
        "tax_method_number",
        "tax_method_period",
        "tax_degressive_factor",
        "tax_opening_depreciation",
    }
)
# What else the tax board is computed from
TAX_VALUE_FIELDS = frozenset(
    {
        "acquisition_date",
        "original_value",
        "salvage_value",
        "prorata",
        "category_id",
        "ownership",
        "company_id",
        "opening_date",
    }
)
# Context key: the accounting boards recomputed during a write leave the tax
# boards to the write, which recomputes them once at its end.
TAX_BOARD_DEFER = "stock_asset_tax_board_defer"


def _tax_method_problem(record):
    """Why the engine cannot use the tax method of ``record`` (a category or an
    asset: its tax method, number of periods and degressive rate), or ''."""
    env, method = record.env, record.tax_method
    number, factor = record.tax_method_number, record.tax_degressive_factor
    if method not in dict(METHOD_SELECTION):
        return env._(
            "the method %(method)s is not one the register computes (linear, "
            "degressive, degressive then linear)",
            method=method or "-",
        )
    if number < 1:
        return env._(
            "a tax book needs at least 1 period (got %(number)s)", number=number
        )
    if method != "linear" and not 0 < factor <= 1:
        return env._(
            "the degressive rate must be above 0 and at most 1 (0.4 = 40 %% a "
            "year; got %(factor)s)",
            factor=factor,
        )
    return ""


class StockAssetCategory(models.Model):
    _inherit = "stock.asset.category"

    tax_book = fields.Boolean(
        help="Keep a second depreciation board for tax, with its own method and "
        "periods; new assets of the category take these defaults.",
    )
    tax_method = fields.Selection(
        METHOD_SELECTION,
        default="degressive_then_linear",
        help="Method of the tax board (see the depreciation method).",
    )
    tax_method_number = fields.Integer(
        string="Tax Number of Periods", default=5, help="Tax useful life in periods."
    )
    tax_method_period = fields.Selection(
        PERIOD_SELECTION, string="Tax Period Length", default="12"
    )
    tax_degressive_factor = fields.Float(
        string="Tax Degressive Rate",
        digits=(16, 4),
        default=0.4,
        help="Yearly rate of the degressive tax methods (0.4 = 40 %: France's "
        "coefficient 2 times the linear 20 % of 5 years).",
    )
    tax_difference_posting = fields.Selection(
        [("report", "Only Reported"), ("post", "Posted")],
        string="Tax Difference",
        default="report",
        required=True,
        help="Only reported: the tax board shows the difference. Posted: Post Tax "
        "Differences books it on the accounts below.",
    )
    tax_journal_id = fields.Many2one(
        "account.journal",
        string="Tax Difference Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
    )
    tax_account_expense_id = fields.Many2one(
        "account.account",
        string="Tax Excess Expense Account",
        check_company=True,
        help="Debited by the excess of tax over accounting depreciation (e.g. "
        "6872 in France).",
    )
    tax_account_income_id = fields.Many2one(
        "account.account",
        string="Tax Release Income Account",
        check_company=True,
        help="Credited when the accounting depreciation exceeds the tax one (e.g. "
        "7872 in France).",
    )
    tax_account_provision_id = fields.Many2one(
        "account.account",
        string="Tax Provision Account",
        check_company=True,
        help="The accumulated difference (e.g. 145 in France).",
    )

    @api.constrains(
        "tax_book", "tax_method", "tax_method_number", "tax_degressive_factor"
    )
    def _check_tax_book(self):
        for category in self.filtered("tax_book"):
            problem = _tax_method_problem(category)
            if problem:
                raise ValidationError(
                    self.env._(
                        "Category %(category)s: %(problem)s.",
                        category=category.display_name,
                        problem=problem,
                    )
                )

    def _get_tax_posting_problem(self):
        """Why the tax differences of the category cannot be posted, or ''."""
        self.ensure_one()
        category = self.sudo()
        missing = [
            fname
            for fname in (
                "tax_journal_id",
                "tax_account_expense_id",
                "tax_account_income_id",
                "tax_account_provision_id",
            )
            if not category[fname]
        ]
        if missing:
            return self.env._(
                "set %(fields)s on category %(category)s",
                fields=field_labels(category, missing),
                category=category.display_name,
            )
        return ""


class StockAsset(models.Model):
    _inherit = "stock.asset"

    tax_book = fields.Boolean(
        compute="_compute_tax_book_defaults",
        tracking=True,
        help="Keep a second depreciation board for tax.",
        **FROM_CATEGORY,
    )
    tax_method = fields.Selection(
        METHOD_SELECTION,
        compute="_compute_tax_book_defaults",
        tracking=True,
        **FROM_CATEGORY,
    )
    tax_method_number = fields.Integer(
        string="Tax Number of Periods",
        compute="_compute_tax_book_defaults",
        tracking=True,
        **FROM_CATEGORY,
    )
    tax_method_period = fields.Selection(
        PERIOD_SELECTION,
        string="Tax Period Length",
        compute="_compute_tax_book_defaults",
        tracking=True,
        **FROM_CATEGORY,
    )
    tax_degressive_factor = fields.Float(
        string="Tax Degressive Rate",
        digits=(16, 4),
        compute="_compute_tax_book_defaults",
        help="Yearly rate of the degressive tax methods (0.4 = 40 %).",
        **FROM_CATEGORY,
    )
    tax_opening_depreciation = fields.Monetary(
        string="Accumulated Tax Depreciation at Go-Live",
        compute="_compute_tax_opening_depreciation",
        tracking=True,
        copy=False,
        help="Tax depreciation the former register deducted before the go-live "
        "date (the accounting amount unless typed): the tax periods ending before "
        "it share it as already depreciated, the rest is depreciated from the "
        "go-live period.",
        **FROM_CATEGORY,
    )
    tax_provision_released = fields.Monetary(
        help="The tax provision released when the asset was disposed of.",
        **SET_BY_REGISTER,
    )
    tax_release_move_id = fields.Many2one(
        "account.move",
        string="Tax Provision Release Entry",
        **SET_BY_REGISTER,
    )
    tax_line_ids = fields.One2many(
        "stock.asset.tax.line",
        "asset_id",
        string="Tax Board",
        copy=False,
        groups="base.group_user",
    )
    tax_provision = fields.Monetary(
        compute="_compute_tax_provision",
        help="Posted tax differences so far: the excess of tax over accounting "
        "depreciation held in the provision account.",
        groups="base.group_user",
    )

    @api.depends("category_id", "ownership")
    def _compute_tax_book_defaults(self):
        # an asset whose tax differences are posted keeps its tax method
        frozen = self._get_ids_with_tax_posted()
        for asset in self:
            category = asset.category_id
            if category and asset._origin.id not in frozen:
                asset.tax_book = category.tax_book and asset.ownership == "company"
                asset.tax_method = category.tax_method or "linear"
                asset.tax_method_number = category.tax_method_number
                asset.tax_method_period = category.tax_method_period or "12"
                asset.tax_degressive_factor = category.tax_degressive_factor
            else:
                asset.tax_book = asset.tax_book and asset.ownership == "company"
                # (an asset with posted tax differences keeps its settings)
                asset.tax_method = asset.tax_method or "linear"
                asset.tax_method_number = asset.tax_method_number or 5
                asset.tax_method_period = asset.tax_method_period or "12"
                asset.tax_degressive_factor = asset.tax_degressive_factor or 0.4

    @api.depends("tax_book", "opening_depreciation")
    def _compute_tax_opening_depreciation(self):
        # one accumulated amount for both books unless the tax one is typed (as
        # ERPNext's finance books); final once tax differences are posted
        frozen = self._get_ids_with_tax_posted()
        for asset in self:
            if asset._origin.id in frozen:
                asset.tax_opening_depreciation = asset.tax_opening_depreciation
            else:
                asset.tax_opening_depreciation = (
                    asset.opening_depreciation if asset.tax_book else 0.0
                )

    def _compute_tax_provision(self):
        """Posted differences and those taken over at go-live, less what the
        disposal released."""
        provision = self._sum_by_asset(
            "stock.asset.tax.line",
            "difference",
            [("state", "in", ("posted", "opening"))],
        )
        for asset in self:
            asset.tax_provision = asset.currency_id.round(
                provision.get(asset._origin.id, 0.0) - asset.tax_provision_released
            )

    @api.constrains(*TAX_BOOK_FIELDS, "ownership")
    def _check_tax_book(self):
        for asset in self.filtered("tax_book"):
            if asset.ownership != "company":
                raise ValidationError(
                    self.env._(
                        "Asset %(asset)s is not in the company's fixed-asset "
                        "register (it is not company-owned): it cannot keep a tax "
                        "book.",
                        asset=asset.display_name,
                    )
                )
            problem = _tax_method_problem(asset)
            if problem:
                raise ValidationError(
                    self.env._(
                        "Asset %(asset)s cannot use this tax book: %(problem)s.",
                        asset=asset.display_name,
                        problem=problem,
                    )
                )

    @api.constrains(
        "tax_opening_depreciation",
        "tax_book",
        "opening_date",
        "original_value",
        "salvage_value",
    )
    def _check_tax_opening(self):
        """The accumulated tax depreciation taken over at go-live fits the
        asset (as the accounting one, ``_check_register_opening``)."""
        for asset in self:
            problem = asset._get_tax_opening_problem()
            if problem:
                raise ValidationError(problem)

    def _get_tax_opening_problem(self):
        """Why the accumulated tax depreciation at go-live does not fit, or ''."""
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        accumulated = self.tax_opening_depreciation
        if currency.is_zero(accumulated):
            return ""
        name = self.display_name
        if accumulated < 0:
            return self.env._(
                "Asset %(asset)s: the accumulated tax depreciation at go-live cannot "
                "be negative.",
                asset=name,
            )
        if not self.tax_book:
            return self.env._(
                "Asset %(asset)s: an accumulated tax depreciation at go-live needs a "
                "tax book.",
                asset=name,
            )
        if not self.opening_date or self.opening_date == self.acquisition_date:
            return self.env._(
                "Asset %(asset)s: an accumulated tax depreciation at go-live needs a "
                "go-live date after the acquisition.",
                asset=name,
            )
        excess = self._get_opening_excess(accumulated, currency)
        if excess:
            return self.env._(
                "Asset %(asset)s: the accumulated tax depreciation at go-live "
                "(%(accumulated)s) exceeds the tax depreciable value (original value "
                "less salvage value: %(base)s).",
                asset=name,
                **excess,
            )
        return ""

    # CRUD --------------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_tax_book_access(vals)
        # the accounting boards computed at creation (go-live) compute their tax
        # ones (``_compute_depreciation_boards``)
        return super().create(vals_list)

    def write(self, vals):
        touched = TAX_BOOK_FIELDS & vals.keys()
        if touched:
            self._check_tax_book_access(vals)
            for asset in self.browse(sorted(self._get_ids_with_tax_posted())):
                if any(
                    asset._fields[fname].convert_to_record(
                        asset._fields[fname].convert_to_cache(vals[fname], asset),
                        asset,
                    )
                    != asset[fname]
                    for fname in touched
                ):
                    raise UserError(
                        self.env._(
                            "Asset %(asset)s has posted tax differences: its tax "
                            "book settings are final.",
                            asset=asset.code,
                        )
                    )
        follows = touched or TAX_VALUE_FIELDS & vals.keys()
        if not follows:
            return super().write(vals)
        res = super(StockAsset, self.with_context(**{TAX_BOARD_DEFER: True})).write(
            vals
        )
        self._compute_tax_boards()
        return res

    def _check_tax_book_access(self, vals):
        """Only asset accountants set the tax book; others may only keep the
        defaults of the category they choose (the form proposes them)."""
        fnames = TAX_BOOK_FIELDS & vals.keys()
        if (
            not fnames
            or self.env.su
            or self.env.user.has_group("stock_asset_tracking.group_asset_accountant")
        ):
            return
        if vals.get("category_id"):
            category = self.env["stock.asset.category"].browse(vals["category_id"])
            if all(
                (vals[fname] or False)
                == ((fname in category._fields and category[fname]) or False)
                or (fname == "tax_book" and not vals[fname])
                for fname in fnames
            ):
                return
        raise AccessError(
            self.env._(
                "Only asset register accountants can set the tax book of an asset "
                "(%(fields)s).",
                fields=field_labels(self, sorted(fnames)),
            )
        )

    def _dispose(self, day, *args, **kwargs):
        """The tax board stops at the tax period of the disposal, and the tax
        provision of the asset (posted differences and those taken over at
        go-live) is released on the disposal date: France's amortissement
        dérogatoire is reversed when the asset leaves (Dr 145 / Cr 7872)."""
        self.ensure_one()
        self.invalidate_recordset(["tax_provision"])
        release = self._get_tax_release(day)
        res = super()._dispose(day, *args, **kwargs)
        self._compute_tax_boards()
        if release:
            self._post_tax_release(day, release)
        return res

    def _get_tax_release(self, day):
        """The provision the disposal on ``day`` releases (0 when the category
        only reports the differences); raises, naming the asset, when it cannot
        be booked (tax accounts missing, locked period)."""
        category = self.category_id.sudo()
        provision = self.tax_provision
        if (
            not self.tax_book
            or category.tax_difference_posting != "post"
            or self.currency_id.is_zero(provision)
        ):
            return 0.0
        problem = category._get_tax_posting_problem()
        if not problem:
            violated = self.company_id._get_violated_lock_dates(
                day, False, category.tax_journal_id
            )
            if violated:
                problem = self.env._(
                    "the period is locked (%(locks)s)",
                    locks=self.env["res.company"]._format_lock_dates(violated),
                )
        if problem:
            raise UserError(
                self.env._(
                    "Cannot release the tax provision of asset %(asset)s on its "
                    "disposal on %(date)s: %(problem)s.",
                    asset=self.code,
                    date=format_date(self.env, day),
                    problem=problem,
                )
            )
        return provision

    def _post_tax_release(self, day, provision):
        """Book the release of ``provision`` on ``day`` (a negative provision,
        accounting ahead of tax, is charged back the other way)."""
        ref = self.env._(
            "%(asset)s: tax provision released on disposal", asset=self.code
        )
        # as the tax difference entries: created as superuser once checked
        move = (
            self.env["account.move"]
            .sudo()
            .create(self._prepare_tax_entry_vals(day, -provision, ref))
        )
        move._post(soft=False)
        self.sudo().write(
            {"tax_provision_released": provision, "tax_release_move_id": move.id}
        )
        self.invalidate_recordset(["tax_provision"])
        return move

    def _prepare_tax_entry_vals(self, day, difference, ref):
        """A tax difference entry of the asset: an excess (``difference`` > 0)
        debits the expense and credits the provision, a shortfall debits the
        provision and credits the income account."""
        self.ensure_one()
        category = self.category_id.sudo()
        other = (
            category.tax_account_expense_id
            if difference > 0
            else category.tax_account_income_id
        )
        return {
            "move_type": "entry",
            "journal_id": category.tax_journal_id.id,
            "date": day,
            "ref": ref,
            "asset_id": self.id,
            "line_ids": [
                Command.create(
                    {"name": ref, "account_id": other.id, "balance": difference}
                ),
                Command.create(
                    {
                        "name": ref,
                        "account_id": category.tax_account_provision_id.id,
                        "balance": -difference,
                    }
                ),
            ],
        }

    # Boards ------------------------------------------------------------------------
    def _compute_depreciation_boards(self):
        """The tax boards follow the accounting ones (their book amounts)."""
        res = super()._compute_depreciation_boards()
        if not self.env.context.get(TAX_BOARD_DEFER):
            self._compute_tax_boards()
        return res

    def action_compute_tax_board(self):
        self.env["stock.asset.tax.line"].check_access("create")
        self._compute_tax_boards()
        return True

    def _get_ids_with_tax_posted(self):
        """Ids of the assets of ``self`` with posted tax lines, in one query."""
        return self._get_ids_with("stock.asset.tax.line", posted_only=True)

    def _compute_tax_boards(self):
        """Rebuild the draft tax lines of ``self``: one read of the assets' tax
        and accounting lines, the boards by the engine, one delete and one
        create. Posted tax lines are kept and given to the engine (which keeps
        them and re-spreads the rest), with the periods already depreciated at
        go-live once a difference is posted. The board honours the accounting
        board's pauses and stops at the tax period of the disposal, prorated by
        days as the accounting one."""
        assets = self.exists()
        if not assets:
            return
        lines_model = self.env["stock.asset.tax.line"].sudo()
        self.env["stock.asset"].flush_model()
        lines_model.flush_model()
        self.env["stock.asset.depreciation.line"].flush_model()
        if not assets.filtered("tax_book") and not assets._has_tax_draft_lines():
            return
        tax_kept, tax_drafts, book = assets._read_tax_board_inputs()
        changes = assets._get_board_changes()
        vals_list = []
        for asset in assets:
            if not asset.tax_book or not asset._is_register_ready():
                continue
            kept = tax_kept.get(asset.id, [])
            board, opening_days = asset._get_tax_board(kept, changes.get(asset.id))
            vals_list += asset._get_tax_line_vals(
                board, book.get(asset.id, []), kept, opening_days
            )
        stale = lines_model.browse(tax_drafts)
        if stale:
            stale.move_id.filtered(lambda move: move.state == "draft").unlink()
            stale.unlink()
        lines_model.create(vals_list)
        assets.invalidate_recordset(["tax_line_ids"])

    def _has_tax_draft_lines(self):
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM stock_asset_tax_line "
                "WHERE asset_id = ANY(%s) AND state != 'posted' LIMIT 1",
                self.ids,
            )
        )
        return bool(self.env.cr.fetchone())

    def _read_tax_board_inputs(self):
        """``(tax lines kept, tax line ids to rebuild, accounting lines)`` of
        ``self`` in two queries: ``{asset id: [PostedLine]}`` (the posted lines,
        and the periods already depreciated at go-live of an asset with posted
        lines), ``[line id]`` and ``{asset id: [(date, amount)]}``."""
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT asset_id, id, date, amount, state
                  FROM stock_asset_tax_line
                 WHERE asset_id = ANY(%s)
              ORDER BY asset_id, date
                """,
                self.ids,
            )
        )
        rows = cr.fetchall()
        with_posted = {row[0] for row in rows if row[4] == "posted"}
        posted, drafts = defaultdict(list), []
        for asset_id, line_id, day, amount, state in rows:
            if state == "posted" or (state == "opening" and asset_id in with_posted):
                posted[asset_id].append(PostedLine(day, amount))
            else:
                drafts.append(line_id)
        cr.execute(
            SQL(
                """
                SELECT asset_id, date, amount
                  FROM stock_asset_depreciation_line
                 WHERE asset_id = ANY(%s)
              ORDER BY asset_id, date
                """,
                self.ids,
            )
        )
        book = defaultdict(list)
        for asset_id, day, amount in cr.fetchall():
            book[asset_id].append((day, amount))
        return posted, drafts, book

    def _get_tax_fy(self):
        company = self.company_id
        return int(company.fiscalyear_last_month), company.fiscalyear_last_day

    def _get_tax_params(self, posted, changes):
        """The engine's ``BoardParams`` of the tax board: the asset's values and
        value changes, its pauses in whole tax periods."""
        self.ensure_one()
        value_changes, _pauses, _open, spans = changes or ((), (), None, ())
        months = int(self.tax_method_period)
        fy = self._get_tax_fy()
        pauses = []
        for start, resume in spans:
            skipped = _paused_months(start, resume, months, fy)
            if skipped:
                pauses.append(Pause(start, skipped))
        return BoardParams(
            acquisition_date=self.acquisition_date,
            original_value=self.original_value,
            salvage_value=self.salvage_value,
            method=self.tax_method,
            method_number=self.tax_method_number,
            method_period=months,
            degressive_factor=self.tax_degressive_factor,
            prorata=self.prorata,
            rounding=self.company_id.currency_id.rounding,
            fy_end_month=fy[0],
            fy_end_day=fy[1],
            posted=tuple(posted),
            value_changes=tuple(value_changes),
            pauses=tuple(pauses),
        )

    def _get_tax_board(self, kept, changes):
        """``(board, dates of the periods already depreciated at go-live)``: the
        engine's tax board of the asset from its kept lines; taken over at
        go-live (and nothing posted yet), the tax periods ending before the
        go-live date share the accumulated tax depreciation; an open pause cuts
        the board at its tax period."""
        self.ensure_one()
        opening = []
        if self.opening_date and not kept:
            opening = self._spread_opening(
                self._get_tax_params((), changes),
                self.tax_opening_depreciation,
                self._compute_tax_engine_board,
            )
        params = self._get_tax_params((*opening, *kept), changes)
        board = self._compute_tax_engine_board(params)
        board = self._cut_at_open_pause(board, params, changes)
        return board, {line.date for line in opening}

    def _compute_tax_engine_board(self, params):
        """``compute_board(params)``, its refusals as a UserError naming the
        asset."""
        try:
            return compute_board(params)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Cannot compute the tax board of asset %(asset)s: %(error)s",
                    asset=self.code,
                    error=str(error),
                )
            ) from None

    def _get_tax_line_vals(self, board, book_lines, kept, opening_days):
        """Values of the tax lines of the asset to create: one per tax period
        that has tax or accounting depreciation, except the kept ones; the
        accounting amount is the sum of the accounting lines dated in the
        period. Disposed of, the board stops at the tax period of the disposal,
        whose tax depreciation is prorated by days (as the accounting one)."""
        self.ensure_one()
        currency = self.company_id.currency_id
        months = int(self.tax_method_period)
        fy = self._get_tax_fy()
        book = defaultdict(float)
        for day, amount in book_lines:
            book[period_end(day, months, *fy)] += amount
        tax = {line.date: line for line in board}
        kept_days = {line.date for line in kept}
        last = None
        if self.state == "disposed" and self.disposal_date:
            last = period_end(self.disposal_date, months, *fy)
        base = currency.round(self.original_value - self.salvage_value)
        cumulative, remaining = 0.0, base
        vals_list = []
        for day in sorted(set(book) | set(tax)):
            line = tax.get(day)
            amount = line.amount if line else 0.0
            if line:
                cumulative, remaining = line.cumulative_amount, line.remaining_value
            if day in kept_days or (last and day > last):
                continue
            if line and day == last:
                start = max(period_start(day, months, *fy), self.acquisition_date)
                amount = _prorate(
                    line.amount,
                    (self.disposal_date - start).days + 1,
                    (day - start).days + 1,
                    currency.rounding,
                )
                cumulative = currency.round(cumulative - line.amount + amount)
                remaining = currency.round(remaining + line.amount - amount)
            book_amount = currency.round(book.get(day, 0.0))
            vals_list.append(
                {
                    "asset_id": self.id,
                    "company_id": self.company_id.id,
                    "category_id": self.category_id.id,
                    "date": day,
                    "amount": amount,
                    "cumulative_amount": cumulative,
                    "remaining_value": remaining,
                    "book_amount": book_amount,
                    "difference": currency.round(amount - book_amount),
                    "state": "opening" if day in opening_days else "draft",
                }
            )
        return vals_list

    # Posting the differences ---------------------------------------------------------
    def _post_tax_differences_until(self, day):
        """Post the tax differences of ``self`` up to ``day``: one entry per asset
        and tax period whose accounting depreciation is posted (every accounting
        line dated in or before it is posted, or already depreciated at
        go-live), from the go-live date on, for the categories that post them.
        A period without difference is closed without entry. Raises, naming the
        asset, for a locked period or a category without its accounts; nothing
        is posted then. Returns the entries."""
        lines_model = self.env["stock.asset.tax.line"]
        lines_model.check_access("write")
        if not day:
            raise UserError(
                self.env._("Give the date to post the tax differences up to.")
            )
        assets = self.filtered(
            lambda asset: asset.state != "disposed" and asset.tax_book
        )
        lines = lines_model.sudo().search(
            [
                ("asset_id", "in", assets.ids),
                ("state", "=", "draft"),
                ("date", "<=", day),
            ],
            order="asset_id, date",
        )
        if not lines:
            return self.env["account.move"]
        drafts = defaultdict(list)
        for asset, draft_days in (
            self.env["stock.asset.depreciation.line"]
            .sudo()
            ._read_group(
                [("asset_id", "in", lines.asset_id.ids), ("state", "=", "draft")],
                ["asset_id"],
                ["date:array_agg"],
            )
        ):
            drafts[asset.id] = draft_days
        due = lines.filtered(
            lambda line: line.asset_id.category_id.sudo().tax_difference_posting
            == "post"
            and (
                not line.asset_id.opening_date
                or line.date >= line.asset_id.opening_date
            )
            and not any(
                draft <= line.date for draft in drafts.get(line.asset_id.id, ())
            )
        )
        due._check_tax_postable()
        # an entry reset to draft is posted again rather than replaced
        held = due.filtered("move_id")
        reposted = held.move_id.filtered(lambda move: move.state == "draft")
        if reposted:
            reposted._post(soft=False)
        due -= held
        zero = due.filtered(lambda line: line.currency_id.is_zero(line.difference))
        zero.write({"state": "posted"})
        due -= zero
        if not due:
            return reposted.sudo(False)
        # accountants keep the register without Invoicing rights (see the
        # depreciation entries): the checked entries are created as superuser
        moves = (
            self.env["account.move"]
            .sudo()
            .create([line._prepare_tax_move_vals() for line in due])
        )
        for line, move in zip(due, moves, strict=True):
            line.move_id = move
        moves._post(soft=False)
        return (reposted | moves).sudo(False)


class StockAssetTaxLinePosting(models.Model):
    _inherit = "stock.asset.tax.line"

    def _check_tax_postable(self):
        """Raise, naming the asset, for a category without its tax accounts or a
        period in a locked date."""
        problems = {}
        for line in self:
            asset = line.asset_id
            category = asset.category_id
            if category not in problems:
                problems[category] = (
                    category._get_tax_posting_problem()
                    if category
                    else self.env._("set a category with the tax accounts")
                )
            if problems[category]:
                raise UserError(
                    self.env._(
                        "Cannot post the tax difference of asset %(asset)s: "
                        "%(problem)s.",
                        asset=asset.code,
                        problem=problems[category],
                    )
                )
            violated = line.company_id._get_violated_lock_dates(
                line.date, False, category.sudo().tax_journal_id
            )
            if violated:
                raise UserError(
                    self.env._(
                        "Cannot post the tax difference of asset %(asset)s on "
                        "%(date)s: the period is locked (%(locks)s).",
                        asset=asset.code,
                        date=format_date(self.env, line.date),
                        locks=self.env["res.company"]._format_lock_dates(violated),
                    )
                )

    def _prepare_tax_move_vals(self):
        """The entry of the difference of one asset and period."""
        self.ensure_one()
        asset = self.asset_id
        ref = self.env._(
            "%(asset)s: tax depreciation difference of %(date)s",
            asset=asset.code,
            date=self.date,
        )
        return asset._prepare_tax_entry_vals(self.date, self.difference, ref)


class AccountMove(models.Model):
    _inherit = "account.move"

    asset_tax_line_ids = fields.One2many(
        "stock.asset.tax.line",
        "move_id",
        string="Tax Board Lines",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        lines = posted.asset_tax_line_ids.sudo().filtered(
            lambda line: line.state == "draft"
        )
        if lines:
            lines.write({"state": "posted"})
        return posted

    def _check_register_entries_undo(self):
        # a tax difference entry may be reset: its line goes back to draft
        return super(
            AccountMove, self.filtered(lambda move: not move.asset_tax_line_ids)
        )._check_register_entries_undo()

    def button_draft(self):
        res = super().button_draft()
        self.asset_tax_line_ids.sudo().write({"state": "draft"})
        return res

    def button_cancel(self):
        res = super().button_cancel()
        self.asset_tax_line_ids.sudo().write({"state": "draft", "move_id": False})
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_release_tax_lines(self):
        self.asset_tax_line_ids.sudo().write({"state": "draft", "move_id": False})
