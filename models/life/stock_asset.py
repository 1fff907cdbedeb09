# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
from odoo import api, fields, models
from odoo.exceptions import CacheMiss, ValidationError

from ..common import set_counts

# context key: the condition write comes with its own history entry
_CONDITION_LOGGED = "stock_asset_condition_logged"
_REPAIR_FIELDS = ("repair_total", "last_repair_date", "mtbf_span_days", "mtbf_days")


class StockAsset(models.Model):
    """Life of an item: where it should be stored (home), what condition it is
    in (with its history), when it was last repaired."""

    _inherit = "stock.asset"

    # Home -----------------------------------------------------------------------
    home_location_id = fields.Many2one(
        "stock.location",
        compute="_compute_home_location_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        help="Where the item should be stored: a check-in returns it there unless "
        "told otherwise. Defaults to its category's home location.",
        groups="base.group_user",
    )
    away_from_home = fields.Boolean(
        compute="_compute_away_from_home",
        store=True,
        index=True,
        help="The item has a home location and is elsewhere, or is checked out.",
        groups="base.group_user",
    )
    away_since = fields.Datetime(
        compute="_compute_away_from_home",
        store=True,
        help="When the item left its home location (or was checked out).",
        groups="base.group_user",
    )

    # Condition ------------------------------------------------------------------
    condition_id = fields.Many2one(
        "stock.asset.condition",
        index="btree_not_null",
        tracking=True,
        domain="[('company_id', 'in', [company_id, False])]",
        groups="base.group_user",
    )
    condition_out_of_service = fields.Boolean(
        related="condition_id.out_of_service", groups="base.group_user"
    )
    condition_date = fields.Datetime(
        string="Condition Recorded On", readonly=True, groups="base.group_user"
    )
    condition_note = fields.Text(groups="base.group_user")
    condition_photo = fields.Image(
        max_width=1920, max_height=1920, groups="base.group_user"
    )
    condition_log_ids = fields.One2many(
        "stock.asset.condition.log",
        "asset_id",
        string="Condition History",
        groups="base.group_user",
    )
    condition_log_count = fields.Integer(
        compute="_compute_condition_log_count", groups="base.group_user"
    )

    # Repairs --------------------------------------------------------------------
    repair_total = fields.Integer(
        string="Repairs",
        compute="_compute_repair_figures",
        store=True,
        help="Done repairs: the item's service entries of type Repair, and its "
        "serial's Odoo repair orders when Repairs is installed.",
        groups="base.group_user",
    )
    last_repair_date = fields.Date(
        compute="_compute_repair_figures", store=True, groups="base.group_user"
    )
    days_since_repair = fields.Integer(
        compute="_compute_days_since_repair",
        groups="base.group_user",
    )
    mtbf_span_days = fields.Float(
        string="Days in Service to Last Repair",
        compute="_compute_repair_figures",
        store=True,
        digits=(16, 1),
        groups="base.group_user",
    )
    mtbf_days = fields.Float(
        string="MTBF (days)",
        compute="_compute_repair_figures",
        store=True,
        aggregator="avg",
        digits=(16, 1),
        help="Mean time between failures: days in service (from the earliest of "
        "its acquisition, delivery, warranty start, creation and first repair) up "
        "to the latest repair, divided by the repairs.",
        groups="base.group_user",
    )

    # Computes -------------------------------------------------------------------
    @api.depends("category_id")
    def _compute_home_location_id(self):
        for asset in self:
            home = asset.category_id.home_location_id
            company = asset.company_id or self.env.company
            if home and home.company_id in (company, home.browse()):
                asset.home_location_id = home
            else:
                asset.home_location_id = asset.home_location_id

    @api.depends("location_id", "home_location_id", "holder_id")
    def _compute_away_from_home(self):
        # five columns, not the whole (wide) row of every asset recomputed (17,000
        # after a large scan batch); with the values before this computation in
        # the cache, an unchanged value is not written again and the time an item
        # left home is kept while it stays away
        self._origin.fetch(
            [
                "location_id",
                "home_location_id",
                "holder_id",
                "away_from_home",
                "away_since",
            ]
        )
        field = self._fields["away_since"]
        now = fields.Datetime.now()
        away = self.filtered(lambda asset: asset._is_away_from_home())
        for asset in away:
            try:
                since = self.env.cache.get(asset, field)
            except CacheMiss:  # a new record
                since = False
            asset.away_from_home = True
            asset.away_since = (
                since or (asset.holder_id and asset.custody_id.date_from) or now
            )
        # the others (most of them, on most sites) in one assignment each
        (self - away).update({"away_from_home": False, "away_since": False})

    def _is_away_from_home(self):
        self.ensure_one()
        home = self.home_location_id
        if not home:
            return False
        if self.holder_id:
            return True
        location = self.location_id
        return bool(
            location
            and not (location.parent_path or "").startswith(home.parent_path or "-")
        )

    def _compute_condition_log_count(self):
        set_counts(self, "condition_log_count", "stock.asset.condition.log", "asset_id")

    @api.depends(
        "service_ids.state",
        "service_ids.service_type",
        "service_ids.date",
        "acquisition_date",
        "delivery_date",
        "warranty_start_date",
        "lot_id",
    )
    def _compute_repair_figures(self):
        dates = self._repair_dates()
        for asset in self:
            repaired = sorted(dates.get(asset.id, []))
            asset.repair_total = len(repaired)
            asset.last_repair_date = repaired[-1] if repaired else False
            span = 0
            if repaired:
                # in service since the earliest date known of it: acquisition,
                # delivery to the customer, warranty start, the record's creation,
                # its first repair (history entered after the fact)
                known = [
                    asset.acquisition_date,
                    asset.delivery_date,
                    asset.warranty_start_date,
                    asset.create_date and asset.create_date.date(),
                    repaired[0],
                ]
                start = min(day for day in known if day)
                span = (repaired[-1] - start).days
            asset.mtbf_span_days = max(span, 0)
            asset.mtbf_days = max(span, 0) / len(repaired) if repaired else 0.0

    @api.depends_context("tz")
    @api.depends("last_repair_date")
    def _compute_days_since_repair(self):
        today = fields.Date.context_today(self)
        for asset in self:
            last = asset.last_repair_date
            asset.days_since_repair = (today - last).days if last else 0

    def _repair_dates(self):
        """``{asset_id: [date, ...]}``: the done repairs of the assets, from the
        service entries and, when Repairs is installed, the serials' repair
        orders (a soft link: no dependency on Repairs)."""
        dates = {}
        services = (
            self.env["stock.asset.service"]
            .sudo()
            .search(
                [
                    ("asset_id", "in", self.ids),
                    ("service_type", "=", "repair"),
                    ("state", "=", "done"),
                ]
            )
        )
        for service in services:
            dates.setdefault(service.asset_id.id, []).append(service.date)
        Repair = self.env.get("repair.order")
        lots = self.filtered("lot_id")
        if Repair is not None and lots:
            by_lot = {asset.lot_id.id: asset for asset in lots}
            for repair in Repair.sudo().search(
                [("lot_id", "in", list(by_lot)), ("state", "=", "done")]
            ):
                asset = by_lot[repair.lot_id.id]
                if repair.company_id == asset.company_id:
                    dates.setdefault(asset.id, []).append(repair.schedule_date.date())
        return dates

    # Constraints ----------------------------------------------------------------
    @api.constrains("home_location_id", "company_id")
    def _check_home_location(self):
        for asset in self.filtered("home_location_id"):
            problem = self._home_location_problem(
                asset.home_location_id, asset.company_id
            )
            if problem:
                raise ValidationError(
                    self.env._(
                        "Asset %(code)s cannot have %(location)s as home location: "
                        "%(problem)s",
                        code=asset.code,
                        location=asset.home_location_id.sudo().display_name,
                        problem=problem,
                    )
                )

    @api.constrains("condition_id", "company_id")
    def _check_condition_company(self):
        for asset in self:
            asset._check_condition_fits(asset.condition_id)

    def _check_condition_fits(self, condition):
        """Raise unless ``condition`` is shared or of the company of each asset."""
        wrong = self.filtered(
            lambda asset: condition.company_id
            and condition.company_id != asset.company_id
        )
        if wrong:
            raise ValidationError(
                self.env._(
                    "Asset %(code)s cannot take condition %(condition)s: the "
                    "condition is one of another company.",
                    code=wrong[0].code,
                    condition=condition.name,
                )
            )

    @api.model
    def _home_location_problem(self, location, company):
        """Why ``location`` cannot be a home location for ``company`` (empty: any
        company), or None."""
        location = location.sudo()
        if company and location.company_id and location.company_id != company:
            return self.env._(
                "it belongs to %(other)s, not to %(company)s; a home location is "
                "one of the item's own company.",
                other=location.company_id.name,
                company=company.name,
            )
        if location.usage != "internal":
            return self.env._(
                "it is not an internal location (%(usage)s); an item is stored in "
                "an internal location, not in a view, a customer or a transit one.",
                usage=dict(
                    location._fields["usage"]._description_selection(self.env)
                ).get(location.usage, location.usage),
            )
        return None

    # CRUD -----------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("condition_id"):
                vals.setdefault("condition_date", now)
        assets = super().create(vals_list)
        logged = assets.filtered("condition_id")
        if logged and not self.env.context.get(_CONDITION_LOGGED):
            logged._log_condition("manual")
        return assets

    def write(self, vals):
        if vals.get("condition_id"):
            vals = dict(vals, condition_date=fields.Datetime.now())
        res = super().write(vals)
        if vals.get("condition_id") and not self.env.context.get(_CONDITION_LOGGED):
            self._log_condition(
                "manual",
                note=vals.get("condition_note"),
                photo=vals.get("condition_photo"),
            )
        return res

    # Actions --------------------------------------------------------------------
    def action_return_home(self):
        """Put the assets back in their home location (checked-out ones are
        checked in there)."""
        homed = self.filtered("home_location_id")
        out = homed.filtered("custody_id")
        if out:
            out._checkin(return_home=True)
        for home, assets in (homed - out).grouped("home_location_id").items():
            assets.write({"location_id": home.id})
        return True

    def action_view_condition_log(self):
        return self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_condition_log_action"
        )

    def action_view_repair_history(self):
        action = self._action_view_asset_records(
            "stock_asset_tracking.stock_asset_service_action",
            default_service_type="repair",
        )
        action["domain"].append(("service_type", "=", "repair"))
        return action

    def action_record_condition(self, condition, source="manual", note=None):
        """Record ``condition`` (a stock.asset.condition record, id or code) as
        the assets' condition now (RPC). A condition out of service takes them
        out of service and proposes a repair."""
        Condition = self.env["stock.asset.condition"]
        if isinstance(condition, str):
            found = {}
            for company in self.company_id:
                found.update(Condition._find_for_asset({(company.id, condition)}))
            for asset in self:
                if (asset.company_id.id, condition) not in found:
                    raise ValidationError(
                        self.env._(
                            "Asset %(code)s: no condition has the code %(condition)s.",
                            code=asset.code,
                            condition=condition,
                        )
                    )
            for asset in self:
                asset._record_condition(found[asset.company_id.id, condition], source)
            return True
        self._record_condition(
            Condition.browse(getattr(condition, "id", condition)), source, note=note
        )
        return True

    # Business helpers -----------------------------------------------------------
    def _record_condition(self, condition, source, note=None, photo=None, user=None):
        """Record ``condition`` on the assets now, with its history entry;
        returns the entries."""
        if not self or not condition:
            return self.env["stock.asset.condition.log"]
        self._check_condition_fits(condition)
        vals = {
            "condition_id": condition.id,
            "condition_note": note or False,
        }
        if photo:
            vals["condition_photo"] = photo
        self.with_context(**{_CONDITION_LOGGED: True}).write(vals)
        return self._log_condition(source, note=note, photo=photo, user=user)

    def _log_condition(self, source, note=None, photo=None, user=None):
        """History entries of the assets' current condition; a condition out of
        service takes them out of service and proposes a repair."""
        now = fields.Datetime.now()
        logs = self.env["stock.asset.condition.log"].create(
            [
                {
                    "asset_id": asset.id,
                    "condition_id": asset.condition_id.id,
                    "date": now,
                    "user_id": (user or self.env.user).id,
                    "source": source,
                    "note": note or False,
                    "photo": photo or False,
                    "location_id": asset.location_id.id,
                    "holder_id": asset.holder_id.id,
                }
                for asset in self
                if asset.condition_id
            ]
        )
        broken = logs.filtered("condition_id.out_of_service")
        if broken:
            broken.asset_id._take_out_of_service(broken)
        return logs

    def _take_out_of_service(self, logs):
        """A broken condition: the assets in use go to repair (In Repair) and a
        repair is proposed for each one that has none open."""
        in_use = self.filtered(lambda asset: asset.state == "in_use")
        if in_use:
            in_use._write_state({"state": "in_repair"})
        for log in logs:
            log.asset_id._propose_repair(log)

    def _propose_repair(self, log):
        """An Odoo repair order when Repairs is installed and the user may create
        one, else a requested repair entry of the service history."""
        self.ensure_one()
        Repair = self.env.get("repair.order")
        # plain values only in the call: the .pot extraction evaluates its arguments
        origin = dict(log._fields["source"]._description_selection(self.env))
        suffix = ": " + log.note if log.note else ""
        note = self.env._(
            "%(condition)s recorded on %(code)s (%(origin)s)%(note)s",
            condition=log.condition_id.name,
            code=self.code,
            origin=origin[log.source],
            note=suffix,
        )
        if (
            Repair is not None
            and self.product_id
            and self.lot_id
            and Repair.has_access("create")
        ):
            open_repair = Repair.search(
                [
                    ("lot_id", "=", self.lot_id.id),
                    ("product_id", "=", self.product_id.id),
                    ("state", "not in", ("done", "cancel")),
                ],
                limit=1,
            )
            if not open_repair:
                open_repair = Repair.create(
                    {
                        "product_id": self.product_id.id,
                        "lot_id": self.lot_id.id,
                        "company_id": self.company_id.id,
                        "internal_notes": note,
                    }
                )
            # the history is not edited by users: the proposal is recorded on it
            log.sudo().repair_ref = open_repair.name
            return open_repair
        Service = self.env["stock.asset.service"]
        service = Service.search(
            [
                ("asset_id", "=", self.id),
                ("service_type", "=", "repair"),
                ("state", "=", "draft"),
            ],
            limit=1,
        )
        if not service:
            service = Service.create(
                {
                    "asset_id": self.id,
                    "service_type": "repair",
                    "state": "draft",
                    "notes": note,
                }
            )
        log.sudo().service_id = service
        return service

    @api.model
    def _cron_refresh_repair_figures(self):
        """Odoo repair orders change without telling this addon (no dependency on
        Repairs): recompute the figures of the assets whose serial has one."""
        Repair = self.env.get("repair.order")
        if Repair is None:
            return
        lots = Repair.sudo().search([("lot_id", "!=", False)]).lot_id
        assets = (
            self.sudo()
            .with_context(active_test=False)
            .search([("lot_id", "in", lots.ids)])
        )
        for fname in _REPAIR_FIELDS:
            self.env.add_to_compute(self._fields[fname], assets)
        assets.flush_recordset(list(_REPAIR_FIELDS))
