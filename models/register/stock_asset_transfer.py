# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import Command, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

from ...tools.private_path import is_open, private_path
from .stock_asset import field_labels

# Private path (see tools/private_path.py): a transfer moves an asset with a
# board to another company, and keeps the posted lines in their category.
TRANSFER_PATH = "stock.asset.register_transfer"
# The board values a transfer keeps as they are (a new category would reset them)
TRANSFER_KEPT_FIELDS = (
    "method",
    "method_number",
    "method_period",
    "degressive_factor",
    "prorata",
)


class StockAsset(models.Model):
    """Transfers of a register asset: to another category of its company (the
    accounts change, the board continues) or to another company of the
    database (the same record moves; the giving company books it out at book
    value, the receiving one in, and continues the board)."""

    _inherit = "stock.asset"

    def _check_register_write(self, vals):
        """A transfer moves an asset with a board to another company; outside a
        transfer, an asset with posted depreciation keeps its category (its
        posted amounts are on the category's accounts)."""
        if is_open(self.env, TRANSFER_PATH):
            if "company_id" in vals:
                vals = {k: v for k, v in vals.items() if k != "company_id"}
        elif "category_id" in vals:
            moved = self.filtered(
                lambda asset: asset.category_id.id != (vals["category_id"] or False)
            )
            posted = moved._get_ids_with_lines(posted_only=True)
            if posted:
                asset = self.browse(min(posted))
                raise UserError(
                    self.env._(
                        "Asset %(code)s has depreciation posted in category "
                        "%(category)s: move it with Transfer, which books the "
                        "change of accounts.",
                        code=asset.code,
                        category=asset.category_id.display_name,
                    )
                )
        return super()._check_register_write(vals)

    def _on_register_write(self, vals):
        """During a transfer, only the draft lines follow the asset's new company
        and category: the posted ones stay where they were booked."""
        if not is_open(self.env, TRANSFER_PATH):
            return super()._on_register_write(vals)
        moved = {
            fname: vals[fname]
            for fname in ("company_id", "category_id")
            if fname in vals
        }
        if moved:
            self.env["stock.asset.depreciation.line"].sudo().search(
                [("asset_id", "in", self.ids), ("state", "=", "draft")]
            ).write(moved)
        self._compute_depreciation_boards()
        return None

    # Transfers -----------------------------------------------------------------
    def _transfer(
        self,
        day,
        category,
        company=None,
        location=None,
        account_out=None,
        account_in=None,
        note=False,
    ):
        """Transfer the asset on ``day`` to ``category`` (of ``company``, the
        asset's own unless told). Within the company, an entry reclassifies the
        cost and accumulated depreciation to the new category's accounts (none
        when they are the same). To another company, the giving company's entry
        removes cost and accumulated depreciation against ``account_out`` (the
        book value), the receiving company's adds them against ``account_in``;
        the asset moves to ``company`` and ``location``. The depreciation posted
        stays with the category and company that posted it; the board continues
        from it. Returns the register change recording the transfer."""
        self.ensure_one()
        self.env["stock.asset.register.change"].check_access("create")
        company = company or self.company_id
        self._check_transfer(day, category, company, location, account_out, account_in)
        # the asset is the receiving company's once moved: both companies stay
        # in reach for the rest of the transfer (the user belongs to both)
        companies = (self.env.companies | self.company_id | company).ids
        asset = self.with_context(allowed_company_ids=companies)
        return asset._transfer_checked(
            day, category.sudo(), company, location, account_out, account_in, note
        )

    def _transfer_checked(
        self, day, new_category, company, location, account_out, account_in, note
    ):
        """The transfer of ``_transfer``, its checks passed."""
        between_companies = company != self.company_id
        old_category = self.category_id.sudo()
        cost, accumulated = self._get_transfer_values()
        change = self.env["stock.asset.register.change"].create(
            {
                "asset_id": self.id,
                "kind": "transfer",
                "date": day,
                "note": note,
                "transfer_company_from_id": self.company_id.id,
                "transfer_company_to_id": company.id,
                "transfer_category_from_id": old_category.id,
                "transfer_category_to_id": new_category.id,
                "transfer_cost": cost,
                "transfer_depreciation": accumulated,
            }
        )
        ref = self.env._("Transfer of %(asset)s", asset=self.code)
        if between_companies:
            out_lines = [
                (old_category.account_asset_id, -cost),
                (old_category.account_depreciation_id, accumulated),
                (account_out, cost - accumulated),
            ]
        else:
            out_lines = [
                (old_category.account_asset_id, -cost),
                (new_category.account_asset_id, cost),
                (old_category.account_depreciation_id, accumulated),
                (new_category.account_depreciation_id, -accumulated),
            ]
        move_out = self._post_transfer_entry(
            old_category.journal_id, day, ref, out_lines
        )
        change.move_id = move_out
        old_company = self.company_id
        self._move_to(company, new_category, location)
        move_in = self.env["account.move"]
        if between_companies:
            move_in = self._post_transfer_entry(
                new_category.journal_id,
                day,
                ref,
                [
                    (new_category.account_asset_id, cost),
                    (new_category.account_depreciation_id, -accumulated),
                    (account_in, accumulated - cost),
                ],
            )
            change.transfer_move_in_id = move_in
        self._trace_transfer(change, old_company, old_category, move_out, move_in, note)
        return change

    def _get_transfer_values(self):
        """``(cost, accumulated depreciation)`` of the asset now: original value
        and revaluations; posted depreciation and impairments."""
        self.ensure_one()
        currency = self.currency_id
        self.invalidate_recordset(["depreciated_value"])
        changes = self.register_change_ids
        cost = self.original_value + sum(
            changes.filtered(lambda c: c.kind == "revaluation").mapped("amount")
        )
        accumulated = self.depreciated_value - sum(
            changes.filtered(lambda c: c.kind == "impairment").mapped("amount")
        )
        return currency.round(cost), currency.round(accumulated)

    def _check_transfer(
        self, day, category, company, location, account_out, account_in
    ):
        """Raise a UserError naming the asset and the rule unless it can be
        transferred on ``day`` to ``category`` of ``company``."""
        self.ensure_one()
        self._check_register_running()
        if not day or day < self.acquisition_date:
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot be transferred before its acquisition on "
                    "%(date)s.",
                    code=self.code,
                    date=format_date(self.env, self.acquisition_date),
                )
            )
        between_companies = company != self.company_id
        if between_companies:
            self._check_transfer_companies(company, location, account_out, account_in)
        elif category == self.category_id:
            raise UserError(
                self.env._(
                    "Asset %(code)s is already in category %(category)s: choose "
                    "another category or another company.",
                    code=self.code,
                    category=category.display_name,
                )
            )
        if not category or (category.company_id and category.company_id != company):
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot take category %(category)s: a transfer "
                    "goes to a category of the receiving company %(company)s.",
                    code=self.code,
                    category=category.display_name or "-",
                    company=company.display_name,
                )
            )
        problem = category._get_register_company_problem(company)
        if problem:
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot be transferred: %(problem)s",
                    code=self.code,
                    problem=problem,
                )
            )
        fnames = ("journal_id", "account_asset_id", "account_depreciation_id")
        self._check_register_accounts(fnames)
        missing = [fname for fname in fnames if not category.sudo()[fname]]
        if missing:
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot be transferred to category %(category)s: "
                    "set %(fields)s on it first.",
                    code=self.code,
                    category=category.display_name,
                    fields=field_labels(category, missing),
                )
            )
        self._check_transfer_board(day)
        what = self.env._("transfer")
        self._check_register_lock(day, self.category_id.sudo().journal_id, what)
        self._check_transfer_lock(day, category.sudo().journal_id, company)

    def _check_transfer_board(self, day):
        """The board is posted up to ``day`` and not beyond, and no change of
        the asset comes after it."""
        lines = (
            self.env["stock.asset.depreciation.line"]
            .sudo()
            .search([("asset_id", "=", self.id)], order="date")
        )
        # "opening": depreciated by a former register before go-live
        posted = lines.filtered(lambda line: line.state in ("posted", "opening"))
        self._check_depreciated_until(posted, day, self.env._("transfer it"))
        unposted = (lines - posted).filtered(
            lambda line: line.date <= day or line.move_id
        )
        if unposted:
            raise UserError(
                self.env._(
                    "Asset %(code)s has depreciation up to %(date)s not posted yet: "
                    "post it before transferring the asset on %(day)s.",
                    code=self.code,
                    date=format_date(self.env, unposted[-1].date),
                    day=format_date(self.env, day),
                )
            )
        later = self.register_change_ids.filtered(lambda change: change.date > day)
        if later:
            raise UserError(
                self.env._(
                    "Asset %(code)s has changes after %(date)s: transfer it on or "
                    "after its last change.",
                    code=self.code,
                    date=format_date(self.env, day),
                )
            )

    def _check_transfer_lock(self, day, journal, company):
        violated = company._get_violated_lock_dates(day, False, journal)
        if violated:
            raise UserError(
                self.env._(
                    "Cannot record the transfer of asset %(code)s into %(company)s "
                    "on %(date)s: the period is locked (%(locks)s).",
                    code=self.code,
                    company=company.display_name,
                    date=format_date(self.env, day),
                    locks=self.env["res.company"]._format_lock_dates(violated),
                )
            )

    def _check_transfer_companies(self, company, location, account_out, account_in):
        """A transfer to ``company``: the user works in both companies, the asset
        is in store, its tag, EPC and product can live in ``company``, and the
        location and transfer accounts are of the right companies."""
        self._check_transfer_parties(company)
        self._check_transfer_targets(company, location, account_out, account_in)

    def _check_transfer_parties(self, company):
        """The user works in both companies, which share the currency; the asset
        is in store and its product may live in ``company``."""
        user = self.env.user
        if not self.env.su and not (self.company_id | company) <= user.company_ids:
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot be transferred from %(giver)s to "
                    "%(receiver)s: you need access to both companies.",
                    code=self.code,
                    giver=self.company_id.display_name,
                    receiver=company.display_name,
                )
            )
        if company.currency_id != self.company_id.currency_id:
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot be transferred to %(company)s: its "
                    "currency %(currency)s is not the currency of the asset's values "
                    "(%(own)s).",
                    code=self.code,
                    company=company.display_name,
                    currency=company.currency_id.name,
                    own=self.company_id.currency_id.name,
                )
            )
        if self.holder_id:
            raise UserError(
                self.env._(
                    "Asset %(code)s is checked out to %(holder)s: check it in before "
                    "transferring it to another company.",
                    code=self.code,
                    holder=self.holder_id.display_name,
                )
            )
        if self.product_id.company_id and self.product_id.company_id != company:
            raise UserError(
                self.env._(
                    "Asset %(code)s is of product %(product)s, which belongs to "
                    "%(owner)s only: share the product between companies first.",
                    code=self.code,
                    product=self.product_id.display_name,
                    owner=self.product_id.company_id.display_name,
                )
            )

    def _check_transfer_targets(self, company, location, account_out, account_in):
        """The asset's tag and EPC are free in ``company``; the location and the
        transfer accounts are of the right companies."""
        Asset = self.sudo().with_context(active_test=False)
        taken = Asset.search_count(
            [("company_id", "=", company.id), ("code", "=", self.code)]
        ) or (
            self.epc
            and Asset.search_count(
                [("company_id", "=", company.id), ("epc", "=", self.epc)]
            )
        )
        if taken:
            raise UserError(
                self.env._(
                    "Asset %(code)s cannot keep its tag and EPC in %(company)s: an "
                    "asset of that company already has them.",
                    code=self.code,
                    company=company.display_name,
                )
            )
        if not location or (location.company_id and location.company_id != company):
            raise UserError(
                self.env._(
                    "Choose where asset %(code)s will be in %(company)s (a location "
                    "of that company).",
                    code=self.code,
                    company=company.display_name,
                )
            )
        for account, owner in ((account_out, self.company_id), (account_in, company)):
            if not account or not account.company_ids & owner.parent_ids:
                raise UserError(
                    self.env._(
                        "Choose the transfer account of %(company)s for asset "
                        "%(code)s (an account of %(company)s, such as an "
                        "inter-company account).",
                        code=self.code,
                        company=owner.display_name,
                    )
                )

    def _move_to(self, company, category, location):
        """Move the asset to ``category`` of ``company`` (and ``location``),
        keeping its board values; the serial number follows to the receiving
        company (shared between companies)."""
        vals = {"category_id": category.id}
        vals.update({fname: self[fname] for fname in TRANSFER_KEPT_FIELDS})
        if company != self.company_id:
            vals.update(company_id=company.id, location_id=location.id)
            lot = self.lot_id.sudo()
            if lot.company_id and lot.company_id != company:
                lot.company_id = False
        companies = (self.env.companies | self.company_id | company).ids
        with private_path(self.env, TRANSFER_PATH):
            self.with_context(allowed_company_ids=companies).write(vals)

    def _post_transfer_entry(self, journal, day, ref, lines):
        """Create and post a transfer entry in ``journal`` (``lines`` are
        ``(account, balance)``; zero lines and pairs on one account are merged
        away), or return an empty recordset when nothing moves."""
        self.ensure_one()
        currency = self.currency_id
        balances = {}
        for account, balance in lines:
            balances[account] = balances.get(account, 0.0) + balance
        line_vals = [
            {"account_id": account.id, "balance": currency.round(balance), "name": ref}
            for account, balance in balances.items()
            if not currency.is_zero(balance)
        ]
        if not line_vals:
            return self.env["account.move"]
        move = (
            self.env["account.move"]
            .sudo()
            .with_company(journal.company_id)
            .create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": day,
                    "ref": ref,
                    "asset_id": self.id,
                    "line_ids": [Command.create(vals) for vals in line_vals],
                }
            )
        )
        move._post(soft=False)
        return move.sudo(False)

    def _trace_transfer(
        self, change, old_company, old_category, move_out, move_in, note
    ):
        """The transfer in the asset's chatter: one note per side."""
        currency = self.currency_id
        values = {
            "code": self.code,
            "date": format_date(self.env, change.date),
            "cost": format_amount(self.env, change.transfer_cost, currency),
            "accumulated": format_amount(
                self.env, change.transfer_depreciation, currency
            ),
            "book": format_amount(
                self.env,
                change.transfer_cost - change.transfer_depreciation,
                currency,
            ),
            "note": note or "",
        }
        if old_company == self.company_id:
            self._register_trace(
                self.env._(
                    "Transferred on %(date)s from category %(old)s to %(new)s: cost "
                    "%(cost)s, accumulated depreciation %(accumulated)s (entry "
                    "%(entry)s); the board continues. %(note)s",
                    old=old_category.display_name,
                    new=self.category_id.display_name,
                    entry=move_out.name or self.env._("none, same accounts"),
                    **values,
                )
            )
            return
        self._register_trace(
            self.env._(
                "Transfer out of %(company)s on %(date)s at book value %(book)s "
                "(cost %(cost)s, accumulated depreciation %(accumulated)s): entry "
                "%(entry)s. %(note)s",
                company=old_company.display_name,
                entry=move_out.name,
                **values,
            )
        )
        self._register_trace(
            self.env._(
                "Transfer into %(company)s on %(date)s, category %(category)s: entry "
                "%(entry)s; the board continues from the transferred values.",
                company=self.company_id.display_name,
                category=self.category_id.display_name,
                entry=move_in.name,
                **values,
            )
        )
