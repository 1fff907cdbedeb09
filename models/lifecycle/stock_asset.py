# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import format_amount

from ..common import EDITABLE_COMPUTE
from .stock_asset_category import CONFIDENTIALITY_SELECTION

# System parameter: days before the expected end of life the replacement activity
# is scheduled
LEAD_DAYS_PARAM = "stock_asset_tracking.replacement_lead_days"
LEAD_DAYS_DEFAULT = 90
REPLACEMENT_ACTIVITY = "stock_asset_tracking.mail_activity_type_asset_replacement"
MANAGER_GROUP = "stock_asset_tracking.group_asset_manager"


class StockAsset(models.Model):
    """Lifecycle: when the asset will need to be replaced (expected end of life,
    replacement cost, an activity ahead of the date), documents as assets
    (retention, confidentiality, check-out rules) and the category's properties."""

    _inherit = "stock.asset"

    # Replacement --------------------------------------------------------------------
    in_use_date = fields.Date(
        string="In Use Since",
        compute="_compute_in_use_date",
        copy=False,
        help="When the asset was first put in use: the start of its category's "
        "expected life.",
        groups="base.group_user",
        **EDITABLE_COMPUTE,
    )
    end_of_life_date_set = fields.Date(
        string="End of Life (set by hand)",
        tracking=True,
        copy=False,
        help="Expected end of life decided for this asset; empty: from the "
        "register's useful life, else from the category's expected life.",
        groups="base.group_user",
    )
    end_of_life_date = fields.Date(
        string="Expected End of Life",
        compute="_compute_end_of_life_date",
        store=True,
        index="btree_not_null",
        help="When the asset will need to be replaced: the date set by hand, else "
        "the acquisition date plus the register's useful life, else the date it "
        "was put in use (or acquired) plus the category's expected life.",
        groups="base.group_user",
    )
    end_of_life_source = fields.Selection(
        [
            ("manual", "Set by hand"),
            ("register", "Register useful life"),
            ("category", "Category expected life"),
        ],
        string="End of Life From",
        compute="_compute_end_of_life_date",
        store=True,
        groups="base.group_user",
    )
    replacement_cost = fields.Monetary(
        compute="_compute_replacement_cost",
        tracking=True,
        copy=False,
        help="Estimated cost of replacing the asset; defaults to its category's "
        "estimate, else its original value.",
        groups="base.group_user",
        **EDITABLE_COMPUTE,
    )
    replacement_activity_date = fields.Date(
        string="Replacement Activity For",
        readonly=True,
        copy=False,
        help="The end-of-life date the replacement activity was scheduled for: "
        "one activity per asset and date.",
        groups="base.group_user",
    )

    # Documents ----------------------------------------------------------------------
    asset_kind = fields.Selection(
        related="category_id.asset_kind",
        store=True,
        string="Kind",
        groups="base.group_user",
    )
    document_date = fields.Date(
        help="Date of the document (signature, issue): the start of its retention.",
        groups="base.group_user",
    )
    destruction_date = fields.Date(
        compute="_compute_destruction_date",
        tracking=True,
        help="When the document may be destroyed: its document date plus its "
        "category's retention.",
        groups="base.group_user",
        **EDITABLE_COMPUTE,
    )
    confidentiality = fields.Selection(
        CONFIDENTIALITY_SELECTION,
        compute="_compute_confidentiality",
        tracking=True,
        help="Confidentiality level of the document (from its category).",
        groups="base.group_user",
        **EDITABLE_COMPUTE,
    )

    # Fields per category -----------------------------------------------------------
    asset_properties = fields.Properties(
        string="Properties",
        definition="category_id.asset_properties_definition",
        copy=True,
        groups="base.group_user",
    )

    # Computes -----------------------------------------------------------------------
    @api.depends("state")
    def _compute_in_use_date(self):
        today = fields.Date.context_today(self)
        for asset in self:
            asset.in_use_date = asset.in_use_date or (asset.state == "in_use" and today)

    @api.depends(
        "end_of_life_date_set",
        "acquisition_date",
        "method_number",
        "method_period",
        "in_use_date",
        "category_id.expected_life_months",
    )
    def _compute_end_of_life_date(self):
        for asset in self:
            asset.end_of_life_date, asset.end_of_life_source = asset._get_end_of_life()

    def _get_end_of_life(self):
        """``(date, source)`` of the asset's expected end of life, or
        ``(False, False)``."""
        self.ensure_one()
        if self.end_of_life_date_set:
            return self.end_of_life_date_set, "manual"
        if self.acquisition_date and self.method_number:
            months = self.method_number * int(self.method_period or "12")
            return self.acquisition_date + relativedelta(months=months), "register"
        start = self.in_use_date or self.acquisition_date
        life = self.category_id.expected_life_months
        if start and life:
            return start + relativedelta(months=life), "category"
        return False, False

    @api.depends("category_id.replacement_cost_estimate", "original_value")
    def _compute_replacement_cost(self):
        """Kept once set (by hand or by default); an empty one takes the category's
        estimate, else the original value."""
        for asset in self:
            asset.replacement_cost = (
                asset.replacement_cost
                or asset.category_id.replacement_cost_estimate
                or asset.original_value
            )

    @api.depends("document_date", "category_id.retention_months")
    def _compute_destruction_date(self):
        for asset in self:
            retention = asset.category_id.retention_months
            if asset.document_date and retention:
                asset.destruction_date = asset.document_date + relativedelta(
                    months=retention
                )
            else:
                asset.destruction_date = asset.destruction_date

    @api.depends("category_id")
    def _compute_confidentiality(self):
        for asset in self:
            if asset.category_id.asset_kind == "document":
                asset.confidentiality = (
                    asset.category_id.confidentiality or asset.confidentiality
                )
            else:
                asset.confidentiality = asset.confidentiality

    # Check-out rules ----------------------------------------------------------------
    def _check_checkout_allowed(self, holder, date_from=None, date_due=None):
        """A document goes out only with a due date, and only to the holders its
        category allows."""
        refusals = super()._check_checkout_allowed(
            holder, date_from=date_from, date_due=date_due
        )
        for asset in self:
            category = asset.category_id
            if category.asset_kind != "document":
                continue
            messages = []
            if not date_due:
                messages.append(
                    self.env._(
                        "%(asset)s is a document (category %(category)s): a "
                        "document is checked out only with a due date; set when it "
                        "must be back.",
                        asset=asset.display_name,
                        category=category.name,
                    )
                )
            problem = holder and category._document_holder_problem(holder, asset)
            if problem:
                messages.append(problem)
            if messages:
                refusals.setdefault(asset.id, []).extend(messages)
        return refusals

    # Replacement activities ---------------------------------------------------------
    @api.model
    def _get_replacement_lead_days(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(LEAD_DAYS_PARAM, str(LEAD_DAYS_DEFAULT))
        )
        try:
            return max(int(value), 0)
        except ValueError:
            return LEAD_DAYS_DEFAULT

    @api.model
    def _cron_schedule_replacement_activities(self):
        """Daily: schedule a replacement activity on each asset (not disposed,
        not lost) whose expected end of life comes within the lead time (or has
        passed), once per asset and date, for its responsible or an asset
        administrator. Returns the assets it scheduled one for."""
        today = fields.Date.context_today(self)
        horizon = today + timedelta(days=self._get_replacement_lead_days())
        assets = self.search(
            [
                ("end_of_life_date", "!=", False),
                ("end_of_life_date", "<=", horizon),
                ("state", "not in", ("disposed", "lost")),
            ],
            order="end_of_life_date, id",
        ).filtered(lambda a: a.replacement_activity_date != a.end_of_life_date)
        assets._schedule_replacement_activity()
        return assets

    def _schedule_replacement_activity(self):
        by_date = defaultdict(lambda: self.browse())
        managers = self.env.ref(MANAGER_GROUP).users.sorted("id")
        for asset in self:
            asset.activity_schedule(
                REPLACEMENT_ACTIVITY,
                date_deadline=asset.end_of_life_date,
                summary=self.env._(
                    "Plan the replacement of %(asset)s", asset=asset.display_name
                ),
                note=self.env._(
                    "Expected end of life on %(date)s; estimated replacement cost "
                    "%(cost)s.",
                    date=fields.Date.to_string(asset.end_of_life_date),
                    cost=format_amount(
                        self.env, asset.replacement_cost, asset.currency_id
                    ),
                ),
                user_id=asset._get_replacement_responsible(managers).id,
            )
            by_date[asset.end_of_life_date] |= asset
        for day, assets in by_date.items():
            assets.write({"replacement_activity_date": day})

    def _get_replacement_responsible(self, managers):
        """The asset's responsible, else the first asset administrator of its
        company, else the administrator."""
        return self._get_activity_user((self.user_id, *managers))
