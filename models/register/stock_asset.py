# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import timedelta
from fractions import Fraction

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, float_compare, format_amount, format_date

from ...tools.depreciation import (
    BoardParams,
    Pause,
    PostedLine,
    ValueChange,
    compute_board,
    period_end,
    period_start,
)
from ...tools.private_path import is_open, private_path
from ..stock_asset_category import METHOD_SELECTION, PERIOD_SELECTION

# The values the depreciation board is computed from.
REGISTER_BOARD_FIELDS = frozenset(
    {
        "acquisition_date",
        "original_value",
        "salvage_value",
        "method",
        "method_number",
        "method_period",
        "degressive_factor",
        "prorata",
        "opening_date",
        "opening_depreciation",
    }
)
# A field of the asset that a compute method defaults (from its category) and
# the accountant may change: stored, editable, set at creation, for internal
# users (``compute=`` beside it).
FROM_CATEGORY = {
    "store": True,
    "readonly": False,
    "precompute": True,
    "groups": "base.group_user",
}
# A value the register sets itself (acquisition, disposal, release entries):
# read-only, not copied with the asset, for internal users.
SET_BY_REGISTER = {"readonly": True, "copy": False, "groups": "base.group_user"}
# Private path (see tools/private_path.py): the register changes that rewrite
# values with posted depreciation.
REGISTER_CHANGE_PATH = "stock.asset.register_change"


class StockAsset(models.Model):
    """The asset's part of the fixed-asset register: its boards, postings, changes
    during life, disposal and acquisition from bills and receipts."""

    _name = "stock.asset"
    _inherit = ["stock.asset", "analytic.mixin"]

    # Fixed-asset register (company-owned items) -------------------------------------
    acquisition_date = fields.Date(
        tracking=True,
        copy=False,
        help="Start of depreciation: the first period is the one containing it.",
        groups="base.group_user",
    )
    original_value = fields.Monetary(
        tracking=True,
        copy=False,
        help="Depreciable cost base in the company currency (the vendor bill's "
        "amount when the asset comes from one).",
        groups="base.group_user",
    )
    salvage_value = fields.Monetary(
        tracking=True,
        help="Part of the value that is not depreciated.",
        groups="base.group_user",
    )
    method = fields.Selection(
        METHOD_SELECTION,
        string="Depreciation Method",
        compute="_compute_register_defaults",
        tracking=True,
        **FROM_CATEGORY,
    )
    method_number = fields.Integer(
        string="Number of Periods",
        compute="_compute_register_defaults",
        tracking=True,
        **FROM_CATEGORY,
    )
    method_period = fields.Selection(
        PERIOD_SELECTION,
        string="Period Length",
        compute="_compute_register_defaults",
        tracking=True,
        **FROM_CATEGORY,
    )
    degressive_factor = fields.Float(
        digits=(16, 4),
        compute="_compute_register_defaults",
        help="Yearly rate of the degressive methods (0.3 = 30 %).",
        **FROM_CATEGORY,
    )
    prorata = fields.Boolean(
        string="Prorata Temporis",
        compute="_compute_register_defaults",
        help="The first period is charged from the acquisition date only, and the "
        "board gets one more period carrying the rest.",
        **FROM_CATEGORY,
    )
    opening_date = fields.Date(
        string="Go-Live Date",
        tracking=True,
        copy=False,
        help="For an asset taken over from a former register: the first day this "
        "register depreciates it. The periods ending before it are already "
        "depreciated (Accumulated Depreciation at Go-Live): they appear on the "
        "board, are never posted, and the rest is depreciated from the period "
        "containing this date.",
        groups="base.group_user",
    )
    opening_depreciation = fields.Monetary(
        string="Accumulated Depreciation at Go-Live",
        tracking=True,
        copy=False,
        help="Depreciation the former register booked before the go-live date; "
        "it counts in the depreciated value and the book value, and is never "
        "posted again.",
        groups="base.group_user",
    )
    book_value = fields.Monetary(
        compute="_compute_register_values",
        store=True,
        help="Value not yet depreciated, salvage value included: original value, "
        "revaluations and impairments, less the posted depreciation (0 once "
        "disposed).",
        groups="base.group_user",
    )
    depreciated_value = fields.Monetary(
        string="Depreciated",
        compute="_compute_register_values",
        store=True,
        groups="base.group_user",
    )
    value_residual = fields.Monetary(
        string="Left to Depreciate",
        compute="_compute_register_values",
        store=True,
        help="Book value less salvage value.",
        groups="base.group_user",
    )
    depreciation_line_ids = fields.One2many(
        "stock.asset.depreciation.line",
        "asset_id",
        string="Depreciation Board",
        copy=False,
        groups="base.group_user",
    )
    register_change_ids = fields.One2many(
        "stock.asset.register.change",
        "asset_id",
        string="Register Changes",
        copy=False,
        groups="base.group_user",
    )
    depreciation_paused = fields.Boolean(
        compute="_compute_depreciation_paused",
        store=True,
        help="Depreciation is suspended until it is resumed.",
        groups="base.group_user",
    )
    acquisition_origin = fields.Selection(
        [("manual", "By Hand"), ("bill", "Vendor Bill"), ("receipt", "Receipt")],
        required=True,
        default="manual",
        **SET_BY_REGISTER,
    )
    invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Vendor Bill Line",
        index="btree_not_null",
        **SET_BY_REGISTER,
    )
    invoice_id = fields.Many2one(
        related="invoice_line_id.move_id",
        string="Vendor Bill",
        groups="base.group_user",
    )
    disposal_date = fields.Date(tracking=True, **SET_BY_REGISTER)
    disposal_type = fields.Selection(
        [("sale", "Sale"), ("scrap", "Scrap")], **SET_BY_REGISTER
    )
    disposal_proceeds = fields.Monetary(**SET_BY_REGISTER)
    disposal_move_id = fields.Many2one(
        "account.move",
        string="Disposal Entry",
        **SET_BY_REGISTER,
    )
    register_entry_count = fields.Integer(
        compute="_compute_register_entry_count", groups="base.group_user"
    )
    register_readonly = fields.Boolean(
        compute="_compute_register_readonly",
        help="The current user may read but not change the register values.",
        groups="base.group_user",
    )

    @api.depends("category_id")
    def _compute_register_defaults(self):
        # Assets with posted depreciation keep their method: only the Modify
        # wizard changes it then.
        frozen = self._get_ids_with_lines(posted_only=True)
        for asset in self:
            category = asset.category_id
            if category and asset._origin.id not in frozen:
                asset.method = category.method
                asset.method_number = category.method_number
                asset.method_period = category.method_period
                asset.degressive_factor = category.degressive_factor
                asset.prorata = category.prorata
            else:
                asset.method = asset.method or "linear"
                asset.method_number = asset.method_number or 5
                asset.method_period = asset.method_period or "12"
                asset.degressive_factor = asset.degressive_factor or 0.3
                asset.prorata = asset.prorata

    @api.depends("category_id")
    def _compute_analytic_distribution(self):
        """The category's distribution, as a product's default on an invoice line;
        the asset's own once set (a new category sets it again)."""
        for asset in self:
            if asset.category_id:
                asset.analytic_distribution = asset.category_id.analytic_distribution
            elif not asset.analytic_distribution:
                asset.analytic_distribution = False

    @api.depends(
        "original_value",
        "salvage_value",
        "opening_date",
        "opening_depreciation",
        "state",
        "depreciation_line_ids.amount",
        "depreciation_line_ids.state",
        "register_change_ids.amount",
    )
    def _compute_register_values(self):
        depreciated = self._sum_by_asset(
            "stock.asset.depreciation.line", "amount", [("state", "=", "posted")]
        )
        changes = self._sum_by_asset(
            "stock.asset.register.change",
            "amount",
            [("kind", "in", ("revaluation", "impairment"))],
        )
        for asset in self:
            currency = asset.currency_id or self.env.company.currency_id
            done = depreciated.get(asset._origin.id, 0.0)
            if asset.opening_date:
                done = currency.round(done + asset.opening_depreciation)
            book = currency.round(
                asset.original_value + changes.get(asset._origin.id, 0.0) - done
            )
            if asset.state == "disposed":
                book = 0.0
            asset.depreciated_value = done
            asset.book_value = book
            asset.value_residual = (
                currency.round(book - asset.salvage_value) if book else 0.0
            )

    @api.depends("register_change_ids.kind", "register_change_ids.resume_date")
    def _compute_depreciation_paused(self):
        for asset in self:
            asset.depreciation_paused = any(
                change.kind == "pause" and not change.resume_date
                for change in asset.register_change_ids
            )

    def _compute_register_entry_count(self):
        """Each asset's entries (its own, and the grouped depreciation entries its
        lines are in), counted once each: two grouped reads for all the assets
        (the domain of ``_get_register_entries_domain``)."""
        ids = [asset_id for asset_id in self._origin.ids if asset_id]
        entries = defaultdict(set)
        if ids:
            own = (
                self.env["account.move"]
                .sudo()
                ._read_group([("asset_id", "in", ids)], ["asset_id"], ["id:array_agg"])
            )
            grouped = (
                self.env["stock.asset.depreciation.line"]
                .sudo()
                ._read_group(
                    [("asset_id", "in", ids), ("move_id", "!=", False)],
                    ["asset_id"],
                    ["move_id:array_agg"],
                )
            )
            for asset, move_ids in own + grouped:
                entries[asset.id].update(move_ids)
        for asset in self:
            asset.register_entry_count = len(entries[asset._origin.id])

    @api.depends_context("uid")
    def _compute_register_readonly(self):
        readonly = not self.env.user.has_group(
            "stock_asset_tracking.group_asset_accountant"
        )
        for asset in self:
            asset.register_readonly = readonly or asset.state == "disposed"

    @api.constrains(
        "original_value",
        "salvage_value",
        "method",
        "method_number",
        "degressive_factor",
        "ownership",
    )
    def _check_register_values(self):
        for asset in self:
            if asset.original_value < 0 or asset.salvage_value < 0:
                raise ValidationError(
                    self.env._(
                        "The original and salvage values of asset %(code)s cannot "
                        "be negative.",
                        code=asset.code,
                    )
                )
            if asset.salvage_value > asset.original_value:
                raise ValidationError(
                    self.env._(
                        "The salvage value of asset %(code)s exceeds its original "
                        "value.",
                        code=asset.code,
                    )
                )
            if asset.method_number < 1:
                raise ValidationError(
                    self.env._(
                        "Asset %(code)s needs at least one depreciation period.",
                        code=asset.code,
                    )
                )
            if asset.method != "linear" and asset.degressive_factor <= 0:
                raise ValidationError(
                    self.env._(
                        "The degressive rate of asset %(code)s must be positive.",
                        code=asset.code,
                    )
                )
            if asset.ownership == "customer" and asset.original_value:
                raise ValidationError(
                    self.env._(
                        "Asset %(code)s belongs to a customer: it has no place in "
                        "the company's fixed-asset register.",
                        code=asset.code,
                    )
                )

    @api.constrains(
        "opening_date",
        "opening_depreciation",
        "acquisition_date",
        "original_value",
        "salvage_value",
    )
    def _check_register_opening(self):
        """The values taken over at go-live fit the asset: a go-live date on or
        after the acquisition, an accumulated depreciation between 0 and the
        depreciable value (original less salvage value)."""
        for asset in self:
            problem = asset._get_opening_problem()
            if problem:
                raise ValidationError(problem)

    @api.constrains("opening_date")
    def _check_register_opening_lock(self):
        """The go-live period is posted by this register: it must be open."""
        for asset in self.filtered("opening_date"):
            violated = asset.company_id._get_violated_lock_dates(
                asset.opening_date, False, asset.category_id.sudo().journal_id or None
            )
            if violated:
                raise ValidationError(
                    self.env._(
                        "Asset %(asset)s: the go-live date %(date)s is in a locked "
                        "period (%(locks)s); this register posts the depreciation "
                        "from the go-live period on, so go live after the lock date.",
                        asset=asset.display_name,
                        date=format_date(self.env, asset.opening_date),
                        locks=self.env["res.company"]._format_lock_dates(violated),
                    )
                )

    @api.constrains("analytic_distribution", "company_id")
    def _check_register_analytic(self):
        """The distribution names analytic accounts the asset's company may use,
        with numeric percentages, no plan above 100 %, and 100 % on the plans
        Odoo makes mandatory for miscellaneous entries."""
        for asset in self.filtered("analytic_distribution"):
            problem = asset._get_analytic_problem()
            if problem:
                raise ValidationError(problem)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted_depreciation(self):
        if self._get_ids_with_lines(posted_only=True):
            raise UserError(
                self.env._(
                    "Assets with posted depreciation cannot be deleted; dispose of "
                    "them instead."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        assets = super().create(vals_list)
        # taken over at go-live (an import of a former register): the board shows
        # the periods already depreciated and the rest at once
        assets._get_opening_ready()._compute_depreciation_boards()
        return assets

    def _load_records(self, data_list, update=False):
        # Odoo's import creates its rows in one batch, then, when that fails, row
        # by row; a UserError of the batch would also be reported against the
        # batch's first row. Each row is then reported with its own reason only.
        if len(data_list) > 1 and self.env.context.get("import_file"):
            try:
                return super()._load_records(data_list, update=update)
            except UserError as error:
                raise RegisterImportBatchError() from error
        return super()._load_records(data_list, update=update)

    def _sanitize_values(self, vals, decimal_precision):
        # the mixin rounds the percentages: refuse what is not one first
        distribution = vals.get("analytic_distribution")
        if distribution and (
            not isinstance(distribution, dict)
            or not all(
                isinstance(value, int | float) and not isinstance(value, bool)
                for value in distribution.values()
            )
        ):
            raise ValidationError(
                self.env._(
                    "Asset %(asset)s: the analytic distribution names unknown "
                    "analytic accounts or a percentage that is not a number.",
                    asset=", ".join(self.mapped("display_name"))
                    or vals.get("name")
                    or "",
                )
            )
        return super()._sanitize_values(vals, decimal_precision)

    def action_compute_board(self):
        """(Re)build the draft lines of the depreciation boards of ``self``.

        Posted lines are kept as they are; what remains is re-spread over the
        remaining periods (see ``tools/depreciation.py``).
        """
        self.env["stock.asset.depreciation.line"].check_access("create")
        self._compute_depreciation_boards()
        return True

    def action_post_until(self, date):
        """Post every draft depreciation line of ``self`` dated on or before
        ``date``; return the entries as an action, or True when there is none.

        An asset (or grouped category) whose configuration or period forbids
        posting is skipped with its reason (noted on the asset) and the others
        post: the answer is then a warning notification listing the skipped
        assets, followed by the entries. Raises when nothing could be posted.
        """
        moves, skips = self._post_depreciation_until(date)
        lines = self.env["stock.asset.depreciation.line"]
        if skips and not moves:
            raise UserError(
                self.env._(
                    "No depreciation was posted:\n%(skipped)s",
                    skipped=lines._format_post_skips(skips),
                )
            )
        action = (
            self._action_view_moves(moves, self.env._("Depreciation Entries"))
            if moves
            else False
        )
        if skips:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "sticky": True,
                    "title": self.env._(
                        "Depreciation of %(count)s asset(s) not posted",
                        count=len({a for skip, _r in skips for a in skip.asset_id.ids}),
                    ),
                    "message": lines._format_post_skips(skips),
                    "next": action,
                },
            }
        return action or True

    def _post_depreciation_until(self, date):
        """Post the draft depreciation lines of ``self`` dated on or before
        ``date``, entry by entry; return ``(moves, skips)`` (see
        ``stock.asset.depreciation.line._post_depreciation_isolated``), the
        skipped assets noted."""
        lines_model = self.env["stock.asset.depreciation.line"]
        lines_model.check_access("write")
        try:
            day = fields.Date.to_date(date)
        except (TypeError, ValueError):
            day = None
        if not day:
            raise UserError(self.env._("Give the date to post the depreciation up to."))
        assets = self.filtered(lambda asset: asset.state != "disposed")
        with_board = assets._get_ids_with_lines()
        without_board = assets.filtered(
            lambda asset: asset.id not in with_board and asset._is_register_ready()
        )
        without_board._compute_depreciation_boards()
        lines = lines_model.search(
            [
                ("asset_id", "in", assets.ids),
                ("state", "=", "draft"),
                ("date", "<=", day),
            ],
            order="date, id",
        )
        moves, skips = lines._post_depreciation_isolated()
        lines_model._record_post_skips(skips)
        return moves, skips

    def action_view_register_entries(self):
        self.ensure_one()
        moves = self.env["account.move"].search(self._get_register_entries_domain())
        return self._action_view_moves(
            moves, self.env._("Entries of %(asset)s", asset=self.code)
        )

    # Fixed-asset register -------------------------------------------------------------
    def _get_opening_problem(self):
        """Why the go-live values of the asset are wrong, or ''."""
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        accumulated = self.opening_depreciation
        name = self.display_name
        if currency.compare_amounts(accumulated, 0) < 0:
            return self.env._(
                "Asset %(asset)s: the accumulated depreciation at go-live cannot be "
                "negative.",
                asset=name,
            )
        if not self.opening_date:
            if not currency.is_zero(accumulated):
                return self.env._(
                    "Asset %(asset)s: an accumulated depreciation at go-live needs "
                    "the go-live date it was reached at.",
                    asset=name,
                )
            return ""
        if not self.acquisition_date:
            return self.env._(
                "Asset %(asset)s: a go-live date needs the acquisition date.",
                asset=name,
            )
        if self.opening_date < self.acquisition_date:
            return self.env._(
                "Asset %(asset)s: the go-live date %(date)s is before the "
                "acquisition on %(acquired)s.",
                asset=name,
                date=format_date(self.env, self.opening_date),
                acquired=format_date(self.env, self.acquisition_date),
            )
        if self.opening_date == self.acquisition_date and not currency.is_zero(
            accumulated
        ):
            return self.env._(
                "Asset %(asset)s: nothing can be depreciated before the go-live "
                "date when it is the acquisition date.",
                asset=name,
            )
        excess = self._get_opening_excess(accumulated, currency)
        if excess:
            return self.env._(
                "Asset %(asset)s: the accumulated depreciation at go-live "
                "(%(accumulated)s) exceeds the depreciable value (original value "
                "less salvage value: %(base)s).",
                asset=name,
                **excess,
            )
        return ""

    def _get_opening_excess(self, accumulated, currency):
        """``{"accumulated", "base"}``, the two amounts formatted, when an
        accumulated depreciation at go-live exceeds the depreciable value (the
        original value less the salvage value); else ``{}``."""
        base = currency.round(self.original_value - self.salvage_value)
        if currency.compare_amounts(accumulated, base) <= 0:
            return {}
        return {
            "accumulated": format_amount(self.env, accumulated, currency),
            "base": format_amount(self.env, base, currency),
        }

    def _get_analytic_problem(self):
        """Why the analytic distribution of the asset cannot go on its entries,
        or ''."""
        self.ensure_one()
        distribution = self.analytic_distribution
        name = self.display_name
        if not isinstance(distribution, dict):
            return self.env._(
                "Asset %(asset)s: the analytic distribution is not readable.",
                asset=name,
            )
        account_model = self.env["account.analytic.account"].sudo()
        by_plan = defaultdict(float)
        for key, percentage in distribution.items():
            ids = [int(part) for part in str(key).split(",") if part.isdigit()]
            accounts = account_model.browse(ids).exists()
            if (
                not ids
                or len(accounts) != len(ids)
                or (
                    not isinstance(percentage, int | float)
                    or isinstance(percentage, bool)
                )
            ):
                return self.env._(
                    "Asset %(asset)s: the analytic distribution names unknown "
                    "analytic accounts or a percentage that is not a number.",
                    asset=name,
                )
            foreign = accounts.filtered(
                lambda account: account.company_id
                and account.company_id not in self.company_id.parent_ids
            )
            if foreign:
                return self.env._(
                    "Asset %(asset)s: the analytic account %(account)s belongs to "
                    "%(company)s, not to the asset's company.",
                    asset=name,
                    account=foreign[0].display_name,
                    company=foreign[0].company_id.display_name,
                )
            for plan in accounts.root_plan_id:
                by_plan[plan] += percentage
        precision = self.env["decimal.precision"].precision_get("Percentage Analytic")
        for plan, total in by_plan.items():
            if float_compare(total, 100, precision_digits=precision) > 0:
                return self.env._(
                    "Asset %(asset)s: the analytic plan %(plan)s is distributed "
                    "over %(total)s %%, more than 100 %%.",
                    asset=name,
                    plan=plan.display_name,
                    total=round(total, precision),
                )
        try:
            self.with_context(validate_analytic=True)._validate_distribution(
                business_domain="general",
                account=self.category_id.sudo().account_depreciation_expense_id.id,
                company_id=self.company_id.id,
            )
        except ValidationError:
            return self.env._(
                "Asset %(asset)s: an analytic plan is mandatory on miscellaneous "
                "entries; distribute 100 %% of it.",
                asset=name,
            )
        return ""

    def _get_opening_lines(self, changes, company_info):
        """The already depreciated periods of the asset taken over at go-live,
        as ``PostedLine``: the periods of its board (computed without any posted
        line) ending before the go-live date, sharing the accumulated
        depreciation in proportion to their amounts (the last absorbs the
        rounding). None ending before it: one line the day before go-live. The
        last line moves to the day before the go-live period when the board
        ends earlier, so that what is left is depreciated in that period."""
        self.ensure_one()
        if not self.opening_date:
            return []
        params = self._get_board_params((), changes, company_info)
        if params is None:
            return []
        return self._spread_opening(
            params, self.opening_depreciation, self._compute_engine_board
        )

    def _spread_opening(self, params, accumulated, compute):
        """The periods of the board ``compute(params)`` (computed without any
        posted line) ending before the go-live date, sharing ``accumulated`` as
        ``PostedLine`` (see ``_get_opening_lines``; the tax book shares its own
        accumulated amount the same way)."""
        step = Fraction(str(params.rounding))
        total = int(Fraction(str(accumulated)) / step + Fraction(1, 2))
        reference = compute(params)
        past = [line for line in reference if line.date < self.opening_date]
        weights = [int(Fraction(str(line.amount)) / step) for line in past]
        whole = sum(weights)
        if not past or not whole:
            if not total:
                return []
            days = [past[-1].date] if past else []
            days.append(self.opening_date - timedelta(days=1))
            return [PostedLine(max(days), float(total * step))]
        lines, done, cumulated = [], 0, 0
        for line, weight in zip(past, weights, strict=True):
            cumulated += weight
            upto = (2 * total * cumulated + whole) // (2 * whole)
            lines.append(PostedLine(line.date, float((upto - done) * step)))
            done = upto
        if len(past) == len(reference) and total < sum(
            int(Fraction(str(line.amount)) / step) for line in reference
        ):
            before_go_live = period_start(
                self.opening_date,
                params.method_period,
                params.fy_end_month,
                params.fy_end_day,
            ) - timedelta(days=1)
            if before_go_live > lines[-1].date:
                lines[-1] = PostedLine(before_go_live, lines[-1].amount)
        return lines

    def _is_register_ready(self):
        """Whether the asset has what its depreciation board needs."""
        self.ensure_one()
        return bool(
            self.ownership == "company"
            and self.acquisition_date
            and self.original_value > 0
            and self.method_number > 0
        )

    def _sum_by_asset(self, line_model, fname, domain):
        """``{asset id: sum of fname}`` of the ``line_model`` lines of the saved
        assets of ``self`` within ``domain`` (the register's own lines, read as
        superuser), in one grouped read."""
        ids = [asset_id for asset_id in self._origin.ids if asset_id]
        if not ids:
            return {}
        groups = (
            self.env[line_model]
            .sudo()
            ._read_group(
                [("asset_id", "in", ids), *domain], ["asset_id"], [f"{fname}:sum"]
            )
        )
        return {asset.id: total for asset, total in groups}

    def _get_ids_with_lines(self, posted_only=False):
        """Ids of the assets of ``self`` that have depreciation lines (posted ones
        only with ``posted_only``), in one query."""
        return self._get_ids_with("stock.asset.depreciation.line", posted_only)

    def _get_ids_with(self, line_model, posted_only=False):
        """Ids of the assets of ``self`` that have ``line_model`` lines (posted ones
        only with ``posted_only``), in one query."""
        ids = [asset_id for asset_id in self._origin.ids if asset_id]
        if not ids:
            return set()
        Line = self.env[line_model]
        Line.flush_model(["asset_id", "state"])
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT asset_id FROM %s WHERE asset_id = ANY(%s) %s",
                SQL.identifier(Line._table),
                ids,
                SQL("AND state = 'posted'") if posted_only else SQL(),
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _check_register_access(self, fnames):
        """Only asset accountants set the values the board is computed from."""
        touched = REGISTER_BOARD_FIELDS & set(fnames)
        if not touched or self.env.su:
            return
        if not self.env.user.has_group("stock_asset_tracking.group_asset_accountant"):
            raise AccessError(
                self.env._(
                    "Only asset register accountants can set the register values "
                    "of an asset (%(fields)s).",
                    fields=field_labels(self, sorted(touched)),
                )
            )

    def _check_register_analytic_access(self, vals):
        """Only asset accountants choose an analytic distribution; others may
        only keep the category's (the form proposes it with a new category)."""
        if self.env.su or self.env.user.has_group(
            "stock_asset_tracking.group_asset_accountant"
        ):
            return
        categories = self.env["stock.asset.category"]
        if "category_id" in vals:
            categories = categories.browse(vals["category_id"])
        wanted = vals["analytic_distribution"] or False
        for asset in self:
            category = categories if "category_id" in vals else asset.category_id
            if wanted != (category.analytic_distribution or False):
                raise AccessError(
                    self.env._(
                        "Only asset register accountants can change the analytic "
                        "distribution of asset %(code)s.",
                        code=asset.code,
                    )
                )

    def _check_register_write(self, vals):
        """Check a write of register values; return whether the boards follow."""
        touched = REGISTER_BOARD_FIELDS & vals.keys()
        if "analytic_distribution" in vals:
            self._check_register_analytic_access(vals)
        if "company_id" in vals and self._get_ids_with_lines():
            moved = self.filtered(
                lambda asset: asset.company_id.id != vals["company_id"]
            )
            if moved:
                raise UserError(
                    self.env._(
                        "Asset %(code)s has a depreciation board in the books of "
                        "its company: it cannot move to another company.",
                        code=moved[0].code,
                    )
                )
        if touched:
            self._check_register_access(touched)
            disposed = self.filtered(lambda asset: asset.state == "disposed")
            if disposed:
                raise UserError(
                    self.env._(
                        "Asset %(code)s is disposed of: its register values are "
                        "final.",
                        code=disposed[0].code,
                    )
                )
            frozen = self._get_ids_with_lines(posted_only=True)
            if frozen and not is_open(self.env, REGISTER_CHANGE_PATH):
                for asset in self.browse(frozen):
                    changed = [
                        fname
                        for fname in touched
                        if asset._fields[fname].convert_to_record(
                            asset._fields[fname].convert_to_cache(vals[fname], asset),
                            asset,
                        )
                        != asset[fname]
                    ]
                    if changed:
                        raise UserError(
                            self.env._(
                                "Asset %(code)s has posted depreciation: change its "
                                "value or useful life with Modify (revaluation, "
                                "impairment, pause, useful life).",
                                code=asset.code,
                            )
                        )
        return bool(touched) or "category_id" in vals

    def _on_register_write(self, vals):
        """Keep the lines' category in step and the existing boards up to date."""
        lines = self.env["stock.asset.depreciation.line"].sudo()
        if "category_id" in vals:
            lines.search([("asset_id", "in", self.ids)]).write(
                {"category_id": vals["category_id"]}
            )
        with_board = self.browse(self._get_ids_with_lines())
        if {"opening_date", "opening_depreciation"} & vals.keys():
            # taken over at go-live: the board shows it at once
            with_board |= self._get_opening_ready()
        if with_board:
            with_board._compute_depreciation_boards()

    def _get_opening_ready(self):
        """The assets of ``self`` taken over at go-live whose board can be
        computed."""
        return self.filtered(
            lambda asset: asset.opening_date and asset._is_register_ready()
        )

    def _compute_depreciation_boards(self):
        """Rebuild the draft lines of the boards of ``self`` in a few queries.

        Lines are read with one query, every board is computed by the plain-Python
        engine, draft lines whose values did not change are kept, and the rest is
        deleted in one ``unlink`` and created in one ``create``. Posted lines are
        passed to the engine, which keeps them and re-spreads what remains.
        """
        assets = self.filtered(lambda asset: asset.state != "disposed")
        if not assets:
            return
        lines_model = self.env["stock.asset.depreciation.line"].sudo()
        posted, drafts, with_move = assets._read_board_lines()
        changes = assets._get_board_changes()
        company_info = {
            company.id: (
                company.currency_id.rounding,
                int(company.fiscalyear_last_month),
                company.fiscalyear_last_day,
            )
            for company in assets.company_id
        }
        stale, rows, opening_rows = [], [], []
        for asset in assets:
            asset_drafts = drafts.pop(asset.id, {})
            opening = None
            if asset.id in posted:
                # once depreciation is posted, the periods taken over are history
                opening = [
                    PostedLine(day, row[1])
                    for day, row in sorted(asset_drafts.items())
                    if row[5] == "opening"
                ]
            board = asset._get_depreciation_board(
                posted.get(asset.id, ()),
                changes.get(asset.id),
                company_info[asset.company_id.id],
                opening=opening,
            )
            asset_stale, asset_rows, asset_opening = asset._get_board_draft_changes(
                board, asset_drafts
            )
            stale += asset_stale
            rows += asset_rows
            opening_rows += asset_opening
        if stale:
            # a depreciation entry reset to draft goes with its line
            held = lines_model.browse(
                [line_id for line_id in stale if line_id in with_move]
            )
            held.move_id.filtered(lambda move: move.state == "draft").unlink()
            lines_model.browse(stale)._delete_draft_lines()
        lines_model._insert_draft_lines(rows)
        lines_model._insert_draft_lines(opening_rows, state="opening")

    def _read_board_lines(self):
        """The depreciation lines of ``self`` in one query: ``(posted, drafts,
        with_move)``, i.e. ``{asset id: [PostedLine]}``, ``{asset id: {date:
        (line id, amount, cumulative, remaining, move id)}}`` and the ids of the
        draft lines that have an entry."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                SELECT asset_id, id, date, amount, cumulative_amount, remaining_value,
                       state, move_id
                  FROM stock_asset_depreciation_line
                 WHERE asset_id = ANY(%s)
              ORDER BY asset_id, date
                """,
                self.ids,
            )
        )
        posted = defaultdict(list)
        drafts = defaultdict(dict)
        with_move = set()
        for (
            asset_id,
            line_id,
            day,
            amount,
            cumul,
            remaining,
            state,
            move_id,
        ) in cr.fetchall():
            if state == "posted":
                posted[asset_id].append(PostedLine(day, amount))
            else:
                # draft and opening (already depreciated) lines follow the board
                drafts[asset_id][day] = (
                    line_id,
                    amount,
                    cumul,
                    remaining,
                    move_id,
                    state,
                )
                if move_id:
                    with_move.add(line_id)
        return posted, drafts, with_move

    def _get_board_draft_changes(self, board, drafts):
        """``(stale line ids, rows to insert, opening rows to insert)`` that turn
        the asset's draft and opening lines ``drafts`` (``{date: (line id,
        amount, cumulative, remaining, move id, state)}``, emptied) into the
        draft lines of ``board`` and its periods already depreciated at go-live
        (posted board lines dated before the go-live date); a line whose values
        did not change is kept."""
        # an asset without category has lines without category (NULL, not False)
        company_id, category_id = self.company_id.id, self.category_id.id or None
        opening_date = self.opening_date
        stale, rows, opening_rows = [], [], []
        for line in board:
            opening = bool(line.posted and opening_date and line.date < opening_date)
            if line.posted and not opening:
                continue
            state = "opening" if opening else "draft"
            row = drafts.pop(line.date, None)
            if row:
                if (
                    row[1:4]
                    == (
                        line.amount,
                        line.cumulative_amount,
                        line.remaining_value,
                    )
                    and row[5] == state
                ):
                    continue
                stale.append(row[0])
            (opening_rows if opening else rows).append(
                (
                    self.id,
                    company_id,
                    category_id,
                    line.date,
                    line.amount,
                    line.cumulative_amount,
                    line.remaining_value,
                )
            )
        stale.extend(row[0] for row in drafts.values())
        return stale, rows, opening_rows

    def _get_board_changes(self):
        """{asset id: (value changes, closed pauses, start of the open pause,
        closed pauses as (pause date, resume date))}"""
        self.env["stock.asset.register.change"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT asset_id, kind, date, amount, months, resume_date
                  FROM stock_asset_register_change
                 WHERE asset_id = ANY(%s)
                   AND kind IN ('revaluation', 'impairment', 'pause')
              ORDER BY asset_id, date, id
                """,
                self.ids,
            )
        )
        changes = {}
        for asset_id, kind, day, amount, months, resume_date in self.env.cr.fetchall():
            value_changes, pauses, open_pause, spans = changes.get(
                asset_id, ([], [], None, [])
            )
            if kind == "pause":
                if resume_date:
                    pauses.append(Pause(day, months))
                    spans.append((day, resume_date))
                else:
                    open_pause = day
            else:
                value_changes.append(ValueChange(day, amount))
            changes[asset_id] = (value_changes, pauses, open_pause, spans)
        return changes

    def _get_board_params(self, posted, changes, company_info):
        """The engine's ``BoardParams`` of the asset, or None when it has no board."""
        self.ensure_one()
        if not self._is_register_ready():
            return None
        value_changes, pauses = changes[:2] if changes else ((), ())
        rounding, fy_end_month, fy_end_day = company_info
        return BoardParams(
            acquisition_date=self.acquisition_date,
            original_value=self.original_value,
            salvage_value=self.salvage_value,
            method=self.method,
            method_number=self.method_number,
            method_period=int(self.method_period),
            degressive_factor=self.degressive_factor,
            prorata=self.prorata,
            rounding=rounding,
            fy_end_month=fy_end_month,
            fy_end_day=fy_end_day,
            posted=tuple(posted),
            value_changes=tuple(value_changes),
            pauses=tuple(pauses),
        )

    def _get_depreciation_board(self, posted, changes, company_info, opening=None):
        """The engine's board of the asset; an open pause cuts it at its period.
        The periods already depreciated at go-live (``opening``, else
        ``_get_opening_lines``) come first, as posted lines dated before the
        go-live date."""
        if opening is None:
            opening = self._get_opening_lines(changes, company_info)
        params = self._get_board_params((*opening, *posted), changes, company_info)
        if params is None:
            return []
        board = self._compute_engine_board(params)
        return self._cut_at_open_pause(board, params, changes)

    @api.model
    def _cut_at_open_pause(self, board, params, changes):
        """``board`` without its draft lines from the period of the open pause of
        ``changes`` on (the accounting and the tax boards alike)."""
        open_pause = changes and changes[2]
        if not open_pause:
            return board
        stop = period_end(
            open_pause, params.method_period, params.fy_end_month, params.fy_end_day
        )
        return [line for line in board if line.posted or line.date < stop]

    def _compute_engine_board(self, params):
        """``compute_board(params)``, its refusals as a UserError naming the
        asset."""
        self.ensure_one()
        try:
            return compute_board(params)
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Cannot compute the depreciation board of asset %(code)s: "
                    "%(error)s",
                    code=self.code,
                    error=str(error),
                )
            ) from None

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import Template for the Fixed-Asset Register"),
                "template": "/stock_asset_tracking/static/xls/"
                "stock_asset_register_import.xlsx",
            }
        ]

    def _get_register_entries_domain(self):
        self.ensure_one()
        return [
            "|",
            ("asset_id", "=", self.id),
            ("asset_depreciation_line_ids.asset_id", "=", self.id),
        ]

    @api.model
    def _action_view_moves(self, moves, name):
        action = {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "name": name,
            "domain": [("id", "in", moves.ids)],
            "context": {"create": False},
        }
        if len(moves) == 1:
            action.update(view_mode="form", views=[(False, "form")], res_id=moves.id)
        else:
            action.update(
                view_mode="list,form", views=[(False, "list"), (False, "form")]
            )
        return action

    def _check_register_running(self):
        """The asset is in the register and not disposed of."""
        self.ensure_one()
        if self.state == "disposed":
            raise UserError(
                self.env._("Asset %(code)s is already disposed of.", code=self.code)
            )
        if not self._is_register_ready():
            raise UserError(
                self.env._(
                    "Asset %(code)s is not in the register yet: set its acquisition "
                    "date and original value.",
                    code=self.code,
                )
            )

    def _check_register_accounts(self, fnames):
        """Raise unless the asset's category sets the journal and accounts named."""
        self.ensure_one()
        category = self.category_id.sudo()
        missing = [fname for fname in fnames if not category[fname]]
        if missing:
            raise UserError(
                self.env._(
                    "Set %(fields)s on the category of asset %(code)s first.",
                    fields=field_labels(category, missing),
                    code=self.code,
                )
            )
        if category.journal_id.company_id != self.company_id:
            raise UserError(
                self.env._(
                    "The register journal of category %(category)s belongs to "
                    "another company than asset %(code)s.",
                    category=category.name,
                    code=self.code,
                )
            )

    def _check_register_lock(self, day, journal, what):
        self.ensure_one()
        violated = self.company_id._get_violated_lock_dates(day, False, journal)
        if violated:
            raise UserError(
                self.env._(
                    "Cannot record the %(what)s of asset %(code)s on %(date)s: the "
                    "period is locked (%(locks)s).",
                    what=what,
                    code=self.code,
                    date=format_date(self.env, day),
                    locks=self.env["res.company"]._format_lock_dates(violated),
                )
            )

    def _check_after_opening(self, day, what):
        """Raise when ``day`` is before the go-live date: the former register
        kept the asset then."""
        self.ensure_one()
        if self.opening_date and day < self.opening_date:
            raise UserError(
                self.env._(
                    "Asset %(code)s went live in this register on %(date)s: record "
                    "its %(what)s on or after that date.",
                    code=self.code,
                    date=format_date(self.env, self.opening_date),
                    what=what,
                )
            )

    def _last_posted_date(self):
        """The last period posted, or already depreciated at go-live."""
        self.ensure_one()
        posted = self.depreciation_line_ids.filtered(lambda line: line.state != "draft")
        return max(posted.mapped("date")) if posted else None

    def _post_register_entry(self, day, ref, line_vals):
        """Create and post a register entry of the asset (as superuser: asset
        accountants need no Invoicing rights; callers checked their access)."""
        self.ensure_one()
        move = (
            self.env["account.move"]
            .sudo()
            .create(
                {
                    "move_type": "entry",
                    "journal_id": self.category_id.sudo().journal_id.id,
                    "date": day,
                    "ref": ref,
                    "asset_id": self.id,
                    "line_ids": [
                        Command.create({"name": ref, **vals}) for vals in line_vals
                    ],
                }
            )
        )
        move._post(soft=False)
        return move.sudo(False)

    def _register_trace(self, body):
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    # Changes during life
    def _register_value_change(self, kind, day, amount, account, note=False):
        """Revalue (``kind`` 'revaluation', ``amount`` signed) or impair (``kind``
        'impairment', ``amount`` the positive loss of value) the asset on ``day``:
        a journal entry against ``account``, then the remaining board follows.

        A little over 80 lines: the checks, the entry and the register change are
        one accounting operation that must read top to bottom in this order."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("create")
        self._check_register_running()
        currency = self.currency_id
        amount = currency.round(amount)
        if currency.is_zero(amount) or (kind == "impairment" and amount < 0):
            raise UserError(
                self.env._("Give the amount of the change (an impairment is positive).")
            )
        if day < self.acquisition_date:
            raise UserError(
                self.env._(
                    "A change of asset %(code)s cannot precede its acquisition.",
                    code=self.code,
                )
            )
        self._check_after_opening(day, self.env._("change"))
        delta = amount if kind == "revaluation" else -amount
        if delta < 0 and currency.compare_amounts(-delta, self.value_residual) > 0:
            raise UserError(
                self.env._(
                    "The decrease of %(amount)s exceeds the %(left)s left to "
                    "depreciate on asset %(code)s.",
                    amount=format_amount(self.env, -delta, currency),
                    left=format_amount(self.env, self.value_residual, currency),
                    code=self.code,
                )
            )
        main_account = (
            "account_asset_id" if kind == "revaluation" else "account_depreciation_id"
        )
        self._check_register_accounts(("journal_id", main_account))
        if not account:
            raise UserError(self.env._("Choose the counterpart account of the change."))
        kind_label = dict(
            self.env["stock.asset.register.change"]
            ._fields["kind"]
            ._description_selection(self.env)
        )[kind]
        self._check_register_lock(day, self.category_id.sudo().journal_id, kind_label)
        before = self.book_value
        change = self.env["stock.asset.register.change"].create(
            {
                "asset_id": self.id,
                "kind": kind,
                "date": day,
                "amount": delta,
                "account_id": account.id,
                "note": note,
            }
        )
        self._compute_depreciation_boards()
        move = self._post_register_entry(
            day,
            self.env._("%(kind)s of %(asset)s", kind=kind_label, asset=self.code),
            [
                {
                    "account_id": self.category_id.sudo()[main_account].id,
                    "balance": delta,
                },
                {"account_id": account.id, "balance": -delta},
            ],
        )
        change.move_id = move
        self._register_trace(
            self.env._(
                "%(kind)s of %(amount)s on %(date)s: book value %(before)s, now "
                "%(after)s; the remaining board was recomputed. %(note)s",
                kind=kind_label,
                amount=format_amount(self.env, delta, currency),
                date=format_date(self.env, day),
                before=format_amount(self.env, before, currency),
                after=format_amount(self.env, self.book_value, currency),
                note=note or "",
            )
        )
        return change

    def _register_pause(self, day, note=False):
        """Suspend depreciation from the period containing ``day``."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("create")
        self._check_register_running()
        if self.depreciation_paused:
            raise UserError(
                self.env._(
                    "Depreciation of %(code)s is already paused.", code=self.code
                )
            )
        months = int(self.method_period)
        company = self.company_id
        fy = (int(company.fiscalyear_last_month), company.fiscalyear_last_day)
        last_posted = self._last_posted_date()
        if day < self.acquisition_date or (
            last_posted and period_end(day, months, *fy) <= last_posted
        ):
            raise UserError(
                self.env._(
                    "Asset %(code)s is depreciated up to %(date)s: pause it in a "
                    "later period.",
                    code=self.code,
                    date=format_date(self.env, last_posted or self.acquisition_date),
                )
            )
        change = self.env["stock.asset.register.change"].create(
            {"asset_id": self.id, "kind": "pause", "date": day, "note": note}
        )
        self._compute_depreciation_boards()
        self._register_trace(
            self.env._(
                "Depreciation paused from the period of %(date)s. %(note)s",
                date=format_date(self.env, day),
                note=note or "",
            )
        )
        return change

    def _register_resume(self, day, note=False):
        """Resume depreciation in the period containing ``day``: the periods from
        the pause's one up to this one are skipped, the board ends that much later."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("write")
        pause = self.register_change_ids.filtered(
            lambda change: change.kind == "pause" and not change.resume_date
        )[:1]
        if not pause or self.state == "disposed":
            raise UserError(
                self.env._("Depreciation of %(code)s is not paused.", code=self.code)
            )
        if day < pause.date:
            raise UserError(
                self.env._("Resume the depreciation on or after its pause.")
            )
        company = self.company_id
        fy = (int(company.fiscalyear_last_month), company.fiscalyear_last_day)
        skipped = _paused_months(pause.date, day, int(self.method_period), fy)
        if skipped:
            pause.write({"months": skipped, "resume_date": day})
        else:
            pause.unlink()
        self._compute_depreciation_boards()
        self._register_trace(
            self.env._(
                "Depreciation resumed on %(date)s: %(months)s month(s) skipped; the "
                "board ends that much later. %(note)s",
                date=format_date(self.env, day),
                months=skipped,
                note=note or "",
            )
        )
        return True

    def _register_useful_life(self, method_number, note=False):
        """Change the number of periods; the rest is re-spread over the new
        remaining periods (the whole rest in the next period when none is left)."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("create")
        self._check_register_running()
        before = self.method_number
        if method_number < 1 or method_number == before:
            raise UserError(
                self.env._(
                    "Give a new number of periods for asset %(code)s (now %(n)s).",
                    code=self.code,
                    n=before,
                )
            )
        change = self.env["stock.asset.register.change"].create(
            {
                "asset_id": self.id,
                "kind": "useful_life",
                "date": fields.Date.context_today(self),
                "method_number_before": before,
                "method_number_after": method_number,
                "note": note,
            }
        )
        with private_path(self.env, REGISTER_CHANGE_PATH):
            self.write({"method_number": method_number})
        self._compute_depreciation_boards()
        self._register_trace(
            self.env._(
                "Useful life changed from %(before)s to %(after)s periods; the "
                "remaining board was recomputed. %(note)s",
                before=before,
                after=method_number,
                note=note or "",
            )
        )
        return change

    # Disposal
    def _dispose(
        self,
        day,
        disposal_type,
        proceeds=0.0,
        proceeds_account=None,
        invoice_lines=None,
        note=False,
    ):
        """Dispose of the asset on ``day`` by sale or scrap: depreciation up to
        ``day`` (the last period prorated by days), a removal entry that clears cost
        and accumulated depreciation against the proceeds and books the gain or
        loss, the board stops and the asset is ``disposed``. Returns the entry."""
        self.ensure_one()
        self.env["stock.asset.depreciation.line"].check_access("write")
        if self.state == "disposed":
            raise UserError(
                self.env._("Asset %(code)s is already disposed of.", code=self.code)
            )
        proceeds, invoice_lines = self._get_disposal_proceeds(
            disposal_type, proceeds, invoice_lines
        )
        move = self.env["account.move"]
        in_register = self._is_register_ready() or self._get_ids_with_lines(
            posted_only=True
        )
        if in_register:
            self._check_disposal(day, proceeds, proceeds_account, invoice_lines)
            self._depreciate_until(day)
            move = self._post_register_entry(
                day,
                self.env._("Disposal of %(asset)s", asset=self.code),
                self._prepare_disposal_lines(proceeds, proceeds_account, invoice_lines),
            )
        self._write_state(
            {
                "state": "disposed",
                "disposal_date": day,
                "disposal_type": disposal_type,
                "disposal_proceeds": proceeds,
                "disposal_move_id": move.id,
            }
        )
        self.activity_feedback(
            ["stock_asset_tracking.mail_activity_type_asset_disposal"]
        )
        type_label = dict(
            self._fields["disposal_type"]._description_selection(self.env)
        )
        self._register_trace(
            self.env._(
                "Disposed of on %(date)s (%(type)s, proceeds %(proceeds)s). %(note)s",
                date=format_date(self.env, day),
                type=type_label[disposal_type],
                proceeds=format_amount(self.env, proceeds, self.currency_id),
                note=note or "",
            )
        )
        return move

    def _get_disposal_proceeds(self, disposal_type, proceeds, invoice_lines):
        """``(proceeds, invoice lines)`` of a disposal: none for a scrap, else
        the balance of the invoice lines (posted customer invoices of the asset's
        company) when given, else ``proceeds``; rounded, never negative."""
        invoice_lines = invoice_lines or self.env["account.move.line"]
        if disposal_type == "scrap":
            proceeds, invoice_lines = 0.0, self.env["account.move.line"]
        elif invoice_lines:
            wrong = invoice_lines.filtered(
                lambda line: line.move_id.move_type != "out_invoice"
                or line.parent_state != "posted"
                or line.company_id != self.company_id
            )
            if wrong:
                raise UserError(
                    self.env._(
                        "The proceeds of a sale come from posted customer invoices "
                        "of the asset's company."
                    )
                )
            proceeds = -sum(invoice_lines.mapped("balance"))
        proceeds = self.currency_id.round(proceeds or 0.0)
        if proceeds < 0:
            raise UserError(self.env._("The proceeds of a sale cannot be negative."))
        return proceeds, invoice_lines

    def _check_disposal(self, day, proceeds, proceeds_account, invoice_lines):
        """Raise unless the register can book the disposal on ``day``: not before
        the acquisition, accounts set, an account for proceeds not invoiced, the
        period open and no register change after ``day``."""
        if day < self.acquisition_date:
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot be disposed of before its acquisition "
                    "on %(date)s.",
                    code=self.code,
                    date=format_date(self.env, self.acquisition_date),
                )
            )
        self._check_after_opening(day, self.env._("disposal"))
        self._check_register_accounts(
            (
                "journal_id",
                "account_asset_id",
                "account_depreciation_id",
                "account_gain_id",
                "account_loss_id",
            )
        )
        if proceeds and not invoice_lines and not proceeds_account:
            raise UserError(
                self.env._("Choose the account that receives the sale proceeds.")
            )
        self._check_register_lock(
            day, self.category_id.sudo().journal_id, self.env._("disposal")
        )
        later = self.register_change_ids.filtered(lambda change: change.date > day)
        if later:
            raise UserError(
                self.env._(
                    "Asset %(code)s has changes after %(date)s.",
                    code=self.code,
                    date=format_date(self.env, day),
                )
            )

    def _check_depreciated_until(self, posted, day, action):
        """Raise unless the last of the ``posted`` lines (posted, or already
        depreciated at go-live; by date) is dated on or before ``day``:
        ``action`` (e.g. "dispose of it") must happen on or after it."""
        if posted and posted[-1].date > day:
            raise UserError(
                self.env._(
                    "Asset %(code)s is depreciated up to %(date)s: %(action)s on or "
                    "after that date.",
                    code=self.code,
                    date=format_date(self.env, posted[-1].date),
                    action=action,
                )
            )

    def _depreciate_until(self, day):
        """Post the depreciation up to ``day``: the due lines, then the period
        containing ``day`` prorated by days; drop the lines after it."""
        self.ensure_one()
        self._compute_depreciation_boards()
        lines = self.depreciation_line_ids.sorted("date")
        # posted, or already depreciated at go-live
        posted = lines.filtered(lambda line: line.state != "draft")
        self._check_depreciated_until(posted, day, self.env._("dispose of it"))
        drafts = lines - posted
        due = drafts.filtered(lambda line: line.date <= day)
        current = (drafts - due)[:1]
        dropped = drafts - due
        final_vals = None
        if current:
            company = self.company_id
            start = max(
                period_start(
                    current.date,
                    int(self.method_period),
                    int(company.fiscalyear_last_month),
                    company.fiscalyear_last_day,
                ),
                self.acquisition_date,
            )
            amount = _prorate(
                current.amount,
                (day - start).days + 1,
                (current.date - start).days + 1,
                self.currency_id.rounding,
            )
            if amount:
                final_vals = {
                    "asset_id": self.id,
                    "company_id": self.company_id.id,
                    "category_id": self.category_id.id,
                    "date": day,
                    "amount": amount,
                    "cumulative_amount": current.cumulative_amount
                    - current.amount
                    + amount,
                    "remaining_value": current.remaining_value
                    + current.amount
                    - amount,
                }
        lines_model = self.env["stock.asset.depreciation.line"].sudo()
        if dropped:
            dropped.move_id.filtered(lambda move: move.state == "draft").sudo().unlink()
            dropped.sudo().unlink()
        if final_vals:
            due |= lines_model.create(final_vals).sudo(False)
        due._post_depreciation()

    def _prepare_disposal_lines(self, proceeds, proceeds_account, invoice_lines):
        """Lines of the removal entry: cost out, accumulated depreciation out,
        proceeds in, the difference to gain or loss."""
        self.ensure_one()
        self.invalidate_recordset(["depreciated_value"])
        category = self.category_id.sudo()
        currency = self.currency_id
        changes = self.register_change_ids
        cost = currency.round(
            self.original_value
            + sum(changes.filtered(lambda c: c.kind == "revaluation").mapped("amount"))
        )
        accumulated = currency.round(
            self.depreciated_value
            - sum(changes.filtered(lambda c: c.kind == "impairment").mapped("amount"))
        )
        lines = [
            {"account_id": category.account_asset_id.id, "balance": -cost},
            {"account_id": category.account_depreciation_id.id, "balance": accumulated},
        ]
        for line in invoice_lines:
            lines.append(
                {
                    "account_id": line.account_id.id,
                    "balance": -line.balance,
                    "name": line.move_id.name,
                }
            )
        if proceeds and not invoice_lines:
            lines.append({"account_id": proceeds_account.id, "balance": proceeds})
        result = currency.round(cost - accumulated - proceeds)
        if result:
            account = (
                category.account_loss_id if result > 0 else category.account_gain_id
            )
            lines.append({"account_id": account.id, "balance": result})
        distribution = self.analytic_distribution or False
        return [
            {**vals, "analytic_distribution": distribution}
            for vals in lines
            if not currency.is_zero(vals["balance"])
        ]

    def _propose_disposal(self, reason):
        """An activity for the accountant: dispose of the company-owned assets of
        ``self`` that left the company's stock."""
        activity_type = self.env.ref(
            "stock_asset_tracking.mail_activity_type_asset_disposal"
        )
        assets = self.filtered(
            lambda asset: asset.ownership == "company"
            and asset.state != "disposed"
            and activity_type not in asset.activity_ids.activity_type_id
        )
        for asset in assets:
            asset.activity_schedule(
                "stock_asset_tracking.mail_activity_type_asset_disposal",
                summary=self.env._("Dispose of %(asset)s", asset=asset.code),
                note=reason,
                user_id=asset._get_register_accountant().id,
            )
        return assets

    def _get_register_accountant(self):
        """The user who keeps the register of the asset's company."""
        self.ensure_one()
        accountants = (
            self.env.ref("stock_asset_tracking.group_asset_accountant")
            .sudo()
            .users.filtered(
                lambda user: not user.share
                and not user._is_superuser()
                and self.company_id in user.company_ids
            )
        )
        if self.user_id in accountants:
            return self.user_id
        return accountants.sorted("id")[:1] or self.env.user

    # Acquisition
    @api.model
    def _register_from_bill_lines(self, bill_lines):
        """Register the fixed assets of posted vendor bill lines whose product's
        category registers from documents: one asset per unit for serial-tracked
        products (a receipt links the serials later), one per line otherwise; the
        value is the line's, in company currency. Assets already received for the
        product (``acquisition_origin`` receipt) take the bill's value first.
        Lines that already have assets are skipped, so reposting adds nothing."""
        assets = self.sudo().with_context(active_test=False)
        done = set(
            assets.search([("invoice_line_id", "in", bill_lines.ids)])
            .mapped("invoice_line_id")
            .ids
        )
        updated, vals_list = assets.browse(), []
        for line in bill_lines:
            company = line.company_id
            product = line.product_id.with_company(company)
            category = product.asset_category_id
            if (
                line.id in done
                or not category.register_from_documents
                or company.currency_id.compare_amounts(line.balance, 0) <= 0
            ):
                continue
            units = 1
            if product.tracking == "serial":
                quantity = line.product_uom_id._compute_quantity(
                    line.quantity, product.uom_id
                )
                if quantity >= 1 and float(quantity).is_integer():
                    units = int(quantity)
            values = _split_amount(line.balance, units, company.currency_id)
            pending = assets.search(
                [
                    ("product_id", "=", product.id),
                    ("company_id", "=", company.id),
                    ("acquisition_origin", "=", "receipt"),
                    ("invoice_line_id", "=", False),
                    ("state", "!=", "disposed"),
                ],
                order="id",
                limit=units,
            )
            for asset, value in zip(pending, values, strict=False):
                with private_path(self.env, REGISTER_CHANGE_PATH):
                    asset.write({"original_value": value, "invoice_line_id": line.id})
            updated |= pending
            vals_list += [
                {
                    "name": product.display_name,
                    "product_id": product.id,
                    "category_id": category.id,
                    "company_id": company.id,
                    "acquisition_date": line.date,
                    "original_value": value,
                    "invoice_line_id": line.id,
                    "acquisition_origin": "bill",
                }
                for value in values[len(pending) :]
            ]
        created = assets.create(vals_list)
        (updated | created)._compute_depreciation_boards()
        for asset in updated | created:
            asset._register_trace(
                self.env._(
                    "Registered from vendor bill %(bill)s at %(value)s.",
                    bill=asset.invoice_line_id.move_id.name,
                    value=format_amount(
                        self.env, asset.original_value, asset.currency_id
                    ),
                )
            )
        return updated | created

    @api.model
    def _register_from_receipt(self, move_lines):
        """Register the serials received by ``move_lines`` (done, from a vendor):
        link them to the assets a vendor bill registered without serials, or
        register new assets at the move's unit cost until the bill gives its."""
        assets = self.sudo().with_context(active_test=False)
        lines = move_lines.filtered(
            lambda line: line.lot_id
            and line.product_id.tracking == "serial"
            and line.product_id.with_company(
                line.company_id
            ).asset_category_id.register_from_documents
        )
        if not lines:
            return assets
        known = set(assets.search([("lot_id", "in", lines.lot_id.ids)]).lot_id.ids)
        pending = defaultdict(list)
        for asset in assets.search(
            [
                ("product_id", "in", lines.product_id.ids),
                ("company_id", "in", lines.company_id.ids),
                ("acquisition_origin", "=", "bill"),
                ("lot_id", "=", False),
                ("state", "!=", "disposed"),
            ],
            order="id",
        ):
            pending[(asset.product_id.id, asset.company_id.id)].append(asset)
        linked, vals_list = assets.browse(), []
        for line in lines:
            if line.lot_id.id in known:
                continue
            known.add(line.lot_id.id)
            company = line.company_id
            waiting = pending[(line.product_id.id, company.id)]
            if waiting:
                asset = waiting.pop(0)
                asset.write(
                    {"lot_id": line.lot_id.id, "location_id": line.location_dest_id.id}
                )
                linked |= asset
                continue
            product = line.product_id.with_company(company)
            move = line.move_id
            vals_list.append(
                {
                    "name": product.display_name,
                    "product_id": product.id,
                    "lot_id": line.lot_id.id,
                    "category_id": product.asset_category_id.id,
                    "company_id": company.id,
                    "location_id": line.location_dest_id.id,
                    "acquisition_date": fields.Date.context_today(self, line.date),
                    "original_value": company.currency_id.round(
                        abs(move.price_unit) or product.standard_price
                    ),
                    "acquisition_origin": "receipt",
                }
            )
        created = assets.create(vals_list)
        created._compute_depreciation_boards()
        return linked | created


class RegisterImportBatchError(Exception):
    """A row of an import batch was refused: Odoo's import retries row by row."""


def _split_amount(total, parts, currency):
    """``total`` in ``parts`` rounded amounts; the last one absorbs the rounding."""
    unit = currency.round(total / parts)
    return [unit] * (parts - 1) + [currency.round(total - unit * (parts - 1))]


def _prorate(amount, days, period_days, rounding):
    """``amount`` x ``days`` / ``period_days`` rounded half-up to ``rounding``,
    computed on exact decimals."""
    if days >= period_days:
        return amount
    step = Fraction(str(rounding))
    units = Fraction(str(amount)) * days / period_days / step
    return float(int(units + Fraction(1, 2)) * step)


def field_labels(record, fnames):
    """The labels of the fields ``fnames`` of ``record``'s model, in the user's
    language, joined by commas (for messages)."""
    return ", ".join(
        record._fields[fname]._description_string(record.env) for fname in fnames
    )


def _paused_months(start, resume, months, fy):
    """Months skipped by a pause from ``start`` resumed on ``resume`` on a board
    of ``months``-month periods (fiscal years ending on ``fy`` = (month, day)):
    the periods from the pause's one up to the one before the resume's, a whole
    number of periods."""
    first, last = period_end(start, months, *fy), period_end(resume, months, *fy)
    if months == 1:
        return (last.year * 12 + last.month) - (first.year * 12 + first.month)
    return (last.year - first.year) * 12
